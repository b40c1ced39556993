// The mission retry policy (client/mission_retry.hpp, issue 20 §3): which
// finished outcomes are retried, and the bounds of the jittered pauses.
#include <cstdint>
#include <random>
#include <string>

#include "client/mission_retry.hpp"
#include "core/support.hpp"

using letts::Error;
using letts::Status;
using letts::client::MissionRetry;
using letts::client::RunResult;

static RunResult finished(const char* outcome, const char* reason = nullptr) {
    RunResult r;
    r.outcome = outcome;
    if (reason) r.fail_reason = reason;
    return r;
}

static void test_only_listed_outcomes_and_reasons_are_retried(void**) {
    MissionRetry policy;
    policy.outcomes = {"lost", "oom"};
    policy.fail_reasons = {"flaky"};
    assert_true(policy.retries(finished("lost")));
    assert_true(policy.retries(finished("oom")));
    assert_false(policy.retries(finished("crashed")));
    assert_true(policy.retries(finished("failed", "flaky")));
    assert_false(policy.retries(finished("failed", "bad_input")));
    assert_false(policy.retries(finished("failed")));
    assert_false(policy.retries(finished("success")));
    assert_false(policy.retries(finished("killed")));
}

static void test_never_retried_outcomes_are_refused(void**) {
    for (const char* outcome : {"success", "killed", "failed", "bogus", ""}) {
        try {
            letts::client::check_retry_outcome(outcome);
            fail_msg("outcome \"%s\" accepted", outcome);
        } catch (const Error& e) {
            assert_int_equal(static_cast<int>(e.status()), static_cast<int>(Status::invalid_argument));
        }
    }
    letts::client::check_retry_outcome("timeout");
}

static void test_pauses_grow_to_the_cap_within_the_jitter(void**) {
    MissionRetry policy;
    policy.base_ms = 100;
    policy.cap_ms = 1000;
    policy.multiplier = 3.0;
    policy.jitter = 0.25;
    std::mt19937_64 random(7);
    const std::int64_t full[] = {100, 300, 900, 1000, 1000};
    for (int round = 0; round < 200; ++round) {
        for (int next = 2; next <= 6; ++next) {
            const std::int64_t pause = policy.pause_before(next, random).count();
            const std::int64_t top = full[next - 2];
            assert_in_range(pause, top * 3 / 4 - 1, top);
        }
    }
    policy.jitter = 0.0;  // no jitter: exactly the schedule
    assert_int_equal(policy.pause_before(3, random).count(), 300);
    policy.multiplier = 1e6;  // huge growth stays at the cap
    assert_int_equal(policy.pause_before(200, random).count(), 1000);
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_listed_outcomes_and_reasons_are_retried),
        cmocka_unit_test(test_never_retried_outcomes_are_refused),
        cmocka_unit_test(test_pauses_grow_to_the_cap_within_the_jitter),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
