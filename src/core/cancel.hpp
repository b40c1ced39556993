// A cancellation flag that any thread (or a signal handler) may raise and
// that an event loop can wait on.
//
// The flag is a lock-free atomic and the wake-up is an eventfd that becomes
// readable, and stays readable, once the flag is raised: every loop that
// polls it wakes, however many share one Cancel, and none has to reset it.
// Raising is an atomic store plus one write(2), both async-signal-safe, so a
// SIGINT handler may cancel a blocked call.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "core/unique_fd.hpp"

namespace letts {

class Cancel {
public:
    // Throws std::bad_alloc or Error(Status::io) when no eventfd can be made.
    Cancel();
    Cancel(const Cancel&) = delete;
    Cancel& operator=(const Cancel&) = delete;

    // Idempotent, never blocks, async-signal-safe.
    void trigger() noexcept;
    bool triggered() const noexcept { return triggered_.load(std::memory_order_acquire); }
    // Readable once triggered; for poll(2)/epoll. Never read from it.
    int fd() const noexcept { return fd_.get(); }

    // Sleeps up to `pause`; returns false when woken by the trigger.
    bool sleep_for(std::chrono::milliseconds pause) const noexcept;

private:
    std::atomic<bool> triggered_{false};
    UniqueFd fd_;
};

static_assert(std::atomic<bool>::is_always_lock_free, "a signal handler must be able to set the flag");

using CancelPtr = std::shared_ptr<const Cancel>;

}  // namespace letts
