#include "devserver/api.hpp"

#include <stdexcept>

#include "devserver/replies.hpp"
#include "devserver/routes.hpp"

namespace letts::devserver {
namespace {

http::Response body_too_large(std::int64_t limit) {
    return reply::error(413, "payload_too_large", "request body too large",
                        "{\"limit_bytes\":" + std::to_string(limit) + "}");
}

class BufferedBody : public http::Exchange {
public:
    BufferedBody(std::int64_t limit, std::function<http::Response(const std::string&)> fn)
        : limit_(limit), fn_(std::move(fn)) {}

    std::optional<http::Response> on_data(std::string_view chunk) override {
        body_.append(chunk);
        if (limit_ > 0 && static_cast<std::int64_t>(body_.size()) > limit_) return body_too_large(limit_);
        return std::nullopt;
    }
    http::Response on_end() override { return fn_(body_); }

private:
    std::int64_t limit_;
    std::function<http::Response(const std::string&)> fn_;
    std::string body_;
};

}  // namespace

Api::Api(Engine& engine)
    : engine_(engine),
      auth_(engine.config().auth_tokens, engine.config().exec.tokens, engine.config().admin_tokens) {
    auto bind = [this](http::Start (Api::*fn)(http::Request&)) -> Router::Fn {
        return [this, fn](http::Request& req) { return (this->*fn)(req); };
    };
    // The table lives in routes.cpp (the router fuzzer checks against it);
    // here each entry gets its handler.
    auto handler = [&](RouteId id) -> Router::Fn {
        switch (id) {
            case RouteId::healthz: return bind(&Api::healthz);
            case RouteId::readyz: return bind(&Api::readyz);
            case RouteId::version: return bind(&Api::version);
            case RouteId::metrics: return bind(&Api::metrics);
            case RouteId::dispatch: return bind(&Api::dispatch);
            case RouteId::exec_dispatch:
                // Disabled, the route answers 404 to everyone, token or not (§4.4).
                return bind(engine.config().exec.enabled ? &Api::exec_dispatch : &Api::exec_disabled);
            case RouteId::get_mission: return bind(&Api::get_mission);
            case RouteId::list_missions: return bind(&Api::list_missions);
            case RouteId::events: return bind(&Api::events);
            case RouteId::output: return bind(&Api::output);
            case RouteId::restart: return bind(&Api::restart);
            case RouteId::kill: return bind(&Api::kill);
            case RouteId::remove_mission: return bind(&Api::remove);
            case RouteId::bulk_restart: return bind(&Api::bulk_restart);
            case RouteId::bulk_delete: return bind(&Api::bulk_delete);
            case RouteId::staging_put: return bind(&Api::staging_put);
            case RouteId::staging_head: return bind(&Api::staging_head);
            case RouteId::staging_get: return bind(&Api::staging_get);
            case RouteId::staging_delete: return bind(&Api::staging_delete);
            case RouteId::staging_list: return bind(&Api::staging_list);
            case RouteId::staging_by_content: return bind(&Api::staging_by_content);
            case RouteId::apply: return bind(&Api::apply);
            case RouteId::admin_state: return bind(&Api::admin_state);
            case RouteId::pause_lane: return [this](http::Request& req) { return pause_lane(req, true); };
            case RouteId::continue_lane: return [this](http::Request& req) { return pause_lane(req, false); };
            case RouteId::inspect_dugdale: return bind(&Api::inspect_dugdale);
            case RouteId::inspect_lanes: return bind(&Api::inspect_lanes);
        }
        throw std::logic_error("route without a handler");
    };
    for (const RouteSpec& route : route_table()) router_.add(route.method, route.pattern, handler(route.id));
}

std::optional<http::Response> Api::deny(const http::Request& req, std::initializer_list<Scope> accepted,
                                        Scope& scope) {
    http::Response denied;
    auto s = auth_.check(req, accepted, denied);
    if (!s) return denied;
    scope = *s;
    return std::nullopt;
}

std::optional<http::Response> Api::refuse_announced_body(const http::Request& req, std::int64_t limit) {
    // A length that is not a number announces nothing: the body is then
    // held to `limit` as it arrives.
    const auto announced = req.content_length();
    if (limit > 0 && announced && *announced > limit) return body_too_large(limit);
    return std::nullopt;
}

http::Start Api::with_body(const http::Request& req, std::int64_t limit, BodyFn fn) {
    if (auto refused = refuse_announced_body(req, limit)) return std::move(*refused);
    return std::make_unique<BufferedBody>(limit, std::move(fn));
}

}  // namespace letts::devserver
