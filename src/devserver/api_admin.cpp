// POST /v1/admin/apply, GET /v1/admin/state, lane pause/continue,
// GET /v1/dugdale and GET /v1/lanes.
#include <cctype>

#include "core/quote.hpp"
#include "devserver/api.hpp"
#include "devserver/applied_doc.hpp"
#include "devserver/apply.hpp"
#include "devserver/clock.hpp"
#include "devserver/json_out.hpp"
#include "devserver/replies.hpp"
#include "letts/version.h"

namespace letts::devserver {
namespace {

// Boolean query parameters are true only for a case-insensitive "true".
json::Ptr names_or_null(const std::vector<std::string>& names) {
    if (names.empty()) return json::null();
    auto a = json::array();
    for (const auto& n : names) json::append(a.get(), json::string(n));
    return a;
}

const char* kind_filter(Scope s) {
    switch (s) {
        case Scope::dispatch: return "mission";
        case Scope::exec: return "exec";
        case Scope::admin: return nullptr;
    }
    return nullptr;
}

}  // namespace

http::Start Api::apply(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    ApplyFlags flags{req.query_flag("force"), req.query_flag("prune"), req.query_flag("force_prune")};
    return with_body(req, engine_.config().limits.max_apply_body_size, [this, flags](const std::string& body) {
        AppliedState desired;
        std::string error;
        if (!decode_applied(body, desired, error)) return reply::error(400, "invalid_json", error);
        MutexLock lock(engine_.mutex());
        ApplyOutcome out = apply_locked(engine_, std::move(desired), flags);
        switch (out.kind) {
            case ApplyOutcome::Kind::invalid_lane:
                // Message and reason as the daemon words them (the reason is
                // the client-config validator's text it passes through).
                return reply::error(400, "invalid_lane_name", "lane name validation failed",
                                    "{\"lane\":" + jv::quote(out.bad_lane) + ",\"reason\":" +
                                        jv::quote("invalid lane name " + quoted(out.bad_lane, 4096) +
                                                  " (must match ^[a-z][a-z0-9_-]{0,31}$)") +
                                        "}");
            case ApplyOutcome::Kind::runtime_conflict:
                return reply::error(409, "conflict",
                                    "runtime or mission_dir changed while missions are queued or running; use force",
                                    "{\"reason\":\"runtime_or_mission_dir_changed_with_active_missions\"}");
            case ApplyOutcome::Kind::lanes_conflict: {
                auto d = json::object();
                json::add(d.get(), "blocked_lanes", names_or_null(out.blocked_lanes));
                json::add(d.get(), "reason", json::string("lanes_with_active_missions"));
                return reply::error(409, "conflict", "pruning would remove lanes with active missions; use force_prune",
                                    json::print(d.get()));
            }
            case ApplyOutcome::Kind::ok: break;
        }
        auto diff = json::object();
        json::add(diff.get(), "MissionDirChanged", json::boolean(out.mission_dir_changed));
        json::add(diff.get(), "LabelsChanged", json::boolean(out.labels_changed));
        json::add(diff.get(), "RuntimeChanged", json::boolean(out.runtime_changed));
        json::add(diff.get(), "LanesAdded", names_or_null(out.added));
        json::add(diff.get(), "LanesRemoved", names_or_null(out.removed));
        json::add(diff.get(), "LanesResized", names_or_null(out.resized_diff));
        auto o = json::object();
        json::add(o.get(), "diff", std::move(diff));
        json::add(o.get(), "started", names_or_null(out.added));
        json::add(o.get(), "stopped", names_or_null(out.removed));
        json::add(o.get(), "resized", names_or_null(out.resized_runner));
        return reply::json(200, o.get());
    });
}

http::Start Api::admin_state(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    MutexLock lock(engine_.mutex());
    auto o = json::object();
    if (!engine_.applied_locked()) {
        json::add(o.get(), "applied_at", json::null());
        json::add(o.get(), "lanes", json::array());
        return reply::json(200, o.get());
    }
    json::add(o.get(), "applied_at", jout::int64(engine_.applied_at_locked()));
    json::add(o.get(), "source", json::null());
    json::add(o.get(), "state", encode_applied(*engine_.applied_locked()));
    return reply::json(200, o.get());
}

http::Start Api::pause_lane(http::Request& req, bool pause) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    const std::string& name = req.params.at(0);
    MutexLock lock(engine_.mutex());
    if (!set_lane_paused_locked(engine_, name, pause))
        return reply::error(404, "lane_not_found", "lane \"" + name + "\" not found");
    auto o = json::object();
    json::add(o.get(), "status", json::string(pause ? "paused" : "running"));
    return reply::json(200, o.get());
}

http::Start Api::inspect_dugdale(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::dispatch, Scope::exec}, scope)) return std::move(*denied);
    MutexLock lock(engine_.mutex());
    const char* kind = kind_filter(scope);
    std::int64_t queued = 0, running = 0;
    for (const auto& [id, job] : engine_.jobs_locked()) {
        if (kind && job->kind != kind) continue;
        if (job->status == JobStatus::queued) ++queued;
        else if (job->status == JobStatus::running) ++running;
    }
    auto o = json::object();
    json::add(o.get(), "version", json::string(LETTS_VERSION_STRING));
    json::add(o.get(), "uptime_seconds", json::number(static_cast<double>(now_ms() - engine_.started_ms()) / 1000.0));
    json::add(o.get(), "applied_at", engine_.applied_locked() ? jout::int64(engine_.applied_at_locked()) : json::null());
    auto summary = json::object();
    json::add(summary.get(), "queued", jout::int64(queued));
    json::add(summary.get(), "running", jout::int64(running));
    json::add(o.get(), "queue_summary", std::move(summary));
    return reply::json(200, o.get());
}

http::Start Api::inspect_lanes(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::dispatch, Scope::exec}, scope)) return std::move(*denied);
    MutexLock lock(engine_.mutex());
    const char* kind = kind_filter(scope);
    auto a = json::array();
    for (const auto& [name, lane] : engine_.lanes_locked()) {
        std::int64_t queued = 0, running = 0;
        for (const auto& [id, job] : engine_.jobs_locked()) {
            if (job->lane != name || (kind && job->kind != kind)) continue;
            if (job->status == JobStatus::queued) ++queued;
            else if (job->status == JobStatus::running) ++running;
        }
        auto l = json::object();
        json::add(l.get(), "name", json::string(name));
        json::add(l.get(), "concurrency", jout::int64(lane.concurrency));
        json::add(l.get(), "paused", json::boolean(lane.paused));
        json::add(l.get(), "queued", jout::int64(queued));
        json::add(l.get(), "running", jout::int64(running));
        json::append(a.get(), std::move(l));
    }
    return reply::json(200, a.get());
}

}  // namespace letts::devserver
