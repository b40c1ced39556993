/*
 * letts/duration.h — durations given as text, converted to the int64_t
 * milliseconds every libletts setter takes (see letts/common.h).
 *
 * The function is pure: safe to call from any thread.
 */
#ifndef LETTS_DURATION_H
#define LETTS_DURATION_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Convert `text` in Go duration syntax (time.ParseDuration: an optional
 * sign, then one or more <number><unit> with units ns, us (also spelt with
 * U+00B5 or U+03BC), ms, s, m, h, e.g. "1h30m", "500ms", "2.5s"; "0" needs
 * no unit) to milliseconds, for bindings and command lines that take
 * durations as text. A fraction of a millisecond counts as a whole one,
 * away from zero ("1us" is 1, "-1us" is -1), so a non-zero duration never
 * becomes 0. The result may be negative; the setter it is given to decides
 * whether that is allowed.
 *
 * On LETTS_OK `*ms` receives the value; on failure it is left unchanged.
 * Returns LETTS_OK; LETTS_ERR_INVALID_ARGUMENT (NULL argument, or
 * "invalid duration: <text>" for text that is not a Go duration or that
 * overflows int64 nanoseconds).
 */
LETTS_EXTERN letts_status letts_duration_parse_ms(const char *text, int64_t *ms,
                                                  letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_DURATION_H */
