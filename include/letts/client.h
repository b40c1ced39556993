/*
 * letts/client.h — the client: a loaded letts.yaml, transport options and a
 * shared connection cache, from which every operation is made.
 *
 * Threads: a letts_client is safe to share between threads: operations are
 * independent and the connection cache is shared under a lock. Callbacks
 * (progress, launch-failure observer, stream handlers) run only on the
 * thread that made the call, during that call. A letts_client_options is a
 * plain options object, not thread-safe while being modified.
 *
 * Every setter validates its value (letts/common.h): a bad one is
 * LETTS_ERR_INVALID_ARGUMENT with a message naming the setter and the
 * value, and the options stay as they were.
 *
 * Scoped copies (letts_client_with_match, letts_client_with_failure_observer)
 * share the configuration, the options and the connection cache with the
 * client they were made from; each copy is freed on its own, in any order.
 *
 * Requests present the token of the operation's scope (dispatch, admin, or
 * exec for letts/exec.h; client-behavior.md §4) in the Authorization header only; tokens never
 * appear in error messages. Redirects are never followed: an answer with a
 * status the operation does not expect (a 3xx included) fails with
 * LETTS_ERR_DISPATCH carrying that status, "unexpected HTTP <status>
 * (expected <statuses>)" (LETTS_ERR_STAGING for a download).
 *
 * No server can make the client hold unbounded memory: every body it
 * collects is capped (letts_client_options_set_max_response_bytes) and so
 * is every event line (letts_client_options_set_max_event_line_bytes).
 */
#ifndef LETTS_CLIENT_H
#define LETTS_CLIENT_H

#include "common.h"
#include "error.h"
#include "config.h"
#include "string_list.h"
#include "launch_failure.h"
#include "cancel.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Transport and retry options. Opaque; freed with letts_client_options_free(). */
typedef struct letts_client_options letts_client_options;

/** A client. Opaque; freed with letts_client_free(). */
typedef struct letts_client letts_client;

/**
 * Create options holding the defaults: request timeout 30 s (inactivity),
 * connect timeout 30 s, no total timeout, 4 connections per host, 3
 * attempts with back-off 100/500/2000 ms, stream reconnects after
 * 100/500/2000 ms, proxies from letts.yaml, pooled connections for streams,
 * user agent "libletts/<version>", response bodies up to 64 MiB, event
 * lines up to 16 MiB.
 *
 * On success `*out` receives new options the caller frees with
 * letts_client_options_free(). Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT
 * (NULL `out`), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_options_new(letts_client_options **out, letts_error **err);

/** Release options. NULL is accepted. */
LETTS_EXTERN void letts_client_options_free(letts_client_options *opts);

/**
 * Inactivity limit of a request in milliseconds (`request_timeout`): a
 * request fails when no byte moves for this long. Followed event and output
 * streams are exempt (silence is normal there; a run's wait timeout bounds
 * them); downloads and log fetches are not. Must be at least 1000 (curl counts whole seconds;
 * values are rounded up). Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_client_options_set_request_timeout_ms(letts_client_options *opts,
                                                                      int64_t ms,
                                                                      letts_error **err);

/**
 * Upper bound of the connection phase in milliseconds (`connect_timeout`),
 * at least 1. Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_client_options_set_connect_timeout_ms(letts_client_options *opts,
                                                                      int64_t ms,
                                                                      letts_error **err);

/**
 * Upper bound of a whole request in milliseconds (`total_timeout`):
 * connection, sending and the complete answer. A request still going when
 * it passes fails with LETTS_ERR_NETWORK and a message naming
 * "total_timeout of <ms> ms exceeded". It bounds each attempt: a retried
 * read (letts_client_options_set_retry_attempts) may take up to attempts
 * times the limit plus the back-off pauses.
 *
 * Exempt are the requests that last as long as their content: event and
 * output streams (followed or not), output downloads and log fetches (the
 * inactivity limit, a run's wait timeout or a cancel bounds them). Every other
 * request has it: each staging upload request (one chunk), each JSON call
 * (a fan-out's dispatches included) and raw requests (letts/request.h).
 *
 * `ms` is 0 (none, the default) or positive. None by default because the
 * inactivity limit already ends a request whose server went silent, while a
 * total bound would also end a healthy but slow one (a large list page, an
 * upload chunk over a thin link), which only the caller can judge.
 *
 * The upstream Go client's Options.Timeout is Go's http.Client.Timeout: it
 * bounds every request of that client including its event streams, which
 * are then cut at the limit and reconnected; here streams are exempt and
 * the inactivity limit keeps its own meaning beside this one.
 * Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT (NULL `opts`, negative `ms`).
 */
