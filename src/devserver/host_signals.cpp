#include "devserver/host_signals.hpp"

#include <pthread.h>

#include <initializer_list>

namespace letts::devserver {

HostSignalsBlocked::HostSignalsBlocked() noexcept {
    sigset_t blocked;
    sigfillset(&blocked);
    // Raised by the faulting instruction itself: blocking them would turn a
    // crash into a silent kill without a handler (and without ASan's report).
    for (int sync : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS}) sigdelset(&blocked, sync);
    pthread_sigmask(SIG_BLOCK, &blocked, &saved_);
}

HostSignalsBlocked::~HostSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }

}  // namespace letts::devserver
