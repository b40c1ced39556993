// The devserver's state and scheduler: jobs, lanes (FIFO pickup under a
// concurrency limit, pause), the applied configuration, staging files, and
// the one supervisor thread that runs mission processes (runner.hpp). One
// mutex guards it all; handlers take it for the few microseconds a request
// needs, the supervisor takes it only to publish what it observed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "devserver/disk_usage.hpp"
#include "devserver/dugdale_config.hpp"
#include "devserver/model.hpp"
#include "devserver/runner.hpp"

namespace letts::devserver {

class Sweeper;

class Engine {
public:
    explicit Engine(DugdaleConfig config);  // creates the data_dir layout
    ~Engine();                              // shutdown()
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    const DugdaleConfig& config() const noexcept { return config_; }
    std::int64_t started_ms() const noexcept { return started_ms_; }

    // ---- state, guarded by mu -------------------------------------------
    std::mutex mu;
    std::map<std::string, std::shared_ptr<Job>> jobs;
    std::map<std::string, LaneState> lanes;
    std::optional<AppliedState> applied;
    std::int64_t applied_at = 0;
    std::map<std::string, std::shared_ptr<StagingFile>> staging;
    bool draining = false;
    bool closed = false;  // shutdown() ran: streams end, nothing new starts

    std::shared_ptr<Job> find_locked(const std::string& id) const;

    // limits.max_data_dir_size is set and data_dir holds more than it (the
    // size measured at most `max_age` ago). Takes no lock of the engine.
    bool over_data_dir_quota(std::chrono::milliseconds max_age = std::chrono::seconds(1));

    // Registers a new queued job: writes its `queued` event (seq 1), puts it
    // at the back of its lane and picks up work.
    void enqueue_locked(const std::shared_ptr<Job>& job);

    // Appends an event built by `build(seq)` and wakes the job's followers.
    void append_event_locked(Job& job, const std::function<std::string(std::int64_t)>& build);

    // Starts queued jobs wherever a lane has a free slot and is not paused.
    void schedule_locked();

    // Stops a job (kill API, force delete, lane removal, shutdown).
    enum class KillResult { killed_queued, kill_sent, already_done, deleting };
    KillResult kill_locked(Job& job, KillReason reason);

    // Publishes the terminal result: the done event (exactly once, last),
    // then the job's fields; frees the lane slot and picks up more work.
    void finish_locked(Job& job, Result result);

    // Jobs queued+running, overall and for one lane (kind filter optional).
    // Read from counters kept by set_status_locked: the queue limits are
    // checked on every dispatch and must not cost a scan of every job.
    std::int64_t active_count_locked(const std::string* lane, const char* kind) const;

    // Every change of a job's status goes through here, so that the
    // counters behind active_count_locked stay equal to a scan.
    void set_status_locked(Job& job, JobStatus status);
    // Admin delete or staging force-delete of a queued or done job: out of
    // its lane's queue, `deleting`, followers woken. The sweeper removes it.
    void mark_deleting_locked(Job& job);
    // The sweeper's last step: forgets a job (its files are already gone).
    void erase_job_locked(const std::shared_ptr<Job>& job);
    // Counters against a scan of every job (tests and debug checks).
    bool counters_consistent_locked() const;

    // For a job whose kill supervisor must see a new request.
    void wake_runner_locked(Job& job);

    // Records the process of a running job (the `running` event).
    void record_spawn(Job& job, int pid, std::int64_t time);
    // Forwards one progress event if the events budget allows; false if dropped.
    bool append_progress(Job& job, const std::optional<std::string>& value,
                         const std::optional<std::string>& message);
    // Tells followers of the output streams that bytes arrived.
    void notify_output(Job& job);

    // Streamed responses (events, output) register while they live, so that
    // stopping can let them deliver their last lines (the `done` event of a
    // mission ended by the shutdown) before connections are closed.
    void stream_opened();
    void stream_closed();
    // After shutdown(): waits until every stream has ended, at most `limit`.
    void wait_streams_closed(std::chrono::milliseconds limit);

    // Refuses new work, kills every running mission with dugdale_shutdown,
    // waits for their runners and kills whatever is left of their process
    // groups. Idempotent.
    void shutdown();

    // Paths under data_dir.
    std::string work_dir(const std::string& id) const;
    std::string output_path(const std::string& id, const char* stream) const;
    std::string staging_path(const std::string& id) const;

private:
    void start_runner_locked(const std::shared_ptr<Job>& job);
    void count_locked(const Job& job, std::int64_t delta);

    DugdaleConfig config_;
    std::int64_t started_ms_ = 0;
    // Created with the first mission (a server that runs none spends no
    // thread on it), ended by shutdown().
    std::unique_ptr<MissionSupervisor> supervisor_;
    std::condition_variable runners_changed_;
    int open_streams_ = 0;
    std::condition_variable streams_changed_;
    std::set<int> process_groups_;
    DiskUsage disk_usage_{config_.data_dir};
    // Queued+running jobs: in total, per lane, per kind, per (lane, kind).
    // Keyed by name, not by LaneState: a force-pruned lane's running jobs
    // still count until they end.
    std::int64_t active_total_ = 0;
    std::map<std::string, std::int64_t> active_by_lane_;
    std::map<std::string, std::int64_t> active_by_kind_;
    std::map<std::pair<std::string, std::string>, std::int64_t> active_by_lane_kind_;
    // Last member: stopped first by shutdown(), before the state it sweeps.
    std::unique_ptr<Sweeper> sweeper_;
};

}  // namespace letts::devserver
