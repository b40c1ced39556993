#include "core/sha256.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "core/error.hpp"

namespace letts {
namespace {

// Staging uploads and output files can be gigabytes; a fixed 64 KiB window
// keeps memory constant and is large enough that syscalls do not dominate.
constexpr std::size_t chunk_size = 64 * 1024;

struct CtxFree {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

std::string io_error(const std::string& path, int error) {
    // std::generic_category().message() is strerror without its thread-safety problem.
    return path + ": " + std::generic_category().message(error);
}

// Owns a file descriptor; closing is best effort (read-only, nothing to flush).
class Fd {
public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

}  // namespace

struct Sha256::State {
    std::unique_ptr<EVP_MD_CTX, CtxFree> ctx;
    bool finished = false;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
    state_->ctx.reset(EVP_MD_CTX_new());
    if (!state_->ctx) throw Error(Status::internal, "sha256: EVP_MD_CTX_new failed");
    if (EVP_DigestInit_ex(state_->ctx.get(), EVP_sha256(), nullptr) != 1) {
        throw Error(Status::internal, "sha256: EVP_DigestInit_ex failed");
    }
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) {
    // A moved-from or finished hasher is a programming error, not bad input.
    if (!state_ || state_->finished) {
        throw Error(Status::internal, "sha256: update after the digest was taken");
    }
    if (size == 0) return;
    if (EVP_DigestUpdate(state_->ctx.get(), data, size) != 1) {
        throw Error(Status::internal, "sha256: EVP_DigestUpdate failed");
    }
}

std::string Sha256::hex_digest() {
    if (!state_ || state_->finished) {
        throw Error(Status::internal, "sha256: the digest was already taken");
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(state_->ctx.get(), digest, &length) != 1 || length != 32) {
        throw Error(Status::internal, "sha256: EVP_DigestFinal_ex failed");
    }
    state_->finished = true;
    static constexpr char hex[] = "0123456789abcdef";
    std::string text(2 * length, '\0');
    for (unsigned int i = 0; i < length; ++i) {
        text[2 * i] = hex[digest[i] >> 4];
        text[2 * i + 1] = hex[digest[i] & 0x0F];
    }
    return text;
}

std::string sha256_hex(std::string_view data) {
    Sha256 hasher;
    hasher.update(data);
    return hasher.hex_digest();
}

FileDigest sha256_file(const std::string& path) {
    int raw = -1;
    do {
        raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    } while (raw < 0 && errno == EINTR);
    if (raw < 0) throw Error(Status::io, io_error(path, errno));
    const Fd fd(raw);

    Sha256 hasher;
    FileDigest result;
    // Heap, not stack: callers may run on small thread stacks (cgo, PHP ZTS).
    const auto buffer = std::make_unique_for_overwrite<unsigned char[]>(chunk_size);
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.get(), chunk_size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(Status::io, io_error(path, errno));
        }
        if (n == 0) break;
        hasher.update(buffer.get(), static_cast<std::size_t>(n));
        result.size += static_cast<std::uint64_t>(n);
    }
    result.sha256 = hasher.hex_digest();
    return result;
}

}  // namespace letts
