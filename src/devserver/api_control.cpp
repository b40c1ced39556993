// Kill, restart and delete of one job, and their bulk forms
// (http-api.md §5.11–5.15).
#include <cctype>
#include <chrono>
#include <functional>

#include "core/uuidv7.hpp"
#include "devserver/api.hpp"
#include "devserver/clock.hpp"
#include "devserver/json_out.hpp"
#include "devserver/json_value.hpp"
#include "devserver/replies.hpp"

namespace letts::devserver {
namespace {

// One control operation's answer, shared by the single and bulk routes.
struct Outcome {
    int status = 200;
    std::string error;  // empty on success
    std::string message;
    std::string details;
    std::string new_id;  // restart
};

Outcome fail(int status, std::string code, std::string message = {}, std::string details = {}) {
    return Outcome{status, std::move(code), std::move(message), std::move(details), {}};
}

Outcome restart_one(Engine& engine, const std::string& id) {
    if (!uuidv7::is_valid(id)) return fail(400, "bad_request", "mission id must be a UUIDv7");
    MutexLock lock(engine.mutex());
    auto src = engine.find_locked(id);
    if (!src) return fail(404, "not_found", "mission not found");
    if (src->status == JobStatus::deleting) return fail(409, "mission_deleting");
    if (src->status != JobStatus::done)
        return fail(409, "mission_not_done", "mission is not done",
                    std::string("{\"status\":\"") + status_name(src->status) + "\"}");
    if (!engine.applied_locked() || !engine.applied_locked()->lanes.count(src->lane))
        return fail(400, "unknown_lane", "lane \"" + src->lane + "\" is no longer configured",
                    "{\"lane\":" + jv::quote(src->lane) + "}");
    for (const auto& in : src->inputs) {
        if (!engine.staging().is_complete(in.staging_id))
            return fail(409, "input_artifacts_expired", "an input file of the mission is gone",
                        "{\"role\":" + jv::quote(in.role) + ",\"staging_id\":" + jv::quote(in.staging_id) + "}");
    }
    if (src->exec && !src->exec->script_staging_id.empty() && !engine.staging().is_complete(src->exec->script_staging_id))
        return fail(409, "input_artifacts_expired", "the script of the exec is gone",
                    "{\"role\":\"\",\"staging_id\":" + jv::quote(src->exec->script_staging_id) + "}");
    auto job = std::make_shared<Job>();
    job->id = uuidv7::generate();
    job->kind = src->kind;
    job->lane = src->lane;
    job->mission_name = src->mission_name;
    job->input = src->input;
    job->fingerprint = src->fingerprint;
    job->timeout_ms = src->timeout_ms;
    job->inputs = src->inputs;
    job->runtime = src->runtime;
    job->exec = src->exec;
    job->restarted_from = src->id;
    job->time_created = now_ms();
    engine.enqueue_locked(job);
    Outcome ok;
    ok.status = 201;
    ok.new_id = job->id;
    return ok;
}

Outcome delete_one(Engine& engine, const std::string& id, bool force) {
    if (!uuidv7::is_valid(id)) return fail(400, "bad_request", "mission id must be a UUIDv7");
    MutexLock lock(engine.mutex());
    auto job = engine.find_locked(id);
    if (!job) return fail(404, "not_found", "mission not found");
    if (job->status == JobStatus::deleting) return Outcome{202, {}, {}, {}, {}};
    if (job->status == JobStatus::running) {
        if (!force)
            return fail(409, "mission_running", "mission is running",
                        "{\"hint\":\"POST /kill first, or use ?force=true\"}");
        engine.kill_locked(*job, KillReason::force_delete);
        const auto deadline = SteadyClock::now() + std::chrono::seconds(30);
        while (!job->done_written) {
            if (job->changed.wait_until(lock.native(), deadline) == std::cv_status::timeout && !job->done_written)
                return fail(504, "force_delete_timeout", "the mission did not stop within 30s");
        }
        if (job->status == JobStatus::deleting) return Outcome{202, {}, {}, {}, {}};
    }
    engine.mark_deleting_locked(*job);
    return Outcome{202, {}, {}, {}, {}};
}

http::Response single(const Outcome& o, const char* ok_key, const std::string& source = {}) {
    if (!o.error.empty()) return reply::error(o.status, o.error, o.message, o.details);
    auto body = json::object();
    if (std::string(ok_key) == "mission_id") {
        json::add(body.get(), "mission_id", json::string(o.new_id));
        json::add(body.get(), "restarted_from", json::string(source));
        json::add(body.get(), "status", json::string("queued"));
    } else {
        json::add(body.get(), "status", json::string("deletion_pending"));
    }
    return reply::json(o.status, body.get());
}

// The ids of a bulk body, or the whole-request error.
std::optional<http::Response> bulk_ids(const std::string& body, std::vector<std::string>& ids, bool& force) {
    auto parsed = jv::parse(body);
    if (!parsed.value || (parsed.value->type != jv::Type::object && parsed.value->type != jv::Type::null))
        return reply::error(400, "bad_request", "invalid JSON body");
    const jv::Value* list = parsed.value->type == jv::Type::object ? parsed.value->find_fold("ids") : nullptr;
    if (list && list->type != jv::Type::array && list->type != jv::Type::null)
        return reply::error(400, "bad_request", "invalid JSON body: ids must be an array of strings");
    if (list && list->type == jv::Type::array)
        for (const auto& item : list->items) {
            if (item.type != jv::Type::string)
                return reply::error(400, "bad_request", "invalid JSON body: ids must be an array of strings");
            ids.push_back(item.text);
        }
    if (const jv::Value* f = parsed.value->type == jv::Type::object ? parsed.value->find_fold("force") : nullptr) {
        if (f->type == jv::Type::boolean) force = f->boolean;
        else if (f->type != jv::Type::null) return reply::error(400, "bad_request", "invalid JSON body: force must be a boolean");
    }
    if (ids.empty()) return reply::error(400, "bad_request", "ids must be a non-empty array");
    if (ids.size() > 1000)
        return reply::error(400, "bad_request", "at most 1000 ids per request",
                            "{\"count\":" + std::to_string(ids.size()) + "}");
    return std::nullopt;
}

json::Ptr bulk_item(const std::string& id, const Outcome& o, bool restart) {
    auto item = json::object();
    json::add(item.get(), "id", jout::string(id));
    json::add(item.get(), "ok", json::boolean(o.error.empty()));
    if (o.error.empty()) {
        if (restart) json::add(item.get(), "mission_id", json::string(o.new_id));
        else json::add(item.get(), "status", json::string("deletion_pending"));
    } else {
        json::add(item.get(), "error", json::string(o.error));
        if (!o.details.empty()) json::add(item.get(), "details", jout::raw(o.details));
    }
    return item;
}

// A bulk route's answer: `one(id, force)` for each id of `body`, in order,
// each reported on its own (a failed id does not stop the others).
http::Response bulk_answer(const std::string& body, bool restart,
                           const std::function<Outcome(const std::string& id, bool force)>& one) {
    std::vector<std::string> ids;
    bool force = false;
    if (auto err = bulk_ids(body, ids, force)) return std::move(*err);
    auto results = json::array();
    for (const auto& id : ids) json::append(results.get(), bulk_item(id, one(id, force), restart));
    auto o = json::object();
    json::add(o.get(), "results", std::move(results));
    return reply::json(200, o.get());
}

}  // namespace

http::Start Api::kill(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    const std::string id = req.params.at(0);
    // The body ({"signal": …}) is read within the limit and ignored: the
    // daemon always runs its own TERM → grace → KILL sequence.
    return with_body(req, engine_.config().limits.max_apply_body_size, [this, id, scope](const std::string&) {
        if (!uuidv7::is_valid(id)) return reply::error(400, "bad_request", "mission id must be a UUIDv7");
        MutexLock lock(engine_.mutex());
        auto job = engine_.find_locked(id);
        if (!job) return reply::error(404, "not_found", "mission not found");
        if (!kind_visible(scope, *job))
            return reply::error(403, "forbidden_kind", "token scope does not permit access to this mission kind");
        auto body = json::object();
        switch (engine_.kill_locked(*job, KillReason::killed_by_api)) {
            case Engine::KillResult::already_done: return reply::error(409, "mission_done", "mission is already done");
            case Engine::KillResult::deleting: return reply::error(409, "mission_deleting");
            case Engine::KillResult::killed_queued: json::add(body.get(), "status", json::string("killed")); break;
            case Engine::KillResult::kill_sent: json::add(body.get(), "status", json::string("kill_sent")); break;
        }
        return reply::json(200, body.get());
    });
}

http::Start Api::restart(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    const std::string id = req.params.at(0);
    return with_body(req, 0, [this, id](const std::string&) { return single(restart_one(engine_, id), "mission_id", id); });
}

http::Start Api::remove(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    return single(delete_one(engine_, req.params.at(0), req.query_flag("force")), "status");
}

http::Start Api::bulk_restart(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    return with_body(req, engine_.config().limits.max_apply_body_size, [this](const std::string& body) {
        // `force` is read (a wrong type is refused) but a restart has no use for it.
        return bulk_answer(body, true, [this](const std::string& id, bool) { return restart_one(engine_, id); });
    });
}

http::Start Api::bulk_delete(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    return with_body(req, engine_.config().limits.max_apply_body_size, [this](const std::string& body) {
        return bulk_answer(body, false,
                           [this](const std::string& id, bool force) { return delete_one(engine_, id, force); });
    });
}

}  // namespace letts::devserver
