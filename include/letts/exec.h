/*
 * letts/exec.h — exec: running an arbitrary argv on a dugdale (no mission
 * program, no shell), the Go client's Exec (http-api.md §5.6,
 * client-behavior.md §13), and following it to its end as a run does.
 *
 * An exec is described by a letts_exec_spec: the dugdale (`host`: id or
 * alias) and lane, the argv (`command`), local files the client stages
 * before the dispatch (a script, materialised read-only as script/script
 * and named by LETTS_SCRIPT; `in` files, named by LETTS_IN_<key>; standard
 * input, from a file or from bytes), the names of the files the process
 * leaves as out/<key> (LETTS_OUT_<key>) to be kept as outputs, and the
 * wire's optional fields (timeout, group id, display name) and idempotency
 * key (the exec id).
 *
 * Tokens (http-api.md §4.4, §4.5): the daemon shows a job only to the
 * scope of its kind, so every call here that reads an exec — dispatch,
 * run, wait, get, events, output, and the output downloads of an exec
 * run's result — presents the exec token (letts.yaml `exec_token` of the
 * dugdale, else `auth.exec_token`); an admin token listed there works too.
 * Without one the call fails with LETTS_ERR_CONFIG naming both keys. The
 * admin routes serve exec jobs as they serve missions, so no exec variant
 * of them is needed: list with letts_client_list_missions() and a filter
 * of kind "exec" (letts_list_filter_set_kind) and group id
 * (letts_list_filter_set_group_id); kill, restart and delete with
 * letts_client_kill(), letts_client_restart_mission() and
 * letts_client_delete() (admin token, like every control call).
 *
 * Threads: the operations take a const client and may run concurrently on
 * one client. A letts_exec_spec is a plain options object, not thread-safe
 * while being modified; once set up it may be used by concurrent calls.
 */
#ifndef LETTS_EXEC_H
#define LETTS_EXEC_H

#include "common.h"
#include "error.h"
#include "client.h"
#include "mission_info.h"
#include "run.h"
#include "run_handle.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What an exec dispatch asks for. Opaque; freed with letts_exec_spec_free(). */
typedef struct letts_exec_spec letts_exec_spec;

/**
 * Create an empty spec: no host, lane or command (all three are required
 * before use), no files, no stdin, no timeout, a fresh exec id per
 * dispatch. `*out` is freed with letts_exec_spec_free(). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (NULL `out`), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_exec_spec_new(letts_exec_spec **out, letts_error **err);

/** Release a spec. NULL is accepted. */
LETTS_EXTERN void letts_exec_spec_free(letts_exec_spec *spec);

/*
 * Setters: each replaces an earlier value, copies its strings, and returns
 * LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `spec`, or a value the setter
 * names as refused), LETTS_ERR_NO_MEMORY. The daemon checks the rest of
 * the wire rules (key syntax, display-name bytes, limits) and answers 400.
 */

/** The dugdale: an id or alias of letts.yaml; NULL or "" removes it. */
LETTS_EXTERN letts_status letts_exec_spec_set_host(letts_exec_spec *spec, const char *host,
                                                   letts_error **err);
/** The lane (`lane`); NULL or "" removes it. */
LETTS_EXTERN letts_status letts_exec_spec_set_lane(letts_exec_spec *spec, const char *lane,
                                                   letts_error **err);
/**
 * The argv (`command`): `argv[0 .. argc-1]`, run verbatim (no shell, no
 * expansion; PATH is /usr/local/bin:/usr/bin:/bin). Refused: `argv` NULL
 * with `argc` not 0, a NULL entry.
 */
LETTS_EXTERN letts_status letts_exec_spec_set_command(letts_exec_spec *spec,
                                                      const char *const *argv, size_t argc,
                                                      letts_error **err);
/**
 * A local script file staged before the dispatch (`script`), executed by
 * the command as $LETTS_SCRIPT (e.g. argv {"sh", "-e", "script/script"});
 * NULL or "" removes it.
 */
LETTS_EXTERN letts_status letts_exec_spec_set_script_file(letts_exec_spec *spec, const char *path,
                                                          letts_error **err);
/**
 * Add an `in` file: the local file at `path` is staged and reaches the
 * process as $LETTS_IN_<key>. Added in order; adding a key again replaces
 * its path. Refused: NULL or empty `key` or `path`.
 */
LETTS_EXTERN letts_status letts_exec_spec_add_input_file(letts_exec_spec *spec, const char *key,
                                                         const char *path, letts_error **err);
