#include "net/retry.hpp"

#include <algorithm>
#include <mutex>
#include <random>

namespace letts::net {

std::chrono::milliseconds RetryPolicy::pause_after(
    int n, const std::function<std::int64_t(std::int64_t, std::int64_t)>& uniform) const {
    static const std::vector<std::int64_t> default_schedule{100, 500, 2000};
    const auto& schedule = backoff_ms.empty() ? default_schedule : backoff_ms;
    const auto index = std::min<std::size_t>(static_cast<std::size_t>(std::max(n, 1) - 1),
                                             schedule.size() - 1);
    const std::int64_t base = std::max<std::int64_t>(schedule[index], 0);
    const std::int64_t spread = std::max<std::int64_t>(1, base / 5);
    return std::chrono::milliseconds(std::max<std::int64_t>(0, base + uniform(-spread, spread)));
}

std::int64_t uniform_jitter(std::int64_t lo, std::int64_t hi) {
    // Jitter only spreads retries of many clients apart; it needs no
    // cryptographic quality, only thread safety.
    static std::mutex mutex;
    static std::mt19937_64 engine{std::random_device{}()};
    std::lock_guard lock(mutex);
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine);
}

Task<json::Ptr> perform_json_retried(Loop& loop, const Transport& transport, RetryPolicy policy,
                                     Endpoint endpoint, Request request) {
    co_return co_await retrying(loop, std::move(policy), [&] {
        return transport.perform_json(loop, endpoint, request);
    });
}

}  // namespace letts::net
