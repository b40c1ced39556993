// The devserver can run inside someone else's process (letts_devserver_start
// from a C, Go or PHP program), and it starts threads there: libmicrohttpd's
// pool, the connection monitor, the sweeper, and from the pool the mission
// supervisor and its launchers. A process-directed signal (SIGCHLD when a
// mission exits, SIGINT, SIGTERM, SIGPIPE, SIGUSR1...) goes to any thread that
// does not block it, and the host's handler then runs on one of ours: a Go
// runtime sees a signal on a thread it does not know (cgo's documentation asks
// C code not to let that happen), and a C host's handler finds none of its
// own state. So our threads are born with those signals blocked; only the
// synchronous ones a fault raises stay open, so that a crash stays a crash
// with the sanitizers' reports.
#pragma once

#include <signal.h>

namespace letts::devserver {

// While alive, the calling thread blocks every asynchronous signal; threads it
// starts meanwhile inherit that mask (pthread_create copies it). The thread's
// own mask is restored on destruction.
class HostSignalsBlocked {
public:
    HostSignalsBlocked() noexcept;
    ~HostSignalsBlocked();
    HostSignalsBlocked(const HostSignalsBlocked&) = delete;
    HostSignalsBlocked& operator=(const HostSignalsBlocked&) = delete;

private:
    sigset_t saved_;
};

}  // namespace letts::devserver
