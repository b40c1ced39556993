// The devserver's in-memory state: jobs, lanes, the applied configuration
// and staging files. Jobs, lanes and the applied state are guarded by the
// engine's lock, staging rows by the staging store's (staging_store.hpp);
// the structs are plain data so their holders can read them under it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace letts::devserver {

enum class JobStatus { queued, running, done, deleting };
const char* status_name(JobStatus s);

// How a mission is launched, copied from the applied state at dispatch.
struct RuntimeSnapshot {
    std::string mission_dir;
    std::string mission_path_template;
    std::vector<std::string> command_template;
    bool validate_mission_file = false;
};

struct InputRef {
    std::string role;
    std::string staging_id;
    std::string sha256;
    std::int64_t size = 0;
};

struct OutputRef {
    std::string staging_id;
    std::string sha256;
    std::int64_t size = 0;
};

// What an exec job runs (http-api.md §5.6), fixed at dispatch and shared
// by its restarts. The `in` files and the staged stdin are the job's
// inputs (the stdin one with role "__stdin__"); the script is not an input.
struct ExecSpec {
    std::vector<std::string> command;
    std::string script_staging_id;  // empty: no script
    std::vector<std::string> out_keys;
    std::string group_id;
    std::string display_name;
};

// The role of an exec job's staged standard input among its inputs.
inline constexpr const char* exec_stdin_role = "__stdin__";

// The terminal result, as written into the done event and the job.
struct Result {
    std::string outcome;
    std::string fail_reason;
    std::string fail_message;
    std::string fail_details;               // raw JSON object text, or empty
    std::optional<std::string> return_json;  // raw JSON ("null" when sent as null)
    int exit_code = 0;
    std::string signal;
    std::map<std::string, OutputRef> outputs;
    std::int64_t progress_dropped = 0;
    bool started = false;  // the process existed: duration_ms is reported
};

// Reasons dugdale itself stops a job for (mission-protocol.md §5.1).
enum class KillReason { none, timeout, killed_by_api, force_delete, lane_removed, dugdale_shutdown };
const char* kill_reason_name(KillReason r);

struct EventLine {
    std::int64_t seq = 0;
    std::string line;  // compact JSON, no newline
};

// What a job's waiters wait on. Handlers that must see a kill land block
// in wait*() like on a condition variable; follow streams hold no thread:
// they register a watcher, a function called on every notify_all(), which
// resumes their parked connection. Every call with the engine's lock held.
class JobSignal {
public:
    // Must be quick, must not block nor take the engine's lock.
    using Watcher = std::function<void()>;

    void notify_all() {
        ++generation_;
        cv_.notify_all();
        for (const auto& [id, watcher] : watchers_) watcher();
    }
    template <class... Args>
    auto wait(std::unique_lock<std::mutex>& lock, Args&&... args) {
        return cv_.wait(lock, std::forward<Args>(args)...);
    }
    template <class... Args>
    auto wait_for(std::unique_lock<std::mutex>& lock, Args&&... args) {
        return cv_.wait_for(lock, std::forward<Args>(args)...);
    }
    template <class... Args>
    auto wait_until(std::unique_lock<std::mutex>& lock, Args&&... args) {
        return cv_.wait_until(lock, std::forward<Args>(args)...);
    }
    // Registers `w` until unwatch(id); returns the id (never 0).
    std::uint64_t watch(Watcher w) {
        const std::uint64_t id = next_id_++;
        watchers_.emplace(id, std::move(w));
        return id;
    }
    void unwatch(std::uint64_t id) { watchers_.erase(id); }
    // Counts notify_all() calls: a reader that looked at something outside
    // the lock (an output file) compares it to see whether it missed one.
    std::uint64_t generation() const noexcept { return generation_; }

private:
    std::condition_variable cv_;
    std::map<std::uint64_t, Watcher> watchers_;
    std::uint64_t next_id_ = 1;
    std::uint64_t generation_ = 0;
};

struct Job {
    std::string id;
    std::string kind = "mission";
    std::string lane;
    std::string mission_name;
    std::string input = "null";  // canonical JSON text
    std::string fingerprint;
    std::optional<std::int64_t> timeout_ms;
    std::vector<InputRef> inputs;
    RuntimeSnapshot runtime;
    std::string restarted_from;
    std::shared_ptr<const ExecSpec> exec;  // set exactly for kind "exec"

    JobStatus status = JobStatus::queued;
    std::int64_t time_created = 0;
    std::optional<std::int64_t> time_started;
    std::optional<std::int64_t> time_finished;
    std::optional<int> pid;
    std::optional<Result> result;  // set when status becomes done
    bool truncated_stdout = false;
    bool truncated_stderr = false;

    std::vector<EventLine> events;
    std::int64_t last_seq = 0;
    bool done_written = false;
    std::int64_t progress_bytes = 0;  // events-file budget for progress lines

    // Runner control: the first accepted kill reason (the supervisor is
    // woken through its own eventfd, Engine::wake_runner_locked).
    KillReason kill_requested = KillReason::none;
    bool leader_exited = false;

    // Notified on every new event, captured output chunk and status change,
    // so followers wake without polling.
    JobSignal changed;
};

struct LaneState {
    std::string name;
    std::int64_t concurrency = 1;
    bool paused = false;
    std::string paused_by;  // "yaml" or "ctl" while paused
    bool removing = false;
    std::set<std::pair<std::int64_t, std::string>> queued;  // (time_created, id): FIFO pickup
    int running = 0;
};

// The applied-state document of POST /v1/admin/apply.
struct AppliedLane {
    std::int64_t concurrency = 0;
    bool paused = false;
    std::string paused_by;
};

struct AppliedState {
    std::string mission_dir;
    std::optional<std::vector<std::string>> labels;  // nullopt = JSON null
    std::map<std::string, AppliedLane> lanes;
    std::string mission_path_template;
    std::vector<std::string> command_template;
    bool validate_mission_file = false;
};

enum class StagingState { uploading, pending_output, committing, complete, deleting };
const char* staging_state_name(StagingState s);

struct StagingFile {
    std::string id;
    StagingState state = StagingState::uploading;
    std::string sha256;
    std::int64_t size = 0;
    std::int64_t bytes_received = 0;
    std::int64_t time_created = 0;
    std::int64_t time_updated = 0;
    bool upload_in_progress = false;
    std::string path;  // data_dir/staging/<id>
    // When the sweeper first saw the row `deleting` (0 = not yet): the row
    // is forgotten a tombstone grace later (staging_store.hpp).
    std::int64_t time_deleting = 0;
};

}  // namespace letts::devserver
