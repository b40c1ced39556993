#include "client/results.hpp"

namespace letts::client {

namespace {

std::optional<std::string> json_member(const cJSON* object, const char* key) {
    const cJSON* node = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!node || cJSON_IsNull(node)) return std::nullopt;
    return json::print(node);
}

std::vector<std::pair<std::string, OutputFile>> outputs_of(const cJSON* object) {
    std::vector<std::pair<std::string, OutputFile>> outputs;
    const cJSON* map = cJSON_GetObjectItemCaseSensitive(object, "outputs");
    if (!cJSON_IsObject(map)) return outputs;
    for (const cJSON* entry = map->child; entry; entry = entry->next) {
        OutputFile file;
        file.staging_id = json::get_string(entry, "staging_id").value_or("");
        file.sha256 = json::get_string(entry, "sha256").value_or("");
        file.size = json::get_int(entry, "size").value_or(0);
        outputs.emplace_back(entry->string ? entry->string : "", std::move(file));
    }
    return outputs;
}

// The members that say how a mission ended, read alike from a `done` event
// and from a mission resource (both carry them under the same names).
template <class Record>
void read_ending(const cJSON* object, Record& record) {
    record.outcome = json::get_string(object, "outcome").value_or("");
    record.fail_reason = json::get_string(object, "fail_reason");
    record.fail_message = json::get_string(object, "fail_message");
    record.fail_details_json = json_member(object, "fail_details");
    record.return_json = json_member(object, "return");
    record.exit_code = json::get_int(object, "exit_code");
    record.signal = json::get_string(object, "signal");
    record.duration_ms = json::get_int(object, "duration_ms").value_or(0);
    record.time_finished_ms = json::get_int(object, "time_finished").value_or(0);
    record.outputs = outputs_of(object);
}

}  // namespace

RunResult run_result_from_done(std::string host, std::string mission_id, const cJSON* done) {
    RunResult result;
    result.host = std::move(host);
    result.mission_id = std::move(mission_id);
    read_ending(done, result);
    result.progress_dropped = json::get_int(done, "progress_dropped").value_or(0);
    if (const cJSON* logs = cJSON_GetObjectItemCaseSensitive(done, "logs"); cJSON_IsObject(logs)) {
        result.logs.stdout_text = json::get_string(logs, "stdout").value_or("");
        result.logs.stderr_text = json::get_string(logs, "stderr").value_or("");
        result.logs.stdout_truncated =
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(logs, "stdout_truncated"));
        result.logs.stderr_truncated =
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(logs, "stderr_truncated"));
    }
    return result;
}

MissionInfo mission_info_from_json(const cJSON* r) {
    MissionInfo info;
    const auto text = [&](const char* key) { return json::get_string(r, key).value_or(""); };
    const auto integer = [&](const char* key) { return json::get_int(r, key).value_or(0); };
    info.mission_id = text("mission_id");
    info.kind = text("kind");
    info.lane = text("lane");
    info.mission_name = text("mission_name");
    info.display_name = text("display_name");
    info.group_id = text("group_id");
    info.status = text("status");
    read_ending(r, info);
    info.input_json = json_member(r, "input");
    info.input_fingerprint = text("input_fingerprint");
    info.pid = integer("pid");
    info.time_created_ms = integer("time_created");
    info.time_started_ms = integer("time_started");
    info.timeout_ms = integer("timeout_ms");
    info.truncated_stdout = json::get_bool(r, "truncated_stdout").value_or(false);
    info.truncated_stderr = json::get_bool(r, "truncated_stderr").value_or(false);
    info.restarted_from = json::get_string(r, "restarted_from");
    if (const cJSON* inputs = cJSON_GetObjectItemCaseSensitive(r, "inputs"); cJSON_IsArray(inputs)) {
        for (const cJSON* entry = inputs->child; entry; entry = entry->next) {
            info.inputs.push_back(StagedInput{json::get_string(entry, "role").value_or(""),
                                              json::get_string(entry, "staging_id").value_or(""),
                                              json::get_string(entry, "sha256").value_or(""),
                                              json::get_int(entry, "size").value_or(0)});
        }
    }
    info.json = json::print(r);
    return info;
}

