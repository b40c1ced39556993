#include "interrupt.hpp"

#include "error.hpp"

namespace letts_cli {

namespace {
// The one object a signal handler may reach; set while a guard lives.
letts_cancel* volatile g_cancel = nullptr;

extern "C" void on_sigint(int) {
    letts_cancel* c = g_cancel;
    if (c) letts_cancel_trigger(c);
}
}  // namespace

InterruptGuard::InterruptGuard() {
    letts_cancel* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_cancel_new(&raw, &err), err);
    cancel_.reset(raw);
    g_cancel = raw;
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &previous_);
}

InterruptGuard::~InterruptGuard() {
    sigaction(SIGINT, &previous_, nullptr);
    g_cancel = nullptr;
}

bool InterruptGuard::interrupted() const { return letts_cancel_is_triggered(cancel_.get()) != 0; }

}  // namespace letts_cli
