#include "net/loop.hpp"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>

namespace letts::net {

namespace {

UniqueFd make_epoll() {
    UniqueFd fd(::epoll_create1(EPOLL_CLOEXEC));
    if (!fd) throw Error(Status::io, std::string("cannot create an epoll set: ") + std::strerror(errno));
    return fd;
}

UniqueFd make_timer() {
    UniqueFd fd(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!fd) throw Error(Status::io, std::string("cannot create a timerfd: ") + std::strerror(errno));
    return fd;
}

void watch(int epoll, int fd, std::uint32_t events) {
    struct epoll_event event {};
    event.events = events;
    event.data.fd = fd;
    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        throw Error(Status::io, std::string("cannot watch a descriptor: ") + std::strerror(errno));
    }
}

// CLOCK_MONOTONIC is what steady_clock reads on Linux, so its time points
// can be handed to an absolute timerfd as they are.
struct timespec as_timespec(Loop::Clock::time_point when) {
    const auto since = when.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since);
    const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(since - seconds);
    struct timespec spec {};
    spec.tv_sec = static_cast<time_t>(seconds.count());
    spec.tv_nsec = static_cast<long>(nanos.count());
    return spec;
}

Error cancelled_error() { return Error(Status::cancelled, "cancelled by the caller (letts_cancel triggered)"); }

}  // namespace

Loop::Loop(long max_connections_per_host, std::vector<CancelPtr> cancels)
    : epoll_(make_epoll()), timer_(make_timer()), multi_(make_multi()) {
    watch(epoll_.get(), timer_.get(), EPOLLIN);
    rebind(std::move(cancels));
    CURLM* multi = multi_.get();
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Loop::on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Loop::on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max_connections_per_host);
}

Loop::~Loop() {
    // Frames waiting on this loop must be gone before it (their owners
    // declare the loop first); this is the last line of defence.
    for (auto& [easy, waiter] : transfers_) {
        curl_multi_remove_handle(multi_.get(), easy);
        waiter->attached_ = false;
    }
    for (auto& [when, waiter] : timers_) waiter->timed_ = false;
    while (ready_head_) unqueue(*ready_head_);
}

int Loop::on_socket(CURL*, curl_socket_t socket, int what, void* self, void*) noexcept {
    auto& loop = *static_cast<Loop*>(self);
    const int epoll = loop.epoll_.get();
    if (what == CURL_POLL_REMOVE) {
        // The socket may already be closed (then epoll dropped it itself).
        ::epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nullptr);
        return 0;
    }
    struct epoll_event event {};
    event.data.fd = socket;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) event.events |= EPOLLIN;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) event.events |= EPOLLOUT;
    if (::epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event) != 0) {
        if (errno != ENOENT || ::epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event) != 0) return -1;
    }
    return 0;
}

int Loop::on_timer(CURLM*, long timeout_ms, void* self) noexcept {
    auto& loop = *static_cast<Loop*>(self);
    if (timeout_ms < 0) {
        loop.curl_due_.reset();
    } else {
        loop.curl_due_ = Clock::now() + std::chrono::milliseconds(timeout_ms);
    }
    return 0;
}

void Loop::set_deadline(Clock::time_point when, Error error) {
    deadline_.emplace(when, std::move(error));
    deadline_fired_ = false;
    arm();
}

void Loop::clear_deadline() noexcept {
    deadline_.reset();
    deadline_fired_ = false;
}

bool Loop::reusable() const noexcept {
    return transfers_.empty() && timers_.empty() && !ready_head_ && !deadline_;
}

void Loop::unwatch_cancels() noexcept {
    // A triggered cancel's eventfd stays readable for good: once its
    // waiters are stopped it would only wake every poll at once, and the
    // uncancellable work still running (the kill of kill_on_cancel) would
    // spin the loop until it ends. New waits see the flag (stop_error).
    // Errors are ignored: a cancel unwatched once may be unwatched again.
    for (const auto& cancel : cancels_) ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, cancel->fd(), nullptr);
}

void Loop::rebind(std::vector<CancelPtr> cancels) {
    unwatch_cancels();
    cancels_.clear();
    cancel_delivered_ = false;
    deadline_.reset();
    deadline_fired_ = false;
    for (auto& cancel : cancels) {
        if (!cancel) continue;
        const bool seen = std::any_of(cancels_.begin(), cancels_.end(),
                                      [&cancel](const CancelPtr& other) { return other == cancel; });
        if (!seen) cancels_.push_back(std::move(cancel));
    }
    for (const auto& cancel : cancels_) watch(epoll_.get(), cancel->fd(), EPOLLIN);
}

