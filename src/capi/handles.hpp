// The definitions behind the opaque C handles. Only src/capi sees these;
// each wraps a C++ object of the layer below and owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "capi/guard.hpp"
#include "client/client.hpp"
#include "config/config.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "letts/cancel.h"
#include "letts/control.h"
#include "letts/exec.h"
#include "letts/host_result.h"
#include "letts/launch_failure.h"
#include "letts/request.h"
#include "letts/run.h"
#include "letts/run_handle.h"
#include "letts/staging.h"

// Immutable; shared between the handle given to the caller and an error
// that carries it (mission failed), so either may be freed first.
struct letts_run_result {
    std::shared_ptr<const letts::client::RunResult> result;
};

struct letts_error {
    letts::Error error;
    bool preallocated = false;  // the out-of-memory singleton is never freed
    letts_run_result run_result{};  // set for LETTS_ERR_MISSION_FAILED from a run
};

struct letts_cancel {
    std::shared_ptr<letts::Cancel> cancel;
};

struct letts_client_options {
    letts::client::ClientOptions options;
};

struct letts_client {
    letts::client::Client client;
    std::string config_json;  // letts_client_config_json(), built once
};

struct letts_job {
    letts::client::Job job;
};

struct letts_run_options {
    std::optional<std::chrono::milliseconds> wait_timeout;
    letts_progress_fn progress = nullptr;
    void* progress_data = nullptr;
    bool failure_as_error = true;
    bool fetch_logs = false;
    std::string outputs_folder;
    letts::CancelPtr cancel;
    bool kill_on_cancel = false;
    letts::client::MissionRetry retry;
};

struct letts_run_handle {
    std::unique_ptr<letts::client::RunHandle> handle;
};

struct letts_mission_info {
    letts::client::MissionInfo info;
};

struct letts_mission_list {
    std::vector<letts_mission_info> missions;
    std::string next_cursor;
};

struct letts_list_filter {
    letts::client::ListFilter filter;
};

struct letts_host_results {
    std::vector<letts::client::HostResult> results;
    std::vector<letts_run_result> run_results;  // parallel to results; empty handle when none
};

// Lives on the stack of the observer trampoline for the duration of one call.
struct letts_launch_failure {
    const letts::client::LaunchFailure* failure;
    letts_error error;
    std::string descriptor_json;
};

struct letts_string_list {
    std::vector<std::string> items;
};

struct letts_config {
    letts::config::Config config;
    std::string json;  // letts_config_json(), built once at load: the handle is immutable
};

struct letts_target {
    letts::config::TargetSpec spec;
};

// The answer to a raw request; `headers` indexes the response's header map
// (sorted, lower-case names) for letts_response_header_name/_value.
struct letts_response {
    letts::client::RawResponse raw;
    std::vector<const std::pair<const std::string, std::string>*> headers;
};

struct letts_restart_result {
    letts::client::RestartAnswer answer;
};

struct letts_bulk_options {
    letts::client::BulkSelection selection;
};

struct letts_exec_spec {
    letts::client::ExecSpec spec;
};

struct letts_bulk_result {
    letts::client::BulkResult result;
};

struct letts_staged_file {
    letts::client::StagedFile file;
};

struct letts_staging_head {
    letts::client::StagingHead head;
};

struct letts_staging_list {
    letts::client::StagingPage page;
};

namespace letts::capi {

// The scope a C caller passed (read as an int: any value may come); nullopt
// for LETTS_SCOPE_NONE; invalid_argument for a value that is no scope.
std::optional<config::Scope> to_scope(const letts_scope& given);

// Copies `text` into memory the caller releases with letts_free().
// Throws std::bad_alloc.
char* copy_to_caller(const std::string& text);

// Texts the accessors hand out where their header says "NULL when absent":
// an absent optional, or (for the texts whose header says so) an empty one.
inline const char* optional_text(const std::optional<std::string>& text) {
    return text ? text->c_str() : nullptr;
}
inline const char* null_if_empty(const std::string& text) {
    return text.empty() ? nullptr : text.c_str();
}

// A NULL text argument that the header allows reads as "".
inline std::string_view text_or_empty(const char* text) { return text ? text : ""; }

// Copies a C array of C strings, rejecting NULL entries with invalid_argument.
// `what` names the argument in the message.
std::vector<std::string> copy_string_array(const char* const* items, std::size_t count,
                                           const char* what);

// Calls a C observer with a view of `failure` valid for the call only.
void call_observer(letts_launch_failure_fn fn, void* user_data,
                   const client::LaunchFailure& failure);

// The C++ run options `opts` (NULL: the defaults) stand for; a copy that
// does not refer to `*opts` (the progress trampoline holds the function
// pointer and user data by value).
client::RunOptions to_run_options(const letts_run_options* opts);

// What a finished run handle gives a C caller: the result (also on
// mission failure, where the error carries it too) or the error.
letts_status run_outcome(const client::RunHandle& handle, letts_run_result** result, letts_error** err);

// Hands a new handle to the caller: `out` receives ownership.
template <class Handle>
void hand_over(Handle** out, std::unique_ptr<Handle> handle) {
    *out = handle.release();
}

// The whole body of a constructor that takes no arguments
// (letts_target_new, letts_run_options_new, ...): `*out` is NULL on failure,
// as for every constructor (letts/common.h), and owns a default handle on
// success. `out_is_null` is the message for a NULL `out`.
template <class Handle>
letts_status new_default_handle(Handle** out, letts_error** err, std::string_view out_is_null) noexcept {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, out_is_null);
        hand_over(out, std::make_unique<Handle>());
    });
}

}  // namespace letts::capi
