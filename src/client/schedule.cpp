#include "client/schedule.hpp"

#include <poll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <deque>

#include "core/error.hpp"
#include "core/unique_id.hpp"

namespace letts::client {
namespace {

// Enumerating the missed ticks of a long pause is bounded: beyond this many
// ticks the oldest are dropped unseen (every policy fires at most the
// latest max_fires of them anyway).
constexpr int max_scan = 1000000;

std::int64_t real_now() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

Schedule::Schedule() : timer_(::timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC)) {
    if (!timer_) throw Error(Status::io, "schedule: timerfd_create failed");
}

void Schedule::add(std::string name, cron::Expr expr, const std::string& zone, Job job) {
    if (name.empty()) throw Error(Status::invalid_argument, "schedule entry name is empty");
    for (const Entry& e : entries_)
        if (e.name == name)
            throw Error(Status::invalid_argument, "schedule entry \"" + name + "\" exists already");
    // Each tick's id is itself a unique id (of the entry and the tick); a
    // second key would make every tick's dispatch fail, long after this call.
    if (!job.unique.key.empty())
        throw Error(Status::invalid_argument,
                    "schedule entry \"" + name +
                        "\": its job has a unique key; a schedule derives each tick's mission id "
                        "from the entry name, so leave the key out");
    entries_.push_back(Entry{std::move(name), expr, tz::TimeZone::load(zone), std::move(job)});
}

void Schedule::set_catch_up(CatchUp policy, std::int64_t grace_ms, std::int64_t max_fires) {
    if (grace_ms < 0 || max_fires < 1)
        throw Error(Status::invalid_argument, "schedule catch-up: grace_ms < 0 or max_fires < 1");
    policy_ = policy;
    grace_ms_ = grace_ms;
    max_fires_ = max_fires;
}

std::vector<std::int64_t> Schedule::next(const std::string& name, std::int64_t after_ms,
                                         std::size_t n) const {
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.name == name; });
    if (it == entries_.end()) throw Error(Status::not_found, "no schedule entry \"" + name + "\"");
    std::vector<std::int64_t> out;
    for (std::int64_t t = after_ms; out.size() < n;) out.push_back(t = it->expr.next_after(t, it->zone));
    return out;
}

std::string Schedule::tick_id(const std::string& name, std::int64_t tick_ms) {
    // Window 1 ms: the id's time bits are the tick time itself.
    return unique_id::derive(name, 1, tick_ms);
}

std::int64_t Schedule::now() const { return clock_ ? clock_() : real_now(); }

// The ticks of `e` in (last, now] the policy fires, oldest first.
std::vector<std::int64_t> Schedule::due(const Entry& e, std::int64_t now_ms) const {
    std::deque<std::int64_t> ticks;
    std::int64_t t = e.last_ms;
    for (int i = 0; i < max_scan; ++i) {
        t = e.expr.next_after(t, e.zone);
        if (t > now_ms) break;
        ticks.push_back(t);
        if (static_cast<std::int64_t>(ticks.size()) > max_fires_) ticks.pop_front();
    }
    if (ticks.empty()) return {};
    switch (policy_) {
        case CatchUp::all: return {ticks.begin(), ticks.end()};
        case CatchUp::once: return {ticks.back()};
        case CatchUp::skip: break;
    }
    if (now_ms - ticks.back() <= grace_ms_) return {ticks.back()};
    return {};
}

void Schedule::fire(const Client& client, Entry& e, std::int64_t tick_ms) {
    Job job = e.job;
    job.mission_id = tick_id(e.name, tick_ms);
    std::string id = client.dispatch(job);
    if (on_dispatch_) on_dispatch_(e.name, tick_ms, id);
}

void Schedule::step(const Client& client) {
    std::uint64_t expirations = 0;
    [[maybe_unused]] auto n = ::read(timer_.get(), &expirations, sizeof expirations);  // clear readiness
    std::int64_t now_ms = now();
    for (Entry& e : entries_) {
        if (e.last_ms < 0) e.last_ms = now_ms;  // a scheduler starts with the ticks to come
        for (std::int64_t tick : due(e, now_ms)) fire(client, e, tick);
        e.last_ms = now_ms;  // only after every dispatch succeeded: a failed step is retried
    }
    arm(now_ms);
}

void Schedule::arm(std::int64_t now_ms) {
    std::int64_t soonest = -1;
    for (const Entry& e : entries_) {
        std::int64_t t = e.expr.next_after(std::max(e.last_ms, now_ms), e.zone);
        if (soonest < 0 || t < soonest) soonest = t;
    }
    itimerspec spec{};
    if (soonest >= 0) {
        spec.it_value.tv_sec = soonest / 1000;
        spec.it_value.tv_nsec = (soonest % 1000) * 1000000;
    }
    if (::timerfd_settime(timer_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) != 0)
        throw Error(Status::io, "schedule: timerfd_settime failed");
}

void Schedule::run(const Client& client, const Cancel* cancel) {
    step(client);
    while (true) {
        pollfd fds[2] = {{timer_.get(), POLLIN, 0}, {cancel ? cancel->fd() : -1, POLLIN, 0}};
        if (cancel && cancel->triggered()) throw Error(Status::cancelled, "schedule run cancelled");
        if (::poll(fds, 2, -1) < 0 && errno != EINTR) throw Error(Status::io, "schedule: poll failed");
        if (cancel && cancel->triggered()) throw Error(Status::cancelled, "schedule run cancelled");
        if (fds[0].revents & POLLIN) step(client);
    }
}

}  // namespace letts::client
