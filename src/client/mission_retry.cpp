// The retry policy's decisions (mission_retry.hpp): what is retried and the
// pause before each attempt.
#include "client/mission_retry.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace letts::client {

namespace {

bool listed(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool MissionRetry::retries(const RunResult& result) const {
    if (result.outcome == "failed") return result.fail_reason && listed(fail_reasons, *result.fail_reason);
    // success and killed can never be listed (check_retry_outcome).
    return listed(outcomes, result.outcome);
}

std::chrono::milliseconds MissionRetry::pause_before(int next, std::mt19937_64& random) const {
    // In double: base * multiplier^k may overflow int64 long before the cap.
    const double grown = static_cast<double>(base_ms) * std::pow(multiplier, std::max(0, next - 2));
    const double full = std::min(static_cast<double>(cap_ms), grown);
    std::uniform_real_distribution<double> share(0.0, jitter);
    const double pause = full * (1.0 - share(random));
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::max(0.0, pause)));
}

void check_retry_outcome(const std::string& outcome) {
    static const char* const retryable[] = {"lost", "crashed", "oom", "timeout"};
    for (const char* name : retryable) {
        if (outcome == name) return;
    }
    if (outcome == "failed") {
        throw Error(Status::invalid_argument,
                    "a failed outcome is retried by fail reason: add the reasons to retry instead");
    }
    throw Error(Status::invalid_argument,
                "outcome \"" + outcome + "\" cannot be retried (lost, crashed, oom or timeout)");
}

}  // namespace letts::client
