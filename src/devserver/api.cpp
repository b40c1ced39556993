#include "devserver/api.hpp"

#include "devserver/replies.hpp"

namespace letts::devserver {
namespace {

class BufferedBody : public http::Exchange {
public:
    BufferedBody(std::int64_t limit, std::function<http::Response(const std::string&)> fn)
        : limit_(limit), fn_(std::move(fn)) {}

    std::optional<http::Response> on_data(std::string_view chunk) override {
        body_.append(chunk);
        if (limit_ > 0 && static_cast<std::int64_t>(body_.size()) > limit_)
            return reply::error(413, "payload_too_large", "request body too large",
                                "{\"limit_bytes\":" + std::to_string(limit_) + "}");
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
    auto bind = [this](http::Start (Api::*fn)(http::Request&)) {
        return [this, fn](http::Request& req) { return (this->*fn)(req); };
    };
    router_.add("GET", "/v1/healthz", bind(&Api::healthz));
    router_.add("GET", "/v1/readyz", bind(&Api::readyz));
    router_.add("GET", "/v1/version", bind(&Api::version));
    router_.add("GET", "/v1/metrics", bind(&Api::metrics));
    router_.add("POST", "/v1/dispatch", bind(&Api::dispatch));
    router_.add("POST", "/v1/exec/dispatch", bind(&Api::exec_disabled));
    router_.add("GET", "/v1/missions/{id}", bind(&Api::get_mission));
    router_.add("GET", "/v1/missions", bind(&Api::list_missions));
    router_.add("GET", "/v1/missions/{id}/events", bind(&Api::events));
    router_.add("GET", "/v1/missions/{id}/output", bind(&Api::output));
    router_.add("POST", "/v1/missions/{id}/restart", bind(&Api::restart));
    router_.add("POST", "/v1/missions/{id}/kill", bind(&Api::kill));
    router_.add("DELETE", "/v1/missions/{id}", bind(&Api::remove));
    router_.add("POST", "/v1/missions/bulk-restart", bind(&Api::bulk_restart));
    router_.add("POST", "/v1/missions/bulk-delete", bind(&Api::bulk_delete));
    router_.add("PUT", "/v1/staging/{id}", bind(&Api::staging_put));
    router_.add("HEAD", "/v1/staging/{id}", bind(&Api::staging_head));
    router_.add("GET", "/v1/staging/{id}", bind(&Api::staging_get));
    router_.add("DELETE", "/v1/staging/{id}", bind(&Api::staging_delete));
    router_.add("GET", "/v1/staging", bind(&Api::staging_list));
    router_.add("GET", "/v1/staging/by-content/{sha}", bind(&Api::staging_by_content));
    router_.add("POST", "/v1/admin/apply", bind(&Api::apply));
    router_.add("GET", "/v1/admin/state", bind(&Api::admin_state));
    router_.add("POST", "/v1/admin/lanes/{name}/pause",
                [this](http::Request& req) { return pause_lane(req, true); });
    router_.add("POST", "/v1/admin/lanes/{name}/continue",
                [this](http::Request& req) { return pause_lane(req, false); });
    router_.add("GET", "/v1/dugdale", bind(&Api::inspect_dugdale));
    router_.add("GET", "/v1/lanes", bind(&Api::inspect_lanes));
}

std::optional<http::Response> Api::deny(const http::Request& req, std::initializer_list<Scope> accepted,
                                        Scope& scope) {
    http::Response denied;
    auto s = auth_.check(req, accepted, denied);
    if (!s) return denied;
    scope = *s;
    return std::nullopt;
}

http::Start Api::with_body(const http::Request& req, std::int64_t limit, BodyFn fn) {
    if (auto cl = req.header("Content-Length")) {
        char* end = nullptr;
        const long long declared = std::strtoll(cl->c_str(), &end, 10);
        if (limit > 0 && end && *end == '\0' && declared > limit)
            return reply::error(413, "payload_too_large", "request body too large",
                                "{\"limit_bytes\":" + std::to_string(limit) + "}");
    }
    return std::make_unique<BufferedBody>(limit, std::move(fn));
}

}  // namespace letts::devserver
