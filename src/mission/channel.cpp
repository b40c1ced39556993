#include "mission/channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace letts::mission {

namespace {

// Blocks SIGPIPE in the calling thread for the lifetime of the guard. When a
// write failed with EPIPE, the SIGPIPE it raised is consumed before the
// mask is restored, unless one was already pending before (that one is not
// ours to swallow). The usual technique of libraries that must not change
// the process-wide disposition.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigset_t pending;
        sigemptyset(&pending);
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGPIPE);
        blocked_ = pthread_sigmask(SIG_BLOCK, &block, &old_) == 0;
    }
    ~SigpipeGuard() {
        if (!blocked_) return;
        if (got_epipe_ && !was_pending_) {
            sigset_t pipe_only;
            sigemptyset(&pipe_only);
            sigaddset(&pipe_only, SIGPIPE);
            const timespec zero{0, 0};
            while (sigtimedwait(&pipe_only, nullptr, &zero) < 0 && errno == EINTR) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

    void saw_epipe() noexcept { got_epipe_ = true; }

private:
    sigset_t old_{};
    bool blocked_ = false;
    bool was_pending_ = false;
    bool got_epipe_ = false;
};

[[noreturn]] void write_failed(std::string_view event, int error) {
    std::string message = "cannot write the " + std::string(event) + " event to fd 3: " +
                          std::strerror(error);
    if (error == EPIPE) message += " (dugdale is no longer reading the event channel)";
    throw Error(Status::io, std::move(message));
}

}  // namespace

UniqueFd Channel::adopt(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0)
        throw Error(Status::io, "letts mission misconfigured: fd " + std::to_string(fd) +
                                    " is not open (dugdale passes the event channel as fd 3): " +
                                    std::strerror(errno));
    if ((flags & O_ACCMODE) == O_RDONLY)
        throw Error(Status::io, "letts mission misconfigured: fd " + std::to_string(fd) +
                                    " is open read-only; the event channel must be writable");
    const int fd_flags = ::fcntl(fd, F_GETFD);
    if (fd_flags >= 0) ::fcntl(fd, F_SETFD, fd_flags | FD_CLOEXEC);
    return UniqueFd(fd);
}

void Channel::write_line(std::string_view line, std::string_view event) {
    std::lock_guard lock(mutex_);
    if (!fd_) write_failed(event, EBADF);
    SigpipeGuard guard;
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(fd_.get(), line.data() + done, line.size() - done);
        if (n >= 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            // Someone made fd 3 non-blocking: wait until the pipe drains.
            pollfd p{fd_.get(), POLLOUT, 0};
            while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
            }
            continue;
        }
        const int error = errno;
        if (error == EPIPE) guard.saw_epipe();
        write_failed(event, error);
    }
}

}  // namespace letts::mission
