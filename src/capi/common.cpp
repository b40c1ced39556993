// letts_status_name, letts_free, letts_version: the parts of letts/common.h
// that belong to no particular noun.
#include <cstdlib>

#include "core/error.hpp"
#include "letts/common.h"
#include "letts/version.h"

// The C++ layers use letts::Status; it must stay value-for-value identical.
#define LETTS_SAME_STATUS(c, cpp) \
    static_assert(static_cast<int>(c) == static_cast<int>(letts::Status::cpp), #c)
LETTS_SAME_STATUS(LETTS_OK, ok);
LETTS_SAME_STATUS(LETTS_ERR_BAD_REQUEST, bad_request);
LETTS_SAME_STATUS(LETTS_ERR_AUTH, auth);
LETTS_SAME_STATUS(LETTS_ERR_CONFLICT, conflict);
LETTS_SAME_STATUS(LETTS_ERR_BACKPRESSURE, backpressure);
LETTS_SAME_STATUS(LETTS_ERR_DISPATCH, dispatch);
LETTS_SAME_STATUS(LETTS_ERR_NETWORK, network);
LETTS_SAME_STATUS(LETTS_ERR_WAIT_TIMEOUT, wait_timeout);
LETTS_SAME_STATUS(LETTS_ERR_STAGING, staging);
LETTS_SAME_STATUS(LETTS_ERR_CONFIG, config);
LETTS_SAME_STATUS(LETTS_ERR_MISSING_ENV, missing_env);
LETTS_SAME_STATUS(LETTS_ERR_NO_MATCHING_DUGDALE, no_matching_dugdale);
LETTS_SAME_STATUS(LETTS_ERR_MISSION_FAILED, mission_failed);
LETTS_SAME_STATUS(LETTS_ERR_INTERRUPTED, interrupted);
LETTS_SAME_STATUS(LETTS_ERR_INVALID_ARGUMENT, invalid_argument);
LETTS_SAME_STATUS(LETTS_ERR_NOT_FOUND, not_found);
LETTS_SAME_STATUS(LETTS_ERR_IO, io);
LETTS_SAME_STATUS(LETTS_ERR_NO_MEMORY, no_memory);
LETTS_SAME_STATUS(LETTS_ERR_INTERNAL, internal);
LETTS_SAME_STATUS(LETTS_ERR_CANCELLED, cancelled);
#undef LETTS_SAME_STATUS

extern "C" {

LETTS_EXTERN const char* letts_status_name(letts_status status) {
    switch (status) {
        case LETTS_OK: return "ok";
        case LETTS_ERR_BAD_REQUEST: return "bad_request";
        case LETTS_ERR_AUTH: return "auth";
        case LETTS_ERR_CONFLICT: return "conflict";
        case LETTS_ERR_BACKPRESSURE: return "backpressure";
        case LETTS_ERR_DISPATCH: return "dispatch";
        case LETTS_ERR_NETWORK: return "network";
        case LETTS_ERR_WAIT_TIMEOUT: return "wait_timeout";
        case LETTS_ERR_STAGING: return "staging";
        case LETTS_ERR_CONFIG: return "config";
        case LETTS_ERR_MISSING_ENV: return "missing_env";
        case LETTS_ERR_NO_MATCHING_DUGDALE: return "no_matching_dugdale";
        case LETTS_ERR_MISSION_FAILED: return "mission_failed";
        case LETTS_ERR_INTERRUPTED: return "interrupted";
        case LETTS_ERR_INVALID_ARGUMENT: return "invalid_argument";
        case LETTS_ERR_NOT_FOUND: return "not_found";
        case LETTS_ERR_IO: return "io";
        case LETTS_ERR_NO_MEMORY: return "no_memory";
        case LETTS_ERR_INTERNAL: return "internal";
        case LETTS_ERR_CANCELLED: return "cancelled";
    }
    return "unknown";
}

LETTS_EXTERN void letts_free(void* ptr) {
    std::free(ptr);  // every char* handed to callers comes from malloc (copy_to_caller)
}

LETTS_EXTERN const char* letts_version(void) {
    return LETTS_VERSION_STRING;
}

LETTS_EXTERN int letts_version_number(void) {
    return LETTS_VERSION_NUMBER;
}

}  // extern "C"
