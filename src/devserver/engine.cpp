#include "devserver/engine.hpp"

#include "devserver/process_group.hpp"

#include <signal.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "devserver/clock.hpp"
#include "devserver/events.hpp"
#include "devserver/runner.hpp"
#include "devserver/sweeper.hpp"

namespace letts::devserver {

const char* status_name(JobStatus s) {
    switch (s) {
        case JobStatus::queued: return "queued";
        case JobStatus::running: return "running";
        case JobStatus::done: return "done";
        case JobStatus::deleting: return "deleting";
    }
    return "unknown";
}

const char* kill_reason_name(KillReason r) {
    switch (r) {
        case KillReason::none: return "";
        case KillReason::timeout: return "timeout";
        case KillReason::killed_by_api: return "killed_by_api";
        case KillReason::force_delete: return "force_delete";
        case KillReason::lane_removed: return "lane_removed";
        case KillReason::dugdale_shutdown: return "dugdale_shutdown";
    }
    return "";
}

const char* staging_state_name(StagingState s) {
    switch (s) {
        case StagingState::uploading: return "uploading";
        case StagingState::pending_output: return "pending_output";
        case StagingState::committing: return "committing";
        case StagingState::complete: return "complete";
        case StagingState::deleting: return "deleting";
    }
    return "unknown";
}

namespace {

// data_dir made absolute against the directory the server starts in. The
// daemon keeps a relative one as written, so LETTS_WORKDIR and LETTS_IN_*
// come out relative although the mission runs inside its work directory,
// where they name nothing (mission-protocol.md 10.1 #6); its own comment
// on PrepareWorkdir promises an absolute path, which is what we give.
DugdaleConfig with_absolute_data_dir(DugdaleConfig config) {
    if (!config.data_dir.empty() && config.data_dir[0] != '/') {
        std::string dir = std::filesystem::absolute(config.data_dir).lexically_normal().string();
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        config.data_dir = std::move(dir);
    }
    return config;
}

}  // namespace

Engine::Engine(DugdaleConfig config)
    : config_(with_absolute_data_dir(std::move(config))), started_ms_(now_ms()), staging_(config_.data_dir + "/staging") {
    std::error_code ec;
    for (const char* sub : {"", "output", "staging", "work"}) {
        std::filesystem::create_directories(std::filesystem::path(config_.data_dir) / sub, ec);
        if (ec)
            throw Error(Status::io, "cannot create " + (std::filesystem::path(config_.data_dir) / sub).string() +
                                        ": " + ec.message());
    }
    sweeper_ = std::make_unique<Sweeper>(config_.cleanup.sweep_interval, [this] { sweep_once(now_ms()); });
}

Engine::~Engine() { shutdown(); }

std::shared_ptr<Job> Engine::find_locked(const std::string& id) const {
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Job>> Engine::jobs_referencing_locked(const std::string& staging_id) const {
    std::vector<std::shared_ptr<Job>> out;
    for (const auto& [id, job] : jobs_) {
        bool refs = false;
        for (const auto& in : job->inputs) refs |= in.staging_id == staging_id;
        if (job->exec) refs |= job->exec->script_staging_id == staging_id;
        if (job->result)
            for (const auto& [key, o] : job->result->outputs) refs |= o.staging_id == staging_id;
        if (refs) out.push_back(job);
    }
    return out;
}

void Engine::insert_job_locked(const std::shared_ptr<Job>& job) {
    jobs_[job->id] = job;
    if (job->status == JobStatus::queued || job->status == JobStatus::running) count_locked(*job, +1);
}

bool Engine::set_lane_paused_locked(const std::string& lane, bool paused) {
    auto it = lanes_.find(lane);
    if (it == lanes_.end()) return false;
    it->second.paused = paused;
    it->second.paused_by = paused ? "ctl" : "";
    if (applied_) {
        auto a = applied_->lanes.find(lane);
        if (a != applied_->lanes.end()) {
            a->second.paused = paused;
            a->second.paused_by = paused ? "ctl" : "";
        }
    }
    if (!paused) schedule_locked();
    return true;
}

std::vector<std::string> Engine::install_locked(AppliedState state, const std::vector<std::string>& removed) {
    // Force-prune: queued jobs end now, running ones are signalled.
    for (const auto& name : removed) {
        auto it = lanes_.find(name);
        if (it == lanes_.end()) continue;
        it->second.removing = true;
        std::vector<std::shared_ptr<Job>> affected;
        for (auto& [id, job] : jobs_)
            if (job->lane == name && (job->status == JobStatus::queued || job->status == JobStatus::running))
                affected.push_back(job);
        for (auto& job : affected) kill_locked(*job, KillReason::lane_removed);
        lanes_.erase(name);
    }
    std::vector<std::string> resized;
    for (const auto& [name, lane] : state.lanes) {
        auto [it, created] = lanes_.try_emplace(name);
        LaneState& ls = it->second;
        if (created) {
            ls.name = name;
            // Jobs of a lane that was force-pruned and is back still hold
            // their slots until they end (finish_locked releases them).
            for (const auto& [id, job] : jobs_)
                if (job->lane == name && job->status == JobStatus::running) ++ls.running;
        } else if (ls.concurrency != lane.concurrency) {
            resized.push_back(name);
        }
        ls.concurrency = lane.concurrency;
        ls.paused = lane.paused;
        ls.paused_by = lane.paused_by;
    }
    // Jobs queued in lanes that were absent (after a restart of the config)
    // join their lane again.
    for (auto& [id, job] : jobs_) {
        if (job->status != JobStatus::queued) continue;
        auto it = lanes_.find(job->lane);
        if (it != lanes_.end()) it->second.queued.emplace(job->time_created, job->id);
    }
    applied_ = std::move(state);
    applied_at_ = now_ms();
    schedule_locked();
    return resized;
}

void Engine::append_event_locked(Job& job, const std::function<std::string(std::int64_t)>& build) {
    const std::int64_t seq = job.last_seq + 1;
    job.events.push_back(EventLine{seq, build(seq)});
    job.last_seq = seq;
    job.changed.notify_all();
}

void Engine::enqueue_locked(const std::shared_ptr<Job>& job) {
    jobs_[job->id] = job;
    count_locked(*job, +1);
    append_event_locked(*job, [&](std::int64_t seq) { return events::queued(seq, *job); });
    auto lane = lanes_.find(job->lane);
    if (lane != lanes_.end()) lane->second.queued.emplace(job->time_created, job->id);
    schedule_locked();
}

void Engine::schedule_locked() {
    if (draining_) return;
    for (auto& [name, lane] : lanes_) {
        while (!lane.paused && !lane.removing && !lane.queued.empty() &&
               lane.running < lane.concurrency) {
            const std::string id = lane.queued.begin()->second;
            lane.queued.erase(lane.queued.begin());
            auto job = find_locked(id);
            if (!job || job->status != JobStatus::queued) continue;
            set_status_locked(*job, JobStatus::running);
            job->time_started = now_ms();  // pickup; replaced by the spawn time
            job->pid = 0;
            ++lane.running;
            job->changed.notify_all();
            start_runner_locked(job);
        }
    }
}

void Engine::start_runner_locked(const std::shared_ptr<Job>& job) {
    if (!supervisor_) supervisor_ = std::make_unique<MissionSupervisor>(static_cast<MissionHost&>(*this));
    supervisor_->start_locked(job);
}

void Engine::wake_runner_locked(Job& job) {
    if (supervisor_) supervisor_->kill_requested_locked(job);
}

Engine::KillResult Engine::kill_locked(Job& job, KillReason reason) {
    switch (job.status) {
        case JobStatus::done: return KillResult::already_done;
        case JobStatus::deleting: return KillResult::deleting;
        case JobStatus::queued: {
            auto lane = lanes_.find(job.lane);
            if (lane != lanes_.end()) lane->second.queued.erase({job.time_created, job.id});
            Result r;
            r.outcome = "killed";
            r.fail_reason = kill_reason_name(reason);
            if (reason == KillReason::lane_removed)
                r.fail_message = "killed because lane \"" + job.lane +
                                 "\" was removed from the config before it started";
            else if (reason == KillReason::force_delete)
                r.fail_message = "killed because the mission was force-deleted before it started";
            else if (reason == KillReason::dugdale_shutdown)
                r.fail_message = "killed because dugdale was shutting down before it started";
            else
                r.fail_message = "killed via the kill API before it started";
            r.exit_code = 0;
            // Not running: finish without touching the lane's running count.
            set_status_locked(job, JobStatus::running);
            if (lane != lanes_.end()) ++lane->second.running;
            finish_locked(job, std::move(r));
            return KillResult::killed_queued;
        }
        case JobStatus::running:
            if (job.leader_exited) return KillResult::already_done;
            if (job.kill_requested == KillReason::none) {
                job.kill_requested = reason;
                wake_runner_locked(job);
            }
            return KillResult::kill_sent;
    }
    return KillResult::already_done;
}

void Engine::finish_locked(Job& job, Result result) {
    if (job.done_written) return;  // exactly once
    job.time_finished = now_ms();
    if (!result.started) job.pid.reset();
    append_event_locked(job, [&](std::int64_t seq) { return events::done(seq, job, result); });
    job.done_written = true;
    const bool was_running = job.status == JobStatus::running;
    if (job.status != JobStatus::deleting) set_status_locked(job, JobStatus::done);
    job.result = std::move(result);
    if (was_running) {
        auto lane = lanes_.find(job.lane);
        if (lane != lanes_.end() && lane->second.running > 0) --lane->second.running;
    }
    job.changed.notify_all();
    runners_changed_.notify_all();
    schedule_locked();
}

namespace {

bool is_active(JobStatus s) { return s == JobStatus::queued || s == JobStatus::running; }

template <class Map, class Key>
std::int64_t count_of(const Map& m, const Key& key) {
    auto it = m.find(key);
    return it == m.end() ? 0 : it->second;
}

template <class Map, class Key>
void add_to(Map& m, const Key& key, std::int64_t delta) {
    auto it = m.try_emplace(key, 0).first;
    it->second += delta;
    if (it->second == 0) m.erase(it);  // lanes and kinds come and go: keep the maps small
}

}  // namespace

void Engine::count_locked(const Job& job, std::int64_t delta) {
    active_total_ += delta;
    add_to(active_by_lane_, job.lane, delta);
    add_to(active_by_kind_, job.kind, delta);
    add_to(active_by_lane_kind_, std::make_pair(job.lane, job.kind), delta);
}

void Engine::set_status_locked(Job& job, JobStatus status) {
    const bool was = is_active(job.status), will = is_active(status);
    job.status = status;
    if (was != will) count_locked(job, will ? +1 : -1);
}

std::int64_t Engine::active_count_locked(const std::string* lane, const char* kind) const {
    if (lane && kind) return count_of(active_by_lane_kind_, std::make_pair(*lane, std::string(kind)));
    if (lane) return count_of(active_by_lane_, *lane);
    if (kind) return count_of(active_by_kind_, std::string(kind));
    return active_total_;
}

bool Engine::counters_consistent_locked() const {
    std::int64_t total = 0;
    std::map<std::string, std::int64_t> by_lane, by_kind;
    std::map<std::pair<std::string, std::string>, std::int64_t> by_lane_kind;
    for (const auto& [id, job] : jobs_) {
        if (!is_active(job->status)) continue;
        ++total;
        ++by_lane[job->lane];
        ++by_kind[job->kind];
        ++by_lane_kind[{job->lane, job->kind}];
    }
    return total == active_total_ && by_lane == active_by_lane_ && by_kind == active_by_kind_ &&
           by_lane_kind == active_by_lane_kind_;
}

void Engine::mark_deleting_locked(Job& job) {
    if (job.status == JobStatus::queued) {
        auto lane = lanes_.find(job.lane);
        if (lane != lanes_.end()) lane->second.queued.erase({job.time_created, job.id});
    }
    set_status_locked(job, JobStatus::deleting);
    job.changed.notify_all();
}

void Engine::erase_job_locked(const std::shared_ptr<Job>& job) {
    auto it = jobs_.find(job->id);
    // The id may name a new job by now (an Idempotency-Key used again).
    if (it == jobs_.end() || it->second != job) return;
    set_status_locked(*job, JobStatus::deleting);  // never active here; keeps the counters exact anyway
    jobs_.erase(it);
    job->changed.notify_all();
}

void Engine::finish_held(Job& job, Result result) {
    mu_.assert_held();  // MissionHost::mutex() is mu_
    finish_locked(job, std::move(result));
}

void Engine::record_spawn(Job& job, int pid, std::int64_t time) {
    MutexLock lock(mu_);
    job.pid = pid;
    job.time_started = time;
    process_groups_.insert(pid);
    append_event_locked(job, [&](std::int64_t seq) { return events::running(seq, time, pid); });
}

bool Engine::append_progress(Job& job, const std::optional<std::string>& value,
                             const std::optional<std::string>& message) {
    MutexLock lock(mu_);
    const auto& limits = config_.limits;
    if (job.progress_bytes > limits.max_events_buffer) return false;
    const std::int64_t seq = job.last_seq + 1;
    std::string line = events::progress(seq, now_ms(), value, message);
    if (limits.max_event_line_size > 0 &&
        static_cast<std::int64_t>(line.size()) > limits.max_event_line_size)
        return false;
    job.progress_bytes += static_cast<std::int64_t>(line.size()) + 1;
    job.events.push_back(EventLine{seq, std::move(line)});
    job.last_seq = seq;
    job.changed.notify_all();
    return true;
}

void Engine::notify_output(Job& job) {
    MutexLock lock(mu_);
    job.changed.notify_all();
}

bool Engine::over_data_dir_quota(std::chrono::milliseconds max_age) {
    const std::int64_t max = config_.limits.max_data_dir_size;
    return max > 0 && disk_usage_.bytes(max_age) > max;
}

void Engine::stream_opened() {
    MutexLock lock(mu_);
    ++open_streams_;
}

void Engine::stream_closed() {
    MutexLock lock(mu_);
    if (--open_streams_ == 0) streams_changed_.notify_all();
}

void Engine::wait_streams_closed(std::chrono::milliseconds limit) {
    MutexLock lock(mu_);
    const auto deadline = SteadyClock::now() + limit;
    while (open_streams_ != 0)
        if (streams_changed_.wait_until(lock.native(), deadline) == std::cv_status::timeout) break;
}

void Engine::shutdown() {
    // Before the lock: the sweeper takes it, and joining it under the lock
    // could wait for ever.
    if (sweeper_) sweeper_->stop();
    MutexLock lock(mu_);
    if (closed_) return;
    closed_ = true;
    draining_ = true;
    for (auto& [id, job] : jobs_)
        if (job->status == JobStatus::running) kill_locked(*job, KillReason::dugdale_shutdown);
    for (auto& [id, job] : jobs_) job->changed.notify_all();
    while (supervisor_ && !supervisor_->idle_locked()) runners_changed_.wait(lock.native());
    // Idle and draining: nothing can start any more; its thread ends.
    if (auto supervisor = std::move(supervisor_)) {
        lock.unlock();
        supervisor.reset();
        lock.lock();
    }
    // Descendants a mission left behind in its process group go too: the
    // devserver promises that nothing it started outlives it.
    // SIGKILL is asynchronous: wait (bounded) until the groups are empty so
    // that stop() returning means the processes are really gone.
    kill_groups_and_wait(std::vector<int>(process_groups_.begin(), process_groups_.end()),
                         std::chrono::seconds(5));
    process_groups_.clear();
    for (auto& [id, job] : jobs_) job->changed.notify_all();
}

std::string Engine::work_dir(const std::string& id) const {
    return config_.data_dir + "/work/" + id;
}

std::string Engine::output_path(const std::string& id, const char* stream) const {
    return config_.data_dir + "/output/" + id.substr(0, 2) + "/" + id.substr(2, 2) + "/" + id + "-" +
           stream;
}

}  // namespace letts::devserver
