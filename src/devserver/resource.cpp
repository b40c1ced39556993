#include "devserver/resource.hpp"

#include "devserver/json_out.hpp"

namespace letts::devserver {

json::Ptr mission_resource(const Engine& engine, const Job& job) {
    auto o = json::object();
    auto add = [&](const char* k, json::Ptr v) { json::add(o.get(), k, std::move(v)); };
    add("mission_id", jout::string(job.id));
    add("kind", jout::string(job.kind));
    add("lane", jout::string(job.lane));
    add("mission_name", jout::string(job.mission_name));
    add("status", jout::string(status_name(job.status)));
    add("input_fingerprint", jout::string(job.fingerprint));
    add("truncated_stdout", json::boolean(job.truncated_stdout));
    add("truncated_stderr", json::boolean(job.truncated_stderr));
    add("time_created", jout::int64(job.time_created));
    auto inputs = json::array();
    for (const auto& in : job.inputs) {
        if (!engine.staging().exists(in.staging_id)) continue;  // gone: silently omitted
        auto e = json::object();
        json::add(e.get(), "role", jout::string(in.role));
        json::add(e.get(), "staging_id", jout::string(in.staging_id));
        json::add(e.get(), "sha256", jout::string(in.sha256));
        json::add(e.get(), "size", jout::int64(in.size));
        json::append(inputs.get(), std::move(e));
    }
    add("inputs", std::move(inputs));
    auto outputs = json::object();
    if (job.result)
        for (const auto& [key, ref] : job.result->outputs) {
            if (!engine.staging().exists(ref.staging_id)) continue;
            auto e = json::object();
            json::add(e.get(), "staging_id", jout::string(ref.staging_id));
            json::add(e.get(), "sha256", jout::string(ref.sha256));
            json::add(e.get(), "size", jout::int64(ref.size));
            json::add(outputs.get(), key, std::move(e));
        }
    add("outputs", std::move(outputs));
    add("input", jout::raw(job.input));
    if (job.exec && !job.exec->display_name.empty()) add("display_name", jout::string(job.exec->display_name));
    if (job.exec && !job.exec->group_id.empty()) add("group_id", jout::string(job.exec->group_id));
    if (const auto& r = job.result) {
        add("outcome", jout::string(r->outcome));
        if (!r->fail_reason.empty()) add("fail_reason", jout::string(r->fail_reason));
        if (!r->fail_message.empty()) add("fail_message", jout::string(r->fail_message));
        if (!r->fail_details.empty()) add("fail_details", jout::raw(r->fail_details));
        add("exit_code", jout::int64(r->exit_code));
        if (!r->signal.empty()) add("signal", jout::string(r->signal));
    }
    if (job.pid) add("pid", jout::int64(*job.pid));
    if (job.result && job.result->return_json) add("return", jout::raw(*job.result->return_json));
    if (job.time_started) add("time_started", jout::int64(*job.time_started));
    if (job.time_finished) add("time_finished", jout::int64(*job.time_finished));
    if (job.time_started && job.time_finished) add("duration_ms", jout::int64(*job.time_finished - *job.time_started));
    if (job.timeout_ms) add("timeout_ms", jout::int64(*job.timeout_ms));
    if (!job.restarted_from.empty()) add("restarted_from", jout::string(job.restarted_from));
    return o;
}

}  // namespace letts::devserver
