// devserver/sweeper and the engine's active-job counters, on a real Engine
// with a fake clock: sweep_once(now) is given the time, so TTL boundaries
// (strict for jobs, inclusive for staging, like the daemon) are checked to
// the millisecond without waiting. The counters behind the queue limits are
// compared with a scan of every job after each of many random transitions.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/uuidv7.hpp"
#include "devserver/apply.hpp"
#include "devserver/engine.hpp"
#include "devserver/sweeper.hpp"

#include "../core/support.hpp"

namespace ds = letts::devserver;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t T0 = 1'700'000'000'000;  // a wall-clock ms value
constexpr std::int64_t kFar = 4'000'000'000'000;  // after every real time_finished
constexpr ds::Nanos kMs = 1'000'000;

std::string temp_dir() {
    std::string tmpl = (fs::temp_directory_path() / "letts-sweeper-XXXXXX").string();
    assert_non_null(::mkdtemp(tmpl.data()));
    return tmpl;
}

ds::DugdaleConfig config(const std::string& dir) {
    ds::DugdaleConfig c;
    c.listen = "127.0.0.1:0";
    c.data_dir = dir;
    c.cleanup.success_ttl = 10'000 * kMs;
    c.cleanup.failed_ttl = 100'000 * kMs;
    c.cleanup.lost_cleanup_grace = 5'000 * kMs;
    c.cleanup.staging_ttl = 30'000 * kMs;
    c.cleanup.sweep_interval = 3600 * ds::kSecond;  // the thread never fires here
    return c;
}

void touch(const std::string& path) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << "x";
    assert_true(fs::exists(path));
}

// A finished job with its work directory and capture files on disk.
std::shared_ptr<ds::Job> done_job(ds::Engine& e, const std::string& outcome, std::int64_t finished,
                                  std::vector<std::string> inputs = {}) {
    auto job = std::make_shared<ds::Job>();
    job->id = letts::uuidv7::generate();
    job->lane = "default";
    job->status = ds::JobStatus::done;
    job->time_created = finished - 1;
    job->time_started = finished - 1;
    job->time_finished = finished;
    job->done_written = true;
    job->result = ds::Result{};
    job->result->outcome = outcome;
    for (auto& sid : inputs) job->inputs.push_back(ds::InputRef{"in", sid, "", 1});
    touch(e.work_dir(job->id) + "/in/x");
    for (const char* s : {"stdout", "stderr", "combined"}) touch(e.output_path(job->id, s));
    letts::MutexLock lock(e.mutex());
    e.insert_job_locked(job);
    return job;
}

// Where a staging row's bytes are on disk.
std::string bytes_path(const ds::StagingFile& f) {
    return f.state == ds::StagingState::uploading ? f.path + ".part" : f.path;
}

std::shared_ptr<ds::StagingFile> staging(ds::Engine& e, std::int64_t created,
                                         ds::StagingState state = ds::StagingState::complete) {
    auto f = std::make_shared<ds::StagingFile>();
    f->id = letts::uuidv7::generate();
    f->state = state;
    f->time_created = f->time_updated = created;
    f->path = e.staging().path_of(f->id);
    // As the server does: an unfinished upload's bytes are in <path>.part,
    // the file reaches <path> only once complete.
    touch(bytes_path(*f));
    e.staging().insert(f);
    return f;
}

bool present(ds::Engine& e, const std::shared_ptr<ds::Job>& job) {
    letts::MutexLock lock(e.mutex());
    return e.find_locked(job->id) == job;
}

bool files_present(ds::Engine& e, const std::shared_ptr<ds::Job>& job) {
    return fs::exists(e.work_dir(job->id)) && fs::exists(e.output_path(job->id, "stdout")) &&
           fs::exists(e.output_path(job->id, "stderr")) && fs::exists(e.output_path(job->id, "combined"));
}

bool files_absent(ds::Engine& e, const std::shared_ptr<ds::Job>& job) {
    return !fs::exists(e.work_dir(job->id)) && !fs::exists(e.output_path(job->id, "stdout")) &&
           !fs::exists(e.output_path(job->id, "stderr")) && !fs::exists(e.output_path(job->id, "combined"));
}

ds::StagingState state_of(ds::Engine& e, const std::shared_ptr<ds::StagingFile>& f) {
    return e.staging().find(f->id).value_or(*f).state;
}

