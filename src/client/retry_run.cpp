// The attempts of a run (issue 20 §3): follow a mission to its result; when
// the retry policy lists the outcome, pause, restart it (POST
// /v1/missions/{id}/restart, admin token) and follow the new job, so the
// daemon's `restarted_from` chains the attempts. The completion observer
// (§4) hears the last attempt's result once. One wait timeout bounds the
// whole run: every attempt and every pause.
#include <algorithm>
#include <random>

#include "client/client.hpp"
#include "core/error.hpp"
#include "net/url.hpp"

namespace letts::client {

namespace {

using Clock = std::chrono::steady_clock;

std::mt19937_64 seeded_random() {
    std::random_device device;
    return std::mt19937_64((static_cast<std::uint64_t>(device()) << 32) ^ device());
}

}  // namespace

net::Task<std::string> Client::restart_after_pause(net::Loop& loop, std::string dugdale_id,
                                                   std::string mission_id, std::chrono::milliseconds pause,
                                                   std::optional<Clock::time_point> deadline) const {
    if (deadline && Clock::now() + pause >= *deadline) {
        // The pause would outlast the wait timeout: wait to its end (still
        // cancellable) and report the timeout naming the last attempt.
        co_await loop.sleep_until(*deadline);
        throw Error(Status::wait_timeout,
                    "wait-timeout exceeded before the retry of mission " + mission_id)
            .dugdale(dugdale_id)
            .mission(mission_id);
    }
    co_await loop.sleep_for(pause);
    net::Request request;
    request.method = "POST";
    request.target = "/v1/missions/" + net::escape(mission_id) + "/restart";
    request.operation = "restart";
    std::optional<Error> failed;
    json::Ptr answer;
    try {
        // perform_json never retries a POST: a restart makes a job each time.
        answer = co_await transport().perform_json(loop, endpoint(dugdale_id, config::Scope::admin),
                                                   std::move(request));
    } catch (const Error& error) {
        failed = error;
    }
    if (failed) throw Error(*failed).mission(mission_id);
    const auto next = json::get_string(answer.get(), "mission_id");
    if (!next || next->empty()) {
        throw Error(Status::dispatch, "restart of mission " + mission_id + " answered without a mission_id")
            .dugdale(dugdale_id)
            .mission(mission_id);
    }
    co_return *next;
}

net::Task<RunResult> Client::follow_attempts(net::Loop& loop, std::string dugdale_id, std::string mission_id,
                                             RunOptions options, RunProgress& progress, const Launch* launch,
                                             std::string lane) const {
    std::optional<Clock::time_point> deadline;
    if (options.wait_timeout) deadline = Clock::now() + *options.wait_timeout;
    RunOptions each = options;
    each.throw_on_failure = false;  // decided once, after the last attempt
    std::vector<std::string> ids{mission_id};
    std::mt19937_64 random = seeded_random();
    RunResult result;
    for (;;) {
        if (deadline) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
            each.wait_timeout = std::max(left, std::chrono::milliseconds(1));
        }
        result = co_await follow_to_result(loop, dugdale_id, ids.back(), each, progress, launch);
        const int made = static_cast<int>(ids.size());
        if (made >= options.retry.max_attempts || !options.retry.retries(result)) break;
        const auto pause = options.retry.pause_before(made + 1, random);
        ids.push_back(co_await restart_after_pause(loop, dugdale_id, ids.back(), pause, deadline));
        progress.mission_id = ids.back();
    }
    result.attempt_ids = std::move(ids);
    result.lane = std::move(lane);
    report_completion(result);
    if (options.throw_on_failure && !result.is_success()) {
        throw MissionFailed(std::make_shared<const RunResult>(std::move(result)));
    }
    co_return result;
}

}  // namespace letts::client
