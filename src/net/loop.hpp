// The event loop one call (or one run handle) runs on: a curl multi handle
// driven through the socket API, an epoll set, a timerfd and the
// cancellation eventfds (core/cancel.hpp).
//
// Why this shape: the caller must be able to drive many runs from its own
// event loop (one pollable descriptor per run, fd()), a blocked call must
// wake within milliseconds of a cancel from another thread (the cancel's
// eventfd is in the same epoll set as the sockets), and everything must run
// on the caller's thread (step() does all the work, callbacks included).
//
// Coroutines wait on it with transfer() (a curl easy handle to completion),
// sleep_until()/sleep_for() and yield(). When a cancel fires, or the
// active deadline passes, every waiter is resumed at once with that error
// (Status::cancelled, or the deadline's own error), so the code above
// unwinds through its ordinary catch blocks and destructors. A waiter made
// with `uncancellable` ignores both: for the short clean-up requests made
// after a cancel (the kill of kill_on_cancel).
//
// A Loop belongs to one thread at a time; it may move between threads
// between steps.
//
// A loop outlives the call it was made for (unless the call was cancelled):
// the client keeps finished loops in a pool (LoopPool below) and hands them to its next calls, so the curl
// multi handle's connection cache (keep-alive connections to the dugdales),
// the epoll set, the timerfd and a few configured easy handles are made once
// per thread of use, not once per call.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <coroutine>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "net/curl_handles.hpp"
#include "net/task.hpp"

namespace letts::net {

class Loop {
public:
    using Clock = std::chrono::steady_clock;

    enum class Stop { cancellable, uncancellable };

    // `cancels` may hold null pointers (no cancel given); every non-null one
    // stops the loop's waiters when triggered.
    explicit Loop(long max_connections_per_host, std::vector<CancelPtr> cancels = {});
    ~Loop();
    Loop(const Loop&) = delete;
    Loop& operator=(const Loop&) = delete;

    // Readable (poll(2) POLLIN) whenever step() has something to do. The
    // loop's own timers (curl's timeouts, sleeps, deadlines) reach the
    // descriptor through a timerfd that is only armed once fd() was asked
    // for: a blocking call (wait_and_step) waits with a poll timeout
    // instead, which saves a timerfd_settime per step.
    int fd() noexcept {
        if (!timer_exposed_) {
            timer_exposed_ = true;
            arm();
        }
        return epoll_.get();
    }

    // Does everything that is due without blocking: socket readiness,
    // curl's timeouts, finished transfers, expired sleeps, a cancel or a
    // passed deadline; resumes the coroutines concerned; re-arms fd().
    void step();

    // Blocks in poll(2) on fd() until something is due, then step()s.
    // Throws Error(internal) if nothing at all is pending (a bug: the
    // caller would wait forever).
    void wait_and_step();

    // Runs `root` to its first suspension and arms fd().
    template <class T>
    void start(Task<T>& root) {
        root.start();
        arm();
    }

    // A scoped deadline: while it is set, every cancellable wait fails with
    // `error` once `when` has passed (a run's wait timeout). One at a time.
    void set_deadline(Clock::time_point when, Error error);
    void clear_deadline() noexcept;

    // Whether a cancel given to the loop was triggered.
    bool cancelled() const noexcept;

    // Nothing waits on the loop (no transfer, sleep, queued resumption or
    // deadline): it may be parked and reused by another call.
    bool reusable() const noexcept;
    // Gives a parked loop the cancels of its next call (null entries are
    // ignored, duplicates watched once); forgets the previous call's cancel
    // and deadline. Only on a reusable() loop.
    void rebind(std::vector<CancelPtr> cancels);

    // A spare curl easy handle configured earlier by `owner` (a transport)
    // and given back with give_easy(), or null. Handles are kept per owner
    // because the options set once at creation (share, user agent,
    // timeouts) are the owner's.
    EasyPtr take_easy(const void* owner) noexcept;
    // Keeps `easy` (its per-request options already cleared) for the next
    // take_easy(owner); beyond a few spares it is freed.
    void give_easy(const void* owner, EasyPtr easy) noexcept;

    class Waiter;
    class TransferAwaiter;
    class SleepAwaiter;

