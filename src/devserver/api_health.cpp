// GET /v1/healthz, /v1/readyz, /v1/version, /v1/metrics, and exec, which
// answers 404 feature_disabled as a daemon with exec turned off does.
#include "devserver/api.hpp"
#include "devserver/json_out.hpp"
#include "devserver/replies.hpp"
#include "letts/version.h"

namespace letts::devserver {

http::Start Api::healthz(http::Request&) {
    auto o = json::object();
    json::add(o.get(), "status", json::string("ok"));
    return reply::json(200, o.get());
}

http::Start Api::readyz(http::Request&) {
    MutexLock lock(engine_.mutex());
    if (engine_.draining_locked()) return reply::error_retry(503, "awaiting_drain", "dugdale is draining", 30);
    if (!engine_.applied_locked())
        return reply::error(503, "awaiting_apply", "no configuration has been applied yet", "{\"applied_at\":null}");
    auto o = json::object();
    json::add(o.get(), "applied_at", jout::int64(engine_.applied_at_locked()));
    json::add(o.get(), "status", json::string("ok"));
    return reply::json(200, o.get());
}

http::Start Api::version(http::Request&) {
    auto o = json::object();
    // The daemon says "unknown" for build facts nobody stamped into the
    // binary (its unstamped defaults); the devserver knows neither.
    json::add(o.get(), "built_at", json::string("unknown"));
    json::add(o.get(), "commit", json::string("unknown"));
    json::add(o.get(), "version", json::string(LETTS_VERSION_STRING));
    return reply::json(200, o.get());
}

http::Start Api::metrics(http::Request&) {
    // Clients do not read metrics; an empty exposition is allowed (§5.4).
    http::Response r;
    r.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return r;
}

http::Start Api::exec_disabled(http::Request&) {
    return reply::error(404, "feature_disabled", "exec is disabled in dugdale.yaml");
}

}  // namespace letts::devserver