EasyPtr Loop::take_easy(const void* owner) noexcept {
    for (auto it = spare_easies_.rbegin(); it != spare_easies_.rend(); ++it) {
        if (it->first != owner) continue;
        EasyPtr easy = std::move(it->second);
        spare_easies_.erase(std::next(it).base());
        return easy;
    }
    return nullptr;
}

void Loop::give_easy(const void* owner, EasyPtr easy) noexcept {
    // A few cover a run (a dispatch, a stream, log fetches in turn); a
    // fan-out's hundreds are freed, not hoarded.
    constexpr std::size_t max_spares = 8;
    if (!easy || spare_easies_.size() >= max_spares) return;
    try {
        spare_easies_.emplace_back(owner, std::move(easy));
    } catch (...) {
        // Out of memory: the handle is freed by its owner (easy's deleter).
    }
}

bool Loop::cancelled() const noexcept {
    return std::any_of(cancels_.begin(), cancels_.end(),
                       [](const CancelPtr& cancel) { return cancel->triggered(); });
}

std::optional<Error> Loop::stop_error(Stop stop) const {
    if (stop == Stop::uncancellable) return std::nullopt;
    if (cancelled()) return cancelled_error();
    if (deadline_ && Clock::now() >= deadline_->first) return deadline_->second;
    return std::nullopt;
}

Loop::TransferAwaiter Loop::transfer(CURL* easy, Stop stop) { return TransferAwaiter(*this, easy, stop); }

Loop::SleepAwaiter Loop::sleep_until(Clock::time_point when, Stop stop) {
    return SleepAwaiter(*this, when, stop);
}

Loop::SleepAwaiter Loop::sleep_for(Clock::duration pause, Stop stop) {
    return SleepAwaiter(*this, Clock::now() + pause, stop);
}

Loop::SleepAwaiter Loop::yield() { return SleepAwaiter(*this, Clock::now(), Stop::cancellable); }

void Loop::attach(TransferAwaiter& waiter) {
    if (curl_multi_add_handle(multi_.get(), waiter.easy_) != CURLM_OK) throw std::bad_alloc();
    transfers_.emplace(waiter.easy_, &waiter);
    waiter.attached_ = true;
}

void Loop::detach(TransferAwaiter& waiter) noexcept {
    curl_multi_remove_handle(multi_.get(), waiter.easy_);
    transfers_.erase(waiter.easy_);
    waiter.attached_ = false;
    if (!expiring_.empty()) {
        std::erase_if(expiring_, [&waiter](const auto& entry) { return entry.second == &waiter; });
    }
}

void Loop::expire_transfer(CURL* easy, Clock::time_point when) noexcept {
    const auto found = transfers_.find(easy);
    if (found == transfers_.end()) return;
    try {
        expiring_.emplace_back(when, found->second);
    } catch (...) {
        // Out of memory: the transfer runs to its own end instead.
    }
}

void Loop::expire_transfers() {
    const auto now = Clock::now();
    std::vector<TransferAwaiter*> due;
    for (const auto& [when, waiter] : expiring_) {
        if (when <= now) due.push_back(waiter);
    }
    for (TransferAwaiter* waiter : due) {
        waiter->result_ = CURLE_OPERATION_TIMEDOUT;
        detach(*waiter);
        make_ready(*waiter);
    }
}

void Loop::add_timer(SleepAwaiter& waiter) {
    waiter.entry_ = timers_.emplace(waiter.when_, &waiter);
    waiter.timed_ = true;
}

void Loop::remove_timer(SleepAwaiter& waiter) noexcept {
    timers_.erase(waiter.entry_);
    waiter.timed_ = false;
}

void Loop::schedule(Waiter& waiter) { make_ready(waiter); }

void Loop::make_ready(Waiter& waiter) noexcept {
    if (waiter.queued_) return;
    waiter.queued_ = true;
    waiter.ready_prev_ = ready_tail_;
    waiter.ready_next_ = nullptr;
    if (ready_tail_) {
        ready_tail_->ready_next_ = &waiter;
    } else {
        ready_head_ = &waiter;
    }
    ready_tail_ = &waiter;
}

