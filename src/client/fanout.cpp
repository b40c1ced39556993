// runParallel and runOnAll (client-behavior.md §5.5, §5.6): one task per job
// on one loop — its staging, its dispatch POST and its event stream — so
// the whole fan-out runs on one curl multi handle on the calling thread.
// Results in input order; no retry of the POSTs and no reconnect of the
// streams (as upstream); the run options' mission retries (restarts) do
// apply. A silent stream stays open until its `done`, a transport failure,
// the shared deadline or a cancel.
#include <chrono>
#include <random>

#include "client/client.hpp"
#include "core/error.hpp"
#include "core/uuidv7.hpp"
#include "net/event_stream.hpp"
#include "net/http_error.hpp"
#include "net/ndjson.hpp"

namespace letts::client {

namespace {

using Clock = std::chrono::steady_clock;

bool aborts_fan_out(const Error& error) {
    return error.status() == Status::config || error.status() == Status::missing_env ||
           error.status() == Status::no_matching_dugdale || error.status() == Status::invalid_argument;
}

HostError timeout_error() { return HostError{"timeout", "wait-timeout exceeded before a terminal event", 0, ""}; }

// The follow request for one job's event stream: it may stay idle until `done`.
net::Request follow_request(std::string_view mission_id) {
    net::Request events;
    events.target = net::events_target(mission_id, true, std::nullopt);
    events.operation = "events";
    events.streaming = true;
    events.may_idle = true;
    return events;
}

void check_events_status(int status, const std::string& dugdale_id) {
    if (status < 200 || (status >= 300 && status < 400)) {
        throw net::unexpected_status(status, "200", dugdale_id, "events");
    }
}

// Reads one job's event stream and keeps its first `done` event; after it,
// the sink lets the server end the response (the connection then serves
// another job). Lives in the job's coroutine frame while the stream runs.
class DoneCatcher {
public:
    DoneCatcher(std::size_t max_line_bytes, std::string dugdale_id)
        : decoder_(max_line_bytes, net::NdjsonDecoder::Overlong::fail), dugdale_id_(std::move(dugdale_id)) {}
    DoneCatcher(const DoneCatcher&) = delete;
    DoneCatcher& operator=(const DoneCatcher&) = delete;

    net::BodySink sink() {
        return [this](std::string_view chunk) {
            try {
                decoder_.feed(chunk, keep_done());
            } catch (const net::NdjsonDecoder::LineTooLong& too_long) {
                throw net::event_line_too_long(too_long.limit, dugdale_id_, "events");
            }
            return decoder_.stopped() ? net::SinkAction::finish : net::SinkAction::proceed;
        };
    }

    void finish() { decoder_.finish(keep_done()); }  // nothing after `done`

    // The job's result from its `done` event; a stream that ended without
    // one is a network error.
    RunResult result(const std::string& mission_id) const {
        if (!done_) {
            throw net::network_error("event stream ended without a terminal event", dugdale_id_, "events");
        }
        check_done_event(done_.get(), dugdale_id_);
        return run_result_from_done(dugdale_id_, mission_id, done_.get());
    }

private:
    net::NdjsonDecoder::EventFn keep_done() {
        return [this](const cJSON* event, std::string_view) {
            if (json::get_string(event, "event").value_or("") != "done" || done_) return;
            done_.reset(cJSON_Duplicate(event, 1));
            if (!done_) throw std::bad_alloc();
            decoder_.stop();
        };
    }

