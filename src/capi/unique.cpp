// letts/unique.h: the unique mission id derivation behind the C ABI.
#include "letts/unique.h"

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/unique_id.hpp"

using letts::capi::guarded;
using letts::capi::require;

extern "C" {

LETTS_EXTERN letts_status letts_unique_id(const char* key, int64_t window_ms, int64_t at_unix_ms,
                                          char** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_unique_id: out is NULL");
        require(key != nullptr && *key != '\0', "letts_unique_id: key is NULL or empty");
        *out = letts::capi::copy_to_caller(letts::unique_id::derive(key, window_ms, at_unix_ms));
    });
}

LETTS_EXTERN letts_status letts_unique_window_start(int64_t window_ms, int64_t at_unix_ms,
                                                    int64_t* out, letts_error** err) {
    return guarded(err, [&] {
        require(out != nullptr, "letts_unique_window_start: out is NULL");
        *out = letts::unique_id::window_start(window_ms, at_unix_ms);
    });
}

}  // extern "C"
