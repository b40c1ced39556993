/*
 * letts/host_result.h — fan-out: the same kind of work on many dugdales at
 * once (runParallel, runOnAll; client-behavior.md §5.5, §5.6) and its
 * per-job results (§10.3, §10.4).
 *
 * The fan-out runs on one curl multi handle on the calling thread. Dispatch
 * POSTs are not retried and streams are not reconnected (as upstream); a
 * silent stream stays open until its `done`, a transport failure or the
 * shared deadline. By default every stream has its own connection; with
 * letts_client_options_set_max_connections_per_host() at most that many
 * run per dugdale and further jobs there wait for a free connection.
 *
 * Threads: a fan-out runs entirely on the calling thread and takes a const
 * client, so several may run at once on one client. letts_host_results is
 * immutable and may be read from any thread; every string and result it
 * returns is owned by it.
 */
#ifndef LETTS_HOST_RESULT_H
#define LETTS_HOST_RESULT_H

#include "common.h"
#include "error.h"
#include "client.h"
#include "job.h"
#include "run.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The results of a fan-out, one per job in input order. Opaque; immutable. */
typedef struct letts_host_results letts_host_results;

/**
 * Run `n_jobs` jobs concurrently and wait for all of them. Of `opts` (NULL:
 * the defaults) the wait timeout (shared by all jobs), the cancel and
 * kill_on_cancel apply; progress, logs, outputs and failure-as-error do not
 * (each job's result says how it ended). Jobs use only their own
 * route/host/match (no default filters); their mission ids are always
 * fresh.
 *
 * A triggered cancel ends the call with LETTS_ERR_CANCELLED (no results);
 * the missions already dispatched keep running unless kill_on_cancel asked
 * to kill them (then the call returns once the kills were answered). A job
 * that reaches the wait timeout is reported with error kind "timeout" (and
 * killed with kill_on_cancel).
 *
 * A job that fails is reported in its result, not as the call's status.
 * The call itself fails only for a configuration problem of any job
 * (LETTS_ERR_CONFIG, LETTS_ERR_MISSING_ENV, LETTS_ERR_NO_MATCHING_DUGDALE),
 * an invalid argument (LETTS_ERR_INVALID_ARGUMENT), a cancel
 * (LETTS_ERR_CANCELLED), or LETTS_ERR_NO_MEMORY. On LETTS_OK `*out` receives the results, freed
 * with
 * letts_host_results_free().
 */
LETTS_EXTERN letts_status letts_client_run_parallel(const letts_client *client,
                                                    const letts_job *const *jobs, size_t n_jobs,
                                                    const letts_run_options *opts,
                                                    letts_host_results **out, letts_error **err);

/**
 * Run `job` once on every dugdale that carries its labels (the job's match,
 * else the client's withMatch, else selector.match — one is required) and
 * declares its lane (required), with `opts` as letts_client_run_parallel().
 * Route and host of `job` are ignored.
 * Returns as letts_client_run_parallel(), plus LETTS_ERR_BAD_REQUEST ("lane
 * is required for runOnAll") and LETTS_ERR_NO_MATCHING_DUGDALE (no filter,
 * or no dugdale matches).
 */
LETTS_EXTERN letts_status letts_client_run_on_all(const letts_client *client, const letts_job *job,
                                                  const letts_run_options *opts,
                                                  letts_host_results **out, letts_error **err);

/** Release results. NULL is accepted. */
LETTS_EXTERN void letts_host_results_free(letts_host_results *results);
/** Number of results (= number of jobs). */
LETTS_EXTERN size_t letts_host_results_count(const letts_host_results *results);
/**
 * The dugdale id of job `i` (the host text as passed for a job that failed
 * before it was resolved; "" for route/match jobs then); NULL when out of
 * range. Owned by `results`.
 */
LETTS_EXTERN const char *letts_host_results_host(const letts_host_results *results, size_t i);
/**
 * The run result of job `i` when its `done` event arrived (also for a
 * failed mission), else NULL. Owned by `results`.
 */
LETTS_EXTERN const letts_run_result *letts_host_results_result(const letts_host_results *results,
                                                               size_t i);
/** 1 when job `i` produced a result (no error). */
LETTS_EXTERN int letts_host_results_is_reachable(const letts_host_results *results, size_t i);
/** 1 when job `i` produced a successful result. */
LETTS_EXTERN int letts_host_results_is_success(const letts_host_results *results, size_t i);
/**
 * The error kind of job `i`: "auth", "bad_request", "conflict",
 * "backpressure", "staging", "network" or "timeout"; NULL when it has a
 * result. Owned by `results`.
 */
LETTS_EXTERN const char *letts_host_results_error_kind(const letts_host_results *results, size_t i);
/** The error message of job `i`, or NULL. Owned by `results`. */
LETTS_EXTERN const char *letts_host_results_error_message(const letts_host_results *results,
                                                          size_t i);
/** The HTTP status behind job `i`'s error, 0 when none. */
LETTS_EXTERN int letts_host_results_error_http_status(const letts_host_results *results, size_t i);
/** The daemon's error code behind job `i`'s error, or NULL. Owned by `results`. */
LETTS_EXTERN const char *letts_host_results_error_code(const letts_host_results *results, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_HOST_RESULT_H */
