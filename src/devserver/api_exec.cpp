// POST /v1/exec/dispatch (http-api.md §5.6, decision table §11.2): the
// request is decoded and checked by exec_request.cpp; here its staging
// files are resolved, the key replayed or the exec job queued. The job runs
// on the missions' supervisor (supervised_mission.cpp, exec_runtime.hpp).
#include "core/uuidv7.hpp"
#include "devserver/api.hpp"
#include "devserver/clock.hpp"
#include "devserver/exec_request.hpp"
#include "devserver/json_out.hpp"
#include "devserver/json_value.hpp"
#include "devserver/replies.hpp"

namespace letts::devserver {
namespace {

http::Response accepted(int status, const std::string& id, const char* job_status) {
    auto o = json::object();
    json::add(o.get(), "exec_id", json::string(id));
    json::add(o.get(), "status", json::string(job_status));
    return reply::json(status, o.get());
}

// The staging files of the request, as the job records them.
struct Resolved {
    std::vector<InputRef> in;      // the `in` entries, role = key
    std::optional<InputRef> stdin_ref;  // role __stdin__
    std::string script_sha256;
    std::int64_t script_size = 0;
};

// Row 22: each referenced file exists and is complete (script, in, stdin).
std::optional<http::Response> resolve_staging_locked(Engine& engine, const ExecRequest& r, Resolved& out)
    REQUIRES(engine.mutex()) {
    auto lookup = [&](const std::string& id, const std::string& role) -> std::optional<InputRef> {
        const auto row = engine.staging().find(id);
        if (!row || row->state != StagingState::complete) return std::nullopt;
        return InputRef{role, id, row->sha256, row->size};
    };
    auto unknown = [](const std::string& id) {
        return reply::error(400, "unknown_staging_ref", "staging file " + id + " is not available",
                            "{\"staging_id\":" + jv::quote(id) + "}");
    };
    if (r.script) {
        const auto ref = lookup(*r.script, "");
        if (!ref) return unknown(*r.script);
        out.script_sha256 = ref->sha256;
        out.script_size = ref->size;
    }
    for (const auto& e : r.in) {
        auto ref = lookup(e.staging_id, e.key);
        if (!ref) return unknown(e.staging_id);
        out.in.push_back(std::move(*ref));
    }
    if (!r.stdin_staging_id.empty()) {
        out.stdin_ref = lookup(r.stdin_staging_id, exec_stdin_role);
        if (!out.stdin_ref) return unknown(r.stdin_staging_id);
    }
    return std::nullopt;
}

// Rows 24–26, for a key already used.
http::Response replay_or_conflict(const std::string& key, const Job& existing, const std::string& fingerprint) {
    if (existing.kind == "exec" && existing.fingerprint == fingerprint) {
        if (existing.status == JobStatus::deleting)
            return reply::error(410, "mission_deleting", "idempotency key belongs to an exec being deleted",
                                "{\"exec_id\":" + jv::quote(key) + "}");
        return accepted(200, key, status_name(existing.status));
    }
    auto e = json::object();
    json::add(e.get(), "exec_id", json::string(existing.id));
    json::add(e.get(), "kind", json::string(existing.kind));
    json::add(e.get(), "lane", json::string(existing.lane));
    json::add(e.get(), "status", json::string(status_name(existing.status)));
    auto details = json::object();
    json::add(details.get(), "existing", std::move(e));
    return reply::error(409, "idempotency_conflict", "Idempotency-Key reused with a different exec request",
                        json::print(details.get()));
}

// Rows 27–29, for a new key: a configured lane that is not being removed.
std::optional<http::Response> refuse_admission_locked(Engine& engine, const std::string& lane)
    REQUIRES(engine.mutex()) {
    if (!engine.applied_locked() || engine.applied_locked()->lanes.empty())
        return reply::error(412, "no_lanes_configured", "no lanes are configured; apply a configuration first");
    const auto it = engine.lanes_locked().find(lane);
    if (it == engine.lanes_locked().end())
        return reply::error(400, "unknown_lane", "lane \"" + lane + "\" not in applied config");
    if (it->second.removing)
        return reply::error_retry(503, "lane_removing", "lane is being removed", 5,
                                  "{\"lane\":" + jv::quote(lane) + "}");
    return std::nullopt;
}

void enqueue_exec_locked(Engine& engine, const std::string& key, const ExecRequest& r, Resolved res,
                         std::string fingerprint) REQUIRES(engine.mutex()) {
    auto spec = std::make_shared<ExecSpec>();
    spec->command = r.command;
    spec->script_staging_id = r.script.value_or("");
    spec->out_keys = r.out;
    spec->group_id = r.group_id;
    spec->display_name = r.display_name;
    auto job = std::make_shared<Job>();
    job->id = key;
    job->kind = "exec";
    job->lane = r.lane;
    job->mission_name = "exec";
    job->input = exec_stored_input(r);
    job->fingerprint = std::move(fingerprint);
    job->timeout_ms = r.timeout_ms;
    job->inputs = std::move(res.in);
    if (res.stdin_ref) job->inputs.push_back(std::move(*res.stdin_ref));
    job->exec = std::move(spec);
    job->time_created = now_ms();
    engine.enqueue_locked(job);
}

}  // namespace

http::Start Api::exec_dispatch(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::exec}, scope)) return std::move(*denied);
    const auto limit = engine_.config().limits.max_exec_body_size;
    if (auto refused = refuse_announced_body(req, limit)) return std::move(*refused);
    {
        MutexLock lock(engine_.mutex());
        if (engine_.draining_locked())
            return reply::error_retry(503, "draining", "dugdale is shutting down; retry on another instance", 30);
    }
    if (engine_.over_data_dir_quota())
        return reply::error_retry(503, "disk_quota_exceeded", "data_dir size exceeds max_data_dir_size", 30);
    const std::string key = req.header("Idempotency-Key").value_or("");
    if (!uuidv7::is_valid(key))
        return reply::error(400, "bad_request",
                            key.empty() ? "missing Idempotency-Key header" : "Idempotency-Key must be a valid UUIDv7");
    return with_body(req, limit, [this, key](const std::string& body) { return exec_dispatch_body(key, body); });
}

http::Response Api::exec_dispatch_body(const std::string& key, const std::string& body) {
    ExecRequest r;
    if (auto err = parse_exec_request(body, engine_.config().exec, r)) return std::move(*err);

    MutexLock lock(engine_.mutex());
    Resolved res;
    if (auto err = resolve_staging_locked(engine_, r, res)) return std::move(*err);
    const auto max_script = engine_.config().exec.max_script_size;
    if (r.script && max_script > 0 && res.script_size > max_script)
        return reply::error(400, "script_too_large",
                            "script is " + std::to_string(res.script_size) + " bytes, exceeds exec.max_script_size",
                            "{\"max\":" + std::to_string(max_script) + ",\"size\":" +
                                std::to_string(res.script_size) + "}");
    std::string fingerprint = exec_fingerprint(r, res.in, res.script_sha256);
    if (const auto existing = engine_.find_locked(key)) return replay_or_conflict(key, *existing, fingerprint);
    if (auto err = refuse_admission_locked(engine_, r.lane)) return std::move(*err);
    enqueue_exec_locked(engine_, key, r, std::move(res), std::move(fingerprint));
    return accepted(202, key, "queued");
}

}  // namespace letts::devserver
