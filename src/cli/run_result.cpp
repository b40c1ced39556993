#include "run_result.hpp"

#include <cinttypes>
#include <cstdio>
#include <string>

namespace letts_cli {

namespace {

cJSON* json_or_null(const char* text) {
    if (!text) return cJSON_CreateNull();
    cJSON* v = cJSON_Parse(text);
    return v ? v : cJSON_CreateString(text);
}

cJSON* string_or_empty(const char* s) { return cJSON_CreateString(s ? s : ""); }

std::string join_failure(std::string head, const std::string& label, const std::string& msg) {
    if (!label.empty()) head += ": " + label;
    if (!msg.empty()) head += ": " + msg;
    return head;
}

}  // namespace

Json run_result_json(const letts_run_result* r) {
    Json doc(cJSON_CreateObject());
    cJSON* o = doc.get();
    cJSON_AddItemToObject(o, "mission_id", string_or_empty(letts_run_result_mission_id(r)));
    cJSON_AddItemToObject(o, "host", string_or_empty(letts_run_result_host(r)));
    cJSON_AddItemToObject(o, "outcome", string_or_empty(letts_run_result_outcome(r)));
    cJSON_AddItemToObject(o, "return", json_or_null(letts_run_result_return_json(r)));
    int64_t code = 0;
    if (letts_run_result_exit_code(r, &code))
        cJSON_AddNumberToObject(o, "exit_code", static_cast<double>(code));
    else
        cJSON_AddNullToObject(o, "exit_code");
    cJSON_AddItemToObject(o, "signal", string_or_empty(letts_run_result_signal(r)));
    cJSON_AddItemToObject(o, "fail_reason", string_or_empty(letts_run_result_fail_reason(r)));
    cJSON_AddItemToObject(o, "fail_message", string_or_empty(letts_run_result_fail_message(r)));
    cJSON_AddNumberToObject(o, "duration_ms", static_cast<double>(letts_run_result_duration_ms(r)));
    size_t out_len = 0, err_len = 0;
    const char* out = letts_run_result_stdout(r, &out_len);
    const char* err = letts_run_result_stderr(r, &err_len);
    cJSON* logs = cJSON_AddObjectToObject(o, "logs");
    cJSON_AddItemToObject(logs, "stdout", cJSON_CreateString(out ? std::string(out, out_len).c_str() : ""));
    cJSON_AddItemToObject(logs, "stderr", cJSON_CreateString(err ? std::string(err, err_len).c_str() : ""));
    return doc;
}

void print_run_result(const letts_run_result* r, Format format) {
    if (format != Format::Text) {
        print_json(run_result_json(r).get(), format);
        return;
    }
    const char* ret = letts_run_result_return_json(r);
    if (ret) print_json_text(ret, Format::Json);
}

int outcome_exit(const letts_run_result* r) {
    std::string outcome = letts_run_result_outcome(r) ? letts_run_result_outcome(r) : "";
    if (outcome == "success") return 0;
    std::string reason = letts_run_result_fail_reason(r) ? letts_run_result_fail_reason(r) : "";
    std::string message = letts_run_result_fail_message(r) ? letts_run_result_fail_message(r) : "";
    if (outcome == "failed") {
        // Upstream leaves out the generic reason "explicit".
        if (reason == "explicit") reason.clear();
        if (reason.empty() && message.empty()) message = "(no message)";
        std::fprintf(stderr, "letts: %s\n", join_failure("mission failed", reason, message).c_str());
        return 1;
    }
    std::string label = outcome.empty() ? "unknown" : outcome;
    if (!reason.empty()) label += "/" + reason;

        std::fprintf(stderr, "letts: %s\n",
                     join_failure("mission did not exit normally", label, message).c_str());
    return 125;
}

}  // namespace letts_cli
