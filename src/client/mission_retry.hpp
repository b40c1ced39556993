// The retry policy of a run (issue 20 §3): which finished outcomes are run
// again, how often, and the back-off between attempts. Distinct from the
// transport's retry of requests (net/retry.hpp): this one re-runs a
// mission that ended, through a restart, so the daemon's `restarted_from`
// chains the attempts.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "client/results.hpp"

namespace letts::client {

struct MissionRetry {
    std::vector<std::string> outcomes;      // of lost, crashed, oom, timeout
    std::vector<std::string> fail_reasons;  // a `failed` outcome is retried with these only
    int max_attempts = 1;                   // the first attempt included; 1 = no retry
    std::int64_t base_ms = 1000;
    std::int64_t cap_ms = 30000;
    double multiplier = 2.0;
    double jitter = 0.5;  // fraction of the pause that may be taken off at random

    bool enabled() const { return max_attempts > 1; }
    // Never success, killed, or a failure not listed.
    bool retries(const RunResult& result) const;
    // The pause before attempt `next` (2, 3, ...): min(cap, base *
    // multiplier^(next-2)), less a random share of at most `jitter`.
    std::chrono::milliseconds pause_before(int next, std::mt19937_64& random) const;
};

// Throws Status::invalid_argument for an outcome that cannot be retried
// (success, killed, failed: use a fail reason) or that does not exist.
void check_retry_outcome(const std::string& outcome);

}  // namespace letts::client
