#include "core/unique_id.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstddef>
#include <vector>

#include "core/error.hpp"

namespace letts::unique_id {
namespace {

void check_range(std::int64_t value, const char* name) {
    if (value < 0 || value > max_ms) {
        throw Error(Status::invalid_argument,
                    std::string("unique id: ") + name + " must be between 0 and " +
                        std::to_string(max_ms) + ", got " + std::to_string(value));
    }
}

void put_be64(std::vector<unsigned char>& out, std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
        out.push_back(static_cast<unsigned char>(value >> shift));
    }
}

// HMAC-SHA-256(domain_key, be64(start) || be64(window) || key).
std::array<unsigned char, 32> keyed_hash(std::string_view key, std::int64_t window_ms,
                                         std::int64_t start) {
    std::vector<unsigned char> message;
    message.reserve(16 + key.size());
    put_be64(message, static_cast<std::uint64_t>(start));
    put_be64(message, static_cast<std::uint64_t>(window_ms));
    message.insert(message.end(), key.begin(), key.end());
    std::array<unsigned char, 32> digest{};
    unsigned int length = 0;
    const unsigned char* result =
        HMAC(EVP_sha256(), domain_key.data(), static_cast<int>(domain_key.size()),
             message.data(), message.size(), digest.data(), &length);
    if (result == nullptr || length != digest.size()) {
        throw Error(Status::internal, "unique id: HMAC-SHA-256 failed");
    }
    return digest;
}

std::string format(const std::array<unsigned char, 16>& bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        text += hex[bytes[i] >> 4];
        text += hex[bytes[i] & 0x0F];
    }
    return text;
}

}  // namespace

std::int64_t window_start(std::int64_t window_ms, std::int64_t at_ms) {
    check_range(window_ms, "window_ms");
    if (window_ms == 0) return 0;  // no window: the time is not part of the id
    check_range(at_ms, "at_unix_ms");
    return at_ms - at_ms % window_ms;  // both non-negative: % is floor
}

std::string derive(std::string_view key, std::int64_t window_ms, std::int64_t at_ms) {
    if (key.empty()) throw Error(Status::invalid_argument, "unique id: key is empty");
    const std::int64_t start = window_start(window_ms, at_ms);
    const auto digest = keyed_hash(key, window_ms, start);
    std::array<unsigned char, 16> bytes{};
    for (int i = 0; i < 6; ++i) {
        bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(start >> (40 - 8 * i));
    }
    // 74 bits of the digest around the version nibble and the variant bits.
    bytes[6] = static_cast<unsigned char>(0x70 | (digest[0] & 0x0F));
    bytes[7] = digest[1];
    bytes[8] = static_cast<unsigned char>(0x80 | (digest[2] & 0x3F));
    for (std::size_t i = 9; i < 16; ++i) bytes[i] = digest[i - 6];
    return format(bytes);
}

}  // namespace letts::unique_id