    // Runs `easy` (already configured) to completion; resumes with curl's
    // result. The handle is removed from the multi handle however the wait
    // ends (completion, stop, or destruction of the waiting frame).
    TransferAwaiter transfer(CURL* easy, Stop stop = Stop::cancellable);
    // Ends the transfer of `easy` (if still running) at `when`: its waiter
    // resumes with CURLE_OPERATION_TIMEDOUT. For a stream whose reader has
    // what it wanted and only lets the response end (SinkAction::finish).
    // May be called from curl's callbacks.
    void expire_transfer(CURL* easy, Clock::time_point when) noexcept;
    SleepAwaiter sleep_until(Clock::time_point when, Stop stop = Stop::cancellable);
    SleepAwaiter sleep_for(Clock::duration pause, Stop stop = Stop::cancellable);
    // Lets the other coroutines and the caller's loop run; resumes in the
    // next step (for long local work such as hashing a large file).
    SleepAwaiter yield();

    // Queues `handle` to be resumed in the current or next step (TaskGroup).
    void schedule(Waiter& waiter);

    // Internal to the awaiters: the error a new wait of kind `stop` must
    // fail with right away, if any.
    std::optional<Error> stop_error(Stop stop) const;

private:
    friend class Waiter;
    friend class TransferAwaiter;
    friend class SleepAwaiter;

    static int on_socket(CURL*, curl_socket_t socket, int what, void* self, void*) noexcept;
    static int on_timer(CURLM*, long timeout_ms, void* self) noexcept;

    void attach(TransferAwaiter& waiter);
    void detach(TransferAwaiter& waiter) noexcept;
    void add_timer(SleepAwaiter& waiter);
    void remove_timer(SleepAwaiter& waiter) noexcept;
    void make_ready(Waiter& waiter) noexcept;
    void unqueue(Waiter& waiter) noexcept;
    void collect_finished();
    void expire_transfers();
    void stop_waiters(const Error& error);
    void run_ready();
    void arm();
    bool idle() const noexcept;
    void unwatch_cancels() noexcept;

    UniqueFd epoll_;
    UniqueFd timer_;
    std::vector<CancelPtr> cancels_;
    MultiPtr multi_;
    std::optional<Clock::time_point> curl_due_;
    std::optional<std::pair<Clock::time_point, Error>> deadline_;
    bool deadline_fired_ = false;
    std::map<CURL*, TransferAwaiter*> transfers_;
    // Transfers with an end set by expire_transfer(): few (streams past
    // their `done`), so a plain vector.
    std::vector<std::pair<Clock::time_point, TransferAwaiter*>> expiring_;
    std::multimap<Clock::time_point, SleepAwaiter*> timers_;
    // Waiters to resume, first in first out: an intrusive list, so queueing
    // never allocates and a waiter destroyed while queued unlinks itself.
    Waiter* ready_head_ = nullptr;
    Waiter* ready_tail_ = nullptr;
    bool cancel_delivered_ = false;
    std::vector<std::pair<const void*, EasyPtr>> spare_easies_;
    // When step() next has timed work (arm() computes it), and what the
    // timerfd was last set to (to skip setting it to the same time again).
    std::optional<Clock::time_point> next_due_;
    std::optional<Clock::time_point> timer_set_to_;
    bool timer_exposed_ = false;
};

// What every suspended coroutine of the loop is: a handle to resume, and
// the error to resume it with when it was stopped.
class Loop::Waiter {
public:
    explicit Waiter(Loop& loop, Stop stop) : loop_(loop), stop_(stop) {}
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;
    ~Waiter() { loop_.unqueue(*this); }

    std::coroutine_handle<> handle() const noexcept { return handle_; }
    void set_handle(std::coroutine_handle<> handle) noexcept { handle_ = handle; }

protected:
    friend class Loop;
    Loop& loop_;
    Stop stop_;
    std::coroutine_handle<> handle_;
    std::optional<Error> stopped_;
    bool queued_ = false;
    Waiter* ready_prev_ = nullptr;
    Waiter* ready_next_ = nullptr;