void Loop::unqueue(Waiter& waiter) noexcept {
    if (!waiter.queued_) return;
    if (waiter.ready_prev_) {
        waiter.ready_prev_->ready_next_ = waiter.ready_next_;
    } else {
        ready_head_ = waiter.ready_next_;
    }
    if (waiter.ready_next_) {
        waiter.ready_next_->ready_prev_ = waiter.ready_prev_;
    } else {
        ready_tail_ = waiter.ready_prev_;
    }
    waiter.ready_prev_ = waiter.ready_next_ = nullptr;
    waiter.queued_ = false;
}

void Loop::collect_finished() {
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
        if (message->msg != CURLMSG_DONE) continue;
        const auto found = transfers_.find(message->easy_handle);
        if (found == transfers_.end()) continue;
        TransferAwaiter& waiter = *found->second;
        waiter.result_ = message->data.result;
        detach(waiter);
        make_ready(waiter);
    }
}

void Loop::stop_waiters(const Error& error) {
    std::vector<TransferAwaiter*> transfers;
    for (auto& [easy, waiter] : transfers_) {
        if (waiter->stop_ == Stop::cancellable) transfers.push_back(waiter);
    }
    for (TransferAwaiter* waiter : transfers) {
        detach(*waiter);
        waiter->stopped_ = error;
        make_ready(*waiter);
    }
    std::vector<SleepAwaiter*> sleepers;
    for (auto& [when, waiter] : timers_) {
        if (waiter->stop_ == Stop::cancellable) sleepers.push_back(waiter);
    }
    for (SleepAwaiter* waiter : sleepers) {
        remove_timer(*waiter);
        waiter->stopped_ = error;
        make_ready(*waiter);
    }
}

void Loop::run_ready() {
    // Resumed coroutines may queue others (a finished task group wakes its
    // parent): drain until nothing is left.
    while (ready_head_) {
        Waiter& waiter = *ready_head_;
        unqueue(waiter);
        waiter.handle().resume();
    }
}

void Loop::step() {
    if (timer_exposed_) {
        std::uint64_t expirations = 0;
        while (::read(timer_.get(), &expirations, sizeof expirations) > 0) {
            timer_set_to_.reset();  // fired: setting the same time again must re-arm
        }
    }
    std::array<struct epoll_event, 64> events{};
    const int count = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), 0);
    int running = 0;
    for (int i = 0; i < count; ++i) {
        const int fd = events[static_cast<std::size_t>(i)].data.fd;
        if (fd == timer_.get()) continue;
        const bool is_cancel = std::any_of(cancels_.begin(), cancels_.end(),
                                           [fd](const CancelPtr& cancel) { return cancel->fd() == fd; });
        if (is_cancel) continue;
        const std::uint32_t ready = events[static_cast<std::size_t>(i)].events;
        int flags = 0;
        if (ready & EPOLLIN) flags |= CURL_CSELECT_IN;
        if (ready & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (ready & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
        curl_multi_socket_action(multi_.get(), fd, flags, &running);
    }
    // A few rounds: resumed coroutines start transfers that curl wants to
    // kick off at once (a 0 ms timeout), which saves the caller a poll.
    for (int round = 0; round < 4; ++round) {
        if (curl_due_ && Clock::now() >= *curl_due_) {
            curl_due_.reset();
            curl_multi_socket_action(multi_.get(), CURL_SOCKET_TIMEOUT, 0, &running);
        }
        collect_finished();
        if (!expiring_.empty()) expire_transfers();
        if (!cancel_delivered_ && cancelled()) {
            cancel_delivered_ = true;
            unwatch_cancels();
            stop_waiters(cancelled_error());
        } else if (deadline_ && !deadline_fired_ && Clock::now() >= deadline_->first) {
            deadline_fired_ = true;
            stop_waiters(deadline_->second);
        }
        const auto now = Clock::now();
        while (!timers_.empty() && timers_.begin()->first <= now) {
            SleepAwaiter& waiter = *timers_.begin()->second;
            remove_timer(waiter);
            make_ready(waiter);
        }
        if (!ready_head_) break;
        run_ready();
    }
    arm();
}

bool Loop::idle() const noexcept {
    return transfers_.empty() && timers_.empty() && !ready_head_ && !curl_due_;
}

void Loop::arm() {
    std::optional<Clock::time_point> next = curl_due_;
    const auto earlier = [&next](Clock::time_point when) {
        if (!next || when < *next) next = when;
    };
    if (!timers_.empty()) earlier(timers_.begin()->first);
    for (const auto& entry : expiring_) earlier(entry.first);
    if (deadline_ && !deadline_fired_) earlier(deadline_->first);
    if (ready_head_) earlier(Clock::now());
    next_due_ = next;
    if (!timer_exposed_ || next == timer_set_to_) return;
    struct itimerspec spec {};
    if (next) {
        spec.it_value = as_timespec(*next);
        // An all-zero it_value would disarm: a time in the past fires at once.
        if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
    }
    ::timerfd_settime(timer_.get(), TFD_TIMER_ABSTIME, &spec, nullptr);
    timer_set_to_ = next;
}

void Loop::wait_and_step() {
    // A cancel not yet seen makes fd() readable; once seen it no longer
    // does, so an idle loop then has nothing left that could wake it.
    if (idle() && (cancel_delivered_ || !cancelled())) {
        throw Error(Status::internal, "event loop has nothing to wait for");
    }
    // Sockets and cancels wake the poll; timed work ends its timeout (the
    // timerfd may be unarmed, see fd()).
    struct pollfd wake {epoll_.get(), POLLIN, 0};
    for (;;) {
        struct timespec timeout {};
        struct timespec* bound = nullptr;
        if (next_due_) {
            const auto left = std::max(Clock::duration::zero(), *next_due_ - Clock::now());
            const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
            timeout.tv_sec = static_cast<time_t>(seconds.count());
            timeout.tv_nsec = static_cast<long>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(left - seconds).count());
            bound = &timeout;
        }
        if (::ppoll(&wake, 1, bound, nullptr) >= 0 || errno != EINTR) break;
    }
    step();
}

