// letts/mission_info.h: get/list/control, the event and output streams and
// the mission resource accessors.
#include <memory>
#include <string>
#include <string_view>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/mission_info.h"

namespace cl = letts::client;
using letts::capi::guarded;
using letts::capi::optional_text;
using letts::capi::require;
using letts::capi::text_or_empty;

namespace {

const cl::MissionInfo* get(const letts_mission_info* m) { return m ? &m->info : nullptr; }

const cl::StagedInput* input_at(const letts_mission_info* m, size_t i) {
    return get(m) && i < m->info.inputs.size() ? &m->info.inputs[i] : nullptr;
}

const cl::OutputFile* output_at(const letts_mission_info* m, size_t i) {
    return get(m) && i < m->info.outputs.size() ? &m->info.outputs[i].second : nullptr;
}

// Replaces (or, for "", removes) one query parameter of the list request.
void set_query(letts_list_filter* filter, std::string_view key, std::string value) {
    auto& query = filter->filter.query;
    for (auto it = query.begin(); it != query.end(); ++it) {
        if (it->first == key) {
            if (value.empty()) {
                query.erase(it);
            } else {
                it->second = std::move(value);
            }
            return;
        }
    }
    if (!value.empty()) query.emplace_back(std::string(key), std::move(value));
}

letts_status set_text(letts_list_filter* filter, const char* key, const char* value,
                      const char* setter, letts_error** err) {
    return guarded(err, [&] {
        require(filter != nullptr, std::string(setter) + ": filter is NULL");
        set_query(filter, key, value ? value : "");
    });
}

// since/until/limit: the wire wants a decimal integer; 0 removes the filter.
letts_status set_number(letts_list_filter* filter, const char* key, int64_t value,
                        const char* setter, letts_error** err) {
    return guarded(err, [&] {
        require(filter != nullptr, std::string(setter) + ": filter is NULL");
        if (value < 0) {
            throw letts::Error(letts::Status::invalid_argument,
                               std::string(setter) + ": " + key + " must not be negative, got " +
                                   std::to_string(value));
        }
        set_query(filter, key, value == 0 ? std::string() : std::to_string(value));
    });
}

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_client_get_mission(const letts_client* client, const char* host,
                                                   const char* id, letts_mission_info** out,
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
    return letts::capi::new_default_handle(out, err, "letts_list_filter_new: out is NULL");
}

LETTS_EXTERN void letts_list_filter_free(letts_list_filter* filter) {
    std::unique_ptr<letts_list_filter> owned(filter);
}

LETTS_EXTERN letts_status letts_list_filter_set_status(letts_list_filter* filter,
                                                       const char* status, letts_error** err) {
    return set_text(filter, "status", status, "letts_list_filter_set_status", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_outcome(letts_list_filter* filter,
                                                        const char* outcome, letts_error** err) {
    return set_text(filter, "outcome", outcome, "letts_list_filter_set_outcome", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_lane(letts_list_filter* filter, const char* lane,
                                                     letts_error** err) {
    return set_text(filter, "lane", lane, "letts_list_filter_set_lane", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_mission(letts_list_filter* filter,
                                                        const char* mission, letts_error** err) {
    return set_text(filter, "mission", mission, "letts_list_filter_set_mission", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_mission_prefix(letts_list_filter* filter,
                                                               const char* prefix,
                                                               letts_error** err) {
    return set_text(filter, "mission_prefix", prefix, "letts_list_filter_set_mission_prefix", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_kind(letts_list_filter* filter, const char* kind,
                                                     letts_error** err) {
    return set_text(filter, "kind", kind, "letts_list_filter_set_kind", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_group_id(letts_list_filter* filter,
                                                         const char* group_id, letts_error** err) {
    return set_text(filter, "group_id", group_id, "letts_list_filter_set_group_id", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_order(letts_list_filter* filter, const char* order,
                                                      letts_error** err) {
    // The daemon answers any other order with 400; refusing it here names the setter.
    const std::string_view value = text_or_empty(order);
    if (!value.empty() && value != "created" && value != "finished") {
        return guarded(err, [&] {
            throw letts::Error(letts::Status::invalid_argument,
                               "letts_list_filter_set_order: order must be \"created\" or "
                               "\"finished\", got \"" + std::string(value) + "\"");
        });
    }
    return set_text(filter, "order", order, "letts_list_filter_set_order", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_since_ms(letts_list_filter* filter,
                                                         int64_t unix_ms, letts_error** err) {
    return set_number(filter, "since", unix_ms, "letts_list_filter_set_since_ms", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_until_ms(letts_list_filter* filter,
                                                         int64_t unix_ms, letts_error** err) {
    return set_number(filter, "until", unix_ms, "letts_list_filter_set_until_ms", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_limit(letts_list_filter* filter, int limit,
                                                      letts_error** err) {
    return set_number(filter, "limit", limit, "letts_list_filter_set_limit", err);
}

LETTS_EXTERN letts_status letts_list_filter_set_cursor(letts_list_filter* filter,
                                                       const char* cursor, letts_error** err) {
    return set_text(filter, "cursor", cursor, "letts_list_filter_set_cursor", err);
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
    return list ? letts::capi::null_if_empty(list->next_cursor) : nullptr;
}

LETTS_EXTERN letts_status letts_client_kill(const letts_client* client, const char* host,
                                            const char* id, const char* signal,
                                            letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr, "letts_client_kill: client and id must not be NULL");
        client->client.kill(text_or_empty(host), id, signal ? signal : "TERM");
    });
}

LETTS_EXTERN letts_status letts_client_restart(const letts_client* client, const char* host,
                                               const char* id, char** new_id,
                                               letts_error** err) {
    if (new_id) *new_id = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr && new_id != nullptr,
                "letts_client_restart: client, id and new_id must not be NULL");
        *new_id = letts::capi::copy_to_caller(client->client.restart(text_or_empty(host), id));
    });
}

LETTS_EXTERN letts_status letts_client_delete(const letts_client* client, const char* host,
                                              const char* id, int force, letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr, "letts_client_delete: client and id must not be NULL");
        client->client.remove(text_or_empty(host), id, force != 0);
    });
}

LETTS_EXTERN letts_status letts_client_follow_events(const letts_client* client, const char* host,
                                                     const char* id, int64_t from, int follow,
                                                     letts_event_fn fn, void* user_data,
                                                     letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr && fn != nullptr,
                "letts_client_follow_events: client, id and fn must not be NULL");
        letts::net::FollowSettings settings;
        settings.follow = follow != 0;
        settings.from = from;
        const auto followed = client->client.follow_events(
            text_or_empty(host), id, settings, [&](const cJSON*, std::string_view line) {
                return fn(std::string(line).c_str(), line.size(), user_data) == 0;
            });
        if (followed.end == letts::net::FollowEnd::stopped) {
            throw letts::Error(letts::Status::interrupted, "event stream stopped by the callback");
        }
    });
}

LETTS_EXTERN letts_status letts_client_stream_output(const letts_client* client, const char* host,
                                                     const char* id, const char* stream,
                                                     int follow, letts_bytes_fn fn,
                                                     void* user_data, letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr && stream != nullptr && fn != nullptr,
                "letts_client_stream_output: client, id, stream and fn must not be NULL");
        client->client.stream_output(text_or_empty(host), id, stream, follow != 0,
                                     [&](std::string_view chunk) {
                                         return fn(chunk.data(), chunk.size(), user_data) == 0;
                                     });
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
