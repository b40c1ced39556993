// letts/exec.h: the exec spec handle and the exec operations, each the
// client's operation for missions with the exec token (client/exec.cpp).
#include <limits>
#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/names.hpp"
#include "letts/exec.h"

using letts::capi::guarded;
using letts::capi::require;
using letts::capi::text_or_empty;
namespace cl = letts::client;
using letts::config::Scope;

namespace {

// The body of every string setter: NULL or "" clears the field.
letts_status set_text(letts_exec_spec* spec, std::string cl::ExecSpec::*field, const char* value,
                      const char* function, letts_error** err) {
    return guarded(err, [&] {
        require(spec != nullptr, std::string(function) + ": spec is NULL");
        spec->spec.*field = value ? value : "";
    });
}

cl::RunOptions exec_run_options(const letts_run_options* opts) {
    cl::RunOptions options = letts::capi::to_run_options(opts);
    options.scope = Scope::exec;
    return options;
}

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_exec_spec_new(letts_exec_spec** out, letts_error** err) {
    return letts::capi::new_default_handle(out, err, "letts_exec_spec_new: out is NULL");
}

LETTS_EXTERN void letts_exec_spec_free(letts_exec_spec* spec) {
    std::unique_ptr<letts_exec_spec> owned(spec);
}

LETTS_EXTERN letts_status letts_exec_spec_set_host(letts_exec_spec* spec, const char* host,
                                                   letts_error** err) {
    return set_text(spec, &cl::ExecSpec::host, host, "letts_exec_spec_set_host", err);
}

LETTS_EXTERN letts_status letts_exec_spec_set_lane(letts_exec_spec* spec, const char* lane,
                                                   letts_error** err) {
    return set_text(spec, &cl::ExecSpec::lane, lane, "letts_exec_spec_set_lane", err);
}

LETTS_EXTERN letts_status letts_exec_spec_set_command(letts_exec_spec* spec,
                                                      const char* const* argv, size_t argc,
                                                      letts_error** err) {
    return guarded(err, [&] {
        require(spec != nullptr, "letts_exec_spec_set_command: spec is NULL");
        spec->spec.command = letts::capi::copy_string_array(argv, argc, "argv");
    });
}

LETTS_EXTERN letts_status letts_exec_spec_set_script_file(letts_exec_spec* spec, const char* path,
                                                          letts_error** err) {
    return set_text(spec, &cl::ExecSpec::script_path, path, "letts_exec_spec_set_script_file", err);
}

LETTS_EXTERN letts_status letts_exec_spec_add_input_file(letts_exec_spec* spec, const char* key,
                                                         const char* path, letts_error** err) {
    return guarded(err, [&] {
        require(spec != nullptr, "letts_exec_spec_add_input_file: spec is NULL");
        require(key != nullptr && *key != '\0', "letts_exec_spec_add_input_file: key is NULL or empty");
        require(path != nullptr && *path != '\0', "letts_exec_spec_add_input_file: path is NULL or empty");
        for (auto& [existing, existing_path] : spec->spec.in) {
            if (existing == key) {
                existing_path = path;
                return;
            }
        }
        spec->spec.in.emplace_back(key, path);
    });
}

LETTS_EXTERN letts_status letts_exec_spec_add_output(letts_exec_spec* spec, const char* key,
                                                     letts_error** err) {
    return guarded(err, [&] {
        require(spec != nullptr, "letts_exec_spec_add_output: spec is NULL");
        require(key != nullptr && *key != '\0', "letts_exec_spec_add_output: key is NULL or empty");
        for (const auto& existing : spec->spec.out) {
            if (existing == key) return;
        }
        spec->spec.out.emplace_back(key);
    });
}

LETTS_EXTERN letts_status letts_exec_spec_set_stdin(letts_exec_spec* spec, const char* data,
                                                    size_t len, letts_error** err) {
    return guarded(err, [&] {
        require(spec != nullptr, "letts_exec_spec_set_stdin: spec is NULL");
        require(data != nullptr || len == 0, "letts_exec_spec_set_stdin: data is NULL with a non-zero len");
        spec->spec.stdin_path.clear();
        if (len == 0) {
            spec->spec.stdin_bytes.reset();
        } else {
            spec->spec.stdin_bytes = std::string(data, len);
        }
    });
}

LETTS_EXTERN letts_status letts_exec_spec_set_stdin_file(letts_exec_spec* spec, const char* path,
                                                         letts_error** err) {
    return guarded(err, [&] {
        require(spec != nullptr, "letts_exec_spec_set_stdin_file: spec is NULL");
        spec->spec.stdin_bytes.reset();
        spec->spec.stdin_path = path ? path : "";
    });
}

LETTS_EXTERN letts_status letts_exec_spec_set_timeout_ms(letts_exec_spec* spec, int64_t ms,
                                                         letts_error** err) {
    return guarded(err, [&] {
        require(spec != nullptr, "letts_exec_spec_set_timeout_ms: spec is NULL");
        // The daemon holds durations as int64 nanoseconds (Go's time.Duration).
        constexpr int64_t max_ms = std::numeric_limits<int64_t>::max() / 1'000'000;
        require(ms >= 0 && ms <= max_ms, "letts_exec_spec_set_timeout_ms: ms must be between 0 and " +
                                             std::to_string(max_ms) + ", got " + std::to_string(ms));
        spec->spec.timeout = ms == 0 ? std::string() : std::to_string(ms) + "ms";
    });
}

LETTS_EXTERN letts_status letts_exec_spec_set_group_id(letts_exec_spec* spec, const char* group_id,
                                                       letts_error** err) {
    return set_text(spec, &cl::ExecSpec::group_id, group_id, "letts_exec_spec_set_group_id", err);
}

LETTS_EXTERN letts_status letts_exec_spec_set_display_name(letts_exec_spec* spec, const char* name,
                                                           letts_error** err) {
    return set_text(spec, &cl::ExecSpec::display_name, name, "letts_exec_spec_set_display_name", err);
}

LETTS_EXTERN letts_status letts_exec_spec_set_exec_id(letts_exec_spec* spec, const char* exec_id,
                                                      letts_error** err) {
    return guarded(err, [&] {
        require(spec != nullptr, "letts_exec_spec_set_exec_id: spec is NULL");
        const std::string id = exec_id ? exec_id : "";
        require(id.empty() || letts::names::is_uuidv7(id),
                "letts_exec_spec_set_exec_id: exec id must be a lowercase UUIDv7, got \"" + id + "\"");
        spec->spec.exec_id = id;
    });
}

LETTS_EXTERN letts_status letts_client_exec_dispatch(const letts_client* client,
                                                     const letts_exec_spec* spec, char** exec_id,
                                                     letts_error** err) {
    if (exec_id) *exec_id = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && spec != nullptr && exec_id != nullptr,
                "letts_client_exec_dispatch: client, spec and exec_id must not be NULL");
        *exec_id = letts::capi::copy_to_caller(client->client.exec_dispatch(spec->spec));
    });
}

