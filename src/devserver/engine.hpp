// The devserver's state and scheduler: jobs, lanes (FIFO pickup under a
// concurrency limit, pause), the applied configuration, and the one
// supervisor that runs mission processes (runner.hpp, which reports back
// through MissionHost). Staging files live in their own store with their
// own lock (staging_store.hpp).
//
// Locking: one mutex, mu_, guards the state below and every Job's fields;
// handlers take it (MutexLock lock(engine.mutex())) for the few
// microseconds a request needs, the supervisor only to publish what it
// observed. The members say what they need: *_locked() REQUIRES it, the
// others take it themselves (EXCLUDES), and clang checks both
// (-Wthread-safety, core/thread_annotations.hpp). The staging store's lock
// may be taken while mu_ is held, never the other way round.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/thread_annotations.hpp"
#include "devserver/disk_usage.hpp"
#include "devserver/dugdale_config.hpp"
#include "devserver/mission_host.hpp"
#include "devserver/model.hpp"
#include "devserver/staging_store.hpp"

namespace letts::devserver {

class MissionSupervisor;
class Sweeper;

// What one sweep removed (for tests and logs).
struct SweepCounts {
    std::int64_t jobs_removed = 0;       // gone from the state, files deleted
    std::int64_t staging_expired = 0;    // marked deleting, file unlinked
    std::int64_t staging_forgotten = 0;  // deleting rows dropped after the grace
};

class Engine final : private MissionHost {
public:
    explicit Engine(DugdaleConfig config);  // creates the data_dir layout, starts the sweeper
    ~Engine() override;                     // shutdown()
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    const DugdaleConfig& config() const noexcept override { return config_; }
    std::int64_t started_ms() const noexcept { return started_ms_; }
    Mutex& mutex() RETURN_CAPABILITY(mu_) override { return mu_; }
    StagingStore& staging() noexcept override { return staging_; }
    const StagingStore& staging() const noexcept { return staging_; }

    // ---- jobs -------------------------------------------------------------
    std::shared_ptr<Job> find_locked(const std::string& id) const REQUIRES(mu_);
    // Every job, by id (listings, metrics).
    const std::map<std::string, std::shared_ptr<Job>>& jobs_locked() const REQUIRES(mu_) { return jobs_; }
    // Jobs whose inputs or outputs name the staging file `staging_id`.
    std::vector<std::shared_ptr<Job>> jobs_referencing_locked(const std::string& staging_id) const REQUIRES(mu_);

    // Adds a job as it is, without an event nor scheduling: the unit tests
    // build finished jobs with it.
    void insert_job_locked(const std::shared_ptr<Job>& job) REQUIRES(mu_);
    // Registers a new queued job: writes its `queued` event (seq 1), puts it
    // at the back of its lane and picks up work.
    void enqueue_locked(const std::shared_ptr<Job>& job) REQUIRES(mu_);

    // Stops a job (kill API, force delete, lane removal, shutdown).
    enum class KillResult { killed_queued, kill_sent, already_done, deleting };
    KillResult kill_locked(Job& job, KillReason reason) REQUIRES(mu_);

    // Jobs queued+running, overall and for one lane (kind filter optional).
    // Read from counters kept by set_status_locked: the queue limits are
    // checked on every dispatch and must not cost a scan of every job.
    std::int64_t active_count_locked(const std::string* lane, const char* kind) const REQUIRES(mu_);
    // Admin delete or staging force-delete of a queued or done job: out of
    // its lane's queue, `deleting`, followers woken. The sweeper removes it.
    void mark_deleting_locked(Job& job) REQUIRES(mu_);
    // Counters against a scan of every job (tests and debug checks).
    bool counters_consistent_locked() const REQUIRES(mu_);

    // ---- lanes and the applied configuration (apply.hpp decides) ---------
    const std::map<std::string, LaneState>& lanes_locked() const REQUIRES(mu_) { return lanes_; }
    const std::optional<AppliedState>& applied_locked() const REQUIRES(mu_) { return applied_; }
    std::int64_t applied_at_locked() const REQUIRES(mu_) { return applied_at_; }
    // Pause or continue a lane that has a runner (in the applied state
    // too: `ctl` provenance); false when it has none.
    bool set_lane_paused_locked(const std::string& lane, bool paused) REQUIRES(mu_);
    // Makes `state` (checked by apply_locked) the applied one now: the
    // `removed` lanes go (their queued jobs end, running ones are killed),
    // the others are created or updated, and work is picked up. Returns
    // the lanes whose concurrency changed.
    std::vector<std::string> install_locked(AppliedState state, const std::vector<std::string>& removed)
        REQUIRES(mu_);
    // Starts queued jobs wherever a lane has a free slot and is not paused.
    void schedule_locked() REQUIRES(mu_);

