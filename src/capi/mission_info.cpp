// letts/mission_info.h: get/list/control and the mission resource accessors.
#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/mission_info.h"

namespace cl = letts::client;
using letts::capi::guarded;
using letts::capi::require;

namespace {

const cl::MissionInfo* get(const letts_mission_info* m) { return m ? &m->info : nullptr; }

const char* optional_text(const std::optional<std::string>& text) {
    return text ? text->c_str() : nullptr;
}

std::string_view text_or_empty(const char* text) { return text ? text : ""; }

const cl::StagedInput* input_at(const letts_mission_info* m, size_t i) {
    return get(m) && i < m->info.inputs.size() ? &m->info.inputs[i] : nullptr;
}

const cl::OutputFile* output_at(const letts_mission_info* m, size_t i) {
    return get(m) && i < m->info.outputs.size() ? &m->info.outputs[i].second : nullptr;
}

bool is_list_key(std::string_view key) {
    static constexpr std::array<std::string_view, 12> keys = {
        "status", "outcome", "lane",  "mission", "mission_prefix", "kind",
        "group_id", "order", "since", "until",   "limit",          "cursor"};
    for (const auto k : keys) {
        if (k == key) return true;
    }
    return false;
}

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_client_get_mission(const letts_client* client, const char* id,
                                                   const char* host, letts_mission_info** out,
                                                   letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr && out != nullptr,
                "letts_client_get_mission: client, id and out must not be NULL");
        if (auto info = client->client.get_mission(text_or_empty(host), id)) {
            letts::capi::hand_over(out, std::make_unique<letts_mission_info>(
                                            letts_mission_info{std::move(*info)}));
        }
    });
}

LETTS_EXTERN letts_status letts_list_filter_new(letts_list_filter** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_list_filter_new: out is NULL");
        letts::capi::hand_over(out, std::make_unique<letts_list_filter>());
    });
}

LETTS_EXTERN void letts_list_filter_free(letts_list_filter* filter) {
    std::unique_ptr<letts_list_filter> owned(filter);
}

LETTS_EXTERN letts_status letts_list_filter_set(letts_list_filter* filter, const char* key,
                                                const char* value, letts_error** err) {
    return guarded(err, [&] {
        require(filter != nullptr && key != nullptr && value != nullptr,
                "letts_list_filter_set: filter, key and value must not be NULL");
        if (!is_list_key(key)) {
            throw letts::Error(letts::Status::invalid_argument,
                               std::string("letts_list_filter_set: unknown filter \"") + key +
                                   "\" (known: status, outcome, lane, mission, mission_prefix, "
                                   "kind, group_id, order, since, until, limit, cursor)");
        }
        for (auto& [existing, existing_value] : filter->filter.query) {
            if (existing == key) {
                existing_value = value;
                return;
            }
        }
        filter->filter.query.emplace_back(key, value);
    });
}

LETTS_EXTERN letts_status letts_client_list_missions(const letts_client* client, const char* host,
                                                     const letts_list_filter* filter,
                                                     letts_mission_list** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr,
                "letts_client_list_missions: client and out must not be NULL");
        cl::MissionPage page = client->client.list_missions(
            text_or_empty(host), filter ? filter->filter : cl::ListFilter{});
        auto list = std::make_unique<letts_mission_list>();
        for (auto& info : page.missions) list->missions.push_back(letts_mission_info{std::move(info)});
        list->next_cursor = std::move(page.next_cursor);
        letts::capi::hand_over(out, std::move(list));
    });
}

LETTS_EXTERN void letts_mission_list_free(letts_mission_list* list) {
    std::unique_ptr<letts_mission_list> owned(list);
}
LETTS_EXTERN size_t letts_mission_list_count(const letts_mission_list* list) {
    return list ? list->missions.size() : 0;
}
LETTS_EXTERN const letts_mission_info* letts_mission_list_get(const letts_mission_list* list,
                                                              size_t i) {
    return list && i < list->missions.size() ? &list->missions[i] : nullptr;
}
LETTS_EXTERN const char* letts_mission_list_next_cursor(const letts_mission_list* list) {
    return list && !list->next_cursor.empty() ? list->next_cursor.c_str() : nullptr;
}

LETTS_EXTERN letts_status letts_client_kill(const letts_client* client, const char* id,
                                            const char* signal, const char* host,
                                            letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr, "letts_client_kill: client and id must not be NULL");
        client->client.kill(text_or_empty(host), id, signal ? signal : "TERM");
    });
}

LETTS_EXTERN letts_status letts_client_restart(const letts_client* client, const char* id,
                                               const char* host, char** new_id,
                                               letts_error** err) {
    if (new_id) *new_id = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr && new_id != nullptr,
                "letts_client_restart: client, id and new_id must not be NULL");
        *new_id = letts::capi::copy_to_caller(client->client.restart(text_or_empty(host), id));
    });
}

LETTS_EXTERN letts_status letts_client_delete(const letts_client* client, const char* id,
                                              const char* host, int force, letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr, "letts_client_delete: client and id must not be NULL");
        client->client.remove(text_or_empty(host), id, force != 0);
    });
}

