// letts/control.h: the whole restart answer, bulk options, bulk restart and
// bulk delete, and the handles of their answers.
#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/control.h"

using letts::capi::guarded;
using letts::capi::require;
using letts::capi::text_or_empty;
namespace cl = letts::client;

namespace {

// The item `i` of `result`, or nullptr when out of range.
const cl::BulkItem* item_at(const letts_bulk_result* result, size_t i) {
    return result && i < result->result.items.size() ? &result->result.items[i] : nullptr;
}

const char* item_text(const letts_bulk_result* result, size_t i,
                      std::optional<std::string> cl::BulkItem::*member) {
    const cl::BulkItem* item = item_at(result, i);
    return item ? letts::capi::optional_text(item->*member) : nullptr;
}

using BulkCall = cl::BulkResult (cl::Client::*)(std::string_view, const cl::BulkSelection&) const;

letts_status bulk(const char* function, BulkCall call, const letts_client* client, const char* host,
                  const letts_bulk_options* options, letts_bulk_result** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr,
                std::string(function) + ": client and out must not be NULL");
        require(options != nullptr, std::string(function) + ": options must not be NULL");
        auto result = std::make_unique<letts_bulk_result>();
        result->result = (client->client.*call)(text_or_empty(host), options->selection);
        letts::capi::hand_over(out, std::move(result));
    });
}

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_client_restart_mission(const letts_client* client, const char* host,
                                                       const char* id, letts_restart_result** out,
                                                       letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr && out != nullptr,
                "letts_client_restart_mission: client, id and out must not be NULL");
        auto result = std::make_unique<letts_restart_result>();
        result->answer = client->client.restart_mission(text_or_empty(host), id);
        letts::capi::hand_over(out, std::move(result));
    });
}

LETTS_EXTERN const char* letts_restart_result_mission_id(const letts_restart_result* result) {
    return result ? result->answer.mission_id.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_restart_result_restarted_from(const letts_restart_result* result) {
    return result ? result->answer.restarted_from.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_restart_result_status(const letts_restart_result* result) {
    return result ? result->answer.status.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_restart_result_json(const letts_restart_result* result) {
    return result ? result->answer.json.c_str() : nullptr;
}
LETTS_EXTERN void letts_restart_result_free(letts_restart_result* result) { delete result; }

LETTS_EXTERN letts_status letts_bulk_options_new(letts_bulk_options** out, letts_error** err) {
    return letts::capi::new_default_handle(out, err, "letts_bulk_options_new: out is NULL");
}

LETTS_EXTERN void letts_bulk_options_free(letts_bulk_options* options) { delete options; }

LETTS_EXTERN letts_status letts_bulk_options_set_ids(letts_bulk_options* options, const char* const* ids,
                                                     size_t n_ids, letts_error** err) {
    return guarded(err, [&] {
        require(options != nullptr, "letts_bulk_options_set_ids: options is NULL");
        require(ids != nullptr || n_ids == 0, "letts_bulk_options_set_ids: ids must not be NULL when n_ids is not 0");
        require(n_ids <= cl::max_bulk_ids, "letts_bulk_options_set_ids: ids: at most " +
                                               std::to_string(cl::max_bulk_ids) + " per request, got " +
                                               std::to_string(n_ids));
        auto copied = letts::capi::copy_string_array(ids, n_ids, "ids");
        for (size_t i = 0; i < copied.size(); ++i) {
            require(!copied[i].empty(), "letts_bulk_options_set_ids: ids[" + std::to_string(i) + "] is empty");
        }
        options->selection.ids = std::move(copied);
    });
}

LETTS_EXTERN letts_status letts_bulk_options_set_filter(letts_bulk_options* options,
                                                        const letts_list_filter* filter, letts_error** err) {
    return guarded(err, [&] {
        require(options != nullptr, "letts_bulk_options_set_filter: options is NULL");
        if (filter) options->selection.filter_query = filter->filter.query;
        else options->selection.filter_query.reset();
    });
}

LETTS_EXTERN letts_status letts_bulk_options_set_dry_run(letts_bulk_options* options, int dry_run,
                                                         letts_error** err) {
    return guarded(err, [&] {
        require(options != nullptr, "letts_bulk_options_set_dry_run: options is NULL");
        options->selection.dry_run = dry_run != 0;
    });
}

LETTS_EXTERN letts_status letts_bulk_options_set_force(letts_bulk_options* options, int force,
                                                       letts_error** err) {
    return guarded(err, [&] {
        require(options != nullptr, "letts_bulk_options_set_force: options is NULL");
        options->selection.force = force != 0;
    });
}

LETTS_EXTERN letts_status letts_client_bulk_restart(const letts_client* client, const char* host,
                                                    const letts_bulk_options* options,
                                                    letts_bulk_result** out, letts_error** err) {
    return bulk("letts_client_bulk_restart", &cl::Client::bulk_restart, client, host, options, out, err);
}

LETTS_EXTERN letts_status letts_client_bulk_delete(const letts_client* client, const char* host,
                                                   const letts_bulk_options* options,
                                                   letts_bulk_result** out, letts_error** err) {
    return bulk("letts_client_bulk_delete", &cl::Client::bulk_delete, client, host, options, out, err);
}

LETTS_EXTERN int letts_bulk_result_dry_run(const letts_bulk_result* result) {
    return result && result->result.dry_run ? 1 : 0;
}
LETTS_EXTERN size_t letts_bulk_result_count(const letts_bulk_result* result) {
    return result ? result->result.items.size() : 0;
}
LETTS_EXTERN size_t letts_bulk_result_failed_count(const letts_bulk_result* result) {
    if (!result || result->result.dry_run) return 0;
    size_t failed = 0;
    for (const auto& item : result->result.items) failed += item.ok ? 0 : 1;
    return failed;
}
LETTS_EXTERN const char* letts_bulk_result_id(const letts_bulk_result* result, size_t i) {
    const cl::BulkItem* item = item_at(result, i);
    return item ? item->id.c_str() : nullptr;
}
LETTS_EXTERN int letts_bulk_result_ok(const letts_bulk_result* result, size_t i) {
    const cl::BulkItem* item = item_at(result, i);
    return item && item->ok ? 1 : 0;
}
LETTS_EXTERN const char* letts_bulk_result_mission_id(const letts_bulk_result* result, size_t i) {
    return item_text(result, i, &cl::BulkItem::mission_id);
}
LETTS_EXTERN const char* letts_bulk_result_status(const letts_bulk_result* result, size_t i) {
    return item_text(result, i, &cl::BulkItem::status);
}
LETTS_EXTERN const char* letts_bulk_result_error(const letts_bulk_result* result, size_t i) {
    return item_text(result, i, &cl::BulkItem::error);
}
LETTS_EXTERN const char* letts_bulk_result_details_json(const letts_bulk_result* result, size_t i) {
    return item_text(result, i, &cl::BulkItem::details_json);
}
LETTS_EXTERN const char* letts_bulk_result_json(const letts_bulk_result* result) {
    return result ? letts::capi::optional_text(result->result.json) : nullptr;
}
LETTS_EXTERN void letts_bulk_result_free(letts_bulk_result* result) { delete result; }

}  // extern "C"
