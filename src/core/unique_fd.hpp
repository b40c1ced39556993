// Owns one file descriptor; closes it exactly once. Shared by the mission
// runtime (fd 3, self-pipe) and the devserver (pipes, files, sockets).
#pragma once

#include <unistd.h>

#include <cstddef>

#include <utility>

namespace letts {

class UniqueFd {
public:
    UniqueFd() noexcept = default;
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    int release() noexcept { return std::exchange(fd_, -1); }
    void reset(int fd = -1) noexcept {
        // close(2) is not retried on EINTR: on Linux the descriptor is
        // released even then, and a retry could close a reused number.
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

// Writes all of `data`, retrying on EINTR and short writes. False on error.
bool write_all(int fd, const void* data, std::size_t size);

}  // namespace letts
