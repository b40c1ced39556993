// The retry policy of client-behavior.md §6: schedule, jitter bounds,
// attempt counting and which failures are repeated.
#include <cstdint>
#include <string>

#include "net/retry.hpp"
#include "core/support.hpp"

using letts::Error;
using letts::Status;
using letts::net::RetryPolicy;

static void test_default_schedule_and_jitter_bounds(void**) {
    const RetryPolicy policy;
    const auto lowest = [](std::int64_t lo, std::int64_t) { return lo; };
    const auto highest = [](std::int64_t, std::int64_t hi) { return hi; };
    const auto none = [](std::int64_t, std::int64_t) { return std::int64_t{0}; };
    assert_int_equal(policy.pause_after(1, none).count(), 100);
    assert_int_equal(policy.pause_after(2, none).count(), 500);
    assert_int_equal(policy.pause_after(3, none).count(), 2000);
    assert_int_equal(policy.pause_after(9, none).count(), 2000);  // last value repeats
    assert_int_equal(policy.pause_after(1, lowest).count(), 80);   // -20 %
    assert_int_equal(policy.pause_after(1, highest).count(), 120); // +20 %
    assert_int_equal(policy.pause_after(3, highest).count(), 2400);
}

static void test_small_and_empty_schedules(void**) {
    RetryPolicy policy;
    policy.backoff_ms = {3};
    const auto highest = [](std::int64_t, std::int64_t hi) { return hi; };
    assert_int_equal(policy.pause_after(1, highest).count(), 4);  // b = max(1, 3/5)
    policy.backoff_ms.clear();  // empty means the default
    const auto none = [](std::int64_t, std::int64_t) { return std::int64_t{0}; };
    assert_int_equal(policy.pause_after(2, none).count(), 500);
    policy.attempts = 0;
    assert_int_equal(policy.effective_attempts(), 1);
}

static void test_jitter_source_stays_in_range(void**) {
    for (int i = 0; i < 1000; ++i) {
        const auto value = letts::net::uniform_jitter(-20, 20);
        assert_in_range(value + 20, 0, 40);
    }
}

namespace {

using letts::net::Loop;
using letts::net::Task;

// One attempt: counts itself, then fails with `error` (or, once `calls`
// reaches `succeed_at`, returns 42).
Task<int> attempt(int& calls, Error error, int succeed_at) {
    if (++calls == succeed_at) co_return 42;
    throw error;
}

// Counts attempts of a body that always fails with `error`.
int attempts_for(const Error& error, int attempts) {
    RetryPolicy policy;
    policy.attempts = attempts;
    policy.backoff_ms = {0};
    int calls = 0;
    Loop loop(1);
    try {
        letts::net::block_on(loop, letts::net::retrying(loop, policy, [&] { return attempt(calls, error, 0); }));
    } catch (const Error&) {
    }
    return calls;
}

}  // namespace

static void test_retried_failures_use_every_attempt(void**) {
    assert_int_equal(attempts_for(Error(Status::network, "reset"), 3), 3);
    assert_int_equal(attempts_for(Error(Status::dispatch, "x").http(500), 4), 4);
    assert_int_equal(attempts_for(Error(Status::dispatch, "x").http(503).code("awaiting_apply"), 2), 2);
}

static void test_definitive_failures_are_tried_once(void**) {
    assert_int_equal(attempts_for(Error(Status::dispatch, "x").http(429).code("rate_limited"), 3), 1);
    assert_int_equal(attempts_for(Error(Status::dispatch, "x").http(404), 3), 1);
    assert_int_equal(attempts_for(Error(Status::backpressure, "x").http(503).code("queue_full"), 3), 1);
    assert_int_equal(attempts_for(Error(Status::dispatch, "x").http(503).code("draining"), 3), 1);
    assert_int_equal(attempts_for(Error(Status::conflict, "x").http(409), 3), 1);
    assert_int_equal(attempts_for(Error(Status::auth, "x").http(401), 3), 1);
}

static void test_success_after_failures_returns_value(void**) {
    RetryPolicy policy;
    policy.backoff_ms = {0};
    int calls = 0;
    Loop loop(1);
    const int value = letts::net::block_on(
        loop, letts::net::retrying(loop, policy, [&] { return attempt(calls, Error(Status::network, "flaky"), 3); }));
    assert_int_equal(value, 42);
    assert_int_equal(calls, 3);
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_schedule_and_jitter_bounds),
        cmocka_unit_test(test_small_and_empty_schedules),
        cmocka_unit_test(test_jitter_source_stays_in_range),
        cmocka_unit_test(test_retried_failures_use_every_attempt),
        cmocka_unit_test(test_definitive_failures_are_tried_once),
        cmocka_unit_test(test_success_after_failures_returns_value),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