LETTS_EXTERN letts_status letts_client_options_set_total_timeout_ms(letts_client_options *opts,
                                                                    int64_t ms,
                                                                    letts_error **err);

/**
 * Caps the connections open at once to one dugdale
 * (`max_connections_per_host`), at least 1. Applies within one call: the
 * fan-out (letts_client_run_parallel(), letts_client_run_on_all()) and the
 * all-dugdales lookup run all their requests on one multi handle; with a
 * cap, transfers beyond it wait for a free connection.
 *
 * Default: no cap. A fan-out's event streams each hold their connection
 * until their mission's `done` (HTTP/1.1 has no usable pipelining), so any
 * cap below the number of jobs makes the later jobs' streams queue behind
 * earlier missions: with the former default of 4, 1000 jobs of 0.5 s took
 * 6.8 s instead of 3.7 s. Without a cap a call opens as many connections
 * as it has transfers in flight — each one a file descriptor — and never
 * more than that; set a cap when a very large fan-out would pass the
 * process's descriptor limit (RLIMIT_NOFILE) or the dugdale's connection
 * limit. Sequential calls reuse one kept-alive connection either way.
 * Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_client_options_set_max_connections_per_host(
    letts_client_options *opts, int n, letts_error **err);

/**
 * Total attempts of the retried operations (`retry_attempts`), first try
 * included, at least 1 (a binding that follows letts.yaml's "below 1 means
 * 1" passes 1). Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT (NULL
 * `opts`, `attempts` below 1).
 */
LETTS_EXTERN letts_status letts_client_options_set_retry_attempts(letts_client_options *opts,
                                                                  int attempts, letts_error **err);

/**
 * Back-off schedule in milliseconds (`retry_backoff`): the pause before
 * attempt n+1 is `ms[min(n-1, count-1)]` with ±20 % jitter; `count == 0`
 * restores the default 100/500/2000. The array is copied. `Retry-After` is
 * not honoured. Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT (negative
 * value, NULL `ms` with a non-zero count).
 */
LETTS_EXTERN letts_status letts_client_options_set_retry_backoff(letts_client_options *opts,
                                                                 const int64_t *ms, size_t count,
                                                                 letts_error **err);

/**
 * Pauses in milliseconds before an event stream reconnects
 * (`reconnect_backoff`), for runs, letts_client_follow_events() and the
 * run handles: the n-th consecutive reconnect after connections that
 * brought no new event pauses `ms[min(n, count) - 1]`, and a reconnect
 * after a connection that brought events pauses `ms[0]`; no jitter. The
 * reconnect budget (3 consecutive event-less reconnects, 1000 in all) is
 * unchanged, so entries after the third are never used. `count == 0`
 * restores the default 100/500/2000, the PHP client's. The array is
 * copied. A pause never outlasts the run's wait timeout. Returns LETTS_OK
 * or LETTS_ERR_INVALID_ARGUMENT (NULL `opts`, negative value, NULL `ms`
 * with a non-zero count).
 */
LETTS_EXTERN letts_status letts_client_options_set_reconnect_backoff(letts_client_options *opts,
                                                                     const int64_t *ms,
                                                                     size_t count,
                                                                     letts_error **err);

/** Ignore every `proxy:` of letts.yaml (`ignore_proxy`). Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT. */
LETTS_EXTERN letts_status letts_client_options_set_ignore_proxy(letts_client_options *opts,
                                                                int ignore, letts_error **err);

/**
 * Give every long-lived stream (event streams, output downloads) a new
 * connection that is never reused (`stream_fresh_connection`).
 * Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_client_options_set_stream_fresh_connection(
    letts_client_options *opts, int fresh, letts_error **err);

/**
 * The User-Agent header; NULL or "" restores "libletts/<version>". The
 * string is copied. Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT (line
 * break in the value).
 */
LETTS_EXTERN letts_status letts_client_options_set_user_agent(letts_client_options *opts,
                                                              const char *user_agent,
                                                              letts_error **err);

