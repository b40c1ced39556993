// GET /v1/missions/{id} and GET /v1/missions (list, filters, cursor).
#include <algorithm>

#include "core/text.hpp"
#include "core/uuidv7.hpp"
#include "devserver/api.hpp"
#include "devserver/base64url.hpp"
#include "devserver/json_out.hpp"
#include "devserver/json_value.hpp"
#include "devserver/replies.hpp"
#include "devserver/resource.hpp"

namespace letts::devserver {

bool kind_visible(Scope scope, const Job& job) {
    if (scope == Scope::admin) return true;
    return job.kind == (scope == Scope::dispatch ? "mission" : "exec");
}

http::Start Api::get_mission(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::dispatch, Scope::exec}, scope)) return std::move(*denied);
    const std::string& id = req.params.at(0);
    if (!uuidv7::is_valid(id)) return reply::error(400, "invalid_id", "mission id must be a UUIDv7");
    MutexLock lock(engine_.mutex());
    auto job = engine_.find_locked(id);
    if (!job || job->status == JobStatus::deleting) return reply::error(404, "not_found", "mission not found");
    if (!kind_visible(scope, *job))
        return reply::error(403, "forbidden_kind", "token scope does not permit access to this mission kind");
    return reply::json(200, mission_resource(engine_, *job).get());
}

http::Start Api::list_missions(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    const auto status = req.query_value("status");
    const auto outcome = req.query_value("outcome");
    const auto lane = req.query_value("lane");
    const auto mission = req.query_value("mission");
    const auto prefix = req.query_value("mission_prefix");
    const auto kind = req.query_value("kind");
    const auto group = req.query_value("group_id");
    const std::string order = req.query_value("order").value_or("created");
    if (order.empty() == false && order != "created" && order != "finished")
        return reply::error(400, "bad_request", "order must be created or finished");
    const bool by_finished = order == "finished";
    std::int64_t since = 0, until = 0, limit = 100;
    if (auto v = req.query_value("since"); v && !v->empty() && !text::parse_int64(*v, since))
        return reply::error(400, "bad_request", "since must be an integer (ms)");
    if (auto v = req.query_value("until"); v && !v->empty() && !text::parse_int64(*v, until))
        return reply::error(400, "bad_request", "until must be an integer (ms)");
    if (auto v = req.query_value("limit"); v && !v->empty()) {
        if (!text::parse_int64(*v, limit) || limit <= 0)
            return reply::error(400, "bad_request", "limit must be a positive integer");
        limit = std::min<std::int64_t>(limit, 1000);
    }
    std::optional<std::pair<std::int64_t, std::string>> after;
    if (auto c = req.query_value("cursor"); c && !c->empty()) {
        auto raw = b64url::decode(*c);
        auto parsed = raw ? jv::parse(*raw) : jv::ParseResult{};
        const char* time_key = by_finished ? "time_finished" : "time_created";
        const jv::Value* t = parsed.value ? parsed.value->find(time_key) : nullptr;
        const jv::Value* m = parsed.value ? parsed.value->find("mission_id") : nullptr;
        std::int64_t tv = 0;
        if (!t || !m || t->type != jv::Type::number || m->type != jv::Type::string || !text::parse_int64(t->text, tv))
            return reply::error(400, "bad_request", "invalid cursor: cannot decode");
        after = std::make_pair(tv, m->text);
    }

    MutexLock lock(engine_.mutex());
    std::vector<std::pair<std::int64_t, std::shared_ptr<Job>>> rows;
    for (const auto& [id, job] : engine_.jobs_locked()) {
        const std::string st = status_name(job->status);
        if (status ? st != *status : job->status == JobStatus::deleting) continue;
        if (outcome && (!job->result || job->result->outcome != *outcome)) continue;
        if (lane && job->lane != *lane) continue;
        if (mission && job->mission_name.find(*mission) == std::string::npos) continue;
        if (prefix && job->mission_name.rfind(*prefix, 0) != 0) continue;
        if (kind && job->kind != *kind) continue;
        if (group && !group->empty()) continue;  // mission jobs have no group id
        if (since > 0 && job->time_created < since) continue;
        if (until > 0 && job->time_created >= until) continue;
        if (by_finished && !job->time_finished) continue;
        rows.emplace_back(by_finished ? *job->time_finished : job->time_created, job);
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second->id > b.second->id;
    });
    auto list = json::array();
    std::int64_t emitted = 0;
    std::optional<std::pair<std::int64_t, std::string>> last;
    bool more = false;
    for (const auto& [t, job] : rows) {
        if (after && !(t < after->first || (t == after->first && job->id < after->second))) continue;
        if (emitted == limit) {
            more = true;
            break;
        }
        json::append(list.get(), mission_resource(engine_, *job));
        last = std::make_pair(t, job->id);
        ++emitted;
    }
    auto o = json::object();
    json::add(o.get(), "missions", std::move(list));
    if (more && last) {
        const std::string cursor = std::string("{\"") + (by_finished ? "time_finished" : "time_created") +
                                   "\":" + std::to_string(last->first) + ",\"mission_id\":" + jv::quote(last->second) + "}";
        json::add(o.get(), "next_cursor", json::string(b64url::encode(cursor)));
    }
    return reply::json(200, o.get());
}

}  // namespace letts::devserver