bool row_present(ds::Engine& e, const std::shared_ptr<ds::StagingFile>& f) {
    return e.staging().exists(f->id);
}

void test_job_ttls_by_outcome(void**) {
    const std::string dir = temp_dir();
    {
        ds::Engine e(config(dir));
        auto old_ok = done_job(e, "success", T0);
        auto young_ok = done_job(e, "success", T0 + 5'000);
        auto failed = done_job(e, "failed", T0);
        auto killed = done_job(e, "killed", T0);
        auto lost = done_job(e, "lost", T0);

        // Exactly at the TTL nothing goes: the cut-off is strict.
        assert_int_equal(e.sweep_once(T0 + 10'000).jobs_removed, 0);
        assert_true(present(e, old_ok));
        assert_true(files_present(e, old_ok));

        auto c = e.sweep_once(T0 + 10'001);
        assert_int_equal(c.jobs_removed, 1);
        assert_false(present(e, old_ok));
        assert_true(files_absent(e, old_ok));
        for (const auto& j : {young_ok, failed, killed, lost}) {
            assert_true(present(e, j));
            assert_true(files_present(e, j));
        }
        assert_int_equal(e.sweep_once(T0 + 15'001).jobs_removed, 1);
        assert_false(present(e, young_ok));

        // failed_ttl for every outcome but success and lost; lost gets the grace on top.
        assert_int_equal(e.sweep_once(T0 + 100'001).jobs_removed, 2);
        assert_false(present(e, failed));
        assert_false(present(e, killed));
        assert_true(files_absent(e, killed));
        assert_true(present(e, lost));
        assert_int_equal(e.sweep_once(T0 + 105'000).jobs_removed, 0);
        assert_int_equal(e.sweep_once(T0 + 105'001).jobs_removed, 1);
        assert_false(present(e, lost));
        assert_true(files_absent(e, lost));
        letts::MutexLock lock(e.mutex());
        assert_true(e.jobs_locked().empty());
    }
    fs::remove_all(dir);
}

void test_deleted_jobs_go_at_the_next_sweep(void**) {
    const std::string dir = temp_dir();
    {
        ds::Engine e(config(dir));
        auto job = done_job(e, "success", T0);
        {
            letts::MutexLock lock(e.mutex());
            e.mark_deleting_locked(*job);
        }
        // Not expired, but deleted by an admin: removed whatever the time.
        assert_int_equal(e.sweep_once(T0 + 1).jobs_removed, 1);
        assert_false(present(e, job));
        assert_true(files_absent(e, job));

        // A job marked deleting while its runner has not published its end
        // (picked up, no done event yet) waits for it.
        auto busy = done_job(e, "success", T0);
        {
            letts::MutexLock lock(e.mutex());
            busy->done_written = false;
            busy->status = ds::JobStatus::deleting;
        }
        assert_int_equal(e.sweep_once(T0 + 1'000'000).jobs_removed, 0);
        assert_true(present(e, busy));
        assert_true(files_present(e, busy));
        {
            letts::MutexLock lock(e.mutex());
            busy->done_written = true;
        }
        assert_int_equal(e.sweep_once(T0 + 1'000'000).jobs_removed, 1);
        assert_false(present(e, busy));
    }
    fs::remove_all(dir);
}

void test_staging_retention(void**) {
    const std::string dir = temp_dir();
    {
        ds::Engine e(config(dir));
        auto lone = staging(e, T0);                                  // unreferenced: T0 + 30 s
        auto pinned = staging(e, T0);                                // input of a queued job
        auto late = staging(e, T0);                                  // input of a job done at T0 + 50 s
        auto uploading = staging(e, T0, ds::StagingState::uploading);  // abandoned upload
        auto receiving = staging(e, T0, ds::StagingState::uploading);  // a PUT in progress
        {
            letts::MutexLock lock(e.mutex());
            receiving->upload_in_progress = true;
            auto q = std::make_shared<ds::Job>();
            q->id = letts::uuidv7::generate();
            q->lane = "nowhere";
            q->time_created = T0;
            q->inputs.push_back(ds::InputRef{"in", pinned->id, "", 1});
            e.enqueue_locked(q);  // no such lane: stays queued
        }
        auto user = done_job(e, "success", T0 + 50'000, {late->id});

        e.sweep_once(T0 + 29'999);
        for (const auto& f : {lone, pinned, late}) assert_int_equal(static_cast<int>(state_of(e, f)),
                                                                      static_cast<int>(ds::StagingState::complete));
        // At time_created + staging_ttl (inclusive) the unreferenced rows go;
        // the file is unlinked at once, the row stays `deleting`.
        auto c = e.sweep_once(T0 + 30'000);
        assert_int_equal(c.staging_expired, 2);
        assert_int_equal(static_cast<int>(state_of(e, lone)), static_cast<int>(ds::StagingState::deleting));
        assert_false(fs::exists(lone->path));
        assert_int_equal(static_cast<int>(state_of(e, uploading)), static_cast<int>(ds::StagingState::deleting));
        assert_false(fs::exists(uploading->path + ".part"));
        assert_int_equal(static_cast<int>(state_of(e, receiving)), static_cast<int>(ds::StagingState::uploading));
        assert_true(fs::exists(receiving->path + ".part"));
        // A file referenced by a done job lives until time_finished + its TTL.
        assert_int_equal(static_cast<int>(state_of(e, late)), static_cast<int>(ds::StagingState::complete));
        assert_true(fs::exists(late->path));
        e.sweep_once(T0 + 59'999);
        assert_int_equal(static_cast<int>(state_of(e, late)), static_cast<int>(ds::StagingState::complete));
        e.sweep_once(T0 + 60'000);
        assert_int_equal(static_cast<int>(state_of(e, late)), static_cast<int>(ds::StagingState::deleting));
        assert_false(fs::exists(late->path));
        assert_true(present(e, user));

        // The deleting rows are forgotten a tombstone grace later.
        assert_int_equal(e.sweep_once(T0 + 30'000 + ds::kStagingTombstoneGraceMs - 1).staging_forgotten, 0);
        assert_true(row_present(e, lone));
        assert_int_equal(e.sweep_once(T0 + 30'000 + ds::kStagingTombstoneGraceMs).staging_forgotten, 2);
        assert_false(row_present(e, lone));
        assert_false(row_present(e, uploading));
        assert_true(row_present(e, late));

        // A queued job pins its input for ever.
        e.sweep_once(T0 + 1'000'000'000);
        assert_int_equal(static_cast<int>(state_of(e, pinned)), static_cast<int>(ds::StagingState::complete));
        assert_true(fs::exists(pinned->path));
    }
    fs::remove_all(dir);
}

// An abandoned upload (no PUT receiving it) expires staging_ttl after its
// last progress, as the daemon moves time_expires forward with every chunk
// it stores; its partial file is deleted with it.
void test_abandoned_upload_expires_from_last_progress(void**) {
    const std::string dir = temp_dir();
    {
        ds::Engine e(config(dir));
        auto idle = staging(e, T0, ds::StagingState::uploading);    // no byte since T0
        auto moved = staging(e, T0, ds::StagingState::uploading);   // a chunk stored at T0 + 20 s
        {
            letts::MutexLock lock(e.mutex());
            moved->bytes_received = 1;
            moved->time_updated = T0 + 20'000;
        }
        e.sweep_once(T0 + 29'999);
        assert_int_equal(static_cast<int>(state_of(e, idle)), static_cast<int>(ds::StagingState::uploading));
        assert_int_equal(e.sweep_once(T0 + 30'000).staging_expired, 1);
        assert_int_equal(static_cast<int>(state_of(e, idle)), static_cast<int>(ds::StagingState::deleting));
        assert_false(fs::exists(idle->path + ".part"));
        // Created more than staging_ttl ago, but it moved since.
        assert_int_equal(static_cast<int>(state_of(e, moved)), static_cast<int>(ds::StagingState::uploading));
        assert_true(fs::exists(moved->path + ".part"));
        e.sweep_once(T0 + 49'999);
        assert_int_equal(static_cast<int>(state_of(e, moved)), static_cast<int>(ds::StagingState::uploading));
        assert_int_equal(e.sweep_once(T0 + 50'000).staging_expired, 1);
        assert_int_equal(static_cast<int>(state_of(e, moved)), static_cast<int>(ds::StagingState::deleting));
        assert_false(fs::exists(moved->path + ".part"));
    }
    fs::remove_all(dir);
}

// Random transitions; after each, the counters equal a scan.
// mission-protocol.md 10.1 #6: a relative data_dir is made absolute against
// the server's directory at start. The mission runs in its work directory,
// so a relative LETTS_WORKDIR / LETTS_IN_<role> (what the daemon, which
// never absolutizes, would hand it) would point nowhere from there.
void test_relative_data_dir_made_absolute(void**) {
    const std::string dir = temp_dir();
    const fs::path old_cwd = fs::current_path();
    fs::current_path(dir);
    const std::string base = fs::current_path().string();  // dir, symlinks resolved
    {
        ds::Engine e(config("./rel/dd/"));
        fs::current_path(old_cwd);  // later lookups must not depend on it
        assert_string_equal(e.config().data_dir.c_str(), (base + "/rel/dd").c_str());
        assert_string_equal(e.work_dir("x").c_str(), (base + "/rel/dd/work/x").c_str());
        assert_true(fs::is_directory(dir + "/rel/dd/work"));
    }
    fs::remove_all(dir);
}

void test_counters_match_a_scan(void**) {
    const std::string dir = temp_dir();
    {
        ds::Engine e(config(dir));
        auto lanes = [](bool with_b) {
            ds::AppliedState a;
            a.mission_dir = "/nonexistent-letts-missions";  // runs fail fast: mission_not_found
            a.validate_mission_file = true;
            a.lanes["a"] = ds::AppliedLane{2, false, ""};
            if (with_b) a.lanes["b"] = ds::AppliedLane{1, true, "yaml"};
            return a;
        };
        {
            letts::MutexLock lock(e.mutex());
            ds::apply_locked(e, lanes(true), ds::ApplyFlags{});
        }
        std::mt19937 rng(15);
        std::vector<std::shared_ptr<ds::Job>> all;
        const char* lane_names[] = {"a", "b", "c"};
        for (int step = 0; step < 3000; ++step) {
            letts::MutexLock lock(e.mutex());
            const int op = static_cast<int>(rng() % 10);
            if (op < 5 || all.empty()) {
                auto j = std::make_shared<ds::Job>();
                j->id = letts::uuidv7::generate();
                j->lane = lane_names[rng() % 3];
                j->kind = rng() % 4 == 0 ? "exec" : "mission";
                j->time_created = T0 + step;
                j->runtime.mission_dir = "/nonexistent-letts-missions";
                j->runtime.validate_mission_file = true;
                e.enqueue_locked(j);
                all.push_back(j);
            } else if (op == 5) {
                e.kill_locked(*all[rng() % all.size()], ds::KillReason::killed_by_api);
            } else if (op == 6) {
                auto& j = all[rng() % all.size()];
                if (j->status == ds::JobStatus::queued || j->status == ds::JobStatus::done) e.mark_deleting_locked(*j);
            } else if (op == 7) {
                ds::apply_locked(e, lanes(rng() % 2 == 0), ds::ApplyFlags{false, true, true});
            } else if (op == 8) {
                ds::set_lane_paused_locked(e, "b", rng() % 2 == 0);
            } else {
                lock.unlock();
                e.sweep_once(kFar);
                lock.lock();
            }
            if (!e.counters_consistent_locked()) fail_msg("counters differ from a scan after step %d (op %d)", step, op);
            const std::string b = "b";
            std::int64_t scan_b = 0;
            for (const auto& [id, j] : e.jobs_locked())
                scan_b += j->lane == b && (j->status == ds::JobStatus::queued || j->status == ds::JobStatus::running);
            assert_int_equal(e.active_count_locked(&b, nullptr), scan_b);
        }
        e.shutdown();
        letts::MutexLock lock(e.mutex());
        assert_true(e.counters_consistent_locked());
        // What is left is queued in lanes that never run (c, or b paused).
        for (const auto& [id, j] : e.jobs_locked()) assert_true(j->status != ds::JobStatus::running);
    }
    fs::remove_all(dir);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_job_ttls_by_outcome),
        cmocka_unit_test(test_deleted_jobs_go_at_the_next_sweep),
        cmocka_unit_test(test_staging_retention),
        cmocka_unit_test(test_abandoned_upload_expires_from_last_progress),
        cmocka_unit_test(test_relative_data_dir_made_absolute),
        cmocka_unit_test(test_counters_match_a_scan),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
