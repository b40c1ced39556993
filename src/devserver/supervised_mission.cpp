#include "devserver/supervised_mission.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/utf8.hpp"
#include "core/uuidv7.hpp"
#include "devserver/collect.hpp"
#include "devserver/exec_runtime.hpp"
#include "devserver/outcome.hpp"

namespace letts::devserver {
namespace {

using std::chrono::milliseconds;
using TimePoint = Mission::TimePoint;

milliseconds to_ms(Nanos ns) { return milliseconds(ns / 1'000'000); }

// How often a mission without a pidfd (kernels before 5.3, seccomp policies
// that refuse pidfd_open) is checked for its leader's exit.
constexpr milliseconds no_pidfd_exit_check{20};

// Cuts a fail_message to the cap, keeping valid UTF-8 and the marker.
std::string cap_message(const std::string& msg, std::int64_t max) {
    if (max <= 0 || static_cast<std::int64_t>(msg.size()) <= max) return msg;
    const std::string suffix = "\xE2\x80\xA6[truncated]";  // "…[truncated]"
    const std::int64_t room = max - static_cast<std::int64_t>(suffix.size());
    return utf8::clip(msg, room > 0 ? static_cast<std::size_t>(room) : 0) + suffix;
}

// Commit: each collected copy becomes a complete staging file with a new
// id, named in r.outputs. On a failed rename the files moved already are
// removed, nothing is recorded, and the error is returned.
std::optional<std::string> commit_outputs(StagingStore& store, const std::vector<CollectedFile>& collected, Result& r) {
    std::vector<std::pair<const CollectedFile*, std::string>> committed;
    for (const auto& c : collected) {
        const std::string id = uuidv7::generate();
        if (::rename(c.temp_path.c_str(), store.path_of(id).c_str()) != 0) {
            const std::string err = std::strerror(errno);
            for (const auto& [done, did] : committed) ::unlink(store.path_of(did).c_str());
            return "rename " + c.temp_path + ": " + err;
        }
        committed.emplace_back(&c, id);
    }
    if (committed.empty()) return std::nullopt;
    std::vector<CommittedOutput> rows;
    for (const auto& [c, id] : committed) {
        rows.push_back(CommittedOutput{id, c->sha256, c->size});
        r.outputs[c->key] = OutputRef{id, c->sha256, c->size};
    }
    store.add_complete(rows, now_ms());
    return std::nullopt;
}

}  // namespace

Result crashed(const std::string& reason, const std::string& message) {
    Result r;
    r.outcome = "crashed";
    r.fail_reason = reason;
    r.fail_message = message;
    r.exit_code = 0;
    return r;
}

void Mission::make_capture() {
    // Creates nothing until the process writes (capture.hpp says why).
    capture_ = std::make_unique<Capture>(host_.output_path(s_.id, "stdout"), host_.output_path(s_.id, "stderr"),
                                         host_.output_path(s_.id, "combined"),
                                         host_.config().limits.max_output_buffer);
}

Spawned Mission::spawn_regular(std::string& spare) {
    const LaunchPlan plan = resolve_launch(s_.runtime, s_.mission);
    prepare_workdir(workdir_, s_.sources, std::exchange(spare, std::string()));
    make_capture();
    const auto env = build_environment(host_.config().mission_env, EnvFacts{s_.id, s_.lane, workdir_, s_.inputs});
    UniqueFd input = write_input_file(workdir_, s_.input);
    return spawn_mission(plan.argv, env, workdir_, input.get());
}

Spawned Mission::spawn_exec(std::string& spare) {
    const std::string stdin_path = prepare_exec_workdir(workdir_, s_.exec_sources, std::exchange(spare, std::string()));
    make_capture();
    const auto env = build_exec_environment(s_.id, s_.lane, workdir_, *s_.exec, s_.inputs);
    UniqueFd in(::open(stdin_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in) throw LaunchFailure("spawn_failed", "open stdin " + stdin_path + ": " + std::strerror(errno));
    return spawn_mission(s_.exec->command, env, workdir_, in.get(), /*with_events=*/false);
}

void Mission::launch(std::string& spare, bool more_to_launch) {
    workdir_ = host_.work_dir(s_.id);
    spawned_ = s_.exec ? spawn_exec(spare) : spawn_regular(spare);
    // Give the CPU to the new process before the work below: on a busy
    // machine the child otherwise waits behind this thread. Measured
    // interleaved (bench/mission_start, load ~10 on 2 cores): p50 of
    // dispatch answered -> exec 2.2-3.3 ms without, 0.75-1.4 ms with.
    // Not within a burst of starts, where each yield would queue the
    // launcher behind every runnable task for the next launch.
    if (!more_to_launch) ::sched_yield();
    spawned_at_ = SteadyClock::now();  // the timeout runs from here
    host_.record_spawn(*job_, spawned_.pid, now_ms());
}

void Mission::begin(TimePoint now) {
    watch(spawned_.stdout_read, out_role);
    watch(spawned_.stderr_read, err_role);
    if (spawned_.events_read) watch(spawned_.events_read, events_role);  // an exec has no fd 3
    pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, spawned_.pid, 0)));
    if (pidfd_ && !watch(pidfd_, exit_role)) pidfd_.reset();
    next_exit_check_ = now + no_pidfd_exit_check;
    if (s_.timeout_ms && *s_.timeout_ms > 0) timeout_deadline_ = now + milliseconds(*s_.timeout_ms);
    // `now` is the spawn time (the timeout runs from there), but a kill that
    // came while the mission waited to be adopted is sent only now: its grace
    // runs from the TERM, or a slow hand-off would eat into it (on a loaded
    // machine the KILL then followed the TERM at once).
    act_on_kill(SteadyClock::now());
}

