// runParallel and runOnAll (client-behavior.md §5.5, §5.6): every dispatch
// POST and every event stream of the fan-out on one curl multi handle driven
// by the calling thread; results in input order; no retry of the POSTs and
// no reconnect of the streams (as upstream); a silent stream stays open
// until its `done`, a transport failure or the shared deadline.
#include <chrono>

#include "client/client.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/uuidv7.hpp"
#include "net/event_stream.hpp"
#include "net/http_error.hpp"
#include "net/multi.hpp"
#include "net/ndjson.hpp"

namespace letts::client {

namespace {

using Clock = std::chrono::steady_clock;

struct StreamFinished {};  // thrown from a sink once `done` arrived

struct JobState {
    std::string mission_id;
    std::string dugdale_id;
    net::Endpoint endpoint;
    net::NdjsonDecoder decoder;
    json::Ptr done;
    bool finished = false;  // a HostResult was recorded
};

bool aborts_fan_out(const Error& error) {
    return error.status() == Status::config || error.status() == Status::missing_env ||
           error.status() == Status::no_matching_dugdale;
}

}  // namespace

std::vector<HostResult> Client::run_parallel(const std::vector<Job>& jobs,
                                             std::string_view wait_timeout) const {
    std::optional<Clock::time_point> deadline;
    if (!wait_timeout.empty()) deadline = Clock::now() + duration::parse_wait_timeout(wait_timeout);
    const auto deadline_passed = [&] { return deadline && Clock::now() >= *deadline; };

    std::vector<HostResult> results(jobs.size());
    std::vector<JobState> states;
    states.reserve(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        states.push_back(JobState{{}, {}, {}, net::NdjsonDecoder(transport().options().max_event_line_bytes,
                                                                 net::NdjsonDecoder::Overlong::fail),
                                  {}, false});
    }
    net::Multi multi(transport());

    const auto fail = [&](std::size_t i, const Error& error, const char* phase, std::string host) {
        results[i].host = std::move(host);
        results[i].error = host_error_from(error);
        states[i].finished = true;
        report(LaunchFailure{error, net::is_launch_retryable(error), "runParallel", phase, jobs[i],
                             states[i].mission_id});
    };

    const auto on_stream_done = [&](std::size_t i) {
        return [&, i](CURLcode code, net::Exchange& exchange) {
            JobState& state = states[i];
            try {
                const net::Response response = exchange.finish(code);
                if (response.status < 200 || (response.status >= 300 && response.status < 400)) {
                    throw net::unexpected_status(response.status, "200", state.dugdale_id, "events");
                }
                state.decoder.finish([&](const cJSON* event, std::string_view) {
                    if (json::get_string(event, "event").value_or("") == "done" && !state.done) {
                        state.done.reset(cJSON_Duplicate(event, 1));
                    }
                });
            } catch (const StreamFinished&) {
            } catch (const Error& error) {
                // A cap or a status the server should not have sent is this
                // job's error; a transport failure keeps the upstream
                // "ended without a terminal event" below.
                if (error.status() != Status::network) {
                    fail(i, error, "stream", state.dugdale_id);
                    return;
                }
            }
            if (state.done) {
                try {
                    check_done_event(state.done.get(), state.dugdale_id);
                } catch (const Error& error) {
                    fail(i, error, "stream", state.dugdale_id);
                    return;
                }
                results[i].host = state.dugdale_id;
                results[i].result = std::make_shared<const RunResult>(
                    run_result_from_done(state.dugdale_id, state.mission_id, state.done.get()));
                state.finished = true;
            } else if (deadline_passed()) {
                results[i].host = state.dugdale_id;
                results[i].error = HostError{"timeout", "wait-timeout exceeded before a terminal event", 0, ""};
                state.finished = true;
            } else {
                fail(i,
                     net::network_error("event stream ended without a terminal event",
                                        state.dugdale_id, "events"),
                     "stream", state.dugdale_id);
            }
        };
    };

    const auto open_stream = [&](std::size_t i) {
        JobState& state = states[i];
        net::Request request;
        request.target = net::events_target(state.mission_id, true, std::nullopt);
        request.operation = "events";
        request.streaming = true;
        request.may_idle = true;
        multi.add(std::make_unique<net::Exchange>(
                      transport(), state.endpoint, std::move(request),
                      [&, i](std::string_view chunk) {
                          JobState& s = states[i];
                          try {
                              s.decoder.feed(chunk, [&](const cJSON* event, std::string_view) {
                                  if (json::get_string(event, "event").value_or("") != "done") return;
                                  s.done.reset(cJSON_Duplicate(event, 1));
                                  throw StreamFinished{};
                              });
                          } catch (const net::NdjsonDecoder::LineTooLong& too_long) {
                              throw net::event_line_too_long(too_long.limit, s.dugdale_id, "events");
                          }
                      }),
                  on_stream_done(i));
    };

    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const Job& job = jobs[i];
        JobState& state = states[i];
        state.mission_id = uuidv7::generate();
        std::string body;
        try {
            const config::Resolved where = resolve(job, false);
            state.dugdale_id = where.dugdale_id;
            state.endpoint = endpoint(where.dugdale_id, config::Scope::dispatch);
            body = dispatch_body(job, state.mission_id, where.lane, stage_files(job, state.endpoint));
        } catch (const Error& error) {
            if (aborts_fan_out(error) || error.status() == Status::invalid_argument) throw;
            fail(i, error, "dispatch", job.target.host);
            continue;
        }
        net::Request request;
        request.method = "POST";
        request.target = "/v1/dispatch";
        request.operation = "dispatch";
        request.headers.push_back("Idempotency-Key: " + state.mission_id);
        request.json_body = std::move(body);
        multi.add(std::make_unique<net::Exchange>(transport(), state.endpoint, std::move(request)),
                  [&, i](CURLcode code, net::Exchange& exchange) {
                      JobState& s = states[i];
                      try {
                          const json::Ptr answer = net::json_answer(
                              exchange.finish(code), s.endpoint, "dispatch", dispatch_statuses());
                          s.mission_id = json::get_string(answer.get(), "mission_id").value_or(s.mission_id);
                      } catch (const Error& error) {
                          fail(i, error, "dispatch", s.dugdale_id);
                          return;
                      }
                      open_stream(i);
                  });
    }

