// POST /v1/dispatch (http-api.md §5.5, decision table §11.2).
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/uuidv7.hpp"
#include "devserver/api.hpp"
#include "devserver/clock.hpp"
#include "devserver/fd3_reader.hpp"
#include "devserver/fingerprint.hpp"
#include "devserver/first_duplicate.hpp"
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

// A dispatch body as decoded and checked, before the state is looked at.
struct DispatchRequest {
    std::string mission, lane, timeout;
    std::vector<FileRef> files;
    std::string canonical_input = "null";  // the fingerprint's form of `input`
    std::optional<std::int64_t> timeout_ms;
};

const jv::Value* member(const jv::Value& root, const char* name) {
    return root.type == jv::Type::object ? root.find_fold(name) : nullptr;
}

// A string member as Go's decoder reads it into a string field: absent or
// null keeps "", another type fails.
bool read_string_member(const jv::Value& root, const char* name, std::string& out) {
    const jv::Value* v = member(root, name);
    if (!v || v->type == jv::Type::null) return true;
    if (v->type != jv::Type::string) return false;
    out = v->text;
    return true;
}

// One entry of `files`: an object with string (or null) role and
// staging_id; a null entry is an empty reference, as Go decodes it.
std::optional<http::Response> read_file_ref(const jv::Value& item, FileRef& ref) {
    if (item.type == jv::Type::null) return std::nullopt;
    if (item.type != jv::Type::object) return bad("invalid JSON body: files entries must be objects");
    const jv::Value* role = item.find_fold("role");
    const jv::Value* sid = item.find_fold("staging_id");
    if ((role && role->type != jv::Type::string && role->type != jv::Type::null) ||
        (sid && sid->type != jv::Type::string && sid->type != jv::Type::null))
        return bad("invalid JSON body: files entries need string role and staging_id");
    if (role && role->type == jv::Type::string) ref.role = role->text;
    if (sid && sid->type == jv::Type::string) ref.staging_id = sid->text;
    return std::nullopt;
}

// Step 1: the body's JSON shape, with the decoder's messages (types only;
// the values are checked in step 2).
std::optional<http::Response> decode_dispatch(const jv::Value& root, DispatchRequest& d) {
    if (root.type != jv::Type::object && root.type != jv::Type::null)
        return bad(std::string("invalid JSON body: cannot unmarshal ") + root.go_type_name() + " into dispatch request");
    if (!read_string_member(root, "mission", d.mission)) return bad("invalid JSON body: mission must be a string");
    if (!read_string_member(root, "lane", d.lane)) return bad("invalid JSON body: lane must be a string");
    if (!read_string_member(root, "timeout", d.timeout)) return bad("invalid JSON body: timeout must be a string");
    const jv::Value* files = member(root, "files");
    if (!files || files->type == jv::Type::null) return std::nullopt;
    if (files->type != jv::Type::array) return bad("invalid JSON body: files must be an array");
    for (const auto& item : files->items) {
        FileRef ref;
        if (auto err = read_file_ref(item, ref)) return err;
        d.files.push_back(std::move(ref));
    }
    return std::nullopt;
}

// Step 2: the values, in the daemon's order: names, input, timeout, then
// each file reference.
std::optional<http::Response> check_dispatch(const jv::Value& root, DispatchRequest& d) {
    if (!names::is_mission_name(d.mission)) return bad("invalid mission name \"" + d.mission + "\"");
    if (!names::is_lane_name(d.lane)) return bad("invalid lane name \"" + d.lane + "\"");
    if (const jv::Value* input = member(root, "input")) {
        auto c = jv::canonical(*input);
        if (!c) return bad("input cannot be canonicalized (duplicate object keys, invalid UTF-8 or a bad number)");
        d.canonical_input = std::move(*c);
    }
    if (!d.timeout.empty()) {
        try {
            d.timeout_ms =
                std::chrono::duration_cast<std::chrono::milliseconds>(duration::parse_timeout(d.timeout)).count();
        } catch (const Error&) {
            return bad("invalid timeout \"" + d.timeout + "\"");
        }
    }
    for (const auto& f : d.files) {
        if (!names::is_role_key(f.role)) return bad("invalid file role \"" + f.role + "\"");
        if (!uuidv7::is_valid(f.staging_id)) return bad("invalid staging_id \"" + f.staging_id + "\"");
    }
    return std::nullopt;
}

// What a replay of `key` gets without a new job: 410 while it is being
// deleted, else its current status.
http::Response replay(const std::string& key, const Job& existing) {
    if (existing.status == JobStatus::deleting)
        return reply::error(410, "mission_deleting", "mission is being deleted",
                            "{\"mission_id\":" + jv::quote(key) + "}");
    return accepted(200, key, status_name(existing.status));
}

