// The client: a loaded configuration, options and one shared transport
// (connection cache) plus the per-copy state of client-behavior.md §1.4 (a
// scoped label filter, a launch-failure observer) and of libletts (a
// cancellation object). Copies made by with_match()/with_observer()/
// with_cancel() share the configuration and the transport.
//
// Every operation is one coroutine (net/task.hpp) run on a loop leased for
// the call from the transport's pool (net/loop.hpp): the blocking methods below drive it to its end
// on the calling thread; start_run()/start_wait() hand it to the caller as a
// RunHandle to step from an event loop. So a blocking run and a stepped one
// are the same code, and every wait — connect, stream silence, back-off —
// wakes at once on a cancel.
//
// Thread safety: every operation is const and touches only the shared
// transport (whose connection cache is locked) and its own loop, so one
// client may be used from many threads at once. Callbacks (progress,
// observer, stream handlers) run on the calling thread during the call (or
// during RunHandle::step()).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/bulk.hpp"
#include "client/exec.hpp"
#include "client/job.hpp"
#include "client/mission_retry.hpp"
#include "client/options.hpp"
#include "client/raw_request.hpp"
#include "client/results.hpp"
#include "client/staging.hpp"
#include "config/config.hpp"
#include "core/cancel.hpp"
#include "net/event_stream.hpp"
#include "net/loop.hpp"
#include "net/task.hpp"
#include "net/transport.hpp"

namespace letts::client {

using Observer = std::function<void(const LaunchFailure&)>;
// Told every finished run's result (run, wait, exec run, each fan-out job)
// once, on the calling thread, after its last attempt.
using Completion = std::function<void(const RunResult&)>;

// Progress callback: value and message as the event carried them; return
// false to stop waiting (the run then fails with Status::interrupted).
using ProgressFn = std::function<bool(std::optional<double> value,
                                      std::optional<std::string> message)>;

struct RunOptions {
    std::optional<std::chrono::milliseconds> wait_timeout;  // nullopt = no deadline
    ProgressFn on_progress;
    bool throw_on_failure = true;
    bool fetch_logs = false;
    std::string download_outputs_to;   // "" = no download
    CancelPtr cancel;                  // null = not cancellable (beyond the client's)
    // Kill the mission when the run ends early: cancelled, wait timeout,
    // stopped by the progress callback.
    bool kill_on_cancel = false;
    // The token that follows the job and fetches its logs and outputs: a
    // job is read with the scope of its kind (http-api.md §4.5), so an exec
    // run follows with the exec token.
    config::Scope scope = config::Scope::dispatch;
    // Re-running finished missions whose outcome the policy lists.
    MissionRetry retry;
};

// Filters of GET /v1/missions (client-behavior.md §5.11, §13).
struct ListFilter {
    std::vector<std::pair<std::string, std::string>> query;  // in order
};

// Where a run is (letts_run_state).
enum class RunState { starting, following, collecting, done };

// What a running run task reports to its handle.
struct RunProgress {
    RunState state = RunState::starting;
    std::string mission_id;  // "" until known
};

class RunHandle;

class Client {
public:
    Client(config::Config config, ClientOptions options,
           config::EnvLookup env = config::process_environment(),
           config::Chooser chooser = config::default_chooser());

    Client with_match(std::vector<std::string> match) const;
    Client with_observer(Observer observer) const;
    Client with_completion(Completion completion) const;
    // A copy whose every blocking call (and run handle) ends with
    // Status::cancelled once `cancel` is triggered.
    Client with_cancel(CancelPtr cancel) const;

    const config::Config& config() const noexcept;
    const ClientOptions& options() const noexcept;
    const std::vector<std::string>& match_override() const noexcept { return scope_match_; }

