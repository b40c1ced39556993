// Result objects (client-behavior.md §10): what run, the fan-out and the
// queries hand back. Immutable once built; built from the daemon's JSON.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "config/config.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "client/exec.hpp"
#include "client/job.hpp"

namespace letts::client {

struct OutputFile {
    std::string staging_id;
    std::string sha256;
    std::int64_t size = 0;
};

struct Logs {
    std::string stdout_text, stderr_text;
    bool stdout_truncated = false, stderr_truncated = false;
};

struct RunResult {
    std::string host;
    std::string mission_id;
    std::string outcome;
    std::optional<std::string> fail_reason, fail_message;
    std::optional<std::string> fail_details_json, return_json;
    std::optional<std::int64_t> exit_code;
    std::optional<std::string> signal;
    std::int64_t duration_ms = 0;
    std::int64_t time_finished_ms = 0;
    std::int64_t progress_dropped = 0;
    Logs logs;
    std::vector<std::pair<std::string, OutputFile>> outputs;  // in the done event's order
    // The token its outputs are downloaded with: the scope that followed
    // the job (exec for an exec run), so an exec-only letts.yaml suffices.
    config::Scope scope = config::Scope::dispatch;
    // The lane the job was dispatched to ("" when not known: a wait).
    std::string lane;
    // Every attempt's mission id, the first dispatched one first, each
    // later one restarted from the one before (issue 20 §3); the last is
    // `mission_id`. Empty for a result not made by a run (from JSON).
    std::vector<std::string> attempt_ids;

    bool is_success() const { return outcome == "success"; }
};

// Built purely from the `done` event (§5.3 "After done", §10.1). Takes
// what it can: members of the wrong type read as absent, so callers check
// first (check_done_event, bad_result_member).
RunResult run_result_from_done(std::string host, std::string mission_id, const cJSON* done);

// How strictly bad_result_member reads a result's members.
enum class ResultMembers {
    // A `done` event (http-api.md §7.4): `outcome` and each output's
    // staging_id, sha256 and size are required.
    as_in_done_event,
    // A caller's JSON (letts_run_result_from_json): any member may be left
    // out and takes the value a run gives it.
    may_be_absent,
};

// The first member of `object` that is present (null counts as absent) but
// of the wrong type, or required and missing, as "<member> must be
// <wanted>, got <type>"; nullopt when every member is acceptable.
std::optional<std::string> bad_result_member(const cJSON* object, ResultMembers members);

// The `done` event as http-api.md §7.4 shapes it. Throws Status::dispatch
// naming the first bad member and the dugdale, so a broken server cannot
// pass for an empty outcome.
void check_done_event(const cJSON* done, std::string_view dugdale_id);

struct StagedInput {
    std::string role, staging_id, sha256;
    std::int64_t size = 0;
};

// The mission resource (http-api.md §6, §10.5), every field.
struct MissionInfo {
    std::string mission_id, kind, lane, mission_name, display_name, group_id, status, outcome;
    std::optional<std::int64_t> exit_code;
    std::optional<std::string> signal, fail_reason, fail_message;
    std::optional<std::string> fail_details_json, return_json, input_json;
    std::string input_fingerprint;
    std::int64_t pid = 0, time_created_ms = 0, time_started_ms = 0, time_finished_ms = 0,
                 duration_ms = 0, timeout_ms = 0;
    bool truncated_stdout = false, truncated_stderr = false;
    std::optional<std::string> restarted_from;
    std::vector<StagedInput> inputs;
    std::vector<std::pair<std::string, OutputFile>> outputs;
    std::string json;  // the resource as received
};

MissionInfo mission_info_from_json(const cJSON* resource);

struct MissionPage {
    std::vector<MissionInfo> missions;
    std::string next_cursor;  // "" = last page
};

// §10.4/§11.4: a fan-out job that produced no result.
struct HostError {
    std::string kind;  // auth, bad_request, conflict, backpressure, staging, network, timeout
    std::string message;
    int http_status = 0;  // 0 = none
    std::string error_code;
};
HostError host_error_from(const Error& error);

struct HostResult {
    std::string host;
    std::shared_ptr<const RunResult> result;
    std::optional<HostError> error;
};

// What a launch failure was launching, as passed: a mission's job or an
// exec's spec.
using Launch = std::variant<Job, ExecSpec>;

// §10.6: what the launch-failure observer receives.
struct LaunchFailure {
    Error error;
    bool retryable = false;
    std::string method;  // dispatch, tryDispatch, run, runParallel, execDispatch, execRun
    std::string phase;   // dispatch, stream
    Launch launch;       // as passed (match as passed, raw host)
    std::string mission_id;  // the mission or exec id
};

// Whether the observer hears of `error`: not of what the caller caused, a
// bad argument or a cancel.
bool is_launch_failure(const Error& error);

// Thrown by run when the outcome is not success and failure-as-error is on;
// the whole result stays reachable.
class MissionFailed : public Error {
public:
    explicit MissionFailed(std::shared_ptr<const RunResult> result);
    const std::shared_ptr<const RunResult>& result() const noexcept { return result_; }

private:
    std::shared_ptr<const RunResult> result_;
};

}  // namespace letts::client
