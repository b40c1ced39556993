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
 * The completion observer: told every finished run's result — run, wait,
 * exec run and wait, run handles, each fan-out job — exactly once, after
 * the run's last attempt (letts_run_result_attempts), whatever the outcome
 * and before the call (or the run handle's last step) returns, on the
 * calling thread. Host, lane, mission id, outcome, duration and attempts
 * are read with the letts_run_result_* accessors. `result` is owned by
 * libletts and valid during the call only (do not free it; copy what you
 * keep). A run that ends without a result (error, cancel, wait timeout) is
 * not reported (the launch-failure observer hears launch failures). It
 * cannot change the outcome of the call.
 */
typedef void (*letts_completion_fn)(const letts_run_result *result, void *user_data);

/**
 * A copy of `client` with the completion observer `fn` (NULL removes it);
 * the label override, the launch-failure observer and the cancel are kept
 * (and every later copy keeps this observer). `user_data` must stay valid
 * as long as the copy is used. `*out` receives a new client the caller
 * frees with letts_client_free(). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_with_completion_observer(const letts_client *client,
                                                                letts_completion_fn fn,
                                                                void *user_data, letts_client **out,
                                                                letts_error **err);

/**
 * Retrying finished missions (librdkafka-style: settings on the options).
 * When a run's mission ends with an outcome the policy lists, the run
 * pauses, restarts it (POST /v1/missions/{id}/restart, ADMIN token: the
 * letts.yaml entry needs one) and follows the new job, whose
 * `restarted_from` names the attempt before. The result is the last
 * attempt's; letts_run_result_attempts() and letts_run_result_attempt_id()
 * give every attempt. Never retried: `success`, `killed`, a `failed`
 * whose fail reason is not listed, an outcome not listed, an error before
 * a result (dispatch, stream, cancel, wait timeout). A failed restart (e.g.
 * 409 input_artifacts_expired) ends the run with its error, naming the
 * last attempt (letts_error_mission_id).
 *
 * Time: the wait timeout (letts_run_options_set_wait_timeout_ms) bounds the
 * WHOLE run — every attempt and every pause; a pause that would outlast it
 * ends the run with LETTS_ERR_WAIT_TIMEOUT at the deadline. Pauses are
 * cancellable: a cancel (letts_cancel) ends them at once with
 * LETTS_ERR_CANCELLED. In a fan-out the shared wait timeout bounds them
 * alike. Applies to letts_client_run(), letts_client_wait(), the exec run
 * and wait (letts/exec.h), run handles and the fan-outs
 * (letts/host_result.h).
 *
 * The pause before attempt n (n >= 2) is
 * min(cap_ms, base_ms * multiplier^(n-2)) * (1 - r), r uniformly random in
 * [0, jitter): never shorter than (1 - jitter) times the un-jittered pause.
 */

/**
 * Retry finished missions whose outcome is `outcome`: one of "lost",
 * "crashed", "oom", "timeout" (adding one twice is harmless). "failed" is
 * refused: list the fail reasons to retry with
 * letts_run_options_add_retry_fail_reason(). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (NULL argument, any other outcome).
 */
LETTS_EXTERN letts_status letts_run_options_add_retry_outcome(letts_run_options *opts,
                                                              const char *outcome,
                                                              letts_error **err);

/**
 * Retry a `failed` outcome whose `fail_reason` is `reason` (non-empty,
 * compared exactly, e.g. "exit_nonzero"). Returns LETTS_OK or
 * LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_run_options_add_retry_fail_reason(letts_run_options *opts,
                                                                  const char *reason,
                                                                  letts_error **err);

/**
 * The most attempts a run makes, the first one included (default 1: no
 * retry; 1..1000). Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_run_options_set_retry_attempts(letts_run_options *opts,
                                                               int max_attempts,
                                                               letts_error **err);

/**
 * The pauses between attempts (defaults 1000 ms, 30000 ms, 2.0, 0.5): see
 * above. Requires 0 <= base_ms <= cap_ms, multiplier >= 1, 0 <= jitter <= 1.
 * Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_run_options_set_retry_backoff(letts_run_options *opts,
                                                              int64_t base_ms, int64_t cap_ms,
                                                              double multiplier, double jitter,
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
/**
 * The lane the job was dispatched to; "" when not known (a wait, a result
 * from JSON). Owned by `result`.
 */
LETTS_EXTERN const char *letts_run_result_lane(const letts_run_result *result);
/**
 * How many attempts the run made (1 without a retry); 0 for a result not
 * made by a run (letts_run_result_from_json) or a NULL `result`.
 */
LETTS_EXTERN size_t letts_run_result_attempts(const letts_run_result *result);
/**
 * The mission id of attempt `i` (0 = the one dispatched or waited for; each
 * later one restarted from the one before; the last equals
 * letts_run_result_mission_id), or NULL when out of range. Owned by `result`.
 */
LETTS_EXTERN const char *letts_run_result_attempt_id(const letts_run_result *result, size_t i);
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
