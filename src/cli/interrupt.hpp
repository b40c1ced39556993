// Ctrl-C while waiting: SIGINT triggers a letts_cancel (async-signal-safe by
// contract), so the blocked library call returns LETTS_ERR_CANCELLED and the
// command decides what to say; the previous disposition comes back after.
#pragma once

#include <signal.h>

#include "handles.hpp"

namespace letts_cli {

class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    letts_cancel* cancel() const { return cancel_.get(); }
    bool interrupted() const;

private:
    CancelPtr cancel_;
    struct sigaction previous_ {};
};

}  // namespace letts_cli
