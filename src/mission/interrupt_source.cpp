#include "mission/interrupt_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace letts::mission {

namespace {

// Lock-free atomics are the C++ form of "volatile sig_atomic_t": safe to
// touch from a signal handler ([support.signal]) and, unlike a volatile
// flag, also from other threads.
std::atomic<std::sig_atomic_t> g_signal{0};
std::atomic<int> g_wake_fd{-1};
std::atomic<bool> g_claimed{false};
static_assert(std::atomic<std::sig_atomic_t>::is_always_lock_free);
static_assert(std::atomic<int>::is_always_lock_free);

void raise_flag(int signo) noexcept {
    std::sig_atomic_t expected = 0;
    g_signal.compare_exchange_strong(expected, static_cast<std::sig_atomic_t>(signo));
    const int fd = g_wake_fd.load();
    if (fd >= 0) {
        // A full pipe (EAGAIN) is fine: it is readable already.
        const ssize_t ignored = ::write(fd, "!", 1);
        static_cast<void>(ignored);
    }
}

void on_signal(int signo) {
    const int saved_errno = errno;  // the interrupted code may be reading errno
    raise_flag(signo);
    errno = saved_errno;
}

void install(int signo, const char* name, struct sigaction* old) {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGTERM);  // never nest the two handlers
    sigaddset(&action.sa_mask, SIGINT);
    action.sa_flags = SA_RESTART;
    if (::sigaction(signo, &action, old) != 0)
        throw Error(Status::io, std::string("cannot install the ") + name + " handler: " +
                                    std::strerror(errno));
}

// When fd 3 is not open (a misconfigured launch), pipe2() would hand out
// 3 itself, and the event channel check would then find the interrupt pipe
// there instead of reporting the missing channel. Keep the pipe above it.
int above_event_fd(int fd) {
    if (fd > 3) return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 4);
    const int error = errno;
    ::close(fd);
    if (moved < 0)
        throw Error(Status::io, std::string("cannot create the interrupt pipe: ") +
                                    std::strerror(error));
    return moved;
}

}  // namespace

InterruptSource::InterruptSource(bool install_handlers) {
    bool expected = false;
    if (!g_claimed.compare_exchange_strong(expected, true))
        throw Error(Status::invalid_argument,
                    "a mission is already started in this process; free it before starting "
                    "another");
    try {
        int ends[2];
        if (::pipe2(ends, O_NONBLOCK | O_CLOEXEC) != 0)
            throw Error(Status::io, std::string("cannot create the interrupt pipe: ") +
                                        std::strerror(errno));
        read_end_.reset(above_event_fd(ends[0]));
        write_end_.reset(above_event_fd(ends[1]));
        g_signal.store(0);
        g_wake_fd.store(write_end_.get());
        if (install_handlers) {
            install(SIGTERM, "SIGTERM", &old_term_);
            try {
                install(SIGINT, "SIGINT", &old_int_);
            } catch (...) {
                ::sigaction(SIGTERM, &old_term_, nullptr);
                throw;
            }
            installed_ = true;
        }
    } catch (...) {
        g_wake_fd.store(-1);
        g_claimed.store(false);
        throw;
    }
}

InterruptSource::~InterruptSource() {
    if (installed_) {
        ::sigaction(SIGINT, &old_int_, nullptr);
        ::sigaction(SIGTERM, &old_term_, nullptr);
    }
    g_wake_fd.store(-1);
    write_end_.reset();
    read_end_.reset();
    g_claimed.store(false);
}

int InterruptSource::signal() const noexcept {
    return static_cast<int>(g_signal.load());
}

void InterruptSource::request(int signo) noexcept {
    raise_flag(signo);
}

}  // namespace letts::mission