void Mission::on_ready(std::uint64_t role, char* buf, std::size_t size) {
    switch (role) {
        case out_role: pump(spawned_.stdout_read, out_role, buf, size); break;
        case err_role: pump(spawned_.stderr_read, err_role, buf, size); break;
        case events_role: pump(spawned_.events_read, events_role, buf, size); break;
        case exit_role: try_reap(); break;
        default: break;
    }
}

void Mission::act_on_kill(TimePoint now) {
    if (!alive_ || acted_ != KillReason::none) return;
    KillReason requested;
    {
        MutexLock lock(host_.mutex());
        requested = job_->kill_requested;
    }
    if (requested == KillReason::none) return;
    acted_ = requested;
    ::kill(-spawned_.pid, SIGTERM);
    kill_deadline_ = now + to_ms(host_.config().limits.default_kill_grace);
}

bool Mission::step(TimePoint now) {
    const auto& limits = host_.config().limits;
    if (alive_ && timeout_deadline_ && now >= *timeout_deadline_) request_timeout(now);
    if (alive_ && kill_deadline_ && now >= *kill_deadline_) {
        ::kill(-spawned_.pid, SIGKILL);
        kill_deadline_.reset();
    }
    if (alive_ && !pidfd_ && now >= next_exit_check_) {
        // Without a pidfd nothing becomes readable when the leader exits
        // (its pipes may close first, or stay open in its descendants).
        try_reap();
        next_exit_check_ = now + no_pidfd_exit_check;
    }
    if (alive_) return false;
    if ((spawned_.stdout_read || spawned_.stderr_read) && now >= streams_deadline_) {
        unwatch(spawned_.stdout_read);
        unwatch(spawned_.stderr_read);
    }
    if (spawned_.stdout_read || spawned_.stderr_read) return false;
    if (!events_deadline_) events_deadline_ = now + to_ms(limits.reader_post_exit_grace);
    return !spawned_.events_read || now >= *events_deadline_;
}

std::optional<Mission::TimePoint> Mission::next_deadline() const {
    std::optional<TimePoint> first;
    auto consider = [&](std::optional<TimePoint> d) {
        if (d && (!first || *d < *first)) first = d;
    };
    if (alive_) {
        consider(timeout_deadline_);
        consider(kill_deadline_);
        if (!pidfd_) consider(next_exit_check_);
    } else if (spawned_.stdout_read || spawned_.stderr_read) {
        consider(streams_deadline_);
    } else {
        consider(events_deadline_);
    }
    return first;
}

Result Mission::conclude() {
    unwatch(spawned_.stdout_read);
    unwatch(spawned_.stderr_read);
    unwatch(spawned_.events_read);
    unwatch(pidfd_);
    if (!have_status_) {
        Result r = crashed("no_process_state", "cmd.Wait returned without ProcessState");
        r.exit_code = -1;
        r.started = true;
        return r;
    }
    Observed o;
    o.kill = acted_;
    o.oom_line = capture_->oom_line();
    if (WIFEXITED(wait_status_)) {
        o.exit_code = WEXITSTATUS(wait_status_);
    } else if (WIFSIGNALED(wait_status_)) {
        o.exit_code = -1;
        o.signal = WTERMSIG(wait_status_);
    } else {
        o.exit_code = -1;
    }
    o.terminal = &reader_.terminal();
    o.violations = &reader_.violations();
    o.timeout_ms = s_.timeout_ms;
    o.lane = s_.lane;
    Result r = s_.exec ? classify_exec(o) : classify(o);
    r.progress_dropped = dropped_;
    finalize(r);
    return r;
}

void Mission::publish_held(Result result) {
    if (capture_) {
        job_->truncated_stdout = capture_->truncated(Stream::out);
        job_->truncated_stderr = capture_->truncated(Stream::err);
    }
    host_.finish_held(*job_, std::move(result));
}

void Mission::take_snapshot() {
    MutexLock lock(host_.mutex());
    s_.id = job_->id;
    s_.lane = job_->lane;
    s_.mission = job_->mission_name;
    s_.input = job_->input;
    s_.timeout_ms = job_->timeout_ms;
    s_.runtime = job_->runtime;
    s_.inputs = job_->inputs;
    s_.exec = job_->exec;
    for (const auto& in : job_->inputs) {
        const std::string source = host_.staging().path_of(in.staging_id);
        if (!s_.exec)
            s_.sources.emplace_back(in.role, source);
        else if (in.role == exec_stdin_role)
            s_.exec_sources.stdin_file = source;
        else
            s_.exec_sources.in.emplace_back(in.role, source);
    }
    if (s_.exec && !s_.exec->script_staging_id.empty())
        s_.exec_sources.script = host_.staging().path_of(s_.exec->script_staging_id);
}

