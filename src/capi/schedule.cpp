// letts/schedule.h: schedules over client::Schedule.
#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "client/schedule.hpp"
#include "letts/schedule.h"

using letts::capi::guarded;
using letts::capi::require;

struct letts_schedule {
    letts::client::Schedule schedule;
};

extern "C" {

LETTS_EXTERN letts_status letts_schedule_new(letts_schedule** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_schedule_new: out is NULL");
        letts::capi::hand_over(out, std::make_unique<letts_schedule>());
    });
}

LETTS_EXTERN void letts_schedule_free(letts_schedule* schedule) {
    std::unique_ptr<letts_schedule> owned(schedule);
}

LETTS_EXTERN letts_status letts_schedule_add(letts_schedule* schedule, const char* name,
                                             const char* spec, const char* time_zone,
                                             const letts_job* job, letts_error** err) {
    return guarded(err, [&] {
        require(schedule && name && *name && spec && *spec && job,
                "letts_schedule_add: schedule, name, spec and job must be given");
        schedule->schedule.add(name, letts::cron::Expr::parse(spec), time_zone ? time_zone : "",
                               job->job);
    });
}

LETTS_EXTERN letts_status letts_schedule_add_interval(letts_schedule* schedule, const char* name,
                                                      int64_t interval_ms, const letts_job* job,
                                                      letts_error** err) {
    return guarded(err, [&] {
        require(schedule && name && *name && job,
                "letts_schedule_add_interval: schedule, name and job must be given");
        schedule->schedule.add(name, letts::cron::Expr::every_ms(interval_ms), "", job->job);
    });
}

LETTS_EXTERN letts_status letts_schedule_set_catch_up(letts_schedule* schedule,
                                                      letts_catch_up policy, int64_t grace_ms,
                                                      int64_t max_fires, letts_error** err) {
    return guarded(err, [&] {
        require(schedule != nullptr, "letts_schedule_set_catch_up: schedule is NULL");
        require(policy >= LETTS_CATCH_UP_SKIP && policy <= LETTS_CATCH_UP_ALL,
                "letts_schedule_set_catch_up: unknown policy");
        schedule->schedule.set_catch_up(static_cast<letts::client::CatchUp>(policy), grace_ms,
                                        max_fires);
    });
}

LETTS_EXTERN letts_status letts_schedule_set_on_dispatch(letts_schedule* schedule,
                                                         letts_schedule_dispatch_fn fn, void* data,
                                                         letts_error** err) {
    return guarded(err, [&] {
        require(schedule != nullptr, "letts_schedule_set_on_dispatch: schedule is NULL");
        if (!fn) return schedule->schedule.set_on_dispatch(nullptr);
        schedule->schedule.set_on_dispatch(
            [fn, data](const std::string& name, std::int64_t tick, const std::string& id) {
                fn(data, name.c_str(), tick, id.c_str());
            });
    });
}

LETTS_EXTERN letts_status letts_schedule_set_clock(letts_schedule* schedule,
                                                   letts_schedule_clock_fn now, void* data,
                                                   letts_error** err) {
    return guarded(err, [&] {
        require(schedule != nullptr, "letts_schedule_set_clock: schedule is NULL");
        if (!now) return schedule->schedule.set_clock(nullptr);
        schedule->schedule.set_clock([now, data] { return now(data); });
    });
}

LETTS_EXTERN letts_status letts_schedule_next(const letts_schedule* schedule, const char* name,
                                              int64_t after_unix_ms, int64_t* times, size_t n,
                                              letts_error** err) {
    return guarded(err, [&] {
        require(schedule && name && (times || n == 0),
                "letts_schedule_next: schedule, name and times must be given");
        auto next = schedule->schedule.next(name, after_unix_ms, n);
        for (size_t i = 0; i < n; ++i) times[i] = next[i];
    });
}

LETTS_EXTERN letts_status letts_schedule_tick_id(const char* name, int64_t tick_unix_ms, char** out,
                                                 letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(name && *name && out, "letts_schedule_tick_id: name and out must be given");
        *out = letts::capi::copy_to_caller(letts::client::Schedule::tick_id(name, tick_unix_ms));
    });
}

LETTS_EXTERN int letts_schedule_fd(const letts_schedule* schedule) {
    return schedule ? schedule->schedule.fd() : -1;
}

LETTS_EXTERN letts_status letts_schedule_step(letts_schedule* schedule, const letts_client* client,
                                              letts_error** err) {
    return guarded(err, [&] {
        require(schedule && client, "letts_schedule_step: schedule and client must be given");
        schedule->schedule.step(client->client);
    });
}

LETTS_EXTERN letts_status letts_schedule_run(letts_schedule* schedule, const letts_client* client,
                                             const letts_cancel* cancel, letts_error** err) {
    return guarded(err, [&] {
        require(schedule && client, "letts_schedule_run: schedule and client must be given");
        schedule->schedule.run(client->client, cancel ? cancel->cancel.get() : nullptr);
    });
}

}  // extern "C"
