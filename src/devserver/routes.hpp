// The devserver's route table: which method and path pattern reach which
// handler. It has one home so that Api (which binds each entry to its
// handler) and the router fuzzer (which checks the router against exactly
// this table) cannot drift apart: a route added here is served and fuzzed.
#pragma once

#include <span>

namespace letts::devserver {

// One handler of Api per value; Api::Api switches over it, so a value
// without a handler is a -Wswitch warning.
enum class RouteId {
    healthz,
    readyz,
    version,
    metrics,
    dispatch,
    exec_dispatch,
    get_mission,
    list_missions,
    events,
    output,
    restart,
    kill,
    remove_mission,
    bulk_restart,
    bulk_delete,
    staging_put,
    staging_head,
    staging_get,
    staging_delete,
    staging_list,
    staging_by_content,
    apply,
    admin_state,
    pause_lane,
    continue_lane,
    inspect_dugdale,
    inspect_lanes,
};

struct RouteSpec {
    const char* method;
    const char* pattern;  // Router::add's syntax: "/v1/missions/{id}"
    RouteId id;
};

// Every route, in the order Api registers them (the router picks the most
// specific match, so the order does not decide between overlaps).
std::span<const RouteSpec> route_table() noexcept;

}  // namespace letts::devserver
