/*
 * letts/schedule.h — schedules safe with any number of schedulers.
 *
 * A schedule is a set of named entries, each a cron expression or a fixed
 * interval, a time zone and a job. Every tick is dispatched with mission id
 * = letts_unique_id(entry name, window 1 ms, tick time) (see unique.h), so
 * the same schedule run by any number of schedulers on any number of
 * machines dispatches each tick exactly once: the daemon's idempotency
 * check answers the others with a replay of the same mission. Entry names
 * are therefore global identities: two schedules that must not share ticks
 * need different names.
 *
 * Expressions: 5 fields "minute hour day-of-month month day-of-week" with
 * *, N, N-M, /STEP, lists, JAN-DEC, SUN-SAT (0 and 7 are Sunday; when both
 * day fields are restricted either may match, as in Vixie cron); the macros
 * `@yearly` `@annually` `@monthly` `@weekly` `@daily` `@midnight` `@hourly`; and
 * "@every <Go duration>" (whole ms) for a fixed interval. Interval ticks are
 * the multiples of the interval since the Unix epoch (all schedulers agree
 * without talking). Cron times are wall-clock times in the entry's IANA zone
 * (read from the system tzdata, thread-safe): a time skipped by a DST gap
 * fires at the end of the gap (once, however many times the gap swallowed);
 * a time repeated by a DST overlap fires once, at its first occurrence.
 *
 * Catch-up (after a pause, a suspended machine or a slow dispatch), per
 * entry and step, over the ticks in (last step, now]:
 *   LETTS_CATCH_UP_SKIP  fire the latest tick only if it is at most grace_ms
 *                        old; missed ticks are dropped;
 *   LETTS_CATCH_UP_ONCE  fire the latest tick, late or not (the default);
 *   LETTS_CATCH_UP_ALL   fire every tick, oldest first, but at most the
 *                        latest max_fires of them (default 100).
 * A scheduler starts with the ticks after its first step: it never fires
 * ticks from before it started.
 *
 * Threads: a schedule carries its run state; use it from one thread at a
 * time. One schedule per scheduler thread; clients may be shared.
 */
#ifndef LETTS_SCHEDULE_H
#define LETTS_SCHEDULE_H

#include "common.h"
#include "error.h"
#include "client.h"
#include "cancel.h"
#include "job.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A schedule. Opaque; freed with letts_schedule_free(). */
typedef struct letts_schedule letts_schedule;

/** What a step does with ticks it finds missed. The values are part of the ABI. */
typedef enum letts_catch_up {
    LETTS_CATCH_UP_SKIP = 0, /**< the latest tick only if at most grace_ms late */
    LETTS_CATCH_UP_ONCE = 1, /**< the latest tick, late or not */
    LETTS_CATCH_UP_ALL = 2   /**< every tick, the latest max_fires at most */
} letts_catch_up;

/** Called after each tick's dispatch; strings valid during the call only. */
typedef void (*letts_schedule_dispatch_fn)(void *data, const char *entry, int64_t tick_unix_ms,
                                           const char *mission_id);

/** The test-only clock of letts_schedule_set_clock(): the time in Unix ms. */
typedef int64_t (*letts_schedule_clock_fn)(void *data);

/**
 * Create an empty schedule. `*out` receives it, freed by the caller with
 * letts_schedule_free(). Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT,
 * LETTS_ERR_IO (no timer descriptor), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_schedule_new(letts_schedule **out, letts_error **err);

/** Release a schedule. NULL is accepted. */
LETTS_EXTERN void letts_schedule_free(letts_schedule *schedule);

/**
 * Add entry `name` firing on `spec` (cron expression, macro or "@every D")
 * in `time_zone` (IANA name; NULL or "" is UTC) dispatching `job` (copied;
 * its mission id, if any, is replaced by each tick's id). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (NULL/empty name or spec, duplicate name; a
 * bad expression, with a message naming the field and the text; an unknown
 * zone; a job with a unique key (letts_job_set_unique()): the tick ids are
 * the entry's unique ids), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_schedule_add(letts_schedule *schedule, const char *name,
                                             const char *spec, const char *time_zone,
                                             const letts_job *job, letts_error **err);

/** As letts_schedule_add() with a fixed interval of `interval_ms` (> 0) ms. */
LETTS_EXTERN letts_status letts_schedule_add_interval(letts_schedule *schedule, const char *name,
                                                      int64_t interval_ms, const letts_job *job,
                                                      letts_error **err);

/**
 * The catch-up policy (see above). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (NULL schedule, unknown policy, grace_ms < 0,
 * max_fires < 1).
 */
LETTS_EXTERN letts_status letts_schedule_set_catch_up(letts_schedule *schedule,
                                                      letts_catch_up policy, int64_t grace_ms,
                                                      int64_t max_fires, letts_error **err);

/** Observe each dispatched tick (NULL clears). Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT. */
LETTS_EXTERN letts_status letts_schedule_set_on_dispatch(letts_schedule *schedule,
                                                         letts_schedule_dispatch_fn fn, void *data,
                                                         letts_error **err);

/**
 * TEST ONLY: replace the wall clock (Unix ms) steps use; NULL restores it.
 * The descriptor keeps following the real clock. Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_schedule_set_clock(letts_schedule *schedule,
                                                   letts_schedule_clock_fn now, void *data,
                                                   letts_error **err);

/**
 * The next `n` fire times (Unix ms) of entry `name` strictly after
 * `after_unix_ms`, written to `times` (caller's array of n). Returns
 * LETTS_OK, LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NOT_FOUND (no such entry).
 */
LETTS_EXTERN letts_status letts_schedule_next(const letts_schedule *schedule, const char *name,
                                              int64_t after_unix_ms, int64_t *times, size_t n,
                                              letts_error **err);

/**
 * The mission id of entry `name`'s tick at `tick_unix_ms` (the entry need
 * not exist). `*out` receives it, freed with letts_free(). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_schedule_tick_id(const char *name, int64_t tick_unix_ms,
                                                 char **out, letts_error **err);

/** A descriptor readable when a tick is due; owned by the schedule; -1 for NULL. */
LETTS_EXTERN int letts_schedule_fd(const letts_schedule *schedule);

/**
 * Dispatch what is due now through `client` and re-arm the descriptor;
 * call it whenever the descriptor is readable (the first call starts the
 * schedule). A failed dispatch returns its error (statuses of
 * letts_client_dispatch()); the ticks of that entry are retried by the
 * next step, with the same ids.
 */
LETTS_EXTERN letts_status letts_schedule_step(letts_schedule *schedule, const letts_client *client,
                                              letts_error **err);

/**
 * Run the schedule on the calling thread until `cancel` (may be NULL) is
 * triggered: returns LETTS_ERR_CANCELLED then, or the first dispatch error.
 */
LETTS_EXTERN letts_status letts_schedule_run(letts_schedule *schedule, const letts_client *client,
                                             const letts_cancel *cancel, letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_SCHEDULE_H */
