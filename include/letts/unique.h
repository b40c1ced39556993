/*
 * letts/unique.h — unique dispatch: mission ids derived from a business key
 * and a time window ("one RenderReport per invoice per hour").
 *
 * The mission id is the daemon's idempotency key, so every process that
 * dispatches with the same derived id gets one mission: the first launch
 * creates it (202), the others get the same id back (200, replay), or a
 * conflict (409) when their payload differs.
 *
 * The derivation (version 1; stable — any other implementation that follows
 * it produces the same ids; docs/unique-ids.md has the test vectors, which
 * tests check against this library and against Python's hmac/hashlib):
 *
 *   inputs   key        the key's bytes as given (UTF-8 recommended), not
 *                       empty, no NUL (the C string up to its terminator);
 *            window_ms  0 ≤ window_ms ≤ 2^48-1 (281474976710655);
 *            at_ms      Unix milliseconds, 0 ≤ at_ms ≤ 2^48-1; ignored
 *                       (not checked) when window_ms is 0.
 *   start    = window_ms == 0 ? 0 : floor(at_ms / window_ms) * window_ms
 *              (window_ms 0 means "no window": one id per key for ever,
 *              with all 48 time bits 0.)
 *   message  = BE64(start) || BE64(window_ms) || key
 *              (BE64: 8-byte big-endian unsigned; so windows of different
 *              lengths starting at the same instant give different ids)
 *   D        = HMAC-SHA-256(K, message), K = the 26 ASCII bytes
 *              "letts unique mission id v1"
 *   id bytes b[0..15]:
 *     b[0..5] = start as 48-bit big-endian            (unix_ts_ms)
 *     b[6]    = 0x70 | (D[0] & 0x0F)                  (version 7, rand_a)
 *     b[7]    = D[1]                                   (rand_a)
 *     b[8]    = 0x80 | (D[2] & 0x3F)                  (variant 10, rand_b)
 *     b[9..15]= D[3..9]                                (rand_b)
 *   text     = lowercase hex of b as 8-4-4-4-12.
 *
 * Example: key "invoice-42", window 3600000 (1 h), at 1764809999999
 * (2025-12-04T00:59:59.999Z) → start 1764806400000 →
 * 019ae6a8-9800-7059-a7a4-ac6240ea70b6.
 *
 * Threads: every function here is thread-safe.
 */
#ifndef LETTS_UNIQUE_H
#define LETTS_UNIQUE_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The unique mission id of `key` in the window of `window_ms` milliseconds
 * that contains `at_unix_ms`, derived as this header describes (window_ms 0:
 * no window, at_unix_ms ignored). `*out` receives the canonical id, freed by
 * the caller with letts_free(); NULL on failure. Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (NULL or empty key, NULL out, window_ms or
 * at_unix_ms outside 0..2^48-1), LETTS_ERR_INTERNAL (libcrypto failed),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_unique_id(const char *key, int64_t window_ms, int64_t at_unix_ms,
                                          char **out, letts_error **err);

/**
 * The start of the window of `window_ms` milliseconds containing
 * `at_unix_ms` (floor(at/window)*window; 0 when window_ms is 0), the time
 * the id above carries. `*out` receives it. Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (NULL out, values outside 0..2^48-1).
 */
LETTS_EXTERN letts_status letts_unique_window_start(int64_t window_ms, int64_t at_unix_ms,
                                                    int64_t *out, letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_UNIQUE_H */
