// run: dispatch, follow the events to `done`, then logs, result, outputs and
// failure-as-error (client-behavior.md §5.3); downloadOutput (§5.4).
#include "client/client.hpp"

#include "core/duration.hpp"
#include "core/error.hpp"
#include "net/http_error.hpp"
#include "net/staging_download.hpp"
#include "net/url.hpp"

namespace letts::client {

namespace {

using Clock = std::chrono::steady_clock;

// A log stream of a finished mission; any failure degrades to "" (§5.3),
// and so does a log longer than max_response_bytes: the transfer stops at
// the cap instead of growing without bound.
std::string fetch_log(const net::Transport& transport, const net::Endpoint& endpoint,
                      const std::string& mission_id, const char* stream) {
    try {
        net::Request request;
        request.target = "/v1/missions/" + net::escape(mission_id) + "/output?stream=" + stream;
        request.operation = "logs";
        request.streaming = true;
        std::string text;
        const std::size_t cap = transport.options().max_response_bytes;
        const net::Response response =
            transport.perform(endpoint, request, [&](std::string_view chunk) {
                if (chunk.size() > cap - text.size()) {
                    throw Error(Status::dispatch, "log longer than max_response_bytes");
                }
                text.append(chunk);
            });
        return response.status >= 200 && response.status < 300 ? text : std::string();
    } catch (const Error&) {
        return std::string();
    }
}

}  // namespace

RunResult Client::run(const Job& job, const RunOptions& options) const {
    // Validated before any network activity (libletts rule 5.3.1).
    std::optional<std::chrono::milliseconds> wait;
    if (!options.wait_timeout.empty()) wait = duration::parse_wait_timeout(options.wait_timeout);

    const std::string mission_id = dispatch_id(job);
    std::string running_id;
    config::Resolved where;
    try {
        where = resolve(job, true);
        running_id = post_dispatch(job, mission_id, where);
    } catch (const Error& error) {
        if (error.status() != Status::invalid_argument) {
            report(LaunchFailure{error, net::is_launch_retryable(error), "run", "dispatch", job,
                                 mission_id});
        }
        throw;
    }

    const net::Endpoint endpoint = this->endpoint(where.dugdale_id, config::Scope::dispatch);
    net::FollowSettings settings;
    if (wait) settings.deadline = Clock::now() + *wait;
    net::FollowResult followed;
    try {
        followed = net::follow_events(
            transport(), endpoint, running_id, settings,
            [&](const cJSON* event, std::string_view) {
                if (!options.on_progress) return true;
                if (json::get_string(event, "event").value_or("") != "progress") return true;
                return options.on_progress(json::get_number(event, "value"),
                                           json::get_string(event, "message"));
            });
    } catch (const Error& error) {
        if (error.status() != Status::wait_timeout) {
            report(LaunchFailure{error, net::is_launch_retryable(error), "run", "stream", job,
                                 running_id});
        }
        throw;
    }
    if (followed.end == net::FollowEnd::stopped) {
        throw Error(Status::interrupted,
                    "run of mission " + running_id + " stopped by the progress callback; the mission keeps running")
            .dugdale(where.dugdale_id);
    }

    try {
        check_done_event(followed.done_event.get(), where.dugdale_id);
    } catch (const Error& error) {
        report(LaunchFailure{error, net::is_launch_retryable(error), "run", "stream", job,
                             running_id});
        throw;
    }
    auto result = std::make_shared<RunResult>(
        run_result_from_done(where.dugdale_id, running_id, followed.done_event.get()));
    if (options.fetch_logs) {
        result->logs.stdout_text = fetch_log(transport(), endpoint, running_id, "stdout");
        result->logs.stderr_text = fetch_log(transport(), endpoint, running_id, "stderr");
    }
    if (!options.download_outputs_to.empty() && result->is_success()) {
        net::create_download_dir(options.download_outputs_to);
        for (const auto& [role, file] : result->outputs) {
            if (file.staging_id.empty()) continue;
            net::download_to_folder(
                transport(), endpoint,
                net::Announced{file.staging_id, file.sha256, static_cast<std::uint64_t>(file.size)},
                options.download_outputs_to, role);
        }
    }
    if (options.throw_on_failure && !result->is_success()) throw MissionFailed(result);
    return std::move(*result);
}

std::string Client::download_output(const RunResult& result, std::string_view key) const {
    const OutputFile* found = nullptr;
    std::string have;
    for (const auto& [role, file] : result.outputs) {
        if (role == key) found = &file;
        have += (have.empty() ? "" : ", ") + role;
    }
    if (!found) {
        throw Error(Status::bad_request, "no output file with key \"" + std::string(key) + "\"" +
                                             (have.empty() ? "" : " (have: " + have + ")"));
    }
    if (found->staging_id.empty()) {
        throw Error(Status::staging, "output \"" + std::string(key) + "\" has no staging id");
    }
    // Held in memory: bounded like every collected body. The announced size
    // is checked first (and bounds the reservation); the download itself
    // then stops at the announced size, or at the cap when none was given.
    const std::size_t cap = transport().options().max_response_bytes;
    if (found->size > 0 && static_cast<std::uint64_t>(found->size) > cap) {
        throw Error(Status::staging, "output \"" + std::string(key) + "\" announces " +
                                         std::to_string(found->size) + " bytes, over the " +
                                         std::to_string(cap) +
                                         "-byte cap (max_response_bytes); download it to a folder")
            .dugdale(result.host);
    }
    const net::Endpoint endpoint = this->endpoint(result.host, config::Scope::dispatch);
    std::string bytes;
    if (found->size > 0) bytes.reserve(static_cast<std::size_t>(found->size));
    net::download_verified(
        transport(), endpoint,
        net::Announced{found->staging_id, found->sha256, static_cast<std::uint64_t>(found->size)},
        [&](std::string_view chunk) { bytes.append(chunk); });
    return bytes;
}

}  // namespace letts::client
