// One picked job's life under the supervisor (runner.hpp): launch, the
// pipes and the leader's exit watched through the supervisor's epoll set,
// deadlines (timeout, kill grace, post-exit grace), then the classified
// result with its outputs collected and committed.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/unique_fd.hpp"
#include "devserver/capture.hpp"
#include "devserver/clock.hpp"
#include "devserver/fd3_reader.hpp"
#include "devserver/exec_runtime.hpp"
#include "devserver/launch.hpp"
#include "devserver/mission_host.hpp"

namespace letts::devserver {

// What an epoll event is about: the low bits of its data, the mission's key
// in the high bits (key 0 is the supervisor's own eventfd).
enum MissionEpollRole : std::uint64_t { wake_role = 0, out_role = 1, err_role = 2, events_role = 3, exit_role = 4 };
constexpr unsigned role_bits = 3;
constexpr std::uint64_t role_mask = (1u << role_bits) - 1;

// The job's fields a mission needs, copied once under the host's lock.
struct MissionSnapshot {
    std::string id, lane, mission, input;
    std::optional<std::int64_t> timeout_ms;
    RuntimeSnapshot runtime;
    std::vector<InputRef> inputs;
    std::vector<std::pair<std::string, std::string>> sources;  // role → staged file (missions)
    std::shared_ptr<const ExecSpec> exec;                       // set for an exec job
    ExecSources exec_sources;
};

// The result of a mission that never ran (a failed launch).
Result crashed(const std::string& reason, const std::string& message);

// One picked job, from launch to its classified result. Driven by the
// supervisor thread alone: it calls on_ready() for each readable
// descriptor, step() after every event and at the deadlines it announces
// through next_deadline(), and conclude() once step() said it is over.
class Mission {
public:
    using TimePoint = SteadyClock::time_point;

    Mission(MissionHost& host, std::shared_ptr<Job> job, int epoll_fd, std::uint64_t key)
        : host_(host),
          job_(std::move(job)),
          epoll_fd_(epoll_fd),
          key_(key),
          reader_(host.config().limits.max_event_line_size, host.config().limits.max_output_files_per_mission,
                  [this](const auto& v, const auto& m) { on_progress(v, m); }) {
        take_snapshot();
    }
    Mission(const Mission&) = delete;
    Mission& operator=(const Mission&) = delete;

    Job& job() const noexcept { return *job_; }
    int pid() const noexcept { return spawned_.pid; }
    std::uint64_t key() const noexcept { return key_; }
    std::optional<TimePoint>& armed() noexcept { return armed_; }
    TimePoint spawned_at() const noexcept { return spawned_at_; }

    // Work directory (from `spare` when one is ready: it is consumed),
    // input.json, spawn. Throws LaunchFailure.
    void launch(std::string& spare, bool more_to_launch);

    // After launch(): registers the pipes and the leader's pidfd, arms the
    // timeout and acts on a kill that came while the mission was starting.
    void begin(TimePoint now);

    void on_ready(std::uint64_t role, char* buf, std::size_t size);

    // Acts on a pending kill request while the leader lives: TERM to the
    // group now, KILL after the grace if it is still alive then.
    void act_on_kill(TimePoint now);

    // Applies every deadline that has passed; true when supervision is over
    // (the leader is gone and its streams are closed or waited for long
    // enough, mission-protocol.md's post-exit grace).
    bool step(TimePoint now);

    // The earliest moment step() has something to do, if any.
    std::optional<TimePoint> next_deadline() const;

    // After step() returned true: the classified result, outputs collected.
    Result conclude();

    // The host's lock held: the job's last fields, then the done event.
    void publish_held(Result result);

private:
    void take_snapshot();

    // The launch of each kind: work directory, capture, environment, spawn.
    void make_capture();
    Spawned spawn_regular(std::string& spare);
    Spawned spawn_exec(std::string& spare);

    // The keys collected after a success: fd 3 output_file keys for a
    // mission, the declared `out` keys for an exec.
    std::set<std::string> output_keys() const;

    bool watch(const UniqueFd& fd, std::uint64_t role);

    // Out of the epoll set first: a descriptor another spawn's child still
    // holds for an instant would otherwise stay registered after close().
    void unwatch(UniqueFd& fd);

    void request_timeout(TimePoint now);

    void try_reap();

    void on_progress(const std::optional<std::string>& value, const std::optional<std::string>& message);

    // Reads what one descriptor has (one read per readiness: a chatty
    // mission cannot starve the others); closes it at end of file.
    void pump(UniqueFd& fd, std::uint64_t which, char* buf, std::size_t size);

    // Outputs, size caps and commit (mission-protocol.md §4.4).
    void finalize(Result& r);

    MissionHost& host_;
    std::shared_ptr<Job> job_;
    int epoll_fd_;
    std::uint64_t key_;
    MissionSnapshot s_;
    std::string workdir_;
    std::unique_ptr<Capture> capture_;
    Spawned spawned_;
    UniqueFd pidfd_;
    Fd3Reader reader_;
    bool alive_ = true;
    bool have_status_ = false;
    int wait_status_ = 0;
    KillReason acted_ = KillReason::none;
    std::optional<TimePoint> kill_deadline_, timeout_deadline_, events_deadline_;
    TimePoint streams_deadline_{}, next_exit_check_{}, spawned_at_{};
    std::optional<TimePoint> armed_;  // the earliest deadline the supervisor's heap holds for us
    std::int64_t tokens_ = 0;
    TimePoint next_refill_{};
    std::int64_t dropped_ = 0;
};

}  // namespace letts::devserver
