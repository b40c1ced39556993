/*
 * letts/dugdale.h — the operations beyond the PHP client that the Go
 * package offers (client-behavior.md §13): raw event and output streams,
 * dugdale inspection, lane pause/continue, admin apply/state, health.
 *
 * Every call is addressed by `host` (dugdale id or alias, required).
 * Answers that are JSON documents are returned as JSON text the caller
 * frees with letts_free(). Statuses, unless stated: LETTS_OK;
 * LETTS_ERR_BAD_REQUEST; LETTS_ERR_AUTH; LETTS_ERR_CONFLICT;
 * LETTS_ERR_BACKPRESSURE; LETTS_ERR_DISPATCH (other HTTP status);
 * LETTS_ERR_NETWORK; LETTS_ERR_CONFIG; LETTS_ERR_MISSING_ENV;
 * LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY. None is retried.
 */
#ifndef LETTS_DUGDALE_H
#define LETTS_DUGDALE_H

#include "common.h"
#include "error.h"
#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Gets one event: its JSON line (without the newline; valid during the
 * call) and length. Return non-zero to stop.
 */
typedef int (*letts_event_fn)(const char *json_line, size_t len, void *user_data);

/** Gets the next bytes of a stream (valid during the call). Return non-zero to stop. */
typedef int (*letts_bytes_fn)(const char *data, size_t len, void *user_data);

/**
 * Events of mission `id` with seq > `from` (dispatch token), in order, each
 * handed to `fn` once. With `follow` non-zero the stream is followed to the
 * `done` event, reconnecting from the last seq (3 consecutive event-less
 * reconnects, 1000 in total); otherwise the events so far are read once.
 * A line longer than the client's max_event_line_bytes ends the call with
 * LETTS_ERR_DISPATCH (no reconnect); so does a status other than 200 below
 * 400. Returns the common statuses, LETTS_ERR_INTERRUPTED when `fn` stopped
 * it.
 */
LETTS_EXTERN letts_status letts_client_follow_events(const letts_client *client, const char *host,
                                                     const char *id, int64_t from, int follow,
                                                     letts_event_fn fn, void *user_data,
                                                     letts_error **err);

/**
 * The captured output of mission `id`: `stream` is "stdout", "stderr" or
 * "combined" (NDJSON records); `follow` non-zero tails it until the mission
 * ends. Bytes go to `fn` as they arrive (never held whole, so not capped;
 * only 2xx bodies reach `fn`). Returns the common statuses,
 * LETTS_ERR_INTERRUPTED when `fn` stopped it.
 */
LETTS_EXTERN letts_status letts_client_stream_output(const letts_client *client, const char *host,
                                                     const char *id, const char *stream,
                                                     int follow, letts_bytes_fn fn,
                                                     void *user_data, letts_error **err);

/** GET /v1/dugdale (version, uptime, queue summary), dispatch token. `*json` freed with letts_free(). */
LETTS_EXTERN letts_status letts_client_dugdale_info(const letts_client *client, const char *host,
                                                    char **json, letts_error **err);

/** GET /v1/lanes (name, concurrency, paused, queued, running per lane), dispatch token. */
LETTS_EXTERN letts_status letts_client_lanes(const letts_client *client, const char *host,
                                             char **json, letts_error **err);

/** POST /v1/admin/lanes/{lane}/pause, admin token. */
LETTS_EXTERN letts_status letts_client_pause_lane(const letts_client *client, const char *host,
                                                  const char *lane, letts_error **err);

/** POST /v1/admin/lanes/{lane}/continue, admin token. */
LETTS_EXTERN letts_status letts_client_continue_lane(const letts_client *client, const char *host,
                                                     const char *lane, letts_error **err);

/**
 * POST /v1/admin/apply with `body_json` (the JSON document of http-api.md
 * §5.22), admin token; `*json` receives the answer, freed with letts_free().
 */
LETTS_EXTERN letts_status letts_client_admin_apply(const letts_client *client, const char *host,
                                                   const char *body_json, char **json,
                                                   letts_error **err);

/** GET /v1/admin/state, admin token; `*json` freed with letts_free(). */
LETTS_EXTERN letts_status letts_client_admin_state(const letts_client *client, const char *host,
                                                   char **json, letts_error **err);

/** GET /v1/healthz; LETTS_OK when the dugdale answers 2xx. `*json` (may be NULL) gets the answer. */
LETTS_EXTERN letts_status letts_client_healthz(const letts_client *client, const char *host,
                                               char **json, letts_error **err);

/**
 * GET /v1/readyz; LETTS_OK when ready; a not-ready dugdale answers 503,
 * reported as LETTS_ERR_DISPATCH with the reason as the error code.
 * `*json` (may be NULL) gets the answer on LETTS_OK.
 */
LETTS_EXTERN letts_status letts_client_readyz(const letts_client *client, const char *host,
                                              char **json, letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_DUGDALE_H */
