#include "devserver/events.hpp"

#include "devserver/json_out.hpp"

namespace letts::devserver::events {

// Keys are added in lexicographic order, as the daemon writes them.

std::string queued(std::int64_t seq, const Job& job) {
    auto o = json::object();
    json::add(o.get(), "event", jout::string("queued"));
    if (job.restarted_from.empty()) {
        json::add(o.get(), "lane", jout::string(job.lane));
        if (job.kind == "mission") json::add(o.get(), "mission", jout::string(job.mission_name));
    }
    json::add(o.get(), "mission_id", jout::string(job.id));
    if (!job.restarted_from.empty())
        json::add(o.get(), "restarted_from", jout::string(job.restarted_from));
    json::add(o.get(), "seq", jout::int64(seq));
    json::add(o.get(), "time_created", jout::int64(job.time_created));
    return jout::print(o.get());
}

std::string running(std::int64_t seq, std::int64_t time, int pid) {
    auto o = json::object();
    json::add(o.get(), "event", jout::string("running"));
    json::add(o.get(), "pid", jout::int64(pid));
    json::add(o.get(), "seq", jout::int64(seq));
    json::add(o.get(), "time", jout::int64(time));
    json::add(o.get(), "time_started", jout::int64(time));
    return jout::print(o.get());
}

std::string progress(std::int64_t seq, std::int64_t time, const std::optional<std::string>& value_literal,
                     const std::optional<std::string>& message) {
    auto o = json::object();
    json::add(o.get(), "event", jout::string("progress"));
    if (message) json::add(o.get(), "message", jout::string(*message));
    json::add(o.get(), "seq", jout::int64(seq));
    json::add(o.get(), "time", jout::int64(time));
    if (value_literal) json::add(o.get(), "value", jout::raw(*value_literal));
    return jout::print(o.get());
}

std::string done(std::int64_t seq, const Job& job, const Result& r) {
    auto o = json::object();
    const std::int64_t finished = job.time_finished.value_or(0);
    if (r.started && job.time_started)
        json::add(o.get(), "duration_ms", jout::int64(finished - *job.time_started));
    json::add(o.get(), "event", jout::string("done"));
    json::add(o.get(), "exit_code", jout::int64(r.exit_code));
    if (!r.fail_details.empty()) json::add(o.get(), "fail_details", jout::raw(r.fail_details));
    if (!r.fail_message.empty()) json::add(o.get(), "fail_message", jout::string(r.fail_message));
    if (!r.fail_reason.empty()) json::add(o.get(), "fail_reason", jout::string(r.fail_reason));
    json::add(o.get(), "outcome", jout::string(r.outcome));
    if (!r.outputs.empty()) {
        auto outs = json::object();
        for (const auto& [key, ref] : r.outputs) {
            auto one = json::object();
            json::add(one.get(), "sha256", jout::string(ref.sha256));
            json::add(one.get(), "size", jout::int64(ref.size));
            json::add(one.get(), "staging_id", jout::string(ref.staging_id));
            json::add(outs.get(), key, std::move(one));
        }
        json::add(o.get(), "outputs", std::move(outs));
    }
    if (r.progress_dropped > 0) json::add(o.get(), "progress_dropped", jout::int64(r.progress_dropped));
    if (r.return_json) json::add(o.get(), "return", jout::raw(*r.return_json));
    json::add(o.get(), "seq", jout::int64(seq));
    if (!r.signal.empty()) json::add(o.get(), "signal", jout::string(r.signal));
    json::add(o.get(), "time_finished", jout::int64(finished));
    return jout::print(o.get());
}

}  // namespace letts::devserver::events
