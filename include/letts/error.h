/*
 * letts/error.h — the error object filled in by every fallible call.
 *
 * An error says what went wrong in words a person can act on (the message
 * names the file, key, dugdale or operation concerned; it never contains a
 * token) and carries the machine-readable facts a program needs to react:
 * the status, the HTTP status and the daemon's error code when the failure
 * came from a dugdale, the dugdale id, and details as a JSON document.
 *
 * Typical use:
 *
 *     letts_error *err = NULL;
 *     if (letts_config_load_file(&cfg, "letts.yaml", 0, &err) != LETTS_OK) {
 *         fprintf(stderr, "letts: %s\n", letts_error_message(err));
 *         letts_error_free(err);
 *     }
 *
 * Error objects are immutable and may be read from any thread.
 */
#ifndef LETTS_ERROR_H
#define LETTS_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An error report. Opaque; created by libletts, freed by the caller. */
typedef struct letts_error letts_error;

/** The status of the failure; LETTS_OK when `err` is NULL. */
LETTS_EXTERN letts_status letts_error_status(const letts_error *err);

/**
 * A one-line, human-readable description. Owned by `err`. Returns "" when
 * `err` is NULL, never NULL.
 */
LETTS_EXTERN const char *letts_error_message(const letts_error *err);

/**
 * The HTTP status of the response that caused the failure, or 0 when the
 * failure did not come from an HTTP response (configuration, transport,
 * local I/O) or `err` is NULL.
 */
LETTS_EXTERN int letts_error_http_status(const letts_error *err);

/**
 * The daemon's machine-readable error code (the `error` field of its error
 * envelope, e.g. "queue_full"), or NULL when there is none. Owned by `err`.
 */
LETTS_EXTERN const char *letts_error_code(const letts_error *err);

/**
 * The id of the dugdale concerned (as written in letts.yaml), or NULL when
 * the failure concerns no particular dugdale. Owned by `err`.
 */
LETTS_EXTERN const char *letts_error_dugdale(const letts_error *err);

/**
 * Further details as JSON text, or NULL when there are none. For
 * LETTS_ERR_MISSING_ENV it is {"name": "<VARIABLE>"}; for HTTP-derived errors
 * it is the `details` object of the daemon's error envelope. Owned by `err`.
 */
LETTS_EXTERN const char *letts_error_details(const letts_error *err);

/**
 * The id of the mission the failed call was about, or NULL when there is
 * none. Set when a mission was started or followed and the call ended
 * before its result (LETTS_ERR_WAIT_TIMEOUT, LETTS_ERR_INTERRUPTED,
 * LETTS_ERR_CANCELLED, LETTS_ERR_MISSION_FAILED): the mission may still be
 * running, and letts_client_wait() can follow it again. Owned by `err`.
 */
LETTS_EXTERN const char *letts_error_mission_id(const letts_error *err);

/** Release an error. NULL is accepted. */
LETTS_EXTERN void letts_error_free(letts_error *err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_ERROR_H */