    // §5.1 / §5.2
    std::string dispatch(const Job& job) const;
    std::optional<std::string> try_dispatch(const Job& job) const;
    // §5.3; MissionFailed when the outcome is not success and
    // throw_on_failure is set.
    RunResult run(const Job& job, const RunOptions& options) const;
    // Follows mission `mission_id` of `host`, dispatched earlier by anyone,
    // to its result exactly as run() does after its dispatch.
    RunResult wait(std::string_view host, std::string_view mission_id, const RunOptions& options) const;
    // The same, handed to the caller to step (see RunHandle).
    std::unique_ptr<RunHandle> start_run(const Job& job, const RunOptions& options) const;
    std::unique_ptr<RunHandle> start_wait(std::string_view host, std::string_view mission_id,
                                          const RunOptions& options) const;
    // §5.4
    std::string download_output(const RunResult& result, std::string_view key) const;
    // §5.5 / §5.6; of the options, wait_timeout, cancel and kill_on_cancel apply.
    std::vector<HostResult> run_parallel(const std::vector<Job>& jobs, const RunOptions& options) const;
    std::vector<HostResult> run_on_all(const Job& job, const RunOptions& options) const;

    // Exec (exec.hpp, http-api.md §5.6): POST /v1/exec/dispatch with the
    // exec token after staging the spec's files; the exec id.
    std::string exec_dispatch(const ExecSpec& spec) const;
    // Dispatch, then follow to the end with the exec token (options.scope
    // is set to exec), as run() does.
    RunResult exec_run(const ExecSpec& spec, const RunOptions& options) const;
    std::unique_ptr<RunHandle> start_exec_run(const ExecSpec& spec, const RunOptions& options) const;

    // §5.10: host "" asks every dugdale concurrently; nullopt = not found.
    // `scope` chooses the token, hence the kind of job that can be seen.
    std::optional<MissionInfo> get_mission(std::string_view host, std::string_view id,
                                           config::Scope scope = config::Scope::dispatch) const;
    // §5.11 with the cursor of §13.
    MissionPage list_missions(std::string_view host, const ListFilter& filter) const;
    // §5.12–5.14
    void kill(std::string_view host, std::string_view id, std::string_view signal) const;
    std::string restart(std::string_view host, std::string_view id) const;
    RestartAnswer restart_mission(std::string_view host, std::string_view id) const;
    void remove(std::string_view host, std::string_view id, bool force) const;
    // §5.14 / §5.15 (bulk.hpp): bulk restart is never retried (each call
    // creates new missions), bulk delete is (deleting is idempotent).
    BulkResult bulk_restart(std::string_view host, const BulkSelection& selection) const;
    BulkResult bulk_delete(std::string_view host, const BulkSelection& selection) const;
    // §5.7
    std::vector<std::string> dugdales(const std::vector<std::string>& match) const;

    // §13 extras, addressed by host.
    net::FollowResult follow_events(std::string_view host, std::string_view id,
                                    const net::FollowSettings& settings,
                                    const net::EventHandler& handler,
                                    config::Scope scope = config::Scope::dispatch) const;
    // `sink` returns false to stop (Status::interrupted).
    void stream_output(std::string_view host, std::string_view id, std::string_view stream,
                       bool follow, const std::function<bool(std::string_view)>& sink,
                       config::Scope scope = config::Scope::dispatch) const;
    // Dugdale inspection, lanes, admin and health (the answers as JSON text).
    std::string dugdale_info(std::string_view host) const;
    std::string lanes(std::string_view host) const;
    void pause_lane(std::string_view host, std::string_view lane) const;
    void continue_lane(std::string_view host, std::string_view lane) const;
    std::string admin_apply(std::string_view host, std::string body_json) const;
    std::string admin_state(std::string_view host) const;
    std::string healthz(std::string_view host) const;
    std::string readyz(std::string_view host) const;
    // GET /v1/version (JSON) and GET /v1/metrics (Prometheus text), no token.
    std::string version(std::string_view host) const;
    std::string metrics(std::string_view host) const;
    // The staging primitives (staging.hpp, staging.cpp): upload, HEAD and
    // GET with the dispatch token, list and delete with the admin token,
    // by-content with the token of `scope`. A missing row is
    // Status::not_found.
    StagedFile stage(std::string_view host, std::string path) const;
    StagingHead staging_head(std::string_view host, std::string_view id) const;
    // Into `destination` through <destination>.partial (never left behind).
    void staging_download(std::string_view host, std::string_view id, StagingRange range,
                          std::string destination) const;
    // `sink` returns false to stop (Status::interrupted).
    void staging_read(std::string_view host, std::string_view id, StagingRange range,
                      const std::function<bool(std::string_view)>& sink) const;
    StagingPage list_staging(std::string_view host, const StagingFilter& filter) const;
    void delete_staging(std::string_view host, std::string_view id, bool force) const;
    StagedFile staging_by_content(std::string_view host, std::string_view sha256, std::uint64_t size,
                                  config::Scope scope) const;

