// The boundary every C entry point goes through: run the C++ body, catch
// everything, and turn it into a letts_status plus (optionally) a
// letts_error. Nothing thrown ever crosses into C.
#pragma once

#include <new>
#include <string_view>
#include <utility>

#include "letts/error.h"
#include "core/error.hpp"

namespace letts::capi {

// Hands `error` to the caller through `err` (when wanted) and returns its status.
letts_status report(letts_error** err, const Error& error) noexcept;

// Out-of-memory report: uses a preallocated error, so it cannot fail itself.
letts_status report_no_memory(letts_error** err) noexcept;

// For argument checks at the top of entry points:
//   require(cfg != nullptr, "letts_config_json: cfg is NULL");
inline void require(bool condition, std::string_view what) {
    if (!condition) throw Error(Status::invalid_argument, std::string(what));
}

template <class Body>
letts_status guarded(letts_error** err, Body&& body) noexcept {
    try {
        std::forward<Body>(body)();
        return LETTS_OK;
    } catch (const Error& e) {
        return report(err, e);
    } catch (const std::bad_alloc&) {
        return report_no_memory(err);
    } catch (const std::exception& e) {
        try {
            return report(err, Error(Status::internal, std::string("internal error: ") + e.what()));
        } catch (...) {
            return report_no_memory(err);
        }
    } catch (...) {
        try {
            return report(err, Error(Status::internal, "internal error: unknown exception"));
        } catch (...) {
            return report_no_memory(err);
        }
    }
}

}  // namespace letts::capi