namespace {

const char* type_name(const cJSON* node) {
    if (cJSON_IsString(node)) return "a string";
    if (cJSON_IsNumber(node) || cJSON_IsRaw(node)) return "a number";
    if (cJSON_IsBool(node)) return "a boolean";
    if (cJSON_IsNull(node)) return "null";
    if (cJSON_IsArray(node)) return "an array";
    if (cJSON_IsObject(node)) return "an object";
    return "missing";
}

// A member that is present (null counts as absent) but of the wrong type:
// "<member> must be <wanted>, got <type>".
std::string mistyped(const std::string& member, const char* wanted, const cJSON* got) {
    return member + " must be " + wanted + ", got " + type_name(got);
}

const cJSON* present(const cJSON* object, const char* key) {
    const cJSON* node = cJSON_GetObjectItemCaseSensitive(object, key);
    return node && !cJSON_IsNull(node) ? node : nullptr;
}

// Strings a `done` event requires inside an output entry; in a caller's
// JSON an absent one is allowed, like every other member.
bool acceptable_string(const cJSON* node, ResultMembers members) {
    return cJSON_IsString(node) || (members == ResultMembers::may_be_absent && !node);
}

std::optional<std::string> bad_output_entry(const cJSON* entry, ResultMembers members) {
    const std::string where = std::string("outputs.") + (entry->string ? entry->string : "");
    if (!cJSON_IsObject(entry)) return mistyped(where, "an object", entry);
    for (const char* key : {"staging_id", "sha256"}) {
        const cJSON* node = cJSON_GetObjectItemCaseSensitive(entry, key);
        if (!acceptable_string(node, members)) return mistyped(where + "." + key, "a string", node);
    }
    const cJSON* size = cJSON_GetObjectItemCaseSensitive(entry, "size");
    if (members == ResultMembers::may_be_absent && !size) return std::nullopt;
    if (const auto value = json::as_int(size); !value || *value < 0) {
        return mistyped(where + ".size", "a non-negative integer", size);
    }
    return std::nullopt;
}

std::optional<std::string> bad_logs(const cJSON* logs) {
    if (!cJSON_IsObject(logs)) return mistyped("logs", "an object", logs);
    for (const char* key : {"stdout", "stderr"}) {
        if (const cJSON* node = present(logs, key); node && !cJSON_IsString(node)) {
            return mistyped(std::string("logs.") + key, "a string", node);
        }
    }
    for (const char* key : {"stdout_truncated", "stderr_truncated"}) {
        if (const cJSON* node = present(logs, key); node && !cJSON_IsBool(node)) {
            return mistyped(std::string("logs.") + key, "a boolean", node);
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> bad_result_member(const cJSON* object, ResultMembers members) {
    const cJSON* outcome = cJSON_GetObjectItemCaseSensitive(object, "outcome");
    if (!acceptable_string(outcome, members)) return mistyped("outcome", "a string", outcome);
    for (const char* key : {"mission_id", "fail_reason", "fail_message", "signal"}) {
        if (const cJSON* node = present(object, key); node && !cJSON_IsString(node)) {
            return mistyped(key, "a string", node);
        }
    }
    for (const char* key : {"exit_code", "duration_ms", "time_finished", "progress_dropped"}) {
        if (const cJSON* node = present(object, key); node && !json::as_int(node)) {
            return mistyped(key, "an integer", node);
        }
    }
    if (const cJSON* node = present(object, "fail_details"); node && !cJSON_IsObject(node)) {
        return mistyped("fail_details", "an object", node);
    }
    if (const cJSON* logs = present(object, "logs")) {
        if (auto bad = bad_logs(logs)) return bad;
    }
    const cJSON* outputs = present(object, "outputs");
    if (!outputs) return std::nullopt;
    if (!cJSON_IsObject(outputs)) return mistyped("outputs", "an object", outputs);
    for (const cJSON* entry = outputs->child; entry; entry = entry->next) {
        if (auto bad = bad_output_entry(entry, members)) return bad;
    }
    return std::nullopt;
}

void check_done_event(const cJSON* done, std::string_view dugdale_id) {
    if (auto bad = bad_result_member(done, ResultMembers::as_in_done_event)) {
        throw Error(Status::dispatch, "[" + std::string(dugdale_id) + "] events: done event: " + *bad)
            .dugdale(std::string(dugdale_id));
    }
}

HostError host_error_from(const Error& error) {
    HostError out;
    switch (error.status()) {
        case Status::auth: out.kind = "auth"; break;
        case Status::bad_request: out.kind = "bad_request"; break;
        case Status::conflict: out.kind = "conflict"; break;
        case Status::backpressure: out.kind = "backpressure"; break;
        case Status::staging: out.kind = "staging"; break;
        case Status::wait_timeout: out.kind = "timeout"; break;
        default: out.kind = "network"; break;
    }
    out.message = error.message();
    out.http_status = error.http_status();
    out.error_code = error.error_code();
    return out;
}

namespace {

Error mission_failed_error(const RunResult& result) {
    Error error(Status::mission_failed,
                "mission failed: " + result.fail_message.value_or("(no message)"));
    json::Ptr details = json::object();
    json::add(details.get(), "outcome", json::string(result.outcome));
    json::add(details.get(), "fail_reason",
              result.fail_reason ? json::string(*result.fail_reason) : json::null());
    json::add(details.get(), "mission_id", json::string(result.mission_id));
    error.details(json::print(details.get())).dugdale(result.host).mission(result.mission_id);
    if (result.fail_reason) error.code(*result.fail_reason);
    return error;
}

}  // namespace

MissionFailed::MissionFailed(std::shared_ptr<const RunResult> result)
    : Error(mission_failed_error(*result)), result_(std::move(result)) {}

bool is_launch_failure(const Error& error) {
    return error.status() != Status::invalid_argument && error.status() != Status::cancelled;
}

}  // namespace letts::client
