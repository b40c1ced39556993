/*
 * letts/dugdale.h — a dugdale itself: the operations beyond the PHP client
 * that the Go package offers (client-behavior.md §13) — inspection, lane
 * pause/continue, admin apply/state, health. (A mission's event and output
 * streams are in letts/mission_info.h.)
 *
 * Every call is addressed by `host` (dugdale id or alias, required).
 * Answers that are JSON documents are returned as JSON text the caller
 * frees with letts_free(). Statuses, unless stated: LETTS_OK;
 * LETTS_ERR_BAD_REQUEST; LETTS_ERR_AUTH; LETTS_ERR_CONFLICT;
 * LETTS_ERR_BACKPRESSURE; LETTS_ERR_DISPATCH (other HTTP status);
 * LETTS_ERR_NETWORK; LETTS_ERR_CONFIG; LETTS_ERR_MISSING_ENV;
 * LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY. None is retried.
 *
 * Threads: every function takes a const client and may run concurrently
 * with any other call on the same client; no callback is involved. The
 * returned JSON text belongs to the caller alone.
 */
#ifndef LETTS_DUGDALE_H
#define LETTS_DUGDALE_H

#include "common.h"
#include "error.h"
#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/**
 * GET /v1/version, no token: the daemon's build metadata as JSON,
 * {"version","commit","built_at"}. `*json` receives it, freed with
 * letts_free().
 */
LETTS_EXTERN letts_status letts_client_version(const letts_client *client, const char *host,
                                               char **json, letts_error **err);

/**
 * GET /v1/metrics, no token: the daemon's Prometheus text exposition as
 * received (a compatible server may answer an empty body). `*text`
 * receives it NUL-terminated, freed with letts_free(); `*len` (may be NULL)
 * its length. Bounded by the client's max_response_bytes (over it:
 * LETTS_ERR_DISPATCH).
 */
LETTS_EXTERN letts_status letts_client_metrics(const letts_client *client, const char *host,
                                               char **text, size_t *len, letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_DUGDALE_H */
