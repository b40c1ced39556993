// letts/launch_failure.h: the observer's view of a LaunchFailure.
#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/json.hpp"

namespace letts::capi {

namespace {

std::string descriptor_json(const client::Job& job) {
    namespace json = letts::json;
    const auto text_or_null = [](const std::string& text) {
        return text.empty() ? json::null() : json::string(text);
    };
    json::Ptr root = json::object();
    json::add(root.get(), "route", text_or_null(job.target.route));
    json::add(root.get(), "host", text_or_null(job.target.host));
    json::Ptr match = json::array();
    for (const auto& label : job.target.match) json::append(match.get(), json::string(label));
    json::add(root.get(), "match", std::move(match));
    json::add(root.get(), "lane", text_or_null(job.target.lane));
    json::Ptr input = json::parse(job.input_json);
    json::add(root.get(), "input", input ? std::move(input) : json::object());
    json::Ptr files = json::object();
    for (const auto& [role, path] : job.files) json::add(files.get(), role, json::string(path));
    json::add(root.get(), "files", std::move(files));
    json::add(root.get(), "timeout", text_or_null(job.timeout));
    return json::print(root.get());
}

}  // namespace

void call_observer(letts_launch_failure_fn fn, void* user_data,
                   const client::LaunchFailure& failure) {
    letts_launch_failure view{&failure, letts_error{failure.error, false, {}},
                              descriptor_json(failure.job)};
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
    return failure ? failure->failure->job.mission.c_str() : nullptr;
}

LETTS_EXTERN const char* letts_launch_failure_json(const letts_launch_failure* failure) {
    return failure ? failure->descriptor_json.c_str() : nullptr;
}

}  // extern "C"