    net::NdjsonDecoder decoder_;
    json::Ptr done_;
    std::string dugdale_id_;
};

// The fan-out's wait timeout as the loop's deadline, for the whole call.
class SharedDeadline {
public:
    SharedDeadline(net::Loop& loop, const std::optional<std::chrono::milliseconds>& wait) : loop_(loop) {
        if (wait) {
            loop_.set_deadline(Clock::now() + *wait,
                               Error(Status::wait_timeout, "wait-timeout exceeded before a terminal event"));
        }
    }
    ~SharedDeadline() { loop_.clear_deadline(); }
    SharedDeadline(const SharedDeadline&) = delete;
    SharedDeadline& operator=(const SharedDeadline&) = delete;

private:
    net::Loop& loop_;
};

}  // namespace

struct Client::FanOutSlot {
    HostResult result;
    std::string mission_id;
    bool dispatched = false;
    bool cancelled = false;
};

net::Task<RunResult> Client::follow_done(net::Loop& loop, net::Endpoint endpoint, std::string dugdale_id,
                                         std::string mission_id) const {
    net::Request events = follow_request(mission_id);
    DoneCatcher catcher(transport().options().max_event_line_bytes, dugdale_id);
    try {
        const net::Response response = co_await transport().perform(loop, endpoint, std::move(events), catcher.sink());
        check_events_status(response.status, dugdale_id);
        catcher.finish();
    } catch (const Error& error) {
        // A transport failure keeps the upstream "ended without a
        // terminal event" below; anything else is this job's error.
        if (error.status() != Status::network) throw;
    }
    co_return catcher.result(mission_id);
}

net::Task<void> Client::fan_out_job(net::Loop& loop, Job job, config::Resolved where, FanOutSlot& slot,
                                    bool kill_on_cancel, MissionRetry retry) const {
    slot.result.host = where.dugdale_id;
    slot.mission_id = uuidv7::generate();
    const char* phase = "dispatch";
    std::optional<Error> failed;
    try {
        const net::Endpoint endpoint = this->endpoint(where.dugdale_id, config::Scope::dispatch);
        const auto staged = co_await stage_files(loop, job, endpoint);
        net::Request post = dispatch_request(job, slot.mission_id, where.lane, staged);
        slot.dispatched = true;  // from here on the mission may exist
        const json::Ptr answer = co_await transport().perform_json(loop, endpoint, std::move(post));
        slot.mission_id = json::get_string(answer.get(), "mission_id").value_or(slot.mission_id);

        phase = "stream";
        // Retries as follow_attempts (retry_run.cpp) makes them; the pauses
        // are bounded by the fan-out's shared deadline on the loop.
        std::vector<std::string> ids{slot.mission_id};
        std::mt19937_64 random(std::random_device{}());
        RunResult result = co_await follow_done(loop, endpoint, where.dugdale_id, slot.mission_id);
        while (static_cast<int>(ids.size()) < retry.max_attempts && retry.retries(result)) {
            const auto pause = retry.pause_before(static_cast<int>(ids.size()) + 1, random);
            slot.mission_id = co_await restart_after_pause(loop, where.dugdale_id, slot.mission_id, pause, std::nullopt);
            ids.push_back(slot.mission_id);
            result = co_await follow_done(loop, endpoint, where.dugdale_id, slot.mission_id);
        }
        result.attempt_ids = std::move(ids);
        result.lane = where.lane;
        slot.result.result = std::make_shared<const RunResult>(std::move(result));
    } catch (const Error& error) {
        failed = error;
    }
    if (!failed) co_return;
    const Status status = failed->status();
    if (status == Status::cancelled || status == Status::wait_timeout) {
        if (status == Status::cancelled) {
            slot.cancelled = true;
        } else {
            slot.result.error = timeout_error();
        }
        if (kill_on_cancel && slot.dispatched) {
            try {
                co_await kill_after_stop(loop, where.dugdale_id, slot.mission_id);
            } catch (const Error&) {
                // Best effort: the job's result already says how it ended.
            }
        }
        co_return;
    }
    slot.result.error = host_error_from(*failed);
    report(LaunchFailure{*failed, net::is_launch_retryable(*failed), "runParallel", phase, job, slot.mission_id});
}

net::Task<std::vector<HostResult>> Client::fan_out(net::Loop& loop, std::vector<Job> jobs,
                                                   RunOptions options) const {
    // Every job is resolved before anything is sent: a configuration
    // problem of any job fails the call without side effects.
    std::vector<FanOutSlot> slots(jobs.size());
    std::vector<std::optional<config::Resolved>> where(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        try {
            where[i] = resolve(jobs[i], false);
            (void)endpoint(where[i]->dugdale_id, config::Scope::dispatch);
        } catch (const Error& error) {
            if (aborts_fan_out(error)) throw;
            slots[i].result.host = jobs[i].target.host;
            slots[i].result.error = host_error_from(error);
            report(LaunchFailure{error, net::is_launch_retryable(error), "runParallel", "dispatch", jobs[i], ""});
        }
    }
    {
        const SharedDeadline deadline(loop, options.wait_timeout);
        net::TaskGroup group(loop);
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            if (where[i]) group.spawn(fan_out_job(loop, jobs[i], *where[i], slots[i], options.kill_on_cancel, options.retry));
        }
        co_await group.wait();
    }
    // Every job that finished is told once, cancelled fan-out or not.
    for (const FanOutSlot& slot : slots) {
        if (slot.result.result) report_completion(*slot.result.result);
    }
    if (loop.cancelled()) {
        std::size_t dispatched = 0;
        for (const FanOutSlot& slot : slots) dispatched += slot.dispatched ? 1 : 0;
        throw Error(Status::cancelled,
                    "fan-out cancelled with " + std::to_string(dispatched) + " of " + std::to_string(jobs.size()) +
                        " missions dispatched; " +
                        (options.kill_on_cancel ? "those still running were asked to stop"
                                                : "they keep running"));
    }
    std::vector<HostResult> results;
    results.reserve(slots.size());
    for (FanOutSlot& slot : slots) results.push_back(std::move(slot.result));
    co_return results;
}

std::vector<HostResult> Client::run_parallel(const std::vector<Job>& jobs, const RunOptions& options) const {
    return block([&](net::Loop& loop) { return fan_out(loop, jobs, options); }, options.cancel);
}

std::vector<HostResult> Client::run_on_all(const Job& job, const RunOptions& options) const {
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
    return run_parallel(jobs, options);
}

}  // namespace letts::client
