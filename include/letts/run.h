/*
 * letts/run.h — launching a job and waiting for its end: run options, the
 * run result, and downloading outputs (client-behavior.md §5.3, §5.4, §10.1).
 *
 * Threads: a letts_run_result is immutable and may be read from any thread;
 * every string it returns is owned by it. A letts_run_options is a plain
 * options object, not thread-safe while being modified; once set up it may
 * be used by concurrent runs (they only read it; its progress callback is
 * then called from each of those threads, each during its own call).
 */
#ifndef LETTS_RUN_H
#define LETTS_RUN_H

#include "common.h"
#include "error.h"
#include "client.h"
#include "job.h"
#include "cancel.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Options of letts_client_run(), and of the fan-outs for the part that
 * applies to them (letts/host_result.h). Opaque; freed with
 * letts_run_options_free().
 */
typedef struct letts_run_options letts_run_options;

/** The outcome of a finished mission. Opaque; freed with letts_run_result_free(). */
typedef struct letts_run_result letts_run_result;

/**
 * Called for every `progress` event, in order, on the calling thread.
 * `has_value` says whether `value` was sent; `message` is NULL when absent
 * (valid during the call only). Return non-zero to stop waiting: the run
 * then fails with LETTS_ERR_INTERRUPTED and the mission keeps running.
 */
typedef int (*letts_progress_fn)(int has_value, double value, const char *message,
                                 void *user_data);

/**
 * Create run options: no wait timeout, no progress callback, failure as
 * error on, no logs, no output download. `*out` receives options the caller
 * frees with letts_run_options_free(). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_run_options_new(letts_run_options **out, letts_error **err);

/** Release run options. NULL is accepted. */
LETTS_EXTERN void letts_run_options_free(letts_run_options *opts);

/**
 * How long to wait for the end, in milliseconds; 0 waits forever (the
 * default). When it passes the run fails with LETTS_ERR_WAIT_TIMEOUT, the
 * error names the mission (letts_error_mission_id) and the mission keeps
 * running (unless kill_on_cancel). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (NULL `opts`, negative `ms`).
 */
LETTS_EXTERN letts_status letts_run_options_set_wait_timeout_ms(letts_run_options *opts, int64_t ms,
                                                                letts_error **err);

/**
 * Make the run cancellable through `cancel` (NULL removes it): once
 * triggered, from any thread, the run ends promptly with
 * LETTS_ERR_CANCELLED, whatever it is doing (letts/cancel.h). The options
 * keep their own reference: `cancel` may be freed before them. Returns
 * LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_run_options_set_cancel(letts_run_options *opts, letts_cancel *cancel,
                                                       letts_error **err);

/**
 * Whether a run that ends before its mission does — cancelled, wait
 * timeout, stopped by the progress callback — also kills the mission
 * (POST /v1/missions/{id}/kill with TERM, admin token; default 0: the
 * mission keeps running and the error names it, so the caller can wait for
 * it later). The kill is made after the cancel, uncancellable, so the call
 * then returns once the daemon answered it (bounded by the client's connect
 * and request timeouts); the error message says whether it worked. A
 * cancel that comes before the dispatch was confirmed asks the daemon to
 * kill the mission too, in case it already has it (a 404 is then no
 * error); a dispatch still in flight at that moment may yet start it.
 * Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_run_options_set_kill_on_cancel(letts_run_options *opts, int on,
                                                               letts_error **err);

/** The progress callback (NULL removes it) and its user data. Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT. */
LETTS_EXTERN letts_status letts_run_options_set_progress(letts_run_options *opts,
                                                         letts_progress_fn fn, void *user_data,
                                                         letts_error **err);

