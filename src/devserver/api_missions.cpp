// GET /v1/missions/{id} and GET /v1/missions (list, filters, cursor).
#include <algorithm>

#include "core/base64url.hpp"
#include "core/text.hpp"
#include "core/uuidv7.hpp"
#include "devserver/api.hpp"
#include "devserver/json_out.hpp"
#include "devserver/json_value.hpp"
#include "devserver/replies.hpp"
#include "devserver/resource.hpp"

namespace letts::devserver {

namespace {

// GET /v1/missions's query: filters, order, window and page.
struct ListQuery {
    std::optional<std::string> status, outcome, lane, mission, prefix, kind, group;
    bool by_finished = false;  // order=finished: by time_finished, done jobs only
    std::int64_t since = 0, until = 0, limit = 100;
    // The cursor: rows strictly after (time, id) in the listing's order.
    std::optional<std::pair<std::int64_t, std::string>> after;
};

const char* time_key(const ListQuery& q) { return q.by_finished ? "time_finished" : "time_created"; }

// The cursor is base64url of {"<time key>": ms, "mission_id": id}, as the
// page before wrote it.
std::optional<http::Response> read_cursor(const std::string& cursor, ListQuery& q) {
    auto raw = b64url::decode(cursor);
    auto parsed = raw ? jv::parse(*raw) : jv::ParseResult{};
    const jv::Value* t = parsed.value ? parsed.value->find(time_key(q)) : nullptr;
    const jv::Value* m = parsed.value ? parsed.value->find("mission_id") : nullptr;
    std::int64_t time = 0;
    if (!t || !m || t->type != jv::Type::number || m->type != jv::Type::string || !text::parse_int64(t->text, time))
        return reply::error(400, "bad_request", "invalid cursor: cannot decode");
    q.after = std::make_pair(time, m->text);
    return std::nullopt;
}

// The query string, checked in the daemon's order; an empty value counts
// as absent for the numbers and the cursor.
std::optional<http::Response> read_list_query(const http::Request& req, ListQuery& q) {
    q.status = req.query_value("status");
    q.outcome = req.query_value("outcome");
    q.lane = req.query_value("lane");
    q.mission = req.query_value("mission");
    q.prefix = req.query_value("mission_prefix");
    q.kind = req.query_value("kind");
    q.group = req.query_value("group_id");
    const std::string order = req.query_value("order").value_or("created");
    if (order.empty() == false && order != "created" && order != "finished")
        return reply::error(400, "bad_request", "order must be created or finished");
    q.by_finished = order == "finished";
    if (auto v = req.query_value("since"); v && !v->empty() && !text::parse_int64(*v, q.since))
        return reply::error(400, "bad_request", "since must be an integer (ms)");
    if (auto v = req.query_value("until"); v && !v->empty() && !text::parse_int64(*v, q.until))
        return reply::error(400, "bad_request", "until must be an integer (ms)");
    if (auto v = req.query_value("limit"); v && !v->empty()) {
        if (!text::parse_int64(*v, q.limit) || q.limit <= 0)
            return reply::error(400, "bad_request", "limit must be a positive integer");
        q.limit = std::min<std::int64_t>(q.limit, 1000);
    }
    if (auto c = req.query_value("cursor"); c && !c->empty()) return read_cursor(*c, q);
    return std::nullopt;
}

bool matches(const ListQuery& q, const Job& job) {
    // Without a status filter, jobs being deleted are hidden as by GET.
    if (q.status ? status_name(job.status) != *q.status : job.status == JobStatus::deleting) return false;
    if (q.outcome && (!job.result || job.result->outcome != *q.outcome)) return false;
    if (q.lane && job.lane != *q.lane) return false;
    if (q.mission && job.mission_name.find(*q.mission) == std::string::npos) return false;
    if (q.prefix && job.mission_name.rfind(*q.prefix, 0) != 0) return false;
    if (q.kind && job.kind != *q.kind) return false;
    if (q.group && !q.group->empty() && (!job.exec || job.exec->group_id != *q.group)) return false;
    if (q.since > 0 && job.time_created < q.since) return false;
    if (q.until > 0 && job.time_created >= q.until) return false;
    return !q.by_finished || job.time_finished.has_value();
}

using Row = std::pair<std::int64_t, std::shared_ptr<Job>>;  // (order time, job)

// Every matching job, newest first (ties by id, descending).
std::vector<Row> matching_rows_locked(Engine& engine, const ListQuery& q) REQUIRES(engine.mutex()) {
    std::vector<Row> rows;
    for (const auto& [id, job] : engine.jobs_locked())
        if (matches(q, *job)) rows.emplace_back(q.by_finished ? *job->time_finished : job->time_created, job);
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return a.first != b.first ? a.first > b.first : a.second->id > b.second->id;
    });
    return rows;
}

// One page of `rows` after the cursor, with next_cursor when more follow.
json::Ptr list_page_locked(Engine& engine, const ListQuery& q, const std::vector<Row>& rows)
    REQUIRES(engine.mutex()) {
    auto list = json::array();
    std::int64_t emitted = 0;
    std::optional<std::pair<std::int64_t, std::string>> last;
    bool more = false;
    for (const auto& [t, job] : rows) {
        if (q.after && !(t < q.after->first || (t == q.after->first && job->id < q.after->second))) continue;
        if (emitted == q.limit) {
            more = true;
            break;
        }
        json::append(list.get(), mission_resource(engine, *job));
        last = std::make_pair(t, job->id);
        ++emitted;
    }
    auto o = json::object();
    json::add(o.get(), "missions", std::move(list));
    if (more && last) {
        const std::string cursor = std::string("{\"") + time_key(q) + "\":" + std::to_string(last->first) +
                                   ",\"mission_id\":" + jv::quote(last->second) + "}";
        json::add(o.get(), "next_cursor", json::string(b64url::encode(cursor)));
    }
    return o;
}

}  // namespace

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
    ListQuery q;
    if (auto err = read_list_query(req, q)) return std::move(*err);
    MutexLock lock(engine_.mutex());
    return reply::json(200, list_page_locked(engine_, q, matching_rows_locked(engine_, q)).get());
}

}  // namespace letts::devserver
