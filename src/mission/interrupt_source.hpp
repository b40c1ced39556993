// Turns SIGTERM/SIGINT into a sticky flag plus a readable descriptor.
//
// Signal dispositions are process-wide, so this is the one piece of the
// runtime with process-wide state: a single InterruptSource may exist at a
// time (a mission handle belongs to its process). The handler does only
// async-signal-safe things: a lock-free atomic compare-and-swap on the flag
// and one write(2) to the non-blocking self-pipe. Everything else (callbacks,
// errors) happens later, on the mission's thread, when it polls.
#pragma once

#include <signal.h>

#include "core/unique_fd.hpp"

namespace letts::mission {

class InterruptSource {
public:
    // Claims the process-wide state, clears the flag, creates the self-pipe
    // and, when `install_handlers`, installs the SIGTERM/SIGINT handlers
    // (SA_RESTART, so blocking calls in the mission are not cut short).
    // Throws letts::Error(Status::invalid_argument) when another mission
    // is live, Status::io when the pipe or a handler cannot be set up.
    explicit InterruptSource(bool install_handlers);
    // Restores the previous handlers, then releases the pipe and the claim.
    ~InterruptSource();
    InterruptSource(const InterruptSource&) = delete;
    InterruptSource& operator=(const InterruptSource&) = delete;

    // 0 until an interrupt; then the first signal number (sticky).
    int signal() const noexcept;

    // Read end of the self-pipe: readable once interrupted.
    int fd() const noexcept { return read_end_.get(); }

    // Does what the handler does, for letts_mission_interrupt(). Safe from
    // any thread.
    void request(int signo) noexcept;

private:
    UniqueFd read_end_;
    UniqueFd write_end_;
    bool installed_ = false;
    struct sigaction old_term_ {};
    struct sigaction old_int_ {};
};

}  // namespace letts::mission