LoopPool::LoopPool(long max_connections_per_host, std::size_t max_parked,
                   std::shared_ptr<const void> keep_alive)
    : keep_alive_(std::move(keep_alive)),
      max_connections_per_host_(max_connections_per_host),
      max_parked_(max_parked) {}

LoopPool::Lease LoopPool::lease(std::vector<CancelPtr> cancels) {
    std::unique_ptr<Loop> loop;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (!parked_.empty()) {
            loop = std::move(parked_.back());
            parked_.pop_back();
        }
    }
    if (loop) {
        loop->rebind(std::move(cancels));
    } else {
        loop = std::make_unique<Loop>(max_connections_per_host_, std::move(cancels));
    }
    return Lease(loop.release(), GiveBack{shared_from_this()});
}

void LoopPool::GiveBack::operator()(Loop* loop) const noexcept {
    std::unique_ptr<Loop> owned(loop);
    // A cancelled call's loop is closed, not parked: its transfers were cut
    // mid-way (their connections are gone anyway), and a caller who
    // cancels gets every descriptor of the call back, as before pooling.
    if (pool && owned->reusable() && !owned->cancelled()) pool->park(std::move(owned));
}

void LoopPool::park(std::unique_ptr<Loop> loop) noexcept {
    try {
        // Drop the call's cancels now: a parked loop must not keep a
        // caller's cancel object alive (nor wake on it).
        loop->rebind({});
    } catch (...) {
        return;  // the loop is freed
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    if (parked_.size() >= max_parked_) return;
    try {
        parked_.push_back(std::move(loop));
    } catch (...) {
        // Out of memory: the loop is freed instead of parked.
    }
}

TaskGroup::~TaskGroup() {
    // Destroying a task that is suspended destroys its frame and, through
    // the awaiters' destructors, takes its transfers and timers off the loop.
    tasks_.clear();
}

Task<void> TaskGroup::supervise(Task<void> task, TaskGroup* group) {
    try {
        co_await task;
    } catch (...) {
        if (!group->failure_) group->failure_ = std::current_exception();
    }
    group->ended();
}

void TaskGroup::spawn(Task<void> task) {
    tasks_.push_back(supervise(std::move(task), this));
    ++running_;
    tasks_.back().start();
}

void TaskGroup::ended() noexcept {
    --running_;
    if (running_ == 0 && waiting_) loop_.schedule(*waiting_);
}

}  // namespace letts::net
