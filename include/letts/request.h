/*
 * letts/request.h — a raw request: any method and path of a dugdale's HTTP
 * API with an optional JSON body, answered by its status, headers and body.
 * The escape hatch of the Go client (client-behavior.md §13) for routes the
 * library has no operation for, sent the way every operation is sent: to
 * the client's base URL of that dugdale, through its proxy, with the token
 * of the chosen scope, the client's TLS checks, timeouts, caps and cancel,
 * and the retry policy for idempotent reads.
 *
 * What counts as success: the call succeeds whenever the dugdale answers,
 * whatever the HTTP status; letts_response_check() then turns a non-2xx
 * answer into the very error any other call reports for it. Only failing to
 * get an answer fails the call: network failures and timeouts
 * (LETTS_ERR_NETWORK), a 2xx body over max_response_bytes or headers over
 * 64 KiB (LETTS_ERR_DISPATCH), a cancel (LETTS_ERR_CANCELLED).
 *
 * Retries: GET and HEAD (never with a body) follow the client's retry
 * policy (letts_client_options_set_retry_attempts / _backoff): network
 * failures and retryable 5xx answers are repeated; when the attempts are
 * used up, the last 5xx answer is the response. Every other method is sent
 * once.
 *
 * Threads: letts_client_request() takes a const client and may run
 * concurrently with any call on the same client. A letts_response is
 * immutable and may be read from any thread; its strings belong to it.
 */
#ifndef LETTS_REQUEST_H
#define LETTS_REQUEST_H

#include "common.h"
#include "error.h"
#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Which token a raw request presents (the token lists of http-api.md §3,
 * taken from letts.yaml for the dugdale as every operation takes them).
 */
typedef enum letts_scope {
    /** No Authorization header: the unauthenticated routes (healthz, readyz). */
    LETTS_SCOPE_NONE = 0,
    /** The dispatch token (`token`). */
    LETTS_SCOPE_DISPATCH = 1,
    /** The admin token (`admin_token`). */
    LETTS_SCOPE_ADMIN = 2,
    /** The exec token (`exec_token`). */
    LETTS_SCOPE_EXEC = 3
} letts_scope;

/** The answer to a raw request. Opaque, immutable; freed with letts_response_free(). */
typedef struct letts_response letts_response;

/**
 * Send `method` `path` to dugdale `host` (id or alias) with the token of
 * `scope`, and give the answer in `*out` (freed with letts_response_free()).
 *
 * - `method`: an HTTP method in upper case, 1 to 32 letters A-Z ("GET",
 *   "HEAD", "POST", "PUT", "DELETE", "PATCH", ...).
 * - `path`: the path and query after the base URL, already percent-escaped,
 *   starting with "/"; no space, control byte or byte above 0x7E.
 * - `json_body`: a JSON document sent with Content-Type: application/json,
 *   or NULL for no body; it must be NULL for GET and HEAD.
 * - `headers` / `n_headers`: extra "Name: value" lines (copied; NULL when
 *   `n_headers` is 0). The name is an RFC 9110 token, the value is not
 *   empty and holds no control byte but tab. Authorization (the scope
 *   chooses the token), Content-Type (set for a JSON body), Content-Length,
 *   Host and Transfer-Encoding are refused: the library writes them.
 *
 * Every argument is checked before anything is sent; a wrong one is
 * LETTS_ERR_INVALID_ARGUMENT with a message naming it (`headers[i]` for
 * the i-th line). An unknown host is LETTS_ERR_CONFIG, a token or ${VAR}
 * the scope needs and letts.yaml lacks LETTS_ERR_CONFIG or
 * LETTS_ERR_MISSING_ENV, as for every operation. Then LETTS_OK with any
 * HTTP status; LETTS_ERR_NETWORK, LETTS_ERR_DISPATCH (a cap),
 * LETTS_ERR_CANCELLED, LETTS_ERR_NO_MEMORY. On failure `*out` is NULL.
 * No message holds a token.
 */
LETTS_EXTERN letts_status letts_client_request(const letts_client *client, const char *host,
                                               letts_scope scope, const char *method,
                                               const char *path, const char *json_body,
                                               const char *const *headers, size_t n_headers,
                                               letts_response **out, letts_error **err);

/** The HTTP status of the answer (100-599); 0 when `response` is NULL. */
LETTS_EXTERN int letts_response_status(const letts_response *response);

/**
 * The body of the answer, owned by `response`: `*len` (when `len` is not
 * NULL) receives its length in bytes, and a NUL follows its last byte. Empty
 * ("") for a HEAD or a bodiless answer. The body of a non-2xx answer is cut
 * after its first 64 KiB. NULL only when `response` is NULL.
 */
LETTS_EXTERN const char *letts_response_body(const letts_response *response, size_t *len);

/**
 * The value of header `name` (compared without regard to ASCII case),
 * owned by `response`; NULL when the answer has no such header. When a
 * header came more than once, the last value.
 */
LETTS_EXTERN const char *letts_response_header(const letts_response *response, const char *name);

/** How many distinct headers the answer has (0 when `response` is NULL). */
LETTS_EXTERN size_t letts_response_header_count(const letts_response *response);

/**
 * The name of header `index` (0 to count - 1, sorted), in lower case, owned
 * by `response`; NULL when `index` is out of range.
 */
LETTS_EXTERN const char *letts_response_header_name(const letts_response *response, size_t index);

/** The value of header `index`, owned by `response`; NULL when `index` is out of range. */
LETTS_EXTERN const char *letts_response_header_value(const letts_response *response, size_t index);

/**
 * LETTS_OK when the answer is a 2xx; otherwise the error every operation
 * reports for that answer, with its status (LETTS_ERR_BAD_REQUEST for 400,
 * LETTS_ERR_AUTH for 401/403, LETTS_ERR_CONFLICT for 409,
 * LETTS_ERR_BACKPRESSURE for 503 queue_full or disk quota,
 * LETTS_ERR_DISPATCH for any other), the server's error code and message,
 * the HTTP status and the dugdale id. LETTS_ERR_INVALID_ARGUMENT when
 * `response` is NULL.
 */
LETTS_EXTERN letts_status letts_response_check(const letts_response *response, letts_error **err);

/** Release a response and every string it gave. NULL is accepted. */
LETTS_EXTERN void letts_response_free(letts_response *response);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_REQUEST_H */
