#include "devserver/routes.hpp"

namespace letts::devserver {

namespace {

// The overlaps the router must resolve: /v1/missions/{id} against
// /v1/missions/bulk-restart (and bulk-delete), HEAD and GET on
// /v1/staging/{id} (an explicit HEAD route besides the GET one).
constexpr RouteSpec kRoutes[] = {
    {"GET", "/v1/healthz", RouteId::healthz},
    {"GET", "/v1/readyz", RouteId::readyz},
    {"GET", "/v1/version", RouteId::version},
    {"GET", "/v1/metrics", RouteId::metrics},
    {"POST", "/v1/dispatch", RouteId::dispatch},
    {"POST", "/v1/exec/dispatch", RouteId::exec_dispatch},
    {"GET", "/v1/missions/{id}", RouteId::get_mission},
    {"GET", "/v1/missions", RouteId::list_missions},
    {"GET", "/v1/missions/{id}/events", RouteId::events},
    {"GET", "/v1/missions/{id}/output", RouteId::output},
    {"POST", "/v1/missions/{id}/restart", RouteId::restart},
    {"POST", "/v1/missions/{id}/kill", RouteId::kill},
    {"DELETE", "/v1/missions/{id}", RouteId::remove_mission},
    {"POST", "/v1/missions/bulk-restart", RouteId::bulk_restart},
    {"POST", "/v1/missions/bulk-delete", RouteId::bulk_delete},
    {"PUT", "/v1/staging/{id}", RouteId::staging_put},
    {"HEAD", "/v1/staging/{id}", RouteId::staging_head},
    {"GET", "/v1/staging/{id}", RouteId::staging_get},
    {"DELETE", "/v1/staging/{id}", RouteId::staging_delete},
    {"GET", "/v1/staging", RouteId::staging_list},
    {"GET", "/v1/staging/by-content/{sha}", RouteId::staging_by_content},
    {"POST", "/v1/admin/apply", RouteId::apply},
    {"GET", "/v1/admin/state", RouteId::admin_state},
    {"POST", "/v1/admin/lanes/{name}/pause", RouteId::pause_lane},
    {"POST", "/v1/admin/lanes/{name}/continue", RouteId::continue_lane},
    {"GET", "/v1/dugdale", RouteId::inspect_dugdale},
    {"GET", "/v1/lanes", RouteId::inspect_lanes},
};

}  // namespace

std::span<const RouteSpec> route_table() noexcept { return kRoutes; }

}  // namespace letts::devserver