    multi.run([&] { return !deadline_passed(); });
    multi.cancel_all();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (states[i].finished) continue;
        results[i].host = states[i].dugdale_id;
        results[i].error = HostError{"timeout", "wait-timeout exceeded before a terminal event", 0, ""};
    }
    return results;
}

std::vector<HostResult> Client::run_on_all(const Job& job, std::string_view wait_timeout) const {
    if (job.target.lane.empty()) throw Error(Status::bad_request, "lane is required for runOnAll");
    std::vector<std::string> labels = job.target.match;
    if (labels.empty()) labels = scope_match_;
    if (labels.empty()) labels = config().selector_match;
    if (labels.empty()) {
        throw Error(Status::no_matching_dugdale,
                    "runOnAll needs a label filter: pass match: [...] or set selector.match in letts.yaml");
    }
    const auto candidates = config::candidates(config(), job.target.lane, labels);
    if (candidates.empty()) {
        std::string joined;
        for (const auto& label : labels) joined += (joined.empty() ? "" : ",") + label;
        throw Error(Status::no_matching_dugdale, "runOnAll: no dugdale matches labels: " + joined +
                                                     " (lane: " + job.target.lane + ")");
    }
    std::vector<Job> jobs;
    for (const config::Dugdale* dugdale : candidates) {
        Job copy = job;
        copy.target = config::TargetSpec{"", dugdale->id, job.target.lane, {}};
        copy.mission_id.clear();
        jobs.push_back(std::move(copy));
    }
    return run_parallel(jobs, wait_timeout);
}

}  // namespace letts::client