/**
 * Declare an `out` file: what the process writes to $LETTS_OUT_<key>
 * becomes output `key` of the result when it succeeds. Adding a key again
 * is ignored. Refused: NULL or empty `key`.
 */
LETTS_EXTERN letts_status letts_exec_spec_add_output(letts_exec_spec *spec, const char *key,
                                                     letts_error **err);
/**
 * Standard input from bytes `data[0 .. len-1]` (copied; may hold NUL
 * bytes): staged (through a private temporary file under $TMPDIR, removed
 * afterwards) and sent as stdin "single". `len` 0 removes it (the process
 * reads EOF, as without stdin). Replaces a stdin file. Refused: NULL
 * `data` with `len` not 0.
 */
LETTS_EXTERN letts_status letts_exec_spec_set_stdin(letts_exec_spec *spec, const char *data,
                                                    size_t len, letts_error **err);
/** Standard input from the local file `path` (staged); NULL or "" removes it. Replaces stdin bytes. */
LETTS_EXTERN letts_status letts_exec_spec_set_stdin_file(letts_exec_spec *spec, const char *path,
                                                         letts_error **err);
/**
 * The exec's time limit on the daemon in milliseconds (`timeout`, sent as
 * Go duration text); 0 clears it. Refused: negative, more than 9223372036854.
 */
LETTS_EXTERN letts_status letts_exec_spec_set_timeout_ms(letts_exec_spec *spec, int64_t ms,
                                                         letts_error **err);
/** `group_id` (a UUIDv7 tying execs together for listing); NULL or "" removes it. */
LETTS_EXTERN letts_status letts_exec_spec_set_group_id(letts_exec_spec *spec, const char *group_id,
                                                       letts_error **err);
/** `display_name` (at most 256 bytes, no control bytes); NULL or "" removes it. */
LETTS_EXTERN letts_status letts_exec_spec_set_display_name(letts_exec_spec *spec, const char *name,
                                                           letts_error **err);
/**
 * The exec id, sent as Idempotency-Key: dispatching again with the same id
 * and spec returns the same exec, with another spec fails with
 * LETTS_ERR_CONFLICT. NULL or "" means a fresh UUIDv7 per dispatch.
 * Refused: not a lowercase UUIDv7 (checked here, as the Go client does).
 */
LETTS_EXTERN letts_status letts_exec_spec_set_exec_id(letts_exec_spec *spec, const char *exec_id,
                                                      letts_error **err);

/**
 * Stage the spec's files and POST /v1/exec/dispatch to its host, exec
 * token, retried like letts_client_dispatch() (network errors and 5xx
 * except the deliberate refusals; the exec id makes a re-send safe).
 *
 * On success `*exec_id` receives the exec's id, freed with letts_free();
 * on failure it is NULL and letts_error_mission_id() names the id tried.
 * Returns LETTS_OK; LETTS_ERR_INVALID_ARGUMENT (NULL argument, no lane, an
 * empty command); LETTS_ERR_BAD_REQUEST ("host is required for
 * execDispatch", a 400: invalid_key, shell_form_disabled, unknown_lane,
 * ...); LETTS_ERR_AUTH (401, 403 for a dispatch token); LETTS_ERR_CONFLICT
 * (id reused with another spec); LETTS_ERR_DISPATCH (404 feature_disabled
 * when exec is off, other statuses); LETTS_ERR_STAGING; LETTS_ERR_NETWORK;
 * LETTS_ERR_CONFIG (no exec token); LETTS_ERR_MISSING_ENV; LETTS_ERR_IO
 * (stdin bytes could not be written); LETTS_ERR_CANCELLED;
 * LETTS_ERR_NO_MEMORY.
 *
 * Launch-failure observer (letts_client_with_failure_observer()): every
 * failure but LETTS_ERR_INVALID_ARGUMENT and LETTS_ERR_CANCELLED is
 * reported before the call returns, with method "execDispatch", phase
 * "dispatch", the exec id as mission id (dispatching again with it is
 * safe), mission "exec" and the spec as the descriptor (letts/launch_failure.h).
 */
LETTS_EXTERN letts_status letts_client_exec_dispatch(const letts_client *client,
                                                     const letts_exec_spec *spec, char **exec_id,
                                                     letts_error **err);

