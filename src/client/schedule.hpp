// Schedules (issue 20 §2): entries that fire on a cron expression or a fixed
// interval and dispatch a job per tick with mission id = unique id of
// (entry name, tick time), so any number of schedulers anywhere dispatch each
// tick exactly once: the daemon's idempotency check turns the duplicates into
// replays. No lock, no coordinator.
//
// A Schedule holds its run state (the last tick handled per entry) and is
// used by one thread at a time; run many schedulers with one Schedule each.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "client/client.hpp"
#include "client/job.hpp"
#include "core/cancel.hpp"
#include "core/cron.hpp"
#include "core/unique_fd.hpp"

namespace letts::client {

enum class CatchUp { skip = 0, once = 1, all = 2 };

class Schedule {
public:
    using Clock = std::function<std::int64_t()>;  // Unix ms
    using OnDispatch = std::function<void(const std::string& name, std::int64_t tick_ms,
                                          const std::string& mission_id)>;

    Schedule();  // throws Error(Status::io) when no timerfd can be made

    // Throws Error(invalid_argument) for a duplicate or empty name, a bad
    // expression or zone.
    void add(std::string name, cron::Expr expr, const std::string& zone, Job job);
    void set_catch_up(CatchUp policy, std::int64_t grace_ms, std::int64_t max_fires);
    void set_clock(Clock clock) { clock_ = std::move(clock); }
    void set_on_dispatch(OnDispatch fn) { on_dispatch_ = std::move(fn); }

    // The next `n` fire times of entry `name` strictly after `after_ms`.
    std::vector<std::int64_t> next(const std::string& name, std::int64_t after_ms, std::size_t n) const;
    // The mission id of entry `name`'s tick at `tick_ms`.
    static std::string tick_id(const std::string& name, std::int64_t tick_ms);

    // Readable when a tick is due (a CLOCK_REALTIME timerfd).
    int fd() const noexcept { return timer_.get(); }
    // Dispatches what is due now (per the catch-up policy) and re-arms fd().
    void step(const Client& client);
    // step() whenever fd() fires, until `cancel` (may be null) is raised:
    // then throws Error(Status::cancelled). Dispatch errors are thrown.
    void run(const Client& client, const Cancel* cancel);

private:
    struct Entry {
        std::string name;
        cron::Expr expr;
        tz::TimeZone zone;
        Job job;
        std::int64_t last_ms = -1;  // ticks at or before this are handled
    };
    std::int64_t now() const;
    std::vector<std::int64_t> due(const Entry& e, std::int64_t now_ms) const;
    void fire(const Client& client, Entry& e, std::int64_t tick_ms);
    void arm(std::int64_t now_ms);

    std::vector<Entry> entries_;
    CatchUp policy_ = CatchUp::once;
    std::int64_t grace_ms_ = 1000;
    std::int64_t max_fires_ = 100;
    Clock clock_;
    OnDispatch on_dispatch_;
    UniqueFd timer_;
};

}  // namespace letts::client
