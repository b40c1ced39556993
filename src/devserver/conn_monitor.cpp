#include "devserver/conn_monitor.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <cerrno>
#include <vector>

#include "core/error.hpp"

namespace letts::devserver::http {

namespace {
constexpr std::uint64_t kWakeId = 0;  // epoll data of the wake-up eventfd
}

ConnMonitor::ConnMonitor()
    : epoll_(::epoll_create1(EPOLL_CLOEXEC)), wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!epoll_ || !wake_) throw Error(Status::io, "connection monitor: cannot create epoll/eventfd");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeId;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &ev) != 0)
        throw Error(Status::io, "connection monitor: epoll_ctl failed");
    thread_ = std::thread([this] { run(); });
}

ConnMonitor::~ConnMonitor() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake();
    thread_.join();
    // Break the Watched -> iterator -> shared_ptr<Watched> cycles.
    for (auto& [at, w] : timers_) w->timer_.reset();
    timers_.clear();
    hangups_.clear();
}

void ConnMonitor::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_.get(), &one, sizeof one);
}

void ConnMonitor::schedule(const std::shared_ptr<Watched>& w, Clock::time_point at) {
    bool earliest = false;
    {
        std::lock_guard lock(mu_);
        if (w->timer_) {
            if ((*w->timer_)->first <= at) return;  // an earlier check is pending; it reschedules
            timers_.erase(*w->timer_);
        }
        w->timer_ = timers_.emplace(at, w);
        earliest = *w->timer_ == timers_.begin();
    }
    if (earliest) wake();  // the thread may be sleeping towards a later time
}

void ConnMonitor::watch_hangup(const std::shared_ptr<Watched>& w, int fd) {
    std::lock_guard lock(mu_);
    if (w->hangup_id_ != 0) return;
    const std::uint64_t id = next_hangup_id_++;
    epoll_event ev{};
    // Edge-triggered and one-shot: the hang-up is reported once, and bytes a
    // client pipelines meanwhile (EPOLLIN is not asked for) wake nobody.
    ev.events = EPOLLRDHUP | EPOLLET | EPOLLONESHOT;
    ev.data.u64 = id;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) return;
    w->hangup_id_ = id;
    hangups_.emplace(id, w);
}

void ConnMonitor::unwatch_hangup(Watched& w, int fd) {
    std::lock_guard lock(mu_);
    if (w.hangup_id_ == 0) return;
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
    hangups_.erase(w.hangup_id_);
    w.hangup_id_ = 0;
}

void ConnMonitor::forget(Watched& w, int fd) {
    unwatch_hangup(w, fd);
    std::lock_guard lock(mu_);
    if (w.timer_) {
        timers_.erase(*w.timer_);
        w.timer_.reset();
    }
}

void ConnMonitor::run() {
    std::vector<epoll_event> events(256);
    std::vector<std::shared_ptr<Watched>> due, hung;
    for (;;) {
        int timeout = -1;
        {
            std::lock_guard lock(mu_);
            if (stopping_) return;
            if (!timers_.empty()) {
                const auto left = timers_.begin()->first - Clock::now();
                // Rounded up: waking early would only loop back here.
                const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
                timeout = ms <= 0 ? 0 : static_cast<int>(std::min<long long>(ms, 60'000));
            }
        }
        const int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), timeout);
        if (n < 0 && errno != EINTR) return;
        {
            std::lock_guard lock(mu_);
            for (int i = 0; i < n; ++i) {
                const std::uint64_t id = events[static_cast<std::size_t>(i)].data.u64;
                if (id == kWakeId) {
                    std::uint64_t v;
                    [[maybe_unused]] auto r = ::read(wake_.get(), &v, sizeof v);
                    continue;
                }
                auto it = hangups_.find(id);
                if (it != hangups_.end()) hung.push_back(it->second);
            }
            const auto now = Clock::now();
            while (!timers_.empty() && timers_.begin()->first <= now) {
                auto w = timers_.begin()->second;
                w->timer_.reset();
                timers_.erase(timers_.begin());
                due.push_back(std::move(w));
            }
        }
        for (auto& w : hung) w->hung_up();
        const auto now = Clock::now();
        for (auto& w : due) w->expired(now);
        hung.clear();
        due.clear();
    }
}

}  // namespace letts::devserver::http
