// letts/target.h: addressing options and their resolution against a config.
#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/target.h"

namespace cfg = letts::config;
using letts::capi::guarded;
using letts::capi::require;

namespace {

void assign(std::string& field, const char* value) {
    field = value ? value : "";
}

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_target_new(letts_target** out, letts_error** err) {
    return letts::capi::new_default_handle(out, err, "letts_target_new: out is NULL");
}

LETTS_EXTERN void letts_target_free(letts_target* target) {
    std::unique_ptr<letts_target> owned(target);
}

LETTS_EXTERN letts_status letts_target_set_route(letts_target* target, const char* route,
                                                 letts_error** err) {
    return guarded(err, [&] {
        require(target != nullptr, "letts_target_set_route: target is NULL");
        assign(target->spec.route, route);
    });
}

LETTS_EXTERN letts_status letts_target_set_host(letts_target* target, const char* host,
                                                letts_error** err) {
    return guarded(err, [&] {
        require(target != nullptr, "letts_target_set_host: target is NULL");
        assign(target->spec.host, host);
    });
}

LETTS_EXTERN letts_status letts_target_set_lane(letts_target* target, const char* lane,
                                                letts_error** err) {
    return guarded(err, [&] {
        require(target != nullptr, "letts_target_set_lane: target is NULL");
        assign(target->spec.lane, lane);
    });
}

LETTS_EXTERN letts_status letts_target_set_match(letts_target* target,
                                                 const char* const* labels, size_t n_labels,
                                                 letts_error** err) {
    return guarded(err, [&] {
        require(target != nullptr, "letts_target_set_match: target is NULL");
        target->spec.match = letts::capi::copy_string_array(labels, n_labels, "labels");
    });
}

LETTS_EXTERN letts_status letts_target_resolve(const letts_target* target,
                                               const letts_config* config,
                                               const char* const* scope_match,
                                               size_t n_scope_match, char** dugdale_id,
                                               char** lane, letts_error** err) {
    if (dugdale_id) *dugdale_id = nullptr;
    if (lane) *lane = nullptr;
    return guarded(err, [&] {
        require(target != nullptr, "letts_target_resolve: target is NULL");
        require(config != nullptr, "letts_target_resolve: cfg is NULL");
        require(dugdale_id != nullptr && lane != nullptr,
                "letts_target_resolve: dugdale_id and lane must not be NULL");
        auto scope = letts::capi::copy_string_array(scope_match, n_scope_match, "scope_match");
        cfg::Resolved resolved = cfg::resolve_target(config->config, target->spec, scope,
                                                     cfg::process_environment(),
                                                     cfg::default_chooser());
        // Both or neither: allocate both before handing either over.
        std::unique_ptr<char, decltype(&letts_free)> id(
            letts::capi::copy_to_caller(resolved.dugdale_id), &letts_free);
        char* lane_copy = letts::capi::copy_to_caller(resolved.lane);
        *dugdale_id = id.release();
        *lane = lane_copy;
    });
}

}  // extern "C"