std::set<std::string> Mission::output_keys() const {
    if (!s_.exec) return reader_.output_keys();
    return std::set<std::string>(s_.exec->out_keys.begin(), s_.exec->out_keys.end());
}

bool Mission::watch(const UniqueFd& fd, std::uint64_t role) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = (key_ << role_bits) | role;
    return ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd.get(), &ev) == 0;
}

void Mission::unwatch(UniqueFd& fd) {
    if (!fd) return;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd.get(), nullptr);
    fd.reset();
}

void Mission::request_timeout(TimePoint now) {
    {
        MutexLock lock(host_.mutex());
        if (job_->kill_requested == KillReason::none) job_->kill_requested = KillReason::timeout;
    }
    timeout_deadline_.reset();
    act_on_kill(now);
}

void Mission::try_reap() {
    if (!alive_) return;
    const int rc = ::waitpid(spawned_.pid, &wait_status_, WNOHANG);
    if (rc == 0 || (rc < 0 && errno == EINTR)) return;
    // rc < 0: somebody else (a host process waiting for any child)
    // took the status; the leader is gone all the same.
    have_status_ = rc == spawned_.pid;
    alive_ = false;
    unwatch(pidfd_);  // stays readable forever: level-triggered epoll would spin
    streams_deadline_ = SteadyClock::now() + to_ms(host_.config().limits.reader_post_exit_grace);
    MutexLock lock(host_.mutex());
    job_->leader_exited = true;
}

void Mission::on_progress(const std::optional<std::string>& value, const std::optional<std::string>& message) {
    const auto rate = host_.config().limits.max_progress_rate;
    if (rate > 0) {
        const auto now = SteadyClock::now();
        if (now >= next_refill_) {
            tokens_ = rate;
            next_refill_ = now + std::chrono::seconds(1);
        }
        if (tokens_ == 0) {
            ++dropped_;
            return;
        }
        --tokens_;
    }
    if (!host_.append_progress(*job_, value, message)) ++dropped_;
}

void Mission::pump(UniqueFd& fd, std::uint64_t which, char* buf, std::size_t size) {
    if (!fd) return;  // closed earlier in the same batch of events
    const ssize_t n = ::read(fd.get(), buf, size);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        if (which == events_role) reader_.finish();
        unwatch(fd);
        return;
    }
    const std::string_view chunk(buf, static_cast<std::size_t>(n));
    if (which == events_role) {
        reader_.feed(chunk);
    } else {
        capture_->write(which == out_role ? Stream::out : Stream::err, chunk, now_ms());
        host_.notify_output(*job_);
    }
}

void Mission::finalize(Result& r) {
    const auto& limits = host_.config().limits;
    std::vector<CollectedFile> collected;
    auto fail = [&](std::string reason, std::string message, std::string details = {}) {
        for (const auto& c : collected) ::unlink(c.temp_path.c_str());
        collected.clear();
        r.outcome = "failed";
        r.fail_reason = std::move(reason);
        r.fail_message = std::move(message);
        r.fail_details = std::move(details);
        r.return_json.reset();
    };
    const std::int64_t quota = limits.max_data_dir_size;
    const std::set<std::string> keys = output_keys();
    if (r.outcome == "success" && !keys.empty() && host_.over_data_dir_quota(milliseconds(0))) {
        // The soft cap of max_data_dir_size covers outputs too: none is
        // collected into a data_dir already over it.
        fail("disk_quota_exceeded", "data_dir_quota_exceeded: data_dir holds more than max_data_dir_size (" +
                                        std::to_string(quota) + " bytes)");
    } else if (r.outcome == "success" && !keys.empty()) {
        try {
            collected = collect_outputs(workdir_, keys, limits.max_output_file_size,
                                        host_.config().data_dir + "/staging");
        } catch (const CollectFailure& f) {
            fail(f.reason(), f.what());
        }
    }
    if (r.return_json && limits.max_return_value_size > 0 &&
        static_cast<std::int64_t>(r.return_json->size()) > limits.max_return_value_size) {
        const auto n = std::to_string(r.return_json->size());
        const auto max = std::to_string(limits.max_return_value_size);
        fail("return_too_large",
             "success return value is " + n + " bytes, exceeds max_return_value_size (" + max +
                 " bytes); return less data or write it to an output file",
             "{\"max_return_value_size\":" + max + ",\"return_bytes\":" + n + "}");
    }
    r.fail_message = cap_message(r.fail_message, limits.max_fail_message_size);
    if (limits.max_fail_details_size > 0 &&
        static_cast<std::int64_t>(r.fail_details.size()) > limits.max_fail_details_size)
        r.fail_details = "{\"original_bytes\":" + std::to_string(r.fail_details.size()) +
                         ",\"reason\":\"fail_details_too_large\",\"truncated\":true}";
    if (auto err = commit_outputs(host_.staging(), collected, r)) fail("output_commit_failed", *err);
}

}  // namespace letts::devserver