    void throw_if_stopped() {
        if (stopped_) throw *stopped_;
    }
};

class Loop::TransferAwaiter : public Waiter {
public:
    TransferAwaiter(Loop& loop, CURL* easy, Stop stop) : Waiter(loop, stop), easy_(easy) {}
    ~TransferAwaiter() {
        if (attached_) loop_.detach(*this);
    }
    bool await_ready() {
        stopped_ = loop_.stop_error(stop_);
        return stopped_.has_value();
    }
    void await_suspend(std::coroutine_handle<> handle) {
        handle_ = handle;
        loop_.attach(*this);
    }
    CURLcode await_resume() {
        throw_if_stopped();
        return result_;
    }

private:
    friend class Loop;
    CURL* easy_;
    CURLcode result_ = CURLE_OK;
    bool attached_ = false;
};

class Loop::SleepAwaiter : public Waiter {
public:
    SleepAwaiter(Loop& loop, Clock::time_point when, Stop stop) : Waiter(loop, stop), when_(when) {}
    ~SleepAwaiter() {
        if (timed_) loop_.remove_timer(*this);
    }
    bool await_ready() {
        stopped_ = loop_.stop_error(stop_);
        return stopped_.has_value();
    }
    void await_suspend(std::coroutine_handle<> handle) {
        handle_ = handle;
        loop_.add_timer(*this);
    }
    void await_resume() { throw_if_stopped(); }

private:
    friend class Loop;
    Clock::time_point when_;
    std::multimap<Clock::time_point, SleepAwaiter*>::iterator entry_;
    bool timed_ = false;
};

// The parked loops of one client (of its transport): a call leases one
// (or a new one when none is parked) and gives it back when it ends, so
// sequential calls, from one thread or from several in turn, reuse the same
// multi handle and with it the same keep-alive connection.
//
// Why loops are pooled rather than their connections shared: libcurl can
// share a connection cache between multi handles (CURL_LOCK_DATA_CONNECT),
// but documents that sharing connections between concurrent threads is not
// supported, and a client may be used from many threads at once. A pooled
// loop is used by one call (one thread) at a time, the pool's mutex
// orders the hand-over between threads, and the DNS cache and TLS sessions,
// which libcurl does support sharing across threads, are shared through the
// transport's share handle with its locks (net/curl_handles.hpp).
class LoopPool : public std::enable_shared_from_this<LoopPool> {
public:
    // At most `max_parked` loops are kept (each may hold a few idle
    // connections); more concurrent calls get loops freed at their end.
    // `keep_alive` (the transport's share handle) outlives every parked
    // loop: their spare easy handles point to it.
    LoopPool(long max_connections_per_host, std::size_t max_parked,
             std::shared_ptr<const void> keep_alive);

    struct GiveBack {
        std::shared_ptr<LoopPool> pool;
        void operator()(Loop* loop) const noexcept;
    };
    using Lease = std::unique_ptr<Loop, GiveBack>;

    Lease lease(std::vector<CancelPtr> cancels);

private:
    void park(std::unique_ptr<Loop> loop) noexcept;

    std::shared_ptr<const void> keep_alive_;  // first: destroyed last
    long max_connections_per_host_;
    std::size_t max_parked_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Loop>> parked_;
};

// Runs `task` on `loop` to its end on the calling thread and returns its
// result (or throws its exception).
template <class T>
T block_on(Loop& loop, Task<T> task) {
    loop.start(task);
    while (!task.done()) loop.wait_and_step();
    return task.take();
}

// Several tasks at once on one loop (fan-out, asking every dugdale): each
// spawned task starts at once; wait() resumes when all have ended. A task
// that ends with an exception does not stop the others; wait() rethrows the
// first such exception once all have ended. Destroying the group destroys
// the tasks still running (their frames release what they hold).
class TaskGroup {
public:
    explicit TaskGroup(Loop& loop) : loop_(loop) {}
    ~TaskGroup();
    TaskGroup(const TaskGroup&) = delete;
    TaskGroup& operator=(const TaskGroup&) = delete;

    void spawn(Task<void> task);

    class WaitAwaiter : public Loop::Waiter {
    public:
        explicit WaitAwaiter(TaskGroup& group)
            : Loop::Waiter(group.loop_, Loop::Stop::uncancellable), group_(group) {}
        ~WaitAwaiter() {
            if (group_.waiting_ == this) group_.waiting_ = nullptr;
        }
        bool await_ready() const noexcept { return group_.running_ == 0; }
        void await_suspend(std::coroutine_handle<> handle) noexcept {
            set_handle(handle);
            group_.waiting_ = this;
        }
        void await_resume() {
            if (group_.failure_) std::rethrow_exception(std::exchange(group_.failure_, nullptr));
        }

    private:
        TaskGroup& group_;
    };
    WaitAwaiter wait() { return WaitAwaiter(*this); }

private:
    static Task<void> supervise(Task<void> task, TaskGroup* group);
    void ended() noexcept;

    Loop& loop_;
    std::vector<Task<void>> tasks_;
    std::size_t running_ = 0;
    std::exception_ptr failure_;
    WaitAwaiter* waiting_ = nullptr;
};

}  // namespace letts::net
