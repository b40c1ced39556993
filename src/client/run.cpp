// run: dispatch, follow the events to `done`, then logs, result, outputs and
// failure-as-error (client-behavior.md §5.3); wait (the same after someone
// else's dispatch); downloadOutput (§5.4). A run that ends early — wait
// timeout, progress callback, cancel — names its mission in the error and,
// with kill_on_cancel, kills it first.
#include "client/client.hpp"

#include "core/error.hpp"
#include "net/http_error.hpp"
#include "net/staging_download.hpp"
#include "net/url.hpp"

namespace letts::client {

namespace {

using Clock = std::chrono::steady_clock;

// A log stream of a finished mission; any failure degrades to "" (§5.3),
// and so does a log longer than max_response_bytes: the transfer stops at
// the cap instead of growing without bound. A cancel is not a failure of
// the fetch: it ends the run.
net::Task<std::string> fetch_log(net::Loop& loop, const net::Transport& transport,
                                 net::Endpoint endpoint, std::string mission_id, const char* stream) {
    std::string text;
    bool fetched = false;
    try {
        net::Request request;
        request.target = "/v1/missions/" + net::escape(mission_id) + "/output?stream=" + stream;
        request.operation = "logs";
        request.streaming = true;
        const std::size_t cap = transport.options().max_response_bytes;
        net::BodySink capped = [&text, cap](std::string_view chunk) {
            if (chunk.size() > cap - text.size()) {
                throw Error(Status::dispatch, "log longer than max_response_bytes");
            }
            text.append(chunk);
            return net::SinkAction::proceed;
        };
        const net::Response response =
            co_await transport.perform(loop, std::move(endpoint), std::move(request), std::move(capped));
        fetched = response.status >= 200 && response.status < 300;
    } catch (const Error& error) {
        if (error.status() == Status::cancelled) throw;
    }
    co_return fetched ? text : std::string();
}

// The run ended before its result, by the caller's choice or deadline.
bool ends_early(Status status) {
    return status == Status::cancelled || status == Status::wait_timeout ||
           status == Status::interrupted;
}

}  // namespace

net::Task<void> Client::kill_after_stop(net::Loop& loop, std::string dugdale_id,
                                        std::string mission_id) const {
    json::Ptr body = json::object();
    json::add(body.get(), "signal", json::string("TERM"));
    net::Request request;
    request.method = "POST";
    request.target = "/v1/missions/" + net::escape(mission_id) + "/kill";
    request.operation = "kill";
    request.json_body = json::print(body.get());
    // Uncancellable: the cancel that brought us here must not stop it. Its
    // length is bounded by the connect and request timeouts.
    net::Endpoint admin = endpoint(dugdale_id, config::Scope::admin);
    co_await transport().perform_json(loop, std::move(admin), std::move(request), net::Loop::Stop::uncancellable);
}

net::Task<void> Client::end_early(net::Loop& loop, std::string dugdale_id, std::string mission_id,
                                  const RunOptions& options, Error ended) const {
    std::string message = ended.status() == Status::cancelled
                              ? "run of mission " + mission_id + " cancelled"
                              : ended.message();
    if (options.kill_on_cancel) {
        std::optional<Error> kill_failed;
        try {
            co_await kill_after_stop(loop, dugdale_id, mission_id);
        } catch (const Error& error) {
            kill_failed = error;
        }
        if (!kill_failed) {
            message += "; the mission was killed";
        } else if (kill_failed->status() == Status::conflict) {
            message += "; the mission had already ended";
        } else {
            message += "; killing the mission failed: " + kill_failed->message();
        }
    } else if (ended.status() != Status::wait_timeout) {
        // (The wait-timeout text is php-client's, left as it is.)
        message += "; the mission keeps running";
    }
    throw Error(ended.status(), message).dugdale(dugdale_id).mission(mission_id);
}

net::Task<void> Client::collect(net::Loop& loop, const net::Endpoint& endpoint, std::string mission_id,
                                const RunOptions& options, RunResult& result) const {
    if (options.fetch_logs) {
        result.logs.stdout_text = co_await fetch_log(loop, transport(), endpoint, mission_id, "stdout");
        result.logs.stderr_text = co_await fetch_log(loop, transport(), endpoint, mission_id, "stderr");
    }
    if (options.download_outputs_to.empty() || !result.is_success()) co_return;
    net::create_download_dir(options.download_outputs_to);
    for (const auto& [role, file] : result.outputs) {
        if (file.staging_id.empty()) continue;
        net::Announced announced{file.staging_id, file.sha256, static_cast<std::uint64_t>(file.size)};
        co_await net::download_to_folder(loop, transport(), endpoint, std::move(announced),
                                         options.download_outputs_to, role);
    }
}

net::Task<RunResult> Client::follow_to_result(net::Loop& loop, std::string dugdale_id,
                                              std::string mission_id, const RunOptions& options,
                                              RunProgress& progress, const Launch* launch) const {
    const net::Endpoint endpoint = this->endpoint(dugdale_id, options.scope);
    progress.state = RunState::following;
    net::FollowSettings settings;
    if (options.wait_timeout) settings.deadline = Clock::now() + *options.wait_timeout;

    net::EventHandler on_event = [&options](const cJSON* event, std::string_view) {
        if (!options.on_progress) return true;
        if (json::get_string(event, "event").value_or("") != "progress") return true;
        return options.on_progress(json::get_number(event, "value"), json::get_string(event, "message"));
    };
    std::optional<Error> ended;
    net::FollowResult followed;
    try {
        followed = co_await net::follow_events(loop, transport(), endpoint, mission_id, settings, std::move(on_event));
        if (followed.end == net::FollowEnd::stopped) {
            ended = Error(Status::interrupted, "run of mission " + mission_id + " stopped by the progress callback");
        } else {
            check_done_event(followed.done_event.get(), dugdale_id);
        }
    } catch (const Error& error) {
        ended = error;
    }
    if (ended && ends_early(ended->status())) co_await end_early(loop, dugdale_id, mission_id, options, *ended);
    if (ended) {
        if (launch && is_launch_failure(*ended)) {
            const char* method = std::holds_alternative<ExecSpec>(*launch) ? "execRun" : "run";
            report(LaunchFailure{*ended, net::is_launch_retryable(*ended), method, "stream", *launch, mission_id});
        }
        throw Error(*ended).mission(mission_id);
    }

    auto result = std::make_shared<RunResult>(
        run_result_from_done(dugdale_id, mission_id, followed.done_event.get()));
    result->scope = options.scope;
    progress.state = RunState::collecting;
    std::optional<Error> collect_failed;
    try {
        co_await collect(loop, endpoint, mission_id, options, *result);
    } catch (const Error& error) {
        collect_failed = error;
    }
    if (collect_failed && collect_failed->status() == Status::cancelled) {
        throw Error(Status::cancelled, "run of mission " + mission_id +
                                           " cancelled after it ended, while collecting its logs and outputs")
            .dugdale(dugdale_id)
            .mission(mission_id);
    }
    if (collect_failed) throw Error(*collect_failed).mission(mission_id);
    if (options.throw_on_failure && !result->is_success()) throw MissionFailed(result);
    co_return std::move(*result);
}

net::Task<void> Client::cancelled_before_confirmed(net::Loop& loop, std::string dugdale_id,
                                                   std::string mission_id, const RunOptions& options,
                                                   std::string what) const {
    // The POST may or may not have reached the daemon (the job may even be
    // running already): the id is the idempotency key, so waiting for it or
    // launching again with it is safe. With kill_on_cancel, kill it in case
    // it exists.
    std::string message = "run cancelled before the dispatch of " + what + " " + mission_id + " was confirmed";
    bool kill_tried = false;
    std::optional<Error> kill_failed;
    if (options.kill_on_cancel && !dugdale_id.empty()) {
        kill_tried = true;
        try {
            co_await kill_after_stop(loop, dugdale_id, mission_id);
        } catch (const Error& error) {
            kill_failed = error;
        }
    }
    if (!kill_tried) {
        message += "; it may exist: wait for it, or launch again with the same " + what + " id";
    } else if (!kill_failed) {
        message += "; the " + what + " was killed";
    } else if (kill_failed->status() == Status::dispatch && kill_failed->http_status() == 404) {
        message += "; the daemon had no such " + what + " to kill";
    } else if (kill_failed->status() == Status::conflict) {
        message += "; the " + what + " had already ended";
    } else {
        message += "; killing it failed: " + kill_failed->message();
    }
    throw Error(Status::cancelled, message).dugdale(dugdale_id).mission(mission_id);
}

net::Task<RunResult> Client::run_task(net::Loop& loop, Job job, RunOptions options,
                                      RunProgress& progress) const {
    const std::string mission_id = dispatch_id(job);
    std::string running_id;
    config::Resolved where;
    std::optional<Error> failed;
    try {
        where = resolve(job, true);
        running_id = co_await post_dispatch(loop, job, mission_id, where);
    } catch (const Error& error) {
        failed = error;
    }
    if (failed) {
        if (is_launch_failure(*failed)) {
            report(LaunchFailure{*failed, net::is_launch_retryable(*failed), "run", "dispatch", job, mission_id});
        }
        if (failed->status() != Status::cancelled) throw Error(*failed).mission(mission_id);
        co_await cancelled_before_confirmed(loop, where.dugdale_id, mission_id, options, "mission");
    }
    progress.mission_id = running_id;
    const Launch launch{std::move(job)};
    co_return co_await follow_attempts(loop, where.dugdale_id, running_id, std::move(options), progress, &launch,
                                       where.lane);
}

net::Task<RunResult> Client::wait_task(net::Loop& loop, std::string host, std::string mission_id,
                                       RunOptions options, RunProgress& progress) const {
    const std::string dugdale_id = require_host(host, "wait");
    progress.mission_id = mission_id;
    co_return co_await follow_attempts(loop, dugdale_id, mission_id, std::move(options), progress, nullptr, "");
}

RunResult Client::run(const Job& job, const RunOptions& options) const {
    const std::unique_ptr<RunHandle> handle = start_run(job, options);
    handle->finish();
    return handle->result();
}

RunResult Client::wait(std::string_view host, std::string_view mission_id, const RunOptions& options) const {
    const std::unique_ptr<RunHandle> handle = start_wait(host, mission_id, options);
    handle->finish();
    return handle->result();
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
    const net::Endpoint endpoint = this->endpoint(result.host, result.scope);
    // No reserve() of the announced size: the memory would be committed
    // before the first byte arrives (and before a cancel could be seen);
    // growing with the body costs a few copies at most.
    std::string bytes;
    block([&](net::Loop& loop) {
        return net::download_verified(
            loop, transport(), endpoint,
            net::Announced{found->staging_id, found->sha256, static_cast<std::uint64_t>(found->size)},
            [&bytes](std::string_view chunk) { bytes.append(chunk); });
    });
    return bytes;
}

}  // namespace letts::client