/**
 * Whether a non-success outcome fails the run with LETTS_ERR_MISSION_FAILED
 * (default 1). The result stays reachable either way (see letts_client_run).
 * Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_run_options_set_failure_as_error(letts_run_options *opts,
                                                                 int on, letts_error **err);

/**
 * Fetch stdout and stderr after the end (default 0). A failed fetch leaves
 * that log empty and never fails the run; a log longer than the client's
 * max_response_bytes counts as failed (its transfer stops at the cap).
 * Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_run_options_set_fetch_logs(letts_run_options *opts, int on,
                                                           letts_error **err);

/**
 * After a successful outcome, download every output into directory `dir`
 * (created 0755 if missing) as <dir>/<role>: streamed to <role>.partial,
 * size and sha256 verified, then renamed; a failed download leaves no
 * file. An output announced with size 0 is stopped at the client's
 * max_response_bytes. NULL or "" disables. Returns LETTS_OK or
 * LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_run_options_set_outputs_folder(letts_run_options *opts,
                                                               const char *dir,
                                                               letts_error **err);

/**
 * Launch `job` (as letts_client_dispatch) and follow its events to the end,
 * reconnecting from the last event seen (3 consecutive event-less
 * reconnects, 1000 in total). `opts` may be NULL for the defaults.
 *
 * On LETTS_OK `*result` receives the result, which the caller frees with
 * letts_run_result_free(). On LETTS_ERR_MISSION_FAILED `*result` ALSO
 * receives the result (the caller frees it), and the error gives it too
 * (letts_error_run_result). On every other status `*result` is NULL.
 *
 * When the run ends before the mission's result (LETTS_ERR_WAIT_TIMEOUT,
 * LETTS_ERR_INTERRUPTED, LETTS_ERR_CANCELLED), letts_error_mission_id()
 * names the mission, which keeps running unless kill_on_cancel is set.
 *
 * This is the blocking loop over a run handle (letts/run_handle.h).
 *
 * Returns LETTS_OK; the statuses of letts_client_dispatch();
 * LETTS_ERR_WAIT_TIMEOUT; LETTS_ERR_INTERRUPTED (progress callback);
 * LETTS_ERR_CANCELLED (the run options' or the client's cancel);
 * LETTS_ERR_MISSION_FAILED; LETTS_ERR_STAGING (output download);
 * LETTS_ERR_NETWORK (the event stream could not be kept); the mapped status
 * of a 4xx on the stream (e.g. LETTS_ERR_DISPATCH 410 while being deleted);
 * LETTS_ERR_DISPATCH when the stream breaks the protocol: a status other
 * than 200 below 400, a line over max_event_line_bytes, or a `done` event
 * whose `outcome` is not a string or whose other members have the wrong
 * type (the message names the member).
 */
LETTS_EXTERN letts_status letts_client_run(const letts_client *client, const letts_job *job,
                                           const letts_run_options *opts,
                                           letts_run_result **result, letts_error **err);

/**
 * Follow mission `mission_id` of `host` (a dugdale id or alias; required),
 * dispatched earlier by this process or another, to its result — exactly
 * as letts_client_run() does after its dispatch: progress callback, wait
 * timeout, logs, output download, failure-as-error, cancel and
 * kill_on_cancel from `opts` (NULL: the defaults). This is how a caller
 * resumes after a wait timeout, a cancel or a restart of its own process.
 * Events are followed from the start, so the progress callback sees every
 * progress event the daemon kept.
 *
 * Ownership of `*result` and the statuses as letts_client_run() (without
 * the dispatch statuses); additionally the mapped status of the daemon's
 * answer to the event stream (LETTS_ERR_DISPATCH 404 for an unknown id).
 */
LETTS_EXTERN letts_status letts_client_wait(const letts_client *client, const char *host,
                                            const char *mission_id, const letts_run_options *opts,
                                            letts_run_result **result, letts_error **err);

/**
 * Download output `key` of `result` into memory, verified against the
 * announced size and sha256. `*data` receives the bytes (NUL-terminated for
 * convenience; `*len` excludes the NUL), freed with letts_free(). Memory is
 * bounded by the client's max_response_bytes: an output announced larger
 * fails before the download, one announced with size 0 stops at the cap.
 * Returns LETTS_OK; LETTS_ERR_BAD_REQUEST (no such key); LETTS_ERR_STAGING
 * (no staging id, download failed or did not verify, over the cap,
 * answered with a status other than 2xx); LETTS_ERR_CONFIG;
 * LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_download_output(const letts_client *client,
                                                       const letts_run_result *result,
                                                       const char *key, char **data, size_t *len,
                                                       letts_error **err);

/** Release a result. NULL is accepted. */
LETTS_EXTERN void letts_run_result_free(letts_run_result *result);

