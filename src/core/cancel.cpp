#include "core/cancel.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace letts {

Cancel::Cancel() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!fd_) {
        throw Error(Status::io, std::string("cannot create the cancellation eventfd: ") + std::strerror(errno));
    }
}

void Cancel::trigger() noexcept {
    if (triggered_.exchange(true, std::memory_order_acq_rel)) return;
    const std::uint64_t one = 1;
    // Non-blocking; the counter cannot overflow with one write. Errors are
    // impossible for a valid eventfd and have nowhere to go from a signal
    // handler: the flag alone still stops the next check.
    const ssize_t written = ::write(fd_.get(), &one, sizeof one);
    (void)written;
}

bool Cancel::sleep_for(std::chrono::milliseconds pause) const noexcept {
    const auto until = std::chrono::steady_clock::now() + pause;
    for (;;) {
        if (triggered()) return false;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0) return true;
        struct pollfd wake {fd_.get(), POLLIN, 0};
        // Rounded up so a sub-millisecond remainder does not spin.
        ::poll(&wake, 1, static_cast<int>(left.count()) + 1);
    }
}

}  // namespace letts
