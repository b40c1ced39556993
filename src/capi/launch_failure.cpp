// letts/launch_failure.h: the observer's view of a LaunchFailure.
#include <variant>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/json.hpp"

namespace letts::capi {

namespace {

namespace json = letts::json;

json::Ptr text_or_null(const std::string& text) { return text.empty() ? json::null() : json::string(text); }

json::Ptr string_array(const std::vector<std::string>& items) {
    json::Ptr array = json::array();
    for (const auto& item : items) json::append(array.get(), json::string(item));
    return array;
}

std::string descriptor_json(const client::Job& job) {
    json::Ptr root = json::object();
    json::add(root.get(), "route", text_or_null(job.target.route));
    json::add(root.get(), "host", text_or_null(job.target.host));
    json::add(root.get(), "match", string_array(job.target.match));
    json::add(root.get(), "lane", text_or_null(job.target.lane));
    json::Ptr input = json::parse(job.input_json);
    json::add(root.get(), "input", input ? std::move(input) : json::object());
    json::Ptr files = json::object();
    for (const auto& [role, path] : job.files) json::add(files.get(), role, json::string(path));
    json::add(root.get(), "files", std::move(files));
    json::add(root.get(), "timeout", text_or_null(job.timeout));
    return json::print(root.get());
}

// The mission descriptor's members where an exec has them (no route, match
// or input; its `in` files as "files"), the rest under "exec".
std::string descriptor_json(const client::ExecSpec& spec) {
    json::Ptr root = json::object();
    json::add(root.get(), "route", json::null());
    json::add(root.get(), "host", text_or_null(spec.host));
    json::add(root.get(), "match", json::array());
    json::add(root.get(), "lane", text_or_null(spec.lane));
    json::add(root.get(), "input", json::null());
    json::Ptr files = json::object();
    for (const auto& [key, path] : spec.in) json::add(files.get(), key, json::string(path));
    json::add(root.get(), "files", std::move(files));
    json::add(root.get(), "timeout", text_or_null(spec.timeout));
    json::Ptr exec = json::object();
    json::add(exec.get(), "command", string_array(spec.command));
    json::add(exec.get(), "script", text_or_null(spec.script_path));
    json::add(exec.get(), "out", string_array(spec.out));
    json::add(exec.get(), "stdin", text_or_null(spec.stdin_path));
    json::add(exec.get(), "stdin_bytes",
              json::number(static_cast<double>(spec.stdin_bytes ? spec.stdin_bytes->size() : 0)));
    json::add(exec.get(), "group_id", text_or_null(spec.group_id));
    json::add(exec.get(), "display_name", text_or_null(spec.display_name));
    json::add(root.get(), "exec", std::move(exec));
    return json::print(root.get());
}

}  // namespace

void call_observer(letts_launch_failure_fn fn, void* user_data,
                   const client::LaunchFailure& failure) {
    letts_launch_failure view{&failure, letts_error{failure.error, false, {}},
                              std::visit([](const auto& launched) { return descriptor_json(launched); },
                                         failure.launch)};
    fn(&view, user_data);
}

}  // namespace letts::capi

extern "C" {

LETTS_EXTERN const letts_error* letts_launch_failure_error(const letts_launch_failure* failure) {
    return failure ? &failure->error : nullptr;
}

LETTS_EXTERN int letts_launch_failure_retryable(const letts_launch_failure* failure) {
    return failure && failure->failure->retryable ? 1 : 0;
}

LETTS_EXTERN const char* letts_launch_failure_method(const letts_launch_failure* failure) {
    return failure ? failure->failure->method.c_str() : nullptr;
}

LETTS_EXTERN const char* letts_launch_failure_phase(const letts_launch_failure* failure) {
    return failure ? failure->failure->phase.c_str() : nullptr;
}

LETTS_EXTERN const char* letts_launch_failure_mission_id(const letts_launch_failure* failure) {
    return failure ? failure->failure->mission_id.c_str() : nullptr;
}

LETTS_EXTERN const char* letts_launch_failure_mission(const letts_launch_failure* failure) {
    if (!failure) return nullptr;
    // An exec job's mission name on the daemon is the constant "exec".
    const auto* job = std::get_if<letts::client::Job>(&failure->failure->launch);
    return job ? job->mission.c_str() : "exec";
}

LETTS_EXTERN const char* letts_launch_failure_json(const letts_launch_failure* failure) {
    return failure ? failure->descriptor_json.c_str() : nullptr;
}

}  // extern "C"
