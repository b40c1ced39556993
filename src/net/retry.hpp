// The retry policy of client-behavior.md §6: a number of attempts and a
// back-off schedule with ±20 % integer jitter. Which failures are repeated
// is decided by is_retryable() (http_error.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "net/http_error.hpp"
#include "net/loop.hpp"
#include "net/task.hpp"
#include "net/transport.hpp"

namespace letts::net {

struct RetryPolicy {
    int attempts = 3;                                  // first try included; < 1 means 1
    std::vector<std::int64_t> backoff_ms{100, 500, 2000};  // empty means the default

    // The pause after failed attempt `n` (1-based) before attempt n+1:
    // backoff[min(n-1, len-1)] ms plus a jitter in [-b, +b], b = max(1, ms/5).
    // `uniform(lo, hi)` returns an integer in [lo, hi]; injected for tests.
    std::chrono::milliseconds pause_after(
        int n, const std::function<std::int64_t(std::int64_t, std::int64_t)>& uniform) const;

    int effective_attempts() const { return attempts < 1 ? 1 : attempts; }
};

// A CSPRNG-independent, thread-safe uniform integer source for jitter.
std::int64_t uniform_jitter(std::int64_t lo, std::int64_t hi);

// Runs `attempt()` (a callable returning a Task) until its task returns,
// throws a non-retryable Error, or the attempts are used up (the last Error
// is rethrown). Pauses on `loop` between attempts with the policy's
// back-off, so a cancel or deadline cuts the pause short.
template <class Attempt>
auto retrying(Loop& loop, RetryPolicy policy, Attempt attempt) -> decltype(attempt()) {
    const int attempts = policy.effective_attempts();
    for (int n = 1;; ++n) {
        try {
            co_return co_await attempt();
        } catch (const Error& error) {
            if (n >= attempts || !is_retryable(error)) throw;
        }
        co_await loop.sleep_for(policy.pause_after(n, uniform_jitter));
    }
}

// A JSON exchange under the policy (the reads and the idempotent writes).
Task<json::Ptr> perform_json_retried(Loop& loop, const Transport& transport, RetryPolicy policy,
                                     Endpoint endpoint, Request request);

}  // namespace letts::net
