// letts/duration.h: Go duration text to the milliseconds every setter takes.
// The grammar lives in core/duration; this file only converts.
#include "capi/guard.hpp"
#include "core/duration.hpp"
#include "letts/duration.h"

using letts::capi::guarded;
using letts::capi::require;

extern "C" {

LETTS_EXTERN letts_status letts_duration_parse_ms(const char* text, int64_t* ms,
                                                  letts_error** err) {
    return guarded(err, [&] {
        require(text != nullptr && ms != nullptr,
                "letts_duration_parse_ms: text and ms must not be NULL");
        *ms = letts::duration::parse_go_ms(text);
    });
}

}  // extern "C"
