// letts/cancel.h: the handle is a reference to a shared letts::Cancel, so
// the calls that were given it may outlive the caller's reference.
#include <memory>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/cancel.h"

using letts::capi::guarded;
using letts::capi::require;

extern "C" {

LETTS_EXTERN letts_status letts_cancel_new(letts_cancel** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_cancel_new: out is NULL");
        letts::capi::hand_over(out, std::make_unique<letts_cancel>(letts_cancel{std::make_shared<letts::Cancel>()}));
    });
}

LETTS_EXTERN void letts_cancel_trigger(letts_cancel* cancel) {
    // No allocation, no lock: safe in a signal handler.
    if (cancel != nullptr && cancel->cancel) cancel->cancel->trigger();
}

LETTS_EXTERN int letts_cancel_is_triggered(const letts_cancel* cancel) {
    return cancel != nullptr && cancel->cancel && cancel->cancel->triggered() ? 1 : 0;
}

LETTS_EXTERN void letts_cancel_free(letts_cancel* cancel) {
    std::unique_ptr<letts_cancel> owned(cancel);
}

}  // extern "C"