LETTS_EXTERN letts_status letts_client_exec_run(const letts_client* client,
                                                const letts_exec_spec* spec,
                                                const letts_run_options* opts,
                                                letts_run_result** result, letts_error** err) {
    if (result) *result = nullptr;
    std::unique_ptr<cl::RunHandle> handle;
    const letts_status started = guarded(err, [&] {
        require(client != nullptr && spec != nullptr && result != nullptr,
                "letts_client_exec_run: client, spec and result must not be NULL");
        handle = client->client.start_exec_run(spec->spec, letts::capi::to_run_options(opts));
        handle->finish();
    });
    if (started != LETTS_OK) return started;
    return letts::capi::run_outcome(*handle, result, err);
}

LETTS_EXTERN letts_status letts_client_exec_wait(const letts_client* client, const char* host,
                                                 const char* exec_id, const letts_run_options* opts,
                                                 letts_run_result** result, letts_error** err) {
    if (result) *result = nullptr;
    std::unique_ptr<cl::RunHandle> handle;
    const letts_status started = guarded(err, [&] {
        require(client != nullptr && host != nullptr && exec_id != nullptr && result != nullptr,
                "letts_client_exec_wait: client, host, exec_id and result must not be NULL");
        handle = client->client.start_wait(host, exec_id, exec_run_options(opts));
        handle->finish();
    });
    if (started != LETTS_OK) return started;
    return letts::capi::run_outcome(*handle, result, err);
}

