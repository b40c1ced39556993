/*
 * letts/cancel.h — cancelling blocking calls from another thread.
 *
 * A letts_cancel is a one-way flag: once triggered it stays triggered. Give
 * it to the calls that may block (through letts_run_options_set_cancel() or
 * a client copy made with letts_client_with_cancel()); triggering it makes
 * each of them return LETTS_ERR_CANCELLED promptly — whatever the server is
 * doing: during a connect, a silent event stream, a retry back-off, an
 * upload or a download. Nothing is left behind: no partial file, no leaked
 * handle; a staging upload that was cut off stays resumable.
 *
 * Threads: letts_cancel_trigger() and letts_cancel_is_triggered() may be
 * called from any thread at any time, concurrently with each other and
 * with the calls using the object. letts_cancel_trigger() is also
 * async-signal-safe: a SIGINT handler may call it. One object may serve
 * many calls on many threads at once; a call that was given it keeps its
 * own reference, so letts_cancel_free() may run while such a call is still
 * in progress (the call then simply can no longer be cancelled through it).
 */
#ifndef LETTS_CANCEL_H
#define LETTS_CANCEL_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A cancellation flag. Opaque; freed with letts_cancel_free(). */
typedef struct letts_cancel letts_cancel;

/**
 * Create an untriggered cancellation object. On success `*out` receives it;
 * the caller frees it with letts_cancel_free(). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (NULL `out`), LETTS_ERR_IO (no eventfd could be
 * created, e.g. the descriptor limit is reached), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_cancel_new(letts_cancel **out, letts_error **err);

/**
 * Trigger `cancel`: every call using it returns LETTS_ERR_CANCELLED as soon
 * as it notices (a blocked call wakes at once). Idempotent; never blocks;
 * async-signal-safe; NULL is ignored.
 */
LETTS_EXTERN void letts_cancel_trigger(letts_cancel *cancel);

/** 1 once `cancel` was triggered, else 0 (also for NULL). */
LETTS_EXTERN int letts_cancel_is_triggered(const letts_cancel *cancel);

/**
 * Release the caller's reference. NULL is accepted. Calls that were given
 * the object keep it alive until they return.
 */
LETTS_EXTERN void letts_cancel_free(letts_cancel *cancel);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_CANCEL_H */
