/*
 * letts/run_handle.h — runs driven by the caller's event loop.
 *
 * A run handle is a run (or a wait for an existing mission) that does not
 * block: start it, add its descriptor to your poll(2)/epoll/kqueue-less
 * loop (Go's runtime poller, Rust async, PHP's stream_select, libuv, ...),
 * and call letts_run_handle_step() whenever the descriptor is readable.
 * step() does the work that is due — network I/O, timers, reconnects,
 * retries, callbacks — and returns at once. One thread can drive any number
 * of handles with a single poll over their descriptors:
 *
 *     letts_run_handle *h;
 *     letts_client_run_start(client, job, opts, &h, &err);
 *     while (letts_run_handle_state(h) != LETTS_RUN_DONE) {
 *         struct pollfd p = { letts_run_handle_fd(h), POLLIN, 0 };
 *         poll(&p, 1, -1);
 *         letts_run_handle_step(h, NULL);
 *     }
 *     letts_run_handle_result(h, &result, &err);
 *     letts_run_handle_free(h);
 *
 * letts_client_run() and letts_client_wait() are exactly that loop, so a
 * stepped run and a blocking one behave the same in every respect: the run
 * options (progress, wait timeout, logs, outputs, failure-as-error, cancel,
 * kill_on_cancel) apply unchanged, and the result or error is the one the
 * blocking call would have returned.
 *
 * Threads: a handle is not thread-safe; use it from one thread at a time
 * (it may move between threads between calls, as goroutines do). Its
 * callbacks (progress, the client's launch-failure observer) run only
 * inside letts_client_run_start() and letts_run_handle_step(), on the
 * calling thread. Many handles may share one client. A cancel object
 * (run options) may be triggered from any thread.
 */
#ifndef LETTS_RUN_HANDLE_H
#define LETTS_RUN_HANDLE_H

#include "common.h"
#include "error.h"
#include "client.h"
#include "job.h"
#include "run.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A run in progress. Opaque; freed with letts_run_handle_free(). */
typedef struct letts_run_handle letts_run_handle;

/** Where a run is. The values are part of the ABI. */
typedef enum letts_run_state {
    /** Resolving the target, staging input files, dispatching. */
    LETTS_RUN_STARTING = 0,
    /** Following the mission's events (progress callbacks happen here). */
    LETTS_RUN_FOLLOWING = 1,
    /** The mission ended: fetching logs and downloading outputs. */
    LETTS_RUN_COLLECTING = 2,
    /** Finished: letts_run_handle_result() has the outcome. */
    LETTS_RUN_DONE = 3
} letts_run_state;

/**
 * Start running `job` (as letts_client_run() would) without waiting.
 * `opts` may be NULL; it is copied, and so is `job`, so both may be freed
 * at once. The run does its first work before this returns (it may call
 * the launch-failure observer; it may even be done already, e.g. after an
 * addressing error).
 *
 * On LETTS_OK `*out` receives a handle the caller frees with
 * letts_run_handle_free(); the run's own failures are reported by
 * letts_run_handle_result(), not here. Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_IO (no descriptor could be made,
 * e.g. the process is out of file descriptors), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_run_start(const letts_client *client, const letts_job *job,
                                                 const letts_run_options *opts,
                                                 letts_run_handle **out, letts_error **err);

/**
 * Start following mission `mission_id` of `host` (a dugdale id or alias)
 * to its result without waiting, as letts_client_wait() would. Ownership
 * and statuses as letts_client_run_start().
 */
LETTS_EXTERN letts_status letts_client_wait_start(const letts_client *client, const char *host,
                                                  const char *mission_id,
                                                  const letts_run_options *opts,
                                                  letts_run_handle **out, letts_error **err);

/**
 * The descriptor to watch: readable (POLLIN) whenever
 * letts_run_handle_step() has work to do — a socket is ready, a timer
 * (retry back-off, reconnect pause, wait timeout, curl's own timeouts) is
 * due, or the run's cancel object was triggered. Owned by the handle: do
 * not read, write or close it. It stays the same for the handle's life.
 * Once the state is LETTS_RUN_DONE, stop watching it. -1 for NULL.
 */
LETTS_EXTERN int letts_run_handle_fd(const letts_run_handle *handle);

/**
 * Do the work that is due and return without blocking (a step may hash up
 * to 8 MiB of an input file). Calling it when nothing is due, or after the
 * end, is harmless. The run's callbacks run inside this call. Returns
 * LETTS_OK, or LETTS_ERR_INVALID_ARGUMENT (NULL `handle`); how the run
 * ended is letts_run_handle_result()'s to say.
 */
LETTS_EXTERN letts_status letts_run_handle_step(letts_run_handle *handle, letts_error **err);

/** Where the run is; LETTS_RUN_DONE for NULL. */
LETTS_EXTERN letts_run_state letts_run_handle_state(const letts_run_handle *handle);

/**
 * The mission id once the dispatch was confirmed (for a wait: from the
 * start), else NULL. Owned by the handle.
 */
LETTS_EXTERN const char *letts_run_handle_mission_id(const letts_run_handle *handle);

/**
 * The outcome of a finished run: exactly what letts_client_run() (or
 * letts_client_wait()) would have returned, with the same ownership of
 * `*result` (also set on LETTS_ERR_MISSION_FAILED). May be asked more than
 * once. Before LETTS_RUN_DONE: LETTS_ERR_INVALID_ARGUMENT ("the run has not
 * finished"), `*result` NULL.
 */
LETTS_EXTERN letts_status letts_run_handle_result(const letts_run_handle *handle,
                                                  letts_run_result **result, letts_error **err);

/**
 * Release a handle. NULL is accepted. An unfinished run is abandoned on
 * the spot: its connections close, a partial output file is removed, the
 * mission keeps running (to kill it, trigger the run's cancel with
 * kill_on_cancel set and step until done before freeing).
 */
LETTS_EXTERN void letts_run_handle_free(letts_run_handle *handle);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_RUN_HANDLE_H */
