#include "devserver/sweeper.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "devserver/clock.hpp"
#include "devserver/engine.hpp"

namespace letts::devserver {
namespace {

constexpr std::int64_t kNanosPerMs = 1'000'000;
constexpr std::int64_t kPinned = std::numeric_limits<std::int64_t>::max();

std::int64_t ms(Nanos d) { return d / kNanosPerMs; }

// How long a finished job is kept, by kind and outcome, like the daemon's
// mission cleaner: `success` has its own TTL, `lost` gets the failed TTL
// plus lost_cleanup_grace, every other outcome the failed TTL.
std::int64_t job_ttl_ms(const DugdaleConfig& c, const Job& job) {
    const bool exec = job.kind == "exec";
    const std::string& outcome = job.result ? job.result->outcome : std::string();
    if (outcome == "success") return ms(exec ? c.exec.exec_success_ttl : c.cleanup.success_ttl);
    const std::int64_t failed = ms(exec ? c.exec.exec_failed_ttl : c.cleanup.failed_ttl);
    return outcome == "lost" ? failed + ms(c.cleanup.lost_cleanup_grace) : failed;
}

// What the jobs that stay say about one staging file (§9.11): pinned while
// a referencing job is queued, running or deleting, else the latest
// time_finished + TTL among the done ones.
struct StagingRefs {
    bool any = false;
    std::int64_t expires = std::numeric_limits<std::int64_t>::min();
};

void add_ref(std::map<std::string, StagingRefs>& refs, const std::string& staging_id, std::int64_t expires) {
    auto& r = refs[staging_id];
    r.any = true;
    if (expires > r.expires) r.expires = expires;
}

// Files of one removed job, deleted without the lock.
struct Doomed {
    std::shared_ptr<Job> job;
    std::vector<std::string> files;
    std::string work_dir;
};

}  // namespace

SweepCounts sweep_once(Engine& engine, std::int64_t now) {
    const DugdaleConfig& cfg = engine.config();
    SweepCounts counts;
    std::vector<Doomed> doomed;
    std::vector<std::string> staging_files;
    {
        std::lock_guard lock(engine.mu);
        if (engine.closed) return counts;
        // Victims: jobs an admin deleted, and done jobs past their TTL
        // (time_finished + TTL < now, as the daemon's strict cut-off).
        // Both become `deleting` now: GET answers 404, the streams 410
        // and a dispatch replay 410 while their files go.
        std::map<std::string, StagingRefs> refs;
        for (const auto& [id, job] : engine.jobs) {
            bool victim = false;
            if (job->status == JobStatus::deleting) {
                // A job marked deleting while its runner still works (it
                // was picked up and has not published its end) waits.
                victim = job->done_written || !job->time_started;
            } else if (job->status == JobStatus::done && job->time_finished) {
                victim = *job->time_finished + job_ttl_ms(cfg, *job) < now;
            }
            if (victim) {
                doomed.push_back(Doomed{job,
                                        {engine.output_path(id, "stdout"), engine.output_path(id, "stderr"),
                                         engine.output_path(id, "combined")},
                                        engine.work_dir(id)});
                continue;
            }
            // A job that stays keeps its staging files.
            const bool active = job->status != JobStatus::done;
            const std::int64_t expires =
                active || !job->time_finished ? kPinned : *job->time_finished + job_ttl_ms(cfg, *job);
            for (const auto& in : job->inputs) add_ref(refs, in.staging_id, expires);
            if (job->result)
                for (const auto& [key, out] : job->result->outputs) add_ref(refs, out.staging_id, expires);
        }
        for (auto& d : doomed) {
            engine.set_status_locked(*d.job, JobStatus::deleting);
            d.job->changed.notify_all();  // followers see the end
        }

        // Staging rows: uploading or complete ones past their retention
        // become `deleting` (an upload being received right now is left
        // alone); `deleting` rows are forgotten once the tombstone grace
        // has passed since this sweeper first saw them deleting.
        for (auto it = engine.staging.begin(); it != engine.staging.end();) {
            StagingFile& f = *it->second;
            if (f.state == StagingState::deleting) {
                if (f.time_deleting == 0) f.time_deleting = now;
                if (now - f.time_deleting >= kStagingTombstoneGraceMs) {
                    it = engine.staging.erase(it);
                    ++counts.staging_forgotten;
                    continue;
                }
            } else if (f.state == StagingState::complete ||
                       (f.state == StagingState::uploading && !f.upload_in_progress)) {
                // Unreferenced: staging_ttl from creation, or for an
                // unfinished upload from its last stored chunk (time_updated),
                // as the daemon moves an upload's expiry with each chunk.
                auto r = refs.find(f.id);
                const std::int64_t since =
                    f.state == StagingState::uploading ? f.time_updated : f.time_created;
                const std::int64_t expires =
                    r != refs.end() ? r->second.expires : since + ms(cfg.cleanup.staging_ttl);
                if (expires <= now) {
                    // An unfinished upload's bytes are in its partial file.
                    staging_files.push_back(f.state == StagingState::uploading ? f.path + ".part" : f.path);
                    f.state = StagingState::deleting;
                    f.time_deleting = now;
                    ++counts.staging_expired;
                }
            }
            ++it;
        }
    }

    // The slow part, without the lock. A download already open keeps its
    // descriptor; the ids stay taken (deleting) until the second step.
    std::error_code ec;
    for (const auto& d : doomed) {
        for (const auto& path : d.files) ::unlink(path.c_str());
        std::filesystem::remove_all(d.work_dir, ec);
    }
    for (const auto& path : staging_files) ::unlink(path.c_str());

    if (!doomed.empty()) {
        std::lock_guard lock(engine.mu);
        for (const auto& d : doomed) engine.erase_job_locked(d.job);
        counts.jobs_removed = static_cast<std::int64_t>(doomed.size());
    }
    return counts;
}

Sweeper::Sweeper(Engine& engine) : engine_(engine) { thread_ = std::thread([this] { loop(); }); }

Sweeper::~Sweeper() { stop(); }

void Sweeper::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Sweeper::loop() {
    Nanos interval = engine_.config().cleanup.sweep_interval;
    if (interval <= 0) interval = 60 * kSecond;
    // A steady_clock deadline must not overflow: a year is "never" here.
    interval = std::min<Nanos>(interval, 365 * 24 * 3600 * kSecond);
    const auto period = std::chrono::nanoseconds(interval);
    std::unique_lock lock(mu_);
    while (true) {
        // A deadline, not a relative wait, so that spurious wake-ups do
        // not stretch the period.
        const auto next = SteadyClock::now() + period;
        if (wake_.wait_until(lock, next, [&] { return stopping_; })) return;
        lock.unlock();
        sweep_once(engine_, now_ms());
        lock.lock();
        if (stopping_) return;
    }
}

}  // namespace letts::devserver
