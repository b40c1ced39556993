/*
 * letts/job.h — one piece of work to launch (the named arguments of the PHP
 * client's dispatch/run: mission, addressing, input, files, timeout, id),
 * and the fire-and-forget launches.
 *
 * Threads: a letts_job is a plain options object: build it, use it for any
 * number of calls, free it. It is not thread-safe while being modified;
 * once built it may be used by concurrent calls (they only read it).
 */
#ifndef LETTS_JOB_H
#define LETTS_JOB_H

#include "common.h"
#include "error.h"
#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A job description. Opaque; freed with letts_job_free(). */
typedef struct letts_job letts_job;

/**
 * Create a job for mission `mission` (copied; validated by the daemon) with
 * input {}, no files, no timeout, a fresh mission id per launch and no
 * addressing. `*out` receives a job the caller frees with letts_job_free().
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL or empty mission),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_job_new(letts_job **out, const char *mission, letts_error **err);

/** Release a job. NULL is accepted. */
LETTS_EXTERN void letts_job_free(letts_job *job);

/**
 * Address by route (dugdale and lane from letts.yaml). NULL or "" clears.
 * Exactly one of route, host and match may be given; checked at launch.
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_job_set_route(letts_job *job, const char *route, letts_error **err);

/** Address by dugdale id or alias (needs a lane). NULL or "" clears. Statuses as letts_job_set_route(). */
LETTS_EXTERN letts_status letts_job_set_host(letts_job *job, const char *host, letts_error **err);

/** The lane (ignored with a route). NULL or "" clears. Statuses as letts_job_set_route(). */
LETTS_EXTERN letts_status letts_job_set_lane(letts_job *job, const char *lane, letts_error **err);

/**
 * Address by labels: a dugdale carrying all labels and declaring the lane
 * is picked at random at every launch. 0 labels clears (then the client's
 * withMatch or selector.match may apply). Statuses as letts_job_set_route().
 */
LETTS_EXTERN letts_status letts_job_set_match(letts_job *job, const char *const *labels,
                                              size_t n_labels, letts_error **err);

/**
 * The mission input as JSON text; must be an object. NULL restores {}.
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (not a JSON object),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_job_set_input_json(letts_job *job, const char *json,
                                                   letts_error **err);

/**
 * Add an input file: the local file at `path` is staged (hashed, uploaded
 * resumably, streamed from disk) under `role` before the dispatch. Files
 * are staged in the order added; adding a role again replaces its path.
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL/empty role or path),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_job_add_file(letts_job *job, const char *role, const char *path,
                                             letts_error **err);

/**
 * The mission's time limit on the daemon in milliseconds (dispatch
 * `timeout`, sent as Go duration text, e.g. 1500 as "1500ms"); 0 clears
 * it (no limit). Text such as "1h30m" converts with letts_duration_parse_ms().
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `job`; negative `ms`;
 * more than the daemon can hold, 9223372036854 ms, about 292 years).
 */
LETTS_EXTERN letts_status letts_job_set_timeout_ms(letts_job *job, int64_t ms,
                                                   letts_error **err);

/**
 * The mission id, which is the idempotency key: launching again with the
 * same id and payload returns the same mission, with a different payload
 * fails with LETTS_ERR_CONFLICT. NULL or "" means a fresh UUIDv7 per
 * launch. Statuses as letts_job_set_route().
 */
LETTS_EXTERN letts_status letts_job_set_mission_id(letts_job *job, const char *mission_id,
                                                   letts_error **err);