/**
 * Build a result from a JSON object shaped like a `done` event or a mission
 * resource (`mission_id`, `outcome`, `fail_*`, `return`, `exit_code`,
 * `signal`, `duration_ms`, `time_finished`, `progress_dropped`, `outputs`,
 * and optionally `logs`: {stdout, stderr, stdout_truncated,
 * stderr_truncated}, and `kind`: "exec" for an exec's result, whose outputs
 * then download with the exec token, letts/exec.h); `host` is the dugdale
 * id that ran the mission. For
 * bindings whose result objects are plain values (PHP's
 * RunResult::fromApiResponse) and need a handle again, e.g. for
 * letts_client_download_output(). Absent (or null) members take the values
 * a run gives them (empty text, 0, none); a member present with the wrong
 * type (`"outcome": 5`, a negative output size, ...) is refused, the error
 * message naming it, rather than read as absent.
 *
 * On success `*out` receives a result the caller frees with
 * letts_run_result_free(). Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT
 * (NULL argument, `json` not a JSON object, a member of the wrong type),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_run_result_from_json(letts_run_result **out, const char *host,
                                                     const char *json, letts_error **err);

/**
 * The result carried by a LETTS_ERR_MISSION_FAILED error, or NULL. Owned by
 * `err` (valid until letts_error_free).
 */
LETTS_EXTERN const letts_run_result *letts_error_run_result(const letts_error *err);

/** The dugdale id that ran the mission. Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_host(const letts_run_result *result);
/** The mission id. Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_mission_id(const letts_run_result *result);
/**
 * The kind of job the result is of: "exec" for the result of an exec run or
 * wait (letts/exec.h), else "mission". Static storage; NULL when `result`
 * is NULL.
 */
LETTS_EXTERN const char *letts_run_result_kind(const letts_run_result *result);
/** "success", "failed", "oom", "killed", "timeout", "crashed" or "lost". Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_outcome(const letts_run_result *result);
/** 1 exactly when the outcome is "success". */
LETTS_EXTERN int letts_run_result_is_success(const letts_run_result *result);
/** The fail reason, or NULL. Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_fail_reason(const letts_run_result *result);
/** The fail message, or NULL. Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_fail_message(const letts_run_result *result);
/** The fail details as JSON, or NULL. Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_fail_details_json(const letts_run_result *result);
/** The mission's return value as JSON, or NULL. Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_return_json(const letts_run_result *result);
/** 1 and `*exit_code` set when the exit code is known, else 0. */
LETTS_EXTERN int letts_run_result_exit_code(const letts_run_result *result, int64_t *exit_code);
/** The terminating signal's short name ("KILL"), or NULL. Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_signal(const letts_run_result *result);
/** The run time in milliseconds (0 when unknown). */
LETTS_EXTERN int64_t letts_run_result_duration_ms(const letts_run_result *result);
/** The finish time, Unix milliseconds (0 when unknown). */
LETTS_EXTERN int64_t letts_run_result_time_finished_ms(const letts_run_result *result);
/** How many progress events the daemon dropped. */
LETTS_EXTERN int64_t letts_run_result_progress_dropped(const letts_run_result *result);
/**
 * Captured stdout (empty unless logs were fetched); `*len` (may be NULL)
 * receives its length, the text may hold NUL bytes. Owned by `result`.
 */
LETTS_EXTERN const char *letts_run_result_stdout(const letts_run_result *result, size_t *len);
/** Captured stderr, as letts_run_result_stdout(). */
LETTS_EXTERN const char *letts_run_result_stderr(const letts_run_result *result, size_t *len);
/** 1 when the daemon truncated stdout (always 0 after a run). */
LETTS_EXTERN int letts_run_result_stdout_truncated(const letts_run_result *result);
/** 1 when the daemon truncated stderr (always 0 after a run). */
LETTS_EXTERN int letts_run_result_stderr_truncated(const letts_run_result *result);
/** Number of output files. */
LETTS_EXTERN size_t letts_run_result_output_count(const letts_run_result *result);
/** Role (key) of output `i`, or NULL when out of range. Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_output_role(const letts_run_result *result, size_t i);
/** Staging id of output `i`, or NULL when out of range. Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_output_staging_id(const letts_run_result *result,
                                                            size_t i);
/** Announced sha256 of output `i`, or NULL when out of range. Owned by `result`. */
LETTS_EXTERN const char *letts_run_result_output_sha256(const letts_run_result *result, size_t i);
/** Announced size of output `i`; 0 when out of range. */
LETTS_EXTERN int64_t letts_run_result_output_size(const letts_run_result *result, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_RUN_H */