    // A raw request (raw_request.hpp) with the token of `scope` (nullopt:
    // none). Any HTTP status is an answer; only GET and HEAD are retried.
    RawResponse request(std::string_view host, std::optional<config::Scope> scope,
                        RawRequest raw) const;

private:
    friend class RunHandle;
    friend struct ClientTestAccess;  // tests/unit/net/test_requests.cpp
    struct Shared;
    std::shared_ptr<const Shared> shared_;
    std::vector<std::string> scope_match_;
    Observer observer_;
    Completion completion_;
    CancelPtr cancel_;

    const net::Transport& transport() const noexcept;
    net::LoopPool::Lease make_loop(const CancelPtr& extra = nullptr) const;
    // Runs the task `make(loop)` returns on a loop of its own, to its end.
    template <class MakeTask>
    auto block(MakeTask make, const CancelPtr& extra = nullptr) const {
        const net::LoopPool::Lease loop = make_loop(extra);
        return net::block_on(*loop, make(*loop));
    }

    // The endpoint for (dugdale, scope): base URL, token, proxy.
    net::Endpoint endpoint(std::string_view dugdale_id, config::Scope scope) const;
    // For the unauthenticated health endpoints: no Authorization header.
    net::Endpoint anonymous_endpoint(std::string_view dugdale_id) const;
    // Host argument (id or alias) -> dugdale id; "" -> bad_request naming `operation`.
    std::string require_host(std::string_view host, std::string_view operation) const;
    // bulk_restart (restart) or bulk_delete.
    BulkResult bulk(std::string_view host, const BulkSelection& selection, bool restart) const;
    std::string dispatch_id(const Job& job) const;
    config::Resolved resolve(const Job& job, bool apply_defaults) const;
    // Reports to the observer; observer failures are swallowed (§5.9).
    void report(const LaunchFailure& failure) const;
    // Tells the completion observer; its failures are swallowed as report()'s.
    void report_completion(const RunResult& result) const;

    // POST /v1/dispatch of `job` with its staged files, the id as the
    // idempotency key.
    static net::Request dispatch_request(const Job& job, const std::string& mission_id, const std::string& lane,
                                         const std::vector<std::pair<std::string, std::string>>& staged);