/**
 * For letts_client_discover(): accept plain-text tokens in a file whose
 * mode is not 0600/0400 (`insecure_config_permissions`).
 * Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_client_options_set_insecure_config_permissions(
    letts_client_options *opts, int insecure, letts_error **err);

/**
 * Cap on a response body the client collects in memory
 * (`max_response_bytes`, default 64 MiB = 67108864): the JSON answer of
 * every operation, a log fetched by a run, an output downloaded into memory
 * (or to a folder) whose announced size is 0. A larger answer fails the call
 * with LETTS_ERR_DISPATCH (LETTS_ERR_STAGING for a download), the HTTP
 * status, and a message naming the operation and the cap; a larger log
 * counts as a failed fetch (empty log). The default holds a list page of
 * 100 missions of ~650 KiB each; raise it, or ask for smaller pages, for
 * more. Independently of it, the client never holds more than 64 KiB of
 * response headers (larger: LETTS_ERR_DISPATCH "response headers exceed
 * the 65536-byte cap") nor more than 64 KiB of an error body (a longer one
 * is cut; the error code and message of its envelope are still read when
 * they precede the cut). Streams handed to a callback are not collected
 * and not capped. `bytes` must be at least 1024. Returns LETTS_OK or
 * LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_client_options_set_max_response_bytes(letts_client_options *opts,
                                                                     size_t bytes,
                                                                     letts_error **err);

/**
 * Cap on one line of an event stream (`max_event_line_bytes`, default
 * 16 MiB = 16777216, the daemon's own reader ceiling, http-api.md §7.1):
 * the longest line the client holds while it waits for the newline. A
 * longer line fails the run, fan-out job or letts_client_follow_events()
 * with LETTS_ERR_DISPATCH, HTTP status 200 and a message naming the
 * operation and the cap; the stream is not reconnected. `bytes` must be at
 * least 1024. Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_client_options_set_max_event_line_bytes(letts_client_options *opts,
                                                                       size_t bytes,
                                                                       letts_error **err);

/**
 * Create a client from a loaded configuration (copied: `cfg` may be freed
 * afterwards) and options (`opts` may be NULL for the defaults; copied).
 *
 * On success `*out` receives a client the caller frees with
 * letts_client_free(); on failure `*out` is NULL. Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NO_MEMORY, LETTS_ERR_INTERNAL
 * (libcurl could not be initialised).
 */
LETTS_EXTERN letts_status letts_client_new(letts_client **out, const letts_config *cfg,
                                           const letts_client_options *opts, letts_error **err);

/**
 * Find letts.yaml by the discovery cascade (letts_config_discover), load it
 * and create a client with `opts` (may be NULL). Ownership as
 * letts_client_new(); additionally LETTS_ERR_CONFIG.
 */
LETTS_EXTERN letts_status letts_client_discover(letts_client **out,
                                                const letts_client_options *opts,
                                                letts_error **err);

/** Release a client. NULL is accepted. Scoped copies stay usable. */
LETTS_EXTERN void letts_client_free(letts_client *client);

/**
 * A copy of `client` whose default label filter is the `n_labels` labels
 * (withMatch); 0 labels removes the override. The observer is kept.
 * `*out` receives a new client the caller frees with letts_client_free().
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_with_match(const letts_client *client,
                                                  const char *const *labels, size_t n_labels,
                                                  letts_client **out, letts_error **err);

/**
 * A copy of `client` with the launch-failure observer `fn` (NULL removes
 * it); the label override is kept. `fn` is called on the calling thread
 * before a failing dispatch/try-dispatch/run/fan-out job/exec dispatch/exec
 * run returns (letts/launch_failure.h says which failures count), with
 * `user_data`, which must stay valid as long as the copy is used.
 * `*out` receives a new client the caller frees with letts_client_free().
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_with_failure_observer(const letts_client *client,
                                                             letts_launch_failure_fn fn,
                                                             void *user_data, letts_client **out,
                                                             letts_error **err);

/**
 * A copy of `client` whose every blocking call — and every run handle
 * started from it — ends with LETTS_ERR_CANCELLED once `cancel` is
 * triggered (letts/cancel.h); NULL removes the cancel. The label override
 * and the observer are kept. A run's own cancel (letts_run_options_set_cancel)
 * works beside it: either one cancels. Made per call (cheap: the
 * configuration and connections are shared), it gives every operation of
 * this API a cancel, e.g. from a Go context. The copy keeps its own
 * reference to `cancel`. `*out` receives a new client the caller frees
 * with letts_client_free(). Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT,
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_with_cancel(const letts_client *client, letts_cancel *cancel,
                                                   letts_client **out, letts_error **err);

/**
 * The merged configuration as JSON (same shape as letts_config_json()).
 * Owned by `client`; NULL only when `client` is NULL.
 */
LETTS_EXTERN const char *letts_client_config_json(const letts_client *client);

/**
 * The ids of the configured dugdales carrying all `n_labels` labels, in file
 * order (no lane filter, no defaults, no network). `*out` receives a list
 * the caller frees with letts_string_list_free(). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_dugdales(const letts_client *client,
                                                const char *const *labels, size_t n_labels,
                                                letts_string_list **out, letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_CLIENT_H */
