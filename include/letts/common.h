/*
 * letts/common.h — what every libletts header needs: the export macro, the
 * status codes, memory release and the library version.
 *
 * Conventions used throughout the API (see DESIGN.md, "The C ABI rules"):
 *
 *  - Every fallible function returns a letts_status (LETTS_OK == 0) and takes
 *    a last argument `letts_error **err`. `err` may be NULL when the caller
 *    does not want details. Otherwise `*err` must be NULL on entry; on failure
 *    it receives a new error object that the caller releases with
 *    letts_error_free(). If `*err` is not NULL on entry it is left untouched
 *    and the details of the new failure are discarded (the status is still
 *    returned), so an earlier error is never overwritten or leaked.
 *  - Strings are UTF-8 and NUL-terminated. A returned `const char *` belongs
 *    to the object it came from and stays valid until that object is freed.
 *    A returned `char *` belongs to the caller, who releases it with
 *    letts_free().
 *  - Every `*_free()` function accepts NULL.
 *  - Argument order. An operation takes its subject handle first, then
 *    where (the dugdale `host`), then what (the mission id), then its other
 *    inputs, then its out-parameters, then `err`:
 *        letts_client_get_mission(client, host, id, &info, &err)
 *        letts_client_kill(client, host, id, signal, &err)
 *        letts_client_with_match(client, labels, n, &copy, &err)
 *    A constructor, whose subject is the object it creates
 *    (letts_X_new, letts_X_load_*, letts_X_discover, letts_X_from_*,
 *    letts_devserver_start, letts_mission_start), takes `out` first, then
 *    its inputs, then `err`:
 *        letts_job_new(&job, "resize", &err)
 *    Scoped copies (letts_client_with_*) and calls that start work and
 *    return a handle for it are operations of the handle they come from.
 *    On failure every out-parameter that receives an object or an owned
 *    string is set to NULL.
 *  - Durations are `int64_t` milliseconds everywhere (setters end in _ms);
 *    0 means "none" where a setter says so, negative values are
 *    LETTS_ERR_INVALID_ARGUMENT. Text in Go duration syntax ("1h30m",
 *    "2.5s") is converted by letts_duration_parse_ms() (letts/duration.h).
 *  - Option setters validate: a value out of range is never clamped or
 *    replaced; the setter returns LETTS_ERR_INVALID_ARGUMENT with a message
 *    naming the setter and the value, and leaves the object as it was.
 *  - No function ends the calling process (no exit(), _exit(), abort() or
 *    uncaught exception), with one exception by design:
 *    letts_mission_exit() (letts/mission.h), the C convenience that flushes
 *    and calls exit(3) with the status matching the mission's report.
 *    Allocation failure is reported as LETTS_ERR_NO_MEMORY.
 *  - Threads: each header says which of its objects may be shared between
 *    threads. Callbacks run only on the thread that made the call, during
 *    that call. The functions of this header are safe from any thread.
 */
#ifndef LETTS_COMMON_H
#define LETTS_COMMON_H

#ifndef LETTS_NO_SYSTEM_INCLUDES
#include <stddef.h>
#include <stdint.h>
#endif

#if defined(LETTS_CDEF)
#  define LETTS_EXTERN
#elif defined(__GNUC__)
#  define LETTS_EXTERN __attribute__((visibility("default")))
#else
#  define LETTS_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The outcome of a call. Each error status corresponds to one exception class
 * of the PHP client (named in brackets), so that every binding can map
 * statuses to its own error types one to one. The numeric values are part of
 * the ABI and never change.
 */