/**
 * Unique dispatch: derive the mission id from `key` (copied) and the window
 * of `window_ms` milliseconds containing the launch time, as
 * letts_unique_id() (letts/unique.h) documents, so that every process
 * launching the same key in the same window gets one mission — the first
 * launch creates it (202), the others get the same id back (200). Window 0
 * means one mission per key for ever. The launch time is this host's clock
 * at each launch unless pinned by letts_job_set_unique_at_ms(). A launch of
 * a job with both a unique key and a mission id fails with
 * LETTS_ERR_INVALID_ARGUMENT. Fan-outs (letts/host_result.h) ignore it as
 * they ignore the mission id: each host gets a fresh id. NULL or "" `key`
 * clears unique dispatch.
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `job`, `window_ms`
 * outside 0..2^48-1), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_job_set_unique(letts_job *job, const char *key, int64_t window_ms,
                                               letts_error **err);

/**
 * Pin the time that picks the unique window to `at_unix_ms` (Unix
 * milliseconds) instead of the clock at launch, e.g. a schedule's tick.
 * -1 restores the clock. Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL
 * `job`, `at_unix_ms` outside -1..2^48-1).
 */
LETTS_EXTERN letts_status letts_job_set_unique_at_ms(letts_job *job, int64_t at_unix_ms,
                                                     letts_error **err);

/**
 * Whether a unique launch whose derived id already names a mission with a
 * different payload (input, files, timeout, addressing: the daemon answers
 * 409) is an error. Non-zero (the default): LETTS_ERR_CONFLICT. Zero: the
 * launch returns LETTS_OK with the derived id, the existing mission's id
 * (nothing new was created). Without a unique key this has no effect.
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `job`).
 */
LETTS_EXTERN letts_status letts_job_set_unique_conflict_is_error(letts_job *job, int is_error,
                                                                 letts_error **err);

/**
 * A fresh UUIDv7 as the library generates mission ids and staging ids
 * (canonical lower-case 8-4-4-4-12; ids of one process never go down), e.g.
 * to pick a mission id before launching. `*out` receives it, freed by the
 * caller with letts_free(); NULL on failure. Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (NULL `out`), LETTS_ERR_INTERNAL (the system's
 * random source failed), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_uuidv7_generate(char **out, letts_error **err);

/**
 * Launch `job` and return without waiting: addressing, staging of the
 * input files, POST /v1/dispatch (retried on network errors and 5xx).
 *
 * On success `*mission_id` receives the id, which the caller frees with
 * letts_free(); on failure it is NULL and the observer (if any) has been
 * told. Returns LETTS_OK; LETTS_ERR_BAD_REQUEST (addressing mistakes, 400);
 * LETTS_ERR_AUTH; LETTS_ERR_CONFLICT (id reused with another payload);
 * LETTS_ERR_BACKPRESSURE; LETTS_ERR_DISPATCH (other HTTP status);
 * LETTS_ERR_NETWORK; LETTS_ERR_STAGING; LETTS_ERR_CONFIG;
 * LETTS_ERR_MISSING_ENV; LETTS_ERR_NO_MATCHING_DUGDALE;
 * LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_dispatch(const letts_client *client, const letts_job *job,
                                                char **mission_id, letts_error **err);

/**
 * As letts_client_dispatch(), but a failed launch is not an error: it
 * returns LETTS_OK with `*mission_id` NULL after the observer (if any) was
 * told (method "tryDispatch"). Everything letts_client_dispatch() reports
 * as a launch failure — addressing, configuration, staging, HTTP refusal,
 * network — is swallowed this way.
 *
 * On LETTS_OK `*mission_id` receives the new id, freed with letts_free(),
 * or NULL when the launch failed. Returns LETTS_OK;
 * LETTS_ERR_INVALID_ARGUMENT (NULL `client`, `job` or `mission_id`);
 * LETTS_ERR_CANCELLED (a cancel of the caller's is not a launch failure;
 * letts_error_mission_id() names the id the launch used);
 * LETTS_ERR_NO_MEMORY. On an error `*mission_id` is NULL and the observer
 * is not told.
 */
LETTS_EXTERN letts_status letts_client_try_dispatch(const letts_client *client,
                                                    const letts_job *job, char **mission_id,
                                                    letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_JOB_H */
