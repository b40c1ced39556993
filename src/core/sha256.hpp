// SHA-256 over streams (OpenSSL libcrypto EVP), for staging and outputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace letts {

// Incremental hasher: feed chunks as they stream past, then take the digest.
class Sha256 {
public:
    Sha256();  // throws letts::Error(Status::internal) if libcrypto fails
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    // Lowercase hex of the digest; the hasher cannot be updated afterwards.
    std::string hex_digest();

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Hex digest of the bytes in memory.
std::string sha256_hex(std::string_view data);

// Hex digest and size of a file, read in fixed-size chunks (constant memory).
// Throws letts::Error(Status::io) naming the path on any read failure.
struct FileDigest {
    std::string sha256;
    std::uint64_t size = 0;
};
FileDigest sha256_file(const std::string& path);

}  // namespace letts