/**
 * Dispatch as letts_client_exec_dispatch(), then follow the exec to its
 * end exactly as letts_client_run() follows a mission, with the exec
 * token: `opts` (NULL: defaults) gives the wait timeout, progress callback,
 * logs (stdout/stderr), the outputs folder, failure-as-error, cancel and
 * kill_on_cancel. The result has the exit code
 * (letts_run_result_exit_code), the outcome and the outputs; its outputs
 * download with letts_client_download_output() using the exec token.
 *
 * Launch-failure observer: as letts_client_run() reports a mission, with
 * method "execRun": phase "dispatch" for the failures of
 * letts_client_exec_dispatch() it reports, phase "stream" when following
 * fails before the exec's `done` (its id must then not be dispatched
 * again). An exec that ended is a result, not a launch failure, even when
 * the daemon could not start its command (outcome "crashed"); neither is
 * a wait timeout, an interruption by the progress callback or a cancel.
 * Also for letts_client_exec_run_start(), during the step that fails.
 *
 * Ownership of `*result` as letts_client_run(): set on LETTS_OK and also on
 * LETTS_ERR_MISSION_FAILED (a non-zero exit is outcome "failed"); NULL
 * otherwise. Statuses: those of letts_client_exec_dispatch() and of
 * letts_client_run() after its dispatch.
 */
LETTS_EXTERN letts_status letts_client_exec_run(const letts_client *client,
                                                const letts_exec_spec *spec,
                                                const letts_run_options *opts,
                                                letts_run_result **result, letts_error **err);

/**
 * Follow exec `exec_id` of `host` (required), dispatched earlier, to its
 * result: letts_client_wait() with the exec token. Ownership and statuses
 * as letts_client_wait().
 */
LETTS_EXTERN letts_status letts_client_exec_wait(const letts_client *client, const char *host,
                                                 const char *exec_id,
                                                 const letts_run_options *opts,
                                                 letts_run_result **result, letts_error **err);

/**
 * letts_client_exec_run() without waiting: a run handle (letts/run_handle.h)
 * to drive from an event loop, exactly as letts_client_run_start() gives
 * for a mission. `spec` and `opts` (NULL: defaults) are copied. On LETTS_OK
 * `*out` receives a handle the caller frees with letts_run_handle_free();
 * the exec's own failures come from letts_run_handle_result(). Returns
 * LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL argument, no lane, an empty
 * command), LETTS_ERR_NO_MEMORY, LETTS_ERR_INTERNAL.
 */
LETTS_EXTERN letts_status letts_client_exec_run_start(const letts_client *client,
                                                      const letts_exec_spec *spec,
                                                      const letts_run_options *opts,
                                                      letts_run_handle **out, letts_error **err);

/**
 * letts_client_exec_wait() without waiting: a run handle following exec
 * `exec_id` of `host`. Ownership and statuses as
 * letts_client_exec_run_start() (NULL `host` or `exec_id` is
 * LETTS_ERR_INVALID_ARGUMENT).
 */
LETTS_EXTERN letts_status letts_client_exec_wait_start(const letts_client *client,
                                                       const char *host, const char *exec_id,
                                                       const letts_run_options *opts,
                                                       letts_run_handle **out, letts_error **err);

/**
 * The exec `id` of `host` (required) as the daemon reports it (kind
 * "exec"): letts_client_get_mission() with the exec token. `*out` receives
 * the resource, freed with letts_mission_info_free(), or NULL when the
 * daemon does not know the id (still LETTS_OK). A mission id is refused by
 * the daemon: LETTS_ERR_AUTH (403 forbidden_kind). Other statuses as
 * letts_client_get_mission(), "host is required for execGet".
 */
LETTS_EXTERN letts_status letts_client_exec_get(const letts_client *client, const char *host,
                                                const char *id, letts_mission_info **out,
                                                letts_error **err);

/**
 * The events of exec `id`: letts_client_follow_events() with the exec
 * token. Arguments, callback and statuses as there.
 */
LETTS_EXTERN letts_status letts_client_exec_follow_events(const letts_client *client,
                                                          const char *host, const char *id,
                                                          int64_t from, int follow,
                                                          letts_event_fn fn, void *user_data,
                                                          letts_error **err);

/**
 * The captured output of exec `id` ("stdout", "stderr" or "combined"):
 * letts_client_stream_output() with the exec token. Arguments, callback
 * and statuses as there.
 */
LETTS_EXTERN letts_status letts_client_exec_stream_output(const letts_client *client,
                                                          const char *host, const char *id,
                                                          const char *stream, int follow,
                                                          letts_bytes_fn fn, void *user_data,
                                                          letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_EXEC_H */