    // shutdown() began: nothing new is accepted.
    bool draining_locked() const REQUIRES(mu_) { return draining_; }
    // shutdown() ran: streams end, nothing new starts.
    bool closed_locked() const REQUIRES(mu_) { return closed_; }

    // limits.max_data_dir_size is set and data_dir holds more than it (the
    // size measured at most `max_age` ago). Takes no lock of the engine.
    bool over_data_dir_quota(std::chrono::milliseconds max_age = std::chrono::seconds(1)) override;

    // One pass of the cleanup at wall-clock time `now` (ms): done jobs past
    // their TTL and jobs an admin deleted go with their files, staging
    // files past their retention expire (engine_sweep.cpp). Takes the lock
    // twice, briefly; the files are deleted in between, without it.
    SweepCounts sweep_once(std::int64_t now) EXCLUDES(mu_);

    // Streamed responses (events, output) register while they live, so that
    // stopping can let them deliver their last lines (the `done` event of a
    // mission ended by the shutdown) before connections are closed.
    void stream_opened() EXCLUDES(mu_);
    void stream_closed() EXCLUDES(mu_);
    // After shutdown(): waits until every stream has ended, at most `limit`.
    void wait_streams_closed(std::chrono::milliseconds limit) EXCLUDES(mu_);

    // Refuses new work, kills every running mission with dugdale_shutdown,
    // waits for their runners and kills whatever is left of their process
    // groups. Idempotent.
    void shutdown() EXCLUDES(mu_);

    // Paths under data_dir.
    std::string work_dir(const std::string& id) const override;
    std::string output_path(const std::string& id, const char* stream) const override;

private:
    // MissionHost: what the supervisor reports.
    void record_spawn(Job& job, int pid, std::int64_t time) override EXCLUDES(mu_);
    bool append_progress(Job& job, const std::optional<std::string>& value,
                         const std::optional<std::string>& message) override EXCLUDES(mu_);
    void notify_output(Job& job) override EXCLUDES(mu_);
    void finish_held(Job& job, Result result) override;

    // Publishes the terminal result: the done event (exactly once, last),
    // then the job's fields; frees the lane slot and picks up more work.
    void finish_locked(Job& job, Result result) REQUIRES(mu_);
    // Appends an event built by `build(seq)` and wakes the job's followers.
    void append_event_locked(Job& job, const std::function<std::string(std::int64_t)>& build) REQUIRES(mu_);
    void start_runner_locked(const std::shared_ptr<Job>& job) REQUIRES(mu_);
    void wake_runner_locked(Job& job) REQUIRES(mu_);
    // Every change of a job's status goes through here, so that the
    // counters behind active_count_locked stay equal to a scan.
    void set_status_locked(Job& job, JobStatus status) REQUIRES(mu_);
    void count_locked(const Job& job, std::int64_t delta) REQUIRES(mu_);
    // The sweeper's last step: forgets a job (its files are already gone).
    void erase_job_locked(const std::shared_ptr<Job>& job) REQUIRES(mu_);

    const DugdaleConfig config_;
    const std::int64_t started_ms_ = 0;
    StagingStore staging_;
    DiskUsage disk_usage_{config_.data_dir};

    mutable Mutex mu_;
    std::map<std::string, std::shared_ptr<Job>> jobs_ GUARDED_BY(mu_);
    std::map<std::string, LaneState> lanes_ GUARDED_BY(mu_);
    std::optional<AppliedState> applied_ GUARDED_BY(mu_);
    std::int64_t applied_at_ GUARDED_BY(mu_) = 0;
    bool draining_ GUARDED_BY(mu_) = false;
    bool closed_ GUARDED_BY(mu_) = false;
    // Created with the first mission (a server that runs none spends no
    // thread on it), ended by shutdown().
    std::unique_ptr<MissionSupervisor> supervisor_ GUARDED_BY(mu_);
    std::condition_variable runners_changed_;
    int open_streams_ GUARDED_BY(mu_) = 0;
    std::condition_variable streams_changed_;
    std::set<int> process_groups_ GUARDED_BY(mu_);
    // Queued+running jobs: in total, per lane, per kind, per (lane, kind).
    // Keyed by name, not by LaneState: a force-pruned lane's running jobs
    // still count until they end.
    std::int64_t active_total_ GUARDED_BY(mu_) = 0;
    std::map<std::string, std::int64_t> active_by_lane_ GUARDED_BY(mu_);
    std::map<std::string, std::int64_t> active_by_kind_ GUARDED_BY(mu_);
    std::map<std::pair<std::string, std::string>, std::int64_t> active_by_lane_kind_ GUARDED_BY(mu_);
    // Last member: stopped first by shutdown(), before the state it sweeps.
    std::unique_ptr<Sweeper> sweeper_;
};

}  // namespace letts::devserver