    // The coroutines behind the operations; arguments by value, as the
    // frames may outlive the caller's temporaries.
    net::Task<std::vector<std::pair<std::string, std::string>>> stage_files(
        net::Loop& loop, Job job, net::Endpoint endpoint) const;
    net::Task<std::string> post_dispatch(net::Loop& loop, Job job, std::string mission_id,
                                         config::Resolved where) const;
    net::Task<std::string> dispatch_task(net::Loop& loop, Job job, const char* method) const;
    net::Task<RunResult> run_task(net::Loop& loop, Job job, RunOptions options, RunProgress& progress) const;
    net::Task<RunResult> wait_task(net::Loop& loop, std::string host, std::string mission_id,
                                   RunOptions options, RunProgress& progress) const;
    net::Task<RunResult> follow_to_result(net::Loop& loop, std::string dugdale_id, std::string mission_id,
                                          const RunOptions& options, RunProgress& progress,
                                          const Launch* launch) const;
    // follow_to_result for every attempt the retry policy asks for (each a
    // restart of the one before), then the completion report and
    // failure-as-error; the wait timeout bounds the attempts and pauses.
    // With `launch` (what run or exec run launched) a stream lost before
    // `done` is reported to the observer; a wait has nothing to report.
    net::Task<RunResult> follow_attempts(net::Loop& loop, std::string dugdale_id, std::string mission_id,
                                         RunOptions options, RunProgress& progress, const Launch* launch,
                                         std::string lane) const;
    // Sleeps `pause` (cancellable; up to `deadline` at most, then
    // Status::wait_timeout), then restarts `mission_id` with the admin
    // token (never retried: every restart makes a job); the new id.
    net::Task<std::string> restart_after_pause(net::Loop& loop, std::string dugdale_id,
                                               std::string mission_id, std::chrono::milliseconds pause,
                                               std::optional<std::chrono::steady_clock::time_point> deadline) const;
    // The exec's files staged with `endpoint`, then its POST (sticky retry).
    net::Task<std::string> post_exec(net::Loop& loop, ExecSpec spec, std::string exec_id,
                                     std::string dugdale_id) const;
    net::Task<RunResult> exec_run_task(net::Loop& loop, ExecSpec spec, RunOptions options,
                                       RunProgress& progress) const;
    // The error of a run cancelled before its dispatch was confirmed, after
    // the kill that kill_on_cancel asks for (`what`: "mission" or "exec").
    net::Task<void> cancelled_before_confirmed(net::Loop& loop, std::string dugdale_id,
                                               std::string id, const RunOptions& options,
                                               std::string what) const;
    net::Task<void> kill_after_stop(net::Loop& loop, std::string dugdale_id, std::string mission_id) const;
    // Throws the error of a run that ended before its result (`ended`: a
    // cancel, the wait timeout, the progress callback), after the kill that
    // kill_on_cancel asks for; the message says what became of the mission.
    net::Task<void> end_early(net::Loop& loop, std::string dugdale_id, std::string mission_id,
                              const RunOptions& options, Error ended) const;
    // Fetches the logs and downloads the outputs that `options` ask for.
    net::Task<void> collect(net::Loop& loop, const net::Endpoint& endpoint, std::string mission_id,
                            const RunOptions& options, RunResult& result) const;
    struct FanOutSlot;
    net::Task<std::vector<HostResult>> fan_out(net::Loop& loop, std::vector<Job> jobs,
                                               RunOptions options) const;
    net::Task<void> fan_out_job(net::Loop& loop, Job job, config::Resolved where,
                                FanOutSlot& slot, bool kill_on_cancel, MissionRetry retry) const;
    // One fan-out job's event stream to its `done` (no reconnect).
    net::Task<RunResult> follow_done(net::Loop& loop, net::Endpoint endpoint, std::string dugdale_id,
                                     std::string mission_id) const;
    net::Task<std::string> json_call(net::Loop& loop, std::string host, std::optional<config::Scope> scope,
                                     std::string method, std::string target,
                                     std::optional<std::string> body, std::string operation) const;
};

// A run (or wait) the caller drives: fd() becomes readable when step() has
// work; step() never blocks (it may hash a slice of an input file) and runs
// the callbacks; result() gives what the blocking call would have returned.
// Destroying the handle abandons the run (the mission keeps running).
// One thread at a time.
class RunHandle {
public:
    // Only a Client makes run handles (start_run, start_wait).
    class Key {
        Key() = default;
        friend class Client;
    };
    RunHandle(Key, Client client, RunOptions options);
    ~RunHandle();
    RunHandle(const RunHandle&) = delete;
    RunHandle& operator=(const RunHandle&) = delete;

    // The caller may keep the descriptor in its own epoll set after the
    // handle is gone: a loop whose fd was handed out is closed at the end,
    // never parked for another call.
    int fd() const noexcept {
        fd_exposed_ = true;
        return loop_->fd();
    }
    void step();
    RunState state() const noexcept { return progress_.state; }
    const std::string& mission_id() const noexcept { return progress_.mission_id; }
    // Throws Status::invalid_argument before the end; afterwards returns
    // the result or throws the run's error (MissionFailed included), as
    // often as asked.
    RunResult result() const;
    // Blocks until the end (letts_client_run is this).
    void finish();

private:
    friend class Client;
    void begin(net::Task<RunResult> task);
    void settle();

    Client client_;     // keeps the configuration and the transport alive
    RunOptions options_;
    net::LoopPool::Lease loop_;  // given back to the client's pool at the end
    RunProgress progress_;
    net::Task<RunResult> task_;  // after loop_: destroyed first
    std::optional<RunResult> result_;
    std::exception_ptr failure_;
    mutable bool fd_exposed_ = false;
};

}  // namespace letts::client