// Step 3: each referenced staging file, complete, as the job's input. A
// file that is not available answers for an existing job from the job
// alone: its fingerprint cannot be recomputed.
std::optional<http::Response> resolve_inputs_locked(Engine& engine, const std::string& key, const DispatchRequest& d,
                                                    const std::shared_ptr<Job>& existing,
                                                    std::vector<InputRef>& inputs) REQUIRES(engine.mutex()) {
    for (const auto& f : d.files) {
        const auto row = engine.staging().find(f.staging_id);
        if (!row || row->state != StagingState::complete) {
            if (existing) return replay(key, *existing);
            return reply::error(400, "unknown_staging_ref", "staging file " + f.staging_id + " is not available");
        }
        inputs.push_back(InputRef{f.role, f.staging_id, row->sha256, row->size});
    }
    std::vector<std::string> roles;
    roles.reserve(d.files.size());
    for (const auto& f : d.files) roles.push_back(f.role);
    if (const auto dup = first_duplicate(roles))
        return reply::error(400, "duplicate_role", "duplicate file role \"" + *dup + "\"",
                            "{\"role\":" + jv::quote(*dup) + "}");
    return std::nullopt;
}

// Step 4, for a key already used: the same mission request replays, any
// other request is a 409 that describes the existing job.
http::Response replay_or_conflict(const std::string& key, const Job& existing, const std::string& fingerprint) {
    if (existing.kind == "mission" && existing.fingerprint == fingerprint) return replay(key, existing);
    auto e = json::object();
    json::add(e.get(), "mission_id", json::string(existing.id));
    json::add(e.get(), "kind", json::string(existing.kind));
    json::add(e.get(), "mission", json::string(existing.mission_name));
    json::add(e.get(), "lane", json::string(existing.lane));
    json::add(e.get(), "status", json::string(status_name(existing.status)));
    auto details = json::object();
    json::add(details.get(), "existing", std::move(e));
    return reply::error(409, "idempotency_conflict", "Idempotency-Key reused with a different request",
                        json::print(details.get()));
}

// Step 5, for a new key: whether the job may be admitted (input size,
// configured and open lane, queue limits).
std::optional<http::Response> refuse_admission_locked(Engine& engine, const DispatchRequest& d)
    REQUIRES(engine.mutex()) {
    const auto& limits = engine.config().limits;
    if (static_cast<std::int64_t>(d.canonical_input.size()) > limits.max_mission_input_size)
        return reply::error(413, "payload_too_large", "input exceeds max_mission_input_size");
    if (!engine.applied_locked() || engine.applied_locked()->lanes.empty())
        return reply::error(412, "no_lanes_configured", "no lanes are configured; apply a configuration first");
    const auto lane = engine.lanes_locked().find(d.lane);
    if (lane == engine.lanes_locked().end()) return reply::error(400, "unknown_lane", "unknown lane \"" + d.lane + "\"");
    if (lane->second.removing)
        return reply::error_retry(503, "lane_removing", "lane is being removed", 5, "{\"lane\":" + jv::quote(d.lane) + "}");
    if (limits.max_queue_per_lane > 0) {
        const auto n = engine.active_count_locked(&d.lane, nullptr);
        if (n >= limits.max_queue_per_lane)
            return reply::error_retry(503, "queue_full", "lane queue limit", 5,
                                      "{\"lane\":" + jv::quote(d.lane) + ",\"queued\":" + std::to_string(n) + "}");
    }
    if (limits.max_queue_total > 0 && engine.active_count_locked(nullptr, nullptr) >= limits.max_queue_total)
        return reply::error_retry(503, "queue_full", "total queue limit", 5);
    return std::nullopt;
}

// Step 6: the new job, queued with the runtime of the applied configuration.
void enqueue_mission_locked(Engine& engine, const std::string& key, DispatchRequest& d, std::string fingerprint,
                            std::vector<InputRef> inputs) REQUIRES(engine.mutex()) {
    auto job = std::make_shared<Job>();
    job->id = key;
    job->lane = d.lane;
    job->mission_name = d.mission;
    job->input = std::move(d.canonical_input);
    job->fingerprint = std::move(fingerprint);
    job->timeout_ms = d.timeout_ms;
    job->inputs = std::move(inputs);
    const AppliedState& a = *engine.applied_locked();
    job->runtime = RuntimeSnapshot{a.mission_dir, a.mission_path_template, a.command_template, a.validate_mission_file};
    job->time_created = now_ms();
    engine.enqueue_locked(job);
}

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
    auto parsed = jv::parse(body);
    if (!parsed.value) return bad("invalid JSON body: " + parsed.error);
    DispatchRequest d;
    if (auto err = decode_dispatch(*parsed.value, d)) return std::move(*err);
    if (auto err = check_dispatch(*parsed.value, d)) return std::move(*err);

    MutexLock lock(engine_.mutex());
    const auto existing = engine_.find_locked(key);
    std::vector<InputRef> inputs;
    if (auto err = resolve_inputs_locked(engine_, key, d, existing, inputs)) return std::move(*err);
    std::string fingerprint = mission_fingerprint(d.lane, d.mission, d.canonical_input, d.timeout_ms, inputs);
    if (existing) return replay_or_conflict(key, *existing, fingerprint);
    if (auto err = refuse_admission_locked(engine_, d)) return std::move(*err);
    enqueue_mission_locked(engine_, key, d, std::move(fingerprint), std::move(inputs));
    return accepted(202, key, "queued");
}

}  // namespace letts::devserver