typedef enum letts_status {
    /** Success. */
    LETTS_OK = 0,
    /** The request was refused as malformed, by the daemon (400) or by the
     *  client before sending (addressing mistakes) [BadRequestException]. */
    LETTS_ERR_BAD_REQUEST = 1,
    /** The daemon rejected the token (401/403) [AuthException]. */
    LETTS_ERR_AUTH = 2,
    /** The daemon reported a conflict (409), e.g. an idempotency key reused
     *  with a different request [ConflictException]. */
    LETTS_ERR_CONFLICT = 3,
    /** The daemon is refusing work for now (503 queue_full / disk quota)
     *  [BackpressureException]. */
    LETTS_ERR_BACKPRESSURE = 4,
    /** Any other HTTP error status; the HTTP status is on the error
     *  [DispatchException]. */
    LETTS_ERR_DISPATCH = 5,
    /** Transport failure: connect, DNS, TLS, reset, timeout, proxy
     *  [NetworkException]. */
    LETTS_ERR_NETWORK = 6,
    /** A wait deadline passed before the mission ended; the mission keeps
     *  running [WaitTimeoutException]. */
    LETTS_ERR_WAIT_TIMEOUT = 7,
    /** Staging an input file or verifying a downloaded output failed
     *  [StagingException]. */
    LETTS_ERR_STAGING = 8,
    /** letts.yaml could not be found, read, parsed or validated, or a value
     *  from it cannot be used [ConfigException]. */
    LETTS_ERR_CONFIG = 9,
    /** A ${VAR} placeholder names an unset environment variable; the name is
     *  in the error's details as {"name": "..."}. A refinement of
     *  LETTS_ERR_CONFIG [MissingEnvException]. */
    LETTS_ERR_MISSING_ENV = 10,
    /** No configured dugdale carries the requested labels and lane
     *  [NoMatchingDugdaleException]. */
    LETTS_ERR_NO_MATCHING_DUGDALE = 11,
    /** The mission ended with a non-success outcome [MissionFailedException]. */
    LETTS_ERR_MISSION_FAILED = 12,
    /** The operation was stopped by a signal or by a callback's non-zero
     *  return [InterruptedException]. */
    LETTS_ERR_INTERRUPTED = 13,
    /** An argument given to the function is invalid (NULL where an object is
     *  required, a value out of range). */
    LETTS_ERR_INVALID_ARGUMENT = 14,
    /** The thing asked for does not exist. */
    LETTS_ERR_NOT_FOUND = 15,
    /** A local file or descriptor operation failed. */
    LETTS_ERR_IO = 16,
    /** Memory could not be allocated. */
    LETTS_ERR_NO_MEMORY = 17,
    /** A bug in libletts: an unexpected internal failure. */
    LETTS_ERR_INTERNAL = 18,
    /** The call was cancelled through a letts_cancel object (letts/cancel.h)
     *  triggered by the caller, possibly from another thread
     *  [CancelledException]. The mission, if one was started, keeps running
     *  unless the run options ask to kill it; letts_error_mission_id()
     *  names it. */
    LETTS_ERR_CANCELLED = 19
} letts_status;

/**
 * The stable, lowercase name of a status ("ok", "bad_request", "auth",
 * "conflict", "backpressure", "dispatch", "network", "wait_timeout",
 * "staging", "config", "missing_env", "no_matching_dugdale",
 * "mission_failed", "interrupted", "invalid_argument", "not_found", "io",
 * "no_memory", "internal", "cancelled"). Unknown values give "unknown".
 *
 * Returns a static string; never NULL; never free it.
 */
LETTS_EXTERN const char *letts_status_name(letts_status status);

/**
 * Release memory that libletts handed to the caller as a `char *` (or any
 * other pointer documented as "free with letts_free"). NULL is accepted.
 */
LETTS_EXTERN void letts_free(void *ptr);

/**
 * The version of the library actually loaded, as "MAJOR.MINOR.PATCH".
 * Compare with LETTS_VERSION_STRING (letts/version.h) to detect a header /
 * library mismatch. Returns a static string.
 */
LETTS_EXTERN const char *letts_version(void);

/**
 * The version of the library actually loaded as one number:
 * MAJOR * 10000 + MINOR * 100 + PATCH (compare with LETTS_VERSION_NUMBER).
 */
LETTS_EXTERN int letts_version_number(void);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_COMMON_H */
