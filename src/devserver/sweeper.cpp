#include "devserver/sweeper.hpp"

#include <algorithm>
#include <chrono>

#include "devserver/clock.hpp"

namespace letts::devserver {

Sweeper::Sweeper(std::int64_t interval_ns, std::function<void()> pass) : pass_(std::move(pass)) {
    thread_ = std::thread([this, interval_ns] { loop(interval_ns); });
}

Sweeper::~Sweeper() { stop(); }

void Sweeper::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Sweeper::loop(std::int64_t interval_ns) {
    constexpr std::int64_t second = 1'000'000'000;
    if (interval_ns <= 0) interval_ns = 60 * second;
    // A steady_clock deadline must not overflow: a year is "never" here.
    interval_ns = std::min<std::int64_t>(interval_ns, 365 * 24 * 3600 * second);
    const auto period = std::chrono::nanoseconds(interval_ns);
    std::unique_lock lock(mu_);
    while (true) {
        // A deadline, not a relative wait, so that spurious wake-ups do
        // not stretch the period.
        const auto next = SteadyClock::now() + period;
        if (wake_.wait_until(lock, next, [&] { return stopping_; })) return;
        lock.unlock();
        pass_();
        lock.lock();
        if (stopping_) return;
    }
}

}  // namespace letts::devserver
