// letts_error: creation at the boundary, accessors, release.
#include <cstdlib>
#include <memory>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/common.h"

namespace {

letts_error& no_memory_error() noexcept {
    // Built once, at first need, from a string literal that fits the small
    // string buffer; never freed (letts_error_free skips it).
    static letts_error instance{letts::Error(letts::Status::no_memory, "out of memory"), true};
    return instance;
}

}  // namespace

namespace letts::capi {

letts_status report(letts_error** err, const Error& error) noexcept {
    const auto status = static_cast<letts_status>(error.status());
    if (err == nullptr || *err != nullptr) return status;
    try {
        *err = std::make_unique<letts_error>(letts_error{error, false}).release();
    } catch (...) {
        *err = &no_memory_error();
    }
    return status;
}

letts_status report_no_memory(letts_error** err) noexcept {
    if (err != nullptr && *err == nullptr) *err = &no_memory_error();
    return LETTS_ERR_NO_MEMORY;
}

}  // namespace letts::capi

extern "C" {

LETTS_EXTERN letts_status letts_error_status(const letts_error* err) {
    return err ? static_cast<letts_status>(err->error.status()) : LETTS_OK;
}

LETTS_EXTERN const char* letts_error_message(const letts_error* err) {
    return err ? err->error.message().c_str() : "";
}

LETTS_EXTERN int letts_error_http_status(const letts_error* err) {
    return err ? err->error.http_status() : 0;
}

LETTS_EXTERN const char* letts_error_code(const letts_error* err) {
    return err ? letts::capi::null_if_empty(err->error.error_code()) : nullptr;
}

LETTS_EXTERN const char* letts_error_dugdale(const letts_error* err) {
    return err ? letts::capi::null_if_empty(err->error.dugdale_id()) : nullptr;
}

LETTS_EXTERN const char* letts_error_details(const letts_error* err) {
    return err ? letts::capi::null_if_empty(err->error.details_json()) : nullptr;
}

LETTS_EXTERN const char* letts_error_mission_id(const letts_error* err) {
    return err ? letts::capi::null_if_empty(err->error.mission_id()) : nullptr;
}

LETTS_EXTERN void letts_error_free(letts_error* err) {
    if (err == nullptr || err->preallocated) return;
    std::unique_ptr<letts_error> owned(err);
}

}  // extern "C"