LETTS_EXTERN void letts_mission_info_free(letts_mission_info* info) {
    std::unique_ptr<letts_mission_info> owned(info);
}

#define LETTS_TEXT_FIELD(name, field) \
    LETTS_EXTERN const char* letts_mission_info_##name(const letts_mission_info* m) { \
        return get(m) ? get(m)->field.c_str() : nullptr;                              \
    }
#define LETTS_OPTIONAL_TEXT_FIELD(name, field) \
    LETTS_EXTERN const char* letts_mission_info_##name(const letts_mission_info* m) { \
        return get(m) ? optional_text(get(m)->field) : nullptr;                       \
    }
#define LETTS_INT_FIELD(name, field) \
    LETTS_EXTERN int64_t letts_mission_info_##name(const letts_mission_info* m) { \
        return get(m) ? get(m)->field : 0;                                        \
    }

LETTS_TEXT_FIELD(json, json)
LETTS_TEXT_FIELD(mission_id, mission_id)
LETTS_TEXT_FIELD(kind, kind)
LETTS_TEXT_FIELD(lane, lane)
LETTS_TEXT_FIELD(mission_name, mission_name)
LETTS_TEXT_FIELD(display_name, display_name)
LETTS_TEXT_FIELD(group_id, group_id)
LETTS_TEXT_FIELD(status, status)
LETTS_TEXT_FIELD(outcome, outcome)
LETTS_TEXT_FIELD(input_fingerprint, input_fingerprint)
LETTS_OPTIONAL_TEXT_FIELD(signal, signal)
LETTS_OPTIONAL_TEXT_FIELD(fail_reason, fail_reason)
LETTS_OPTIONAL_TEXT_FIELD(fail_message, fail_message)
LETTS_OPTIONAL_TEXT_FIELD(fail_details_json, fail_details_json)
LETTS_OPTIONAL_TEXT_FIELD(return_json, return_json)
LETTS_OPTIONAL_TEXT_FIELD(input_json, input_json)
LETTS_OPTIONAL_TEXT_FIELD(restarted_from, restarted_from)
LETTS_INT_FIELD(pid, pid)
LETTS_INT_FIELD(time_created_ms, time_created_ms)
LETTS_INT_FIELD(time_started_ms, time_started_ms)
LETTS_INT_FIELD(time_finished_ms, time_finished_ms)
LETTS_INT_FIELD(duration_ms, duration_ms)
LETTS_INT_FIELD(timeout_ms, timeout_ms)

#undef LETTS_TEXT_FIELD
#undef LETTS_OPTIONAL_TEXT_FIELD
#undef LETTS_INT_FIELD

LETTS_EXTERN int letts_mission_info_exit_code(const letts_mission_info* m, int64_t* exit_code) {
    if (!get(m) || !get(m)->exit_code) return 0;
    if (exit_code) *exit_code = *get(m)->exit_code;
    return 1;
}
LETTS_EXTERN int letts_mission_info_truncated_stdout(const letts_mission_info* m) {
    return get(m) && get(m)->truncated_stdout ? 1 : 0;
}
LETTS_EXTERN int letts_mission_info_truncated_stderr(const letts_mission_info* m) {
    return get(m) && get(m)->truncated_stderr ? 1 : 0;
}
LETTS_EXTERN size_t letts_mission_info_input_count(const letts_mission_info* m) {
    return get(m) ? get(m)->inputs.size() : 0;
}
LETTS_EXTERN const char* letts_mission_info_input_role(const letts_mission_info* m, size_t i) {
    return input_at(m, i) ? input_at(m, i)->role.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_mission_info_input_staging_id(const letts_mission_info* m, size_t i) {
    return input_at(m, i) ? input_at(m, i)->staging_id.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_mission_info_input_sha256(const letts_mission_info* m, size_t i) {
    return input_at(m, i) ? input_at(m, i)->sha256.c_str() : nullptr;
}
LETTS_EXTERN int64_t letts_mission_info_input_size(const letts_mission_info* m, size_t i) {
    return input_at(m, i) ? input_at(m, i)->size : 0;
}
LETTS_EXTERN size_t letts_mission_info_output_count(const letts_mission_info* m) {
    return get(m) ? get(m)->outputs.size() : 0;
}
LETTS_EXTERN const char* letts_mission_info_output_role(const letts_mission_info* m, size_t i) {
    return output_at(m, i) ? m->info.outputs[i].first.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_mission_info_output_staging_id(const letts_mission_info* m, size_t i) {
    return output_at(m, i) ? output_at(m, i)->staging_id.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_mission_info_output_sha256(const letts_mission_info* m, size_t i) {
    return output_at(m, i) ? output_at(m, i)->sha256.c_str() : nullptr;
}
LETTS_EXTERN int64_t letts_mission_info_output_size(const letts_mission_info* m, size_t i) {
    return output_at(m, i) ? output_at(m, i)->size : 0;
}

}  // extern "C"
