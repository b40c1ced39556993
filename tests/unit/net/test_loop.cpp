// The event loop every call runs on (net/loop.hpp): sleeps wake in order
// and on time, a cancel from another thread wakes a blocked loop at once, a
// deadline fails every wait with its own error, uncancellable waits ignore
// both, a task group waits for all of its tasks, and the descriptor is
// readable exactly when a step has work.
#include <poll.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/cancel.hpp"
#include "core/support.hpp"
#include "net/loop.hpp"

using letts::Cancel;
using letts::Error;
using letts::Status;
using letts::net::Loop;
using letts::net::Task;
using letts::net::TaskGroup;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

Task<void> sleep_then_record(Loop& loop, milliseconds pause, std::vector<int>& order, int tag) {
    co_await loop.sleep_for(pause);
    order.push_back(tag);
}

Task<void> sleep_in_order(Loop& loop, std::vector<int>& order) {
    TaskGroup group(loop);
    group.spawn(sleep_then_record(loop, milliseconds(60), order, 3));
    group.spawn(sleep_then_record(loop, milliseconds(20), order, 1));
    group.spawn(sleep_then_record(loop, milliseconds(40), order, 2));
    co_await group.wait();
}

Task<int> sleep_long(Loop& loop) {
    co_await loop.sleep_for(std::chrono::hours(1));
    co_return 1;
}

Task<int> uncancellable_sleep(Loop& loop, milliseconds pause = milliseconds(30)) {
    co_await loop.sleep_for(pause, Loop::Stop::uncancellable);
    co_return 7;
}

bool readable(int fd) {
    struct pollfd p {fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
}

}  // namespace

static void test_sleeps_wake_in_order(void**) {
    Loop loop(1);
    std::vector<int> order;
    const auto started = Clock::now();
    letts::net::block_on(loop, sleep_in_order(loop, order));
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - started).count();
    assert_int_equal(order.size(), 3);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 2);
    assert_int_equal(order[2], 3);
    assert_true(took >= 60);
}

static void test_cancel_from_another_thread_wakes_the_loop(void**) {
    auto cancel = std::make_shared<Cancel>();
    Loop loop(1, {cancel});
    std::thread trigger([&] {
        std::this_thread::sleep_for(milliseconds(50));  // the loop must be blocked by then
        cancel->trigger();
    });
    const auto started = Clock::now();
    Status status = Status::ok;
    try {
        letts::net::block_on(loop, sleep_long(loop));
    } catch (const Error& error) {
        status = error.status();
    }
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - started).count();
    trigger.join();
    assert_int_equal(static_cast<int>(status), static_cast<int>(Status::cancelled));
    assert_true(took < 1000);  // an hour-long sleep ended by the trigger
}

static void test_a_triggered_cancel_stops_the_first_wait(void**) {
    auto cancel = std::make_shared<Cancel>();
    cancel->trigger();
    cancel->trigger();  // idempotent
    Loop loop(1, {cancel});
    const std::string message = EXPECT_ERROR(Status::cancelled, letts::net::block_on(loop, sleep_long(loop)));
    assert_true(core_test::contains(message, "cancel"));
}

static void test_uncancellable_waits_ignore_the_cancel(void**) {
    auto cancel = std::make_shared<Cancel>();
    cancel->trigger();
    Loop loop(1, {cancel});
    assert_int_equal(letts::net::block_on(loop, uncancellable_sleep(loop)), 7);
}

static void test_deadline_fails_waits_with_its_error(void**) {
    Loop loop(1);
    loop.set_deadline(Clock::now() + milliseconds(30), Error(Status::wait_timeout, "too slow"));
    const std::string message = EXPECT_ERROR(Status::wait_timeout, letts::net::block_on(loop, sleep_long(loop)));
    assert_string_equal(message.c_str(), "too slow");
    loop.clear_deadline();
    assert_int_equal(letts::net::block_on(loop, uncancellable_sleep(loop)), 7);
}

static void test_descriptor_is_readable_when_work_is_due(void**) {
    Loop loop(1);
    Task<int> task = uncancellable_sleep(loop);
    loop.start(task);
    assert_false(task.done());
    assert_false(readable(loop.fd()));  // nothing due for 30 ms
    struct pollfd p {loop.fd(), POLLIN, 0};
    assert_int_equal(::poll(&p, 1, 5000), 1);  // the timer fires
    while (!task.done()) loop.wait_and_step();
    assert_int_equal(task.take(), 7);
}

static void test_cancel_makes_the_descriptor_readable(void**) {
    auto cancel = std::make_shared<Cancel>();
    Loop loop(1, {cancel});
    Task<int> task = sleep_long(loop);
    loop.start(task);
    assert_false(readable(loop.fd()));
    cancel->trigger();
    assert_true(readable(loop.fd()));
    loop.step();
    assert_true(task.done());
    EXPECT_ERROR(Status::cancelled, task.take());
}

// After a cancel, uncancellable work may still run for seconds (the kill of
// kill_on_cancel): the cancel, once seen, must not keep waking the loop, or
// the caller's poll (and wait_and_step) spins for that whole time.
static void test_a_seen_cancel_no_longer_wakes_the_loop(void**) {
    auto cancel = std::make_shared<Cancel>();
    Loop loop(1, {cancel});
    Task<int> task = uncancellable_sleep(loop, milliseconds(200));
    loop.start(task);
    cancel->trigger();
    assert_true(readable(loop.fd()));
    loop.step();
    assert_false(task.done());
    assert_false(readable(loop.fd()));  // only the sleep's end wakes it now
    struct pollfd p {loop.fd(), POLLIN, 0};
    assert_int_equal(::poll(&p, 1, 5000), 1);
    while (!task.done()) loop.wait_and_step();
    assert_int_equal(task.take(), 7);
}

static void test_blocking_wait_after_a_cancel_sleeps(void**) {
    auto cancel = std::make_shared<Cancel>();
    cancel->trigger();
    Loop loop(1, {cancel});
    Task<int> task = uncancellable_sleep(loop, milliseconds(100));
    loop.start(task);
    int steps = 0;
    while (!task.done()) {
        loop.wait_and_step();
        ++steps;
    }
    assert_int_equal(task.take(), 7);
    // One step sees the cancel, one or two the sleep's end; a loop woken by
    // the cancel over and over takes thousands.
    assert_in_range(steps, 1, 5);
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sleeps_wake_in_order),
        cmocka_unit_test(test_cancel_from_another_thread_wakes_the_loop),
        cmocka_unit_test(test_a_triggered_cancel_stops_the_first_wait),
        cmocka_unit_test(test_uncancellable_waits_ignore_the_cancel),
        cmocka_unit_test(test_deadline_fails_waits_with_its_error),
        cmocka_unit_test(test_descriptor_is_readable_when_work_is_due),
        cmocka_unit_test(test_cancel_makes_the_descriptor_readable),
        cmocka_unit_test(test_a_seen_cancel_no_longer_wakes_the_loop),
        cmocka_unit_test(test_blocking_wait_after_a_cancel_sleeps),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
