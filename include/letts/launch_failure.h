/*
 * letts/launch_failure.h — what a launch-failure observer is told
 * (client-behavior.md §5.9, §10.6): a task that did not produce a result
 * because launching it failed (configuration, addressing, staging, HTTP
 * refusal, network, or an event stream lost before `done`).
 *
 * A letts_launch_failure exists only during the observer call; every
 * pointer obtained from it is valid until the observer returns.
 *
 * Threads: the observer runs on the thread that made the failing call,
 * during that call; a report must not be handed to another thread (copy
 * what is needed instead).
 */
#ifndef LETTS_LAUNCH_FAILURE_H
#define LETTS_LAUNCH_FAILURE_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A launch failure report. Opaque; owned by libletts. */
typedef struct letts_launch_failure letts_launch_failure;

/**
 * The observer: called synchronously on the calling thread before the
 * failing call returns. It cannot change the outcome of the call.
 */
typedef void (*letts_launch_failure_fn)(const letts_launch_failure *failure, void *user_data);

/** The error that stopped the launch. Owned by `failure`. */
LETTS_EXTERN const letts_error *letts_launch_failure_error(const letts_launch_failure *failure);

/** 1 when re-launching may succeed (network errors, 5xx), else 0. */
LETTS_EXTERN int letts_launch_failure_retryable(const letts_launch_failure *failure);

/**
 * "dispatch", "tryDispatch", "run" or "runParallel" for a mission;
 * "execDispatch" or "execRun" for an exec (letts/exec.h). Owned by `failure`.
 */
LETTS_EXTERN const char *letts_launch_failure_method(const letts_launch_failure *failure);

/**
 * "dispatch" (never started: safe to dispatch again with the same mission
 * id) or "stream" (running: do not dispatch again). Owned by `failure`.
 */
LETTS_EXTERN const char *letts_launch_failure_phase(const letts_launch_failure *failure);

/**
 * The mission id: the idempotency key sent, or the running mission's id
 * (for an exec, its exec id). Owned by `failure`.
 */
LETTS_EXTERN const char *letts_launch_failure_mission_id(const letts_launch_failure *failure);

/** The mission name as passed; "exec" for an exec. Owned by `failure`. */
LETTS_EXTERN const char *letts_launch_failure_mission(const letts_launch_failure *failure);

/**
 * The launch descriptor as passed, as JSON: {"route","host","match","lane",
 * "input","files": {role: path},"timeout"} (absent values are null;
 * "timeout" is the text sent to the daemon for letts_job_set_timeout_ms(),
 * e.g. "1500ms"). For an exec, the same members as far as an exec has
 * them (route null, match [], input null, "files" its `in` files as
 * {key: path}) and "exec": {"command": [argv], "script": path, "out":
 * [keys], "stdin": path, "stdin_bytes": the length of stdin given as bytes
 * (0: none), "group_id", "display_name"} (absent values null). Owned by
 * `failure`.
 */
LETTS_EXTERN const char *letts_launch_failure_json(const letts_launch_failure *failure);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_LAUNCH_FAILURE_H */