LETTS_EXTERN letts_status letts_client_exec_run_start(const letts_client* client,
                                                      const letts_exec_spec* spec,
                                                      const letts_run_options* opts,
                                                      letts_run_handle** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && spec != nullptr && out != nullptr,
                "letts_client_exec_run_start: client, spec and out must not be NULL");
        auto handle = std::make_unique<letts_run_handle>();
        handle->handle = client->client.start_exec_run(spec->spec, letts::capi::to_run_options(opts));
        letts::capi::hand_over(out, std::move(handle));
    });
}

LETTS_EXTERN letts_status letts_client_exec_wait_start(const letts_client* client, const char* host,
                                                       const char* exec_id,
                                                       const letts_run_options* opts,
                                                       letts_run_handle** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && host != nullptr && exec_id != nullptr && out != nullptr,
                "letts_client_exec_wait_start: client, host, exec_id and out must not be NULL");
        auto handle = std::make_unique<letts_run_handle>();
        handle->handle = client->client.start_wait(host, exec_id, exec_run_options(opts));
        letts::capi::hand_over(out, std::move(handle));
    });
}

LETTS_EXTERN letts_status letts_client_exec_get(const letts_client* client, const char* host,
                                                const char* id, letts_mission_info** out,
                                                letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr && out != nullptr,
                "letts_client_exec_get: client, id and out must not be NULL");
        // get_mission asks every dugdale for an empty host; an exec is
        // looked up where it was dispatched, as the Go client does.
        if (text_or_empty(host).empty()) {
            throw letts::Error(letts::Status::bad_request, "host is required for execGet");
        }
        if (auto info = client->client.get_mission(host, id, Scope::exec)) {
            letts::capi::hand_over(out, std::make_unique<letts_mission_info>(letts_mission_info{std::move(*info)}));
        }
    });
}

LETTS_EXTERN letts_status letts_client_exec_follow_events(const letts_client* client,
                                                          const char* host, const char* id,
                                                          int64_t from, int follow,
                                                          letts_event_fn fn, void* user_data,
                                                          letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr && fn != nullptr,
                "letts_client_exec_follow_events: client, id and fn must not be NULL");
        letts::net::FollowSettings settings;
        settings.follow = follow != 0;
        settings.from = from;
        const auto followed = client->client.follow_events(
            text_or_empty(host), id, settings,
            [&](const cJSON*, std::string_view line) {
                return fn(std::string(line).c_str(), line.size(), user_data) == 0;
            },
            Scope::exec);
        if (followed.end == letts::net::FollowEnd::stopped) {
            throw letts::Error(letts::Status::interrupted, "event stream stopped by the callback");
        }
    });
}

LETTS_EXTERN letts_status letts_client_exec_stream_output(const letts_client* client,
                                                          const char* host, const char* id,
                                                          const char* stream, int follow,
                                                          letts_bytes_fn fn, void* user_data,
                                                          letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr && stream != nullptr && fn != nullptr,
                "letts_client_exec_stream_output: client, id, stream and fn must not be NULL");
        client->client.stream_output(
            text_or_empty(host), id, stream, follow != 0,
            [&](std::string_view chunk) { return fn(chunk.data(), chunk.size(), user_data) == 0; },
            Scope::exec);
    });
}

}  // extern "C"
