// letts/job.h: job descriptions and the fire-and-forget launches.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/json.hpp"
#include "core/unique_id.hpp"
#include "core/uuidv7.hpp"
#include "letts/job.h"

using letts::capi::guarded;
using letts::capi::require;

namespace {

void assign(std::string& field, const char* value) { field = value ? value : ""; }

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_job_new(letts_job** out, const char* mission, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_job_new: out is NULL");
        require(mission != nullptr && *mission != '\0', "letts_job_new: mission is NULL or empty");
        auto job = std::make_unique<letts_job>();
        job->job.mission = mission;
        letts::capi::hand_over(out, std::move(job));
    });
}

LETTS_EXTERN void letts_job_free(letts_job* job) { std::unique_ptr<letts_job> owned(job); }

LETTS_EXTERN letts_status letts_job_set_route(letts_job* job, const char* route, letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_set_route: job is NULL");
        assign(job->job.target.route, route);
    });
}

LETTS_EXTERN letts_status letts_job_set_host(letts_job* job, const char* host, letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_set_host: job is NULL");
        assign(job->job.target.host, host);
    });
}

LETTS_EXTERN letts_status letts_job_set_lane(letts_job* job, const char* lane, letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_set_lane: job is NULL");
        assign(job->job.target.lane, lane);
    });
}

LETTS_EXTERN letts_status letts_job_set_match(letts_job* job, const char* const* labels,
                                              size_t n_labels, letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_set_match: job is NULL");
        job->job.target.match = letts::capi::copy_string_array(labels, n_labels, "labels");
    });
}

LETTS_EXTERN letts_status letts_job_set_input_json(letts_job* job, const char* json,
                                                   letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_set_input_json: job is NULL");
        if (json == nullptr) {
            job->job.input_json = "{}";
            return;
        }
        const letts::json::Ptr parsed = letts::json::parse(json);
        require(parsed && cJSON_IsObject(parsed.get()),
                "letts_job_set_input_json: input must be a JSON object");
        job->job.input_json = json;
    });
}

LETTS_EXTERN letts_status letts_job_add_file(letts_job* job, const char* role, const char* path,
                                             letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_add_file: job is NULL");
        require(role != nullptr && *role != '\0', "letts_job_add_file: role is NULL or empty");
        require(path != nullptr && *path != '\0', "letts_job_add_file: path is NULL or empty");
        for (auto& [existing, existing_path] : job->job.files) {
            if (existing == role) {
                existing_path = path;
                return;
            }
        }
        job->job.files.emplace_back(role, path);
    });
}

LETTS_EXTERN letts_status letts_job_set_timeout_ms(letts_job* job, int64_t ms,
                                                   letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_set_timeout_ms: job is NULL");
        // The daemon holds durations as int64 nanoseconds (Go's
        // time.Duration); more would come back as a 400 after staging.
        constexpr int64_t max_ms = std::numeric_limits<int64_t>::max() / 1'000'000;
        if (ms < 0 || ms > max_ms) {
            throw letts::Error(letts::Status::invalid_argument,
                               "letts_job_set_timeout_ms: ms must be between 0 and " +
                                   std::to_string(max_ms) + ", got " + std::to_string(ms));
        }
        // Whole milliseconds are valid Go duration text as they are.
        job->job.timeout = ms == 0 ? std::string() : std::to_string(ms) + "ms";
    });
}

LETTS_EXTERN letts_status letts_job_set_mission_id(letts_job* job, const char* mission_id,
                                                   letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_set_mission_id: job is NULL");
        assign(job->job.mission_id, mission_id);
    });
}

LETTS_EXTERN letts_status letts_job_set_unique(letts_job* job, const char* key, int64_t window_ms,
                                               letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_set_unique: job is NULL");
        letts::unique_id::window_start(window_ms, 0);  // validates window_ms
        assign(job->job.unique.key, key);
        job->job.unique.window_ms = window_ms;
    });
}

LETTS_EXTERN letts_status letts_job_set_unique_at_ms(letts_job* job, int64_t at_unix_ms,
                                                     letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_set_unique_at_ms: job is NULL");
        if (at_unix_ms == -1) {
            job->job.unique.at_ms.reset();
        } else {
            letts::unique_id::window_start(1, at_unix_ms);  // validates the time
            job->job.unique.at_ms = at_unix_ms;
        }
    });
}

LETTS_EXTERN letts_status letts_job_set_unique_conflict_is_error(letts_job* job, int is_error,
                                                                 letts_error** err) {
    return guarded(err, [&] {
        require(job != nullptr, "letts_job_set_unique_conflict_is_error: job is NULL");
        job->job.unique.conflict_is_error = is_error != 0;
    });
}

LETTS_EXTERN letts_status letts_uuidv7_generate(char** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_uuidv7_generate: out is NULL");
        *out = letts::capi::copy_to_caller(letts::uuidv7::generate());
    });
}

LETTS_EXTERN letts_status letts_client_dispatch(const letts_client* client, const letts_job* job,
                                                char** mission_id, letts_error** err) {
    if (mission_id) *mission_id = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && job != nullptr && mission_id != nullptr,
                "letts_client_dispatch: client, job and mission_id must not be NULL");
        *mission_id = letts::capi::copy_to_caller(client->client.dispatch(job->job));
    });
}

LETTS_EXTERN letts_status letts_client_try_dispatch(const letts_client* client,
                                                    const letts_job* job, char** mission_id,
                                                    letts_error** err) {
    if (mission_id) *mission_id = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && job != nullptr && mission_id != nullptr,
                "letts_client_try_dispatch: client, job and mission_id must not be NULL");
        // A launch failure comes back as nullopt (the observer was told);
        // only what try_dispatch lets through (invalid arguments, memory)
        // becomes the status.
        if (auto launched = client->client.try_dispatch(job->job)) {
            *mission_id = letts::capi::copy_to_caller(*launched);
        }
    });
}

}  // extern "C"
