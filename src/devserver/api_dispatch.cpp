// POST /v1/dispatch (http-api.md §5.5, decision table §11.2).
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/uuidv7.hpp"
#include "devserver/api.hpp"
#include "devserver/clock.hpp"
#include "devserver/fd3_reader.hpp"
#include "devserver/fingerprint.hpp"
#include "devserver/json_out.hpp"
#include "devserver/json_value.hpp"
#include "devserver/replies.hpp"
#include "core/names.hpp"

namespace letts::devserver {
namespace {

http::Response accepted(int status, const std::string& id, const char* job_status) {
    auto o = json::object();
    json::add(o.get(), "mission_id", json::string(id));
    json::add(o.get(), "status", json::string(job_status));
    return reply::json(status, o.get());
}

http::Response bad(const std::string& message) { return reply::error(400, "bad_request", message); }

struct FileRef {
    std::string role, staging_id;
};

}  // namespace

http::Start Api::dispatch(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::dispatch}, scope)) return std::move(*denied);
    const auto limit = engine_.config().limits.max_dispatch_body_size;
    if (auto refused = refuse_announced_body(req, limit)) return std::move(*refused);
    {
        MutexLock lock(engine_.mutex());
        if (engine_.draining_locked()) return reply::error_retry(503, "draining", "dugdale is shutting down", 30);
    }
    if (engine_.over_data_dir_quota())
        return reply::error_retry(503, "disk_quota_exceeded", "data_dir size exceeds max_data_dir_size", 30);
    const std::string key = req.header("Idempotency-Key").value_or("");
    if (!uuidv7::is_valid(key))
        return bad(key.empty() ? "missing Idempotency-Key header" : "Idempotency-Key must be a UUIDv7");
    return with_body(req, limit, [this, key](const std::string& body) { return dispatch_body(key, body); });
}

