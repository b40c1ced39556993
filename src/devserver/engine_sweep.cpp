// The cleanup of dugdale.yaml applied to the devserver's state, so that its
// memory and data_dir stay bounded over a long life: finished jobs past
// cleanup.success_ttl / failed_ttl (exec_* for execs, failed_ttl +
// lost_cleanup_grace for `lost`), jobs an admin deleted, and staging files
// past their retention (http-api.md §9.11) are removed with their files.
// docs/devserver-retention.md says what was settled from the daemon.
// The thread that runs it periodically is sweeper.hpp's.
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

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
void add_ref(std::map<std::string, std::int64_t>& expires_by_id, const std::string& staging_id,
             std::int64_t expires) {
    auto [it, added] = expires_by_id.try_emplace(staging_id, expires);
    if (!added && expires > it->second) it->second = expires;
}

// Files of one removed job, deleted without the lock.
struct Doomed {
    std::shared_ptr<Job> job;
    std::vector<std::string> files;
    std::string work_dir;
};

// Whether the sweep at `now` removes `job`: an admin deleted it, or it is
// done and past its TTL (time_finished + TTL < now, as the daemon's strict
// cut-off).
bool is_swept(const DugdaleConfig& config, const Job& job, std::int64_t now) {
    // A job marked deleting while its runner still works (it was picked up
    // and has not published its end) waits.
    if (job.status == JobStatus::deleting) return job.done_written || !job.time_started;
    return job.status == JobStatus::done && job.time_finished && *job.time_finished + job_ttl_ms(config, job) < now;
}

// A job that stays keeps the staging files it names: pinned while active,
// else until its own expiry.
void keep_staging_refs(const DugdaleConfig& config, const Job& job, std::map<std::string, std::int64_t>& expires_by_id) {
    const bool active = job.status != JobStatus::done;
    const std::int64_t expires =
        active || !job.time_finished ? kPinned : *job.time_finished + job_ttl_ms(config, job);
    for (const auto& in : job.inputs) add_ref(expires_by_id, in.staging_id, expires);
    if (job.exec && !job.exec->script_staging_id.empty())
        add_ref(expires_by_id, job.exec->script_staging_id, expires);
    if (job.result)
        for (const auto& [key, out] : job.result->outputs) add_ref(expires_by_id, out.staging_id, expires);
}

// The slow part, without the lock. A download already open keeps its
// descriptor; the ids stay taken (deleting) until they are erased.
void delete_files(const std::vector<Doomed>& doomed, const std::vector<std::string>& staging_files) {
    std::error_code ec;
    for (const auto& d : doomed) {
        for (const auto& path : d.files) ::unlink(path.c_str());
        std::filesystem::remove_all(d.work_dir, ec);
    }
    for (const auto& path : staging_files) ::unlink(path.c_str());
}

}  // namespace

SweepCounts Engine::sweep_once(std::int64_t now) {
    SweepCounts counts;
    std::vector<Doomed> doomed;
    std::vector<std::string> staging_files;
    {
        MutexLock lock(mu_);
        if (closed_) return counts;
        // Swept jobs become `deleting` now: GET answers 404, the streams
        // 410 and a dispatch replay 410 while their files go.
        std::map<std::string, std::int64_t> expires_by_id;
        for (const auto& [id, job] : jobs_) {
            if (!is_swept(config_, *job, now)) {
                keep_staging_refs(config_, *job, expires_by_id);
                continue;
            }
            doomed.push_back(Doomed{
                job, {output_path(id, "stdout"), output_path(id, "stderr"), output_path(id, "combined")}, work_dir(id)});
        }
        for (auto& d : doomed) {
            set_status_locked(*d.job, JobStatus::deleting);
            d.job->changed.notify_all();  // followers see the end
        }
        // Under the engine's lock still, so that no dispatch can reference
        // a file between the pins above and its expiry.
        auto swept = staging_.sweep(now, expires_by_id, ms(config_.cleanup.staging_ttl));
        counts.staging_expired = swept.expired;
        counts.staging_forgotten = swept.forgotten;
        staging_files = std::move(swept.unlink);
    }
    delete_files(doomed, staging_files);
    if (!doomed.empty()) {
        MutexLock lock(mu_);
        for (const auto& d : doomed) erase_job_locked(d.job);
        counts.jobs_removed = static_cast<std::int64_t>(doomed.size());
    }
    return counts;
}

}  // namespace letts::devserver
