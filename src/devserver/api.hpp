// The HTTP API of dugdale as served by the devserver: the route table and
// one handler per endpoint. Handlers are grouped by resource in the api_*.cpp
// files; each follows its endpoint's error table in http-api.md §5 in order.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "devserver/auth.hpp"
#include "devserver/engine.hpp"
#include "devserver/http_types.hpp"
#include "devserver/router.hpp"

namespace letts::devserver {

// Kind isolation (§4.5): dispatch tokens see missions, exec tokens execs.
bool kind_visible(Scope scope, const Job& job);

class Api {
public:
    explicit Api(Engine& engine);
    http::Start handle(http::Request& req) { return router_.route(req); }

private:
    using BodyFn = std::function<http::Response(const std::string& body)>;

    // Authenticates for `accepted` and, when that fails, returns the error.
    std::optional<http::Response> deny(const http::Request& req, std::initializer_list<Scope> accepted,
                                       Scope& scope);
    // The 413 for a request whose Content-Length announces more than
    // `limit` (> 0) bytes, before any of the body is read.
    static std::optional<http::Response> refuse_announced_body(const http::Request& req, std::int64_t limit);
    // A request whose body is read up to `limit` bytes (413 beyond), then
    // handed to `fn`.
    static http::Start with_body(const http::Request& req, std::int64_t limit, BodyFn fn);

    // api_health.cpp
    http::Start healthz(http::Request& req);
    http::Start readyz(http::Request& req);
    http::Start version(http::Request& req);
    http::Start metrics(http::Request& req);
    http::Start exec_disabled(http::Request& req);
    // api_dispatch.cpp
    http::Start dispatch(http::Request& req);
    http::Response dispatch_body(const std::string& key, const std::string& body);
    // api_exec.cpp
    http::Start exec_dispatch(http::Request& req);
    http::Response exec_dispatch_body(const std::string& key, const std::string& body);
    // api_missions.cpp
    http::Start get_mission(http::Request& req);
    http::Start list_missions(http::Request& req);
    // api_streams.cpp
    http::Start events(http::Request& req);
    http::Start output(http::Request& req);
    // api_control.cpp
    http::Start kill(http::Request& req);
    http::Start restart(http::Request& req);
    http::Start remove(http::Request& req);
    http::Start bulk_restart(http::Request& req);
    http::Start bulk_delete(http::Request& req);
    // api_staging.cpp
    http::Start staging_put(http::Request& req);
    http::Start staging_head(http::Request& req);
    http::Start staging_get(http::Request& req);
    http::Start staging_delete(http::Request& req);
    http::Start staging_list(http::Request& req);
    http::Start staging_by_content(http::Request& req);
    // api_admin.cpp
    http::Start apply(http::Request& req);
    http::Start admin_state(http::Request& req);
    http::Start pause_lane(http::Request& req, bool pause);
    http::Start inspect_dugdale(http::Request& req);
    http::Start inspect_lanes(http::Request& req);

    Engine& engine_;
    Authenticator auth_;
    Router router_;
};

}  // namespace letts::devserver
