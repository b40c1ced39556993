// devserver/model.hpp JobSignal: what wakes a job's waiters. Follow streams
// hold no thread: they register a watcher, which every notify_all() calls
// (and which must no longer be called once unwatched, or a parked
// connection that has gone would be resumed); handlers still block in
// wait_for(); generation() counts notifications so that a reader looking
// at a file outside the lock can tell it missed one.
#include <chrono>
#include <mutex>
#include <thread>

#include "devserver/model.hpp"

#include "../core/support.hpp"

using letts::devserver::JobSignal;

namespace {

void test_watchers_called_on_every_notify_until_unwatched(void**) {
    JobSignal signal;
    int a = 0, b = 0;
    const auto ida = signal.watch([&] { ++a; });
    const auto idb = signal.watch([&] { ++b; });
    assert_true(ida != 0 && idb != 0 && ida != idb);
    signal.notify_all();
    signal.notify_all();
    assert_int_equal(a, 2);
    assert_int_equal(b, 2);
    signal.unwatch(ida);
    signal.notify_all();
    assert_int_equal(a, 2);
    assert_int_equal(b, 3);
    signal.unwatch(ida);  // twice: harmless
    signal.unwatch(idb);
    signal.notify_all();
    assert_int_equal(b, 3);
}

void test_generation_counts_notifications(void**) {
    JobSignal signal;
    const auto g0 = signal.generation();
    signal.notify_all();
    assert_true(signal.generation() == g0 + 1);
    signal.notify_all();
    assert_true(signal.generation() == g0 + 2);
}

void test_blocked_waiter_woken(void**) {
    std::mutex mu;
    JobSignal signal;
    bool flag = false;
    std::thread notifier([&] {
        std::lock_guard lock(mu);
        flag = true;
        signal.notify_all();
    });
    {
        std::unique_lock lock(mu);
        // A bounded wait: a lost notification fails the test instead of hanging.
        const bool woke = signal.wait_for(lock, std::chrono::seconds(10), [&] { return flag; });
        assert_true(woke);
    }
    notifier.join();
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(test_watchers_called_on_every_notify_until_unwatched),
        cmocka_unit_test(test_generation_counts_notifications),
        cmocka_unit_test(test_blocked_waiter_woken),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