http::Response Api::dispatch_body(const std::string& key, const std::string& body) {
    const auto& limits = engine_.config().limits;
    auto parsed = jv::parse(body);
    if (!parsed.value) return bad("invalid JSON body: " + parsed.error);
    const jv::Value& root = *parsed.value;
    if (root.type != jv::Type::object && root.type != jv::Type::null)
        return bad(std::string("invalid JSON body: cannot unmarshal ") + root.go_type_name() + " into dispatch request");
    auto string_member = [&](const char* name, std::string& out) {
        const jv::Value* v = root.type == jv::Type::object ? root.find_fold(name) : nullptr;
        if (!v || v->type == jv::Type::null) return true;
        if (v->type != jv::Type::string) return false;
        out = v->text;
        return true;
    };
    std::string mission, lane, timeout;
    if (!string_member("mission", mission)) return bad("invalid JSON body: mission must be a string");
    if (!string_member("lane", lane)) return bad("invalid JSON body: lane must be a string");
    if (!string_member("timeout", timeout)) return bad("invalid JSON body: timeout must be a string");
    std::vector<FileRef> files;
    if (const jv::Value* f = root.type == jv::Type::object ? root.find_fold("files") : nullptr;
        f && f->type != jv::Type::null) {
        if (f->type != jv::Type::array) return bad("invalid JSON body: files must be an array");
        for (const auto& item : f->items) {
            FileRef ref;
            if (item.type == jv::Type::object) {
                const jv::Value* role = item.find_fold("role");
                const jv::Value* sid = item.find_fold("staging_id");
                if ((role && role->type != jv::Type::string && role->type != jv::Type::null) ||
                    (sid && sid->type != jv::Type::string && sid->type != jv::Type::null))
                    return bad("invalid JSON body: files entries need string role and staging_id");
                if (role && role->type == jv::Type::string) ref.role = role->text;
                if (sid && sid->type == jv::Type::string) ref.staging_id = sid->text;
            } else if (item.type != jv::Type::null) {
                return bad("invalid JSON body: files entries must be objects");
            }
            files.push_back(std::move(ref));
        }
    }
    if (!names::is_mission_name(mission)) return bad("invalid mission name \"" + mission + "\"");
    if (!names::is_lane_name(lane)) return bad("invalid lane name \"" + lane + "\"");

    const jv::Value* input = root.type == jv::Type::object ? root.find_fold("input") : nullptr;
    std::string canonical_input = "null";
    if (input) {
        auto c = jv::canonical(*input);
        if (!c) return bad("input cannot be canonicalized (duplicate object keys, invalid UTF-8 or a bad number)");
        canonical_input = std::move(*c);
    }
    std::optional<std::int64_t> timeout_ms;
    if (!timeout.empty()) {
        try {
            timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             duration::parse_timeout(timeout))
                             .count();
        } catch (const Error&) {
            return bad("invalid timeout \"" + timeout + "\"");
        }
    }
    for (const auto& f : files) {
        if (!names::is_role_key(f.role)) return bad("invalid file role \"" + f.role + "\"");
        if (!uuidv7::is_valid(f.staging_id)) return bad("invalid staging_id \"" + f.staging_id + "\"");
    }

    MutexLock lock(engine_.mutex());
    const auto existing = engine_.find_locked(key);
    std::vector<InputRef> inputs;
    for (const auto& f : files) {
        const auto row = engine_.staging().find(f.staging_id);
        if (!row || row->state != StagingState::complete) {
            // The fingerprint cannot be recomputed: answer from the row alone.
            if (existing && existing->status == JobStatus::deleting)
                return reply::error(410, "mission_deleting", "mission is being deleted",
                                    "{\"mission_id\":" + jv::quote(key) + "}");
            if (existing) return accepted(200, key, status_name(existing->status));
            return reply::error(400, "unknown_staging_ref", "staging file " + f.staging_id + " is not available");
        }
        inputs.push_back(InputRef{f.role, f.staging_id, row->sha256, row->size});
    }
    for (std::size_t i = 0; i < files.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (files[i].role == files[j].role)
                return reply::error(400, "duplicate_role", "duplicate file role \"" + files[i].role + "\"",
                                    "{\"role\":" + jv::quote(files[i].role) + "}");

    const std::string fingerprint = mission_fingerprint(lane, mission, canonical_input, timeout_ms, inputs);
    if (existing) {
        if (existing->kind == "mission" && existing->fingerprint == fingerprint) {
            if (existing->status == JobStatus::deleting)
                return reply::error(410, "mission_deleting", "mission is being deleted",
                                    "{\"mission_id\":" + jv::quote(key) + "}");
            return accepted(200, key, status_name(existing->status));
        }
        auto e = json::object();
        json::add(e.get(), "mission_id", json::string(existing->id));
        json::add(e.get(), "kind", json::string(existing->kind));
        json::add(e.get(), "mission", json::string(existing->mission_name));
        json::add(e.get(), "lane", json::string(existing->lane));
        json::add(e.get(), "status", json::string(status_name(existing->status)));
        auto d = json::object();
        json::add(d.get(), "existing", std::move(e));
        return reply::error(409, "idempotency_conflict", "Idempotency-Key reused with a different request",
                            json::print(d.get()));
    }
    if (static_cast<std::int64_t>(canonical_input.size()) > limits.max_mission_input_size)
        return reply::error(413, "payload_too_large", "input exceeds max_mission_input_size");
    if (!engine_.applied_locked() || engine_.applied_locked()->lanes.empty())
        return reply::error(412, "no_lanes_configured", "no lanes are configured; apply a configuration first");
    auto lane_it = engine_.lanes_locked().find(lane);
    if (lane_it == engine_.lanes_locked().end()) return reply::error(400, "unknown_lane", "unknown lane \"" + lane + "\"");
    if (lane_it->second.removing)
        return reply::error_retry(503, "lane_removing", "lane is being removed", 5,
                                  "{\"lane\":" + jv::quote(lane) + "}");
    if (limits.max_queue_per_lane > 0) {
        const auto n = engine_.active_count_locked(&lane, nullptr);
        if (n >= limits.max_queue_per_lane)
            return reply::error_retry(503, "queue_full", "lane queue limit", 5,
                                      "{\"lane\":" + jv::quote(lane) + ",\"queued\":" + std::to_string(n) + "}");
    }
    if (limits.max_queue_total > 0 && engine_.active_count_locked(nullptr, nullptr) >= limits.max_queue_total)
        return reply::error_retry(503, "queue_full", "total queue limit", 5);

    auto job = std::make_shared<Job>();
    job->id = key;
    job->lane = lane;
    job->mission_name = mission;
    job->input = std::move(canonical_input);
    job->fingerprint = fingerprint;
    job->timeout_ms = timeout_ms;
    job->inputs = std::move(inputs);
    const AppliedState& a = *engine_.applied_locked();
    job->runtime = RuntimeSnapshot{a.mission_dir, a.mission_path_template, a.command_template, a.validate_mission_file};
    job->time_created = now_ms();
    engine_.enqueue_locked(job);
    return accepted(202, key, "queued");
}

}  // namespace letts::devserver
