// Bulk restart and bulk delete (http-api.md §5.14, §5.15) the way the
// upstream CLI does them: a selector is one page of GET /v1/missions, whose
// ids go to the bulk route in one request; a dry run stops after the
// selection. The route answers each id on its own, so one failed id is an
// item of the answer, never the failure of the call.
#include <algorithm>

#include "client/client.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "net/retry.hpp"

namespace letts::client {

namespace {

[[noreturn]] void reject(const std::string& message) { throw Error(Status::invalid_argument, message); }

void validate(const BulkSelection& selection) {
    if (selection.filter_query && !selection.ids.empty()) {
        reject("options: set either ids or a filter, not both");
    }
    if (!selection.filter_query && selection.ids.empty()) {
        reject("options: select the missions to act on with ids or a filter");
    }
    if (selection.ids.size() > max_bulk_ids) {
        reject("ids: at most " + std::to_string(max_bulk_ids) + " per request, got " +
               std::to_string(selection.ids.size()));
    }
    for (std::size_t i = 0; i < selection.ids.size(); ++i) {
        if (selection.ids[i].empty()) reject("ids[" + std::to_string(i) + "] is empty");
    }
}

// The selector of a bulk operation lists missions only, unless it names a
// kind itself: a loose selector must not restart or wipe ad-hoc exec jobs.
ListFilter selector_filter(const std::vector<std::pair<std::string, std::string>>& query) {
    ListFilter filter{query};
    const bool has_kind = std::any_of(query.begin(), query.end(), [](const auto& entry) { return entry.first == "kind"; });
    if (!has_kind) filter.query.emplace_back("kind", "mission");
    return filter;
}

std::optional<std::string> member_json(const cJSON* object, const char* key) {
    const cJSON* member = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!member || cJSON_IsNull(member)) return std::nullopt;
    return json::print(member);
}

BulkItem bulk_item_from_json(const cJSON* entry) {
    BulkItem item;
    item.id = json::get_string(entry, "id").value_or("");
    item.ok = json::get_bool(entry, "ok").value_or(false);
    item.mission_id = json::get_string(entry, "mission_id");
    item.status = json::get_string(entry, "status");
    item.error = json::get_string(entry, "error");
    item.details_json = member_json(entry, "details");
    return item;
}

std::string bulk_body(const std::vector<std::string>& ids, bool force) {
    json::Ptr body = json::object();
    json::Ptr list = json::array();
    for (const auto& id : ids) json::append(list.get(), json::string(id));
    json::add(body.get(), "ids", std::move(list));
    if (force) json::add(body.get(), "force", json::boolean(true));
    return json::print(body.get());
}

}  // namespace

BulkResult Client::bulk(std::string_view host, const BulkSelection& selection, bool restart) const {
    const std::string operation = restart ? "bulk restart" : "bulk delete";
    const std::string dugdale_id = require_host(host, restart ? "bulkRestart" : "bulkDelete");
    validate(selection);
    std::vector<std::string> ids = selection.ids;
    if (selection.filter_query) {
        for (const auto& mission : list_missions(dugdale_id, selector_filter(*selection.filter_query)).missions) {
            ids.push_back(mission.mission_id);
        }
    }
    BulkResult result;
    result.dry_run = selection.dry_run;
    if (selection.dry_run || ids.empty()) {
        for (auto& id : ids) result.items.push_back(BulkItem{std::move(id), false, {}, {}, {}, {}});
        return result;
    }
    const net::Endpoint where = endpoint(dugdale_id, config::Scope::admin);
    net::Request request;
    request.method = "POST";
    request.target = restart ? "/v1/missions/bulk-restart" : "/v1/missions/bulk-delete";
    request.operation = operation;
    request.json_body = bulk_body(ids, selection.force && !restart);
    const json::Ptr answer = block([&](net::Loop& loop) {
        // A restart creates new missions on every call: sent once. Deleting
        // is idempotent (an id already being deleted answers
        // deletion_pending again), so a delete follows the retry policy.
        return restart ? transport().perform_json(loop, where, request)
                       : net::perform_json_retried(loop, transport(), options().retry, where, request);
    });
    const cJSON* results = cJSON_GetObjectItemCaseSensitive(answer.get(), "results");
    if (!cJSON_IsArray(results)) {
        throw Error(Status::dispatch, "[" + dugdale_id + "] " + operation + ": the answer has no results array")
            .dugdale(dugdale_id);
    }
    for (const cJSON* entry = results->child; entry; entry = entry->next) {
        result.items.push_back(bulk_item_from_json(entry));
    }
    result.json = json::print(answer.get());
    return result;
}

BulkResult Client::bulk_restart(std::string_view host, const BulkSelection& selection) const {
    return bulk(host, selection, true);
}

BulkResult Client::bulk_delete(std::string_view host, const BulkSelection& selection) const {
    return bulk(host, selection, false);
}

}  // namespace letts::client
