#include "devserver/runner.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>

#include "core/error.hpp"
#include "core/uuidv7.hpp"
#include "devserver/capture.hpp"
#include "devserver/children.hpp"
#include "devserver/clock.hpp"
#include "devserver/collect.hpp"
#include "devserver/engine.hpp"
#include "devserver/fd3_reader.hpp"
#include "devserver/launch.hpp"
#include "devserver/outcome.hpp"

namespace letts::devserver {
namespace {

using std::chrono::milliseconds;
using TimePoint = SteadyClock::time_point;

struct Snapshot {
    std::string id, lane, mission, input;
    std::optional<std::int64_t> timeout_ms;
    RuntimeSnapshot runtime;
    std::vector<InputRef> inputs;
    std::vector<std::pair<std::string, std::string>> sources;  // role → staged file
};

milliseconds to_ms(Nanos ns) { return milliseconds(ns / 1'000'000); }

// How often a supervisor without a pidfd (kernels before 5.3, valgrind,
// seccomp policies that refuse pidfd_open) checks whether its leader exited.
constexpr milliseconds no_pidfd_exit_check{20};

int poll_timeout(TimePoint now, std::initializer_list<std::optional<TimePoint>> deadlines) {
    std::optional<TimePoint> first;
    for (const auto& d : deadlines)
        if (d && (!first || *d < *first)) first = d;
    if (!first) return -1;
    if (*first <= now) return 0;
    const auto ms = std::chrono::duration_cast<milliseconds>(*first - now).count() + 1;
    return static_cast<int>(ms > 60000 ? 60000 : ms);
}

// Cuts a fail_message to the cap, keeping valid UTF-8 and the marker.
std::string cap_message(const std::string& msg, std::int64_t max) {
    if (max <= 0 || static_cast<std::int64_t>(msg.size()) <= max) return msg;
    const std::string suffix = "\xE2\x80\xA6[truncated]";  // "…[truncated]"
    const std::int64_t room = max - static_cast<std::int64_t>(suffix.size());
    return clip_utf8(msg, room > 0 ? static_cast<std::size_t>(room) : 0) + suffix;
}

class Supervisor {
public:
    Supervisor(Engine& engine, const std::shared_ptr<Job>& job) : engine_(engine), job_(*job), keep_(job) {}

    void run() {
        take_snapshot();
        wake_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        {
            std::lock_guard lock(engine_.mu);
            job_.wake_fd = wake_.get();
        }
        std::optional<Result> result;
        try {
            launch();
        } catch (const LaunchFailure& f) {
            result = crashed(f.reason(), f.what());
        }
        if (!result) {
            result = supervise();
            // Reaped by supervise(), or left to the orphan reaper.
            Children::instance().release_leader(spawned_.pid);
        }
        std::lock_guard lock(engine_.mu);
        job_.wake_fd = -1;
        if (capture_) {
            job_.truncated_stdout = capture_->truncated(Stream::out);
            job_.truncated_stderr = capture_->truncated(Stream::err);
        }
        engine_.finish_locked(job_, std::move(*result));
    }

private:
    void take_snapshot() {
        std::lock_guard lock(engine_.mu);
        s_.id = job_.id;
        s_.lane = job_.lane;
        s_.mission = job_.mission_name;
        s_.input = job_.input;
        s_.timeout_ms = job_.timeout_ms;
        s_.runtime = job_.runtime;
        s_.inputs = job_.inputs;
        for (const auto& in : job_.inputs) s_.sources.emplace_back(in.role, engine_.staging_path(in.staging_id));
    }

    static Result crashed(const std::string& reason, const std::string& message) {
        Result r;
        r.outcome = "crashed";
        r.fail_reason = reason;
        r.fail_message = message;
        r.exit_code = 0;
        return r;
    }

    void launch() {
        const auto& cfg = engine_.config();
        const LaunchPlan plan = resolve_launch(s_.runtime, s_.mission);
        workdir_ = engine_.work_dir(s_.id);
        prepare_workdir(workdir_, s_.sources);
        try {
            capture_ = std::make_unique<Capture>(engine_.output_path(s_.id, "stdout"),
                                                 engine_.output_path(s_.id, "stderr"),
                                                 engine_.output_path(s_.id, "combined"),
                                                 cfg.limits.max_output_buffer);
        } catch (const Error& e) {
            throw LaunchFailure(e.error_code() == "ENOSPC" ? "disk_quota_exceeded" : "spawn_failed", e.message());
        }
        const auto env = build_environment(cfg.mission_env, EnvFacts{s_.id, s_.lane, workdir_, s_.inputs});
        UniqueFd input = write_input_file(workdir_, s_.input);
        spawned_ = spawn_mission(plan.argv, env, workdir_, input.get());
        engine_.record_spawn(job_, spawned_.pid, now_ms());
    }

    // Acts on a pending kill request while the leader lives: TERM to the
    // group now, KILL after the grace if it is still alive then.
    void act_on_kill(TimePoint now) {
        if (!alive_ || acted_ != KillReason::none) return;
        KillReason requested;
        {
            std::lock_guard lock(engine_.mu);
            requested = job_.kill_requested;
        }
        if (requested == KillReason::none) return;
        acted_ = requested;
        ::kill(-spawned_.pid, SIGTERM);
        kill_deadline_ = now + to_ms(engine_.config().limits.default_kill_grace);
    }

    void request_timeout(TimePoint now) {
        {
            std::lock_guard lock(engine_.mu);
            if (job_.kill_requested == KillReason::none) job_.kill_requested = KillReason::timeout;
        }
        timeout_deadline_.reset();
        act_on_kill(now);
    }

    void on_progress(const std::optional<std::string>& value, const std::optional<std::string>& message) {
        const auto rate = engine_.config().limits.max_progress_rate;
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
        if (!engine_.append_progress(job_, value, message)) ++dropped_;
    }

    // Reads what one descriptor has; false at end of file or on error.
    bool pump(UniqueFd& fd, int which, Fd3Reader& reader) {
        char buf[64 * 1024];
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
        if (n <= 0) {
            if (which == 3) reader.finish();
            fd.reset();
            return false;
        }
        const std::string_view chunk(buf, static_cast<std::size_t>(n));
        if (which == 3) {
            reader.feed(chunk);
        } else {
            capture_->write(which == 1 ? Stream::out : Stream::err, chunk, now_ms());
            engine_.notify_output(job_);
        }
        return true;
    }

    Result supervise() {
        const auto& limits = engine_.config().limits;
        Fd3Reader reader(limits.max_event_line_size, limits.max_output_files_per_mission,
                         [this](const auto& v, const auto& m) { on_progress(v, m); });
        UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, spawned_.pid, 0)));
        const auto start = SteadyClock::now();
        if (s_.timeout_ms && *s_.timeout_ms > 0) timeout_deadline_ = start + milliseconds(*s_.timeout_ms);
        int wait_status = 0;
        bool have_status = false;
        act_on_kill(start);

        std::optional<TimePoint> streams_deadline, events_deadline;
        while (true) {
            const auto now = SteadyClock::now();
            if (alive_ && timeout_deadline_ && now >= *timeout_deadline_) request_timeout(now);
            if (alive_ && kill_deadline_ && now >= *kill_deadline_) {
                ::kill(-spawned_.pid, SIGKILL);
                kill_deadline_.reset();
            }
            if (!alive_) {
                // After the leader: bounded waits for stdout/stderr, then fd 3.
                const bool streams_open = spawned_.stdout_read || spawned_.stderr_read;
                if (streams_open && now >= *streams_deadline) {
                    spawned_.stdout_read.reset();
                    spawned_.stderr_read.reset();
                }
                if (!spawned_.stdout_read && !spawned_.stderr_read) {
                    if (!events_deadline) events_deadline = now + to_ms(limits.reader_post_exit_grace);
                    if (!spawned_.events_read || now >= *events_deadline) break;
                }
            }
            std::vector<pollfd> fds;
            std::vector<int> roles;
            auto add = [&](int fd, int role) {
                if (fd >= 0) {
                    fds.push_back(pollfd{fd, POLLIN, 0});
                    roles.push_back(role);
                }
            };
            add(spawned_.stdout_read.get(), 1);
            add(spawned_.stderr_read.get(), 2);
            add(spawned_.events_read.get(), 3);
            add(wake_.get(), 4);
            if (alive_) add(pidfd.get(), 5);
            // Without a pidfd nothing becomes readable when the leader exits
            // (its pipes may close first, or stay open in its descendants), so
            // the fallback below must be re-run on a short period; with one,
            // poll() alone wakes us.
            std::optional<TimePoint> exit_check;
            if (alive_ && !pidfd) exit_check = now + no_pidfd_exit_check;
            const int timeout = poll_timeout(now, {alive_ ? timeout_deadline_ : std::nullopt,
                                                   alive_ ? kill_deadline_ : std::nullopt,
                                                   alive_ ? std::nullopt : streams_deadline,
                                                   events_deadline, exit_check});
            const int rc = ::poll(fds.data(), fds.size(), timeout);
            if (rc < 0 && errno != EINTR) break;
            for (std::size_t i = 0; rc > 0 && i < fds.size(); ++i) {
                if (fds[i].revents == 0) continue;
                switch (roles[i]) {
                    case 1: pump(spawned_.stdout_read, 1, reader); break;
                    case 2: pump(spawned_.stderr_read, 2, reader); break;
                    case 3: pump(spawned_.events_read, 3, reader); break;
                    case 4: {
                        std::uint64_t v;
                        [[maybe_unused]] auto n = ::read(wake_.get(), &v, sizeof v);
                        act_on_kill(SteadyClock::now());
                        break;
                    }
                    case 5:
                        if (::waitpid(spawned_.pid, &wait_status, WNOHANG) == spawned_.pid) {
                            have_status = true;
                            alive_ = false;
                            streams_deadline = SteadyClock::now() + to_ms(limits.reader_post_exit_grace);
                            std::lock_guard lock(engine_.mu);
                            job_.leader_exited = true;
                        }
                        break;
                    default: break;
                }
            }
            if (alive_ && !pidfd) {
                // No pidfd: fall back to asking for the child's status.
                if (::waitpid(spawned_.pid, &wait_status, WNOHANG) == spawned_.pid) {
                    have_status = true;
                    alive_ = false;
                    streams_deadline = SteadyClock::now() + to_ms(limits.reader_post_exit_grace);
                    std::lock_guard lock(engine_.mu);
                    job_.leader_exited = true;
                }
            }
        }
        spawned_.stdout_read.reset();
        spawned_.stderr_read.reset();
        spawned_.events_read.reset();

        if (!have_status) {
            Result r = crashed("no_process_state", "cmd.Wait returned without ProcessState");
            r.exit_code = -1;
            r.started = true;
            return r;
        }
        Observed o;
        o.kill = acted_;
        o.oom_line = capture_->oom_line();
        if (WIFEXITED(wait_status)) {
            o.exit_code = WEXITSTATUS(wait_status);
        } else if (WIFSIGNALED(wait_status)) {
            o.exit_code = -1;
            o.signal = WTERMSIG(wait_status);
        } else {
            o.exit_code = -1;
        }
        o.terminal = &reader.terminal();
        o.violations = &reader.violations();
        o.timeout_ms = s_.timeout_ms;
        o.lane = s_.lane;
        Result r = classify(o);
        r.progress_dropped = dropped_;
        finalize(r, reader);
        return r;
    }

    // Outputs, size caps and commit (mission-protocol.md §4.4).
    void finalize(Result& r, const Fd3Reader& reader) {
        const auto& limits = engine_.config().limits;
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
        if (r.outcome == "success" && !reader.output_keys().empty() && engine_.over_data_dir_quota(milliseconds(0))) {
            // The soft cap of max_data_dir_size covers outputs too: none is
            // collected into a data_dir already over it.
            fail("disk_quota_exceeded", "data_dir_quota_exceeded: data_dir holds more than max_data_dir_size (" +
                                            std::to_string(quota) + " bytes)");
        } else if (r.outcome == "success" && !reader.output_keys().empty()) {
            try {
                collected = collect_outputs(workdir_, reader.output_keys(), limits.max_output_file_size,
                                            engine_.config().data_dir + "/staging");
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
        // Commit: each copy becomes a complete staging file with a new id.
        std::vector<std::pair<CollectedFile, std::string>> committed;
        for (const auto& c : collected) {
            const std::string id = uuidv7::generate();
            const std::string dest = engine_.staging_path(id);
            if (::rename(c.temp_path.c_str(), dest.c_str()) != 0) {
                const std::string err = std::strerror(errno);
                for (const auto& [done, did] : committed) ::unlink(engine_.staging_path(did).c_str());
                committed.clear();
                fail("output_commit_failed", "rename " + c.temp_path + ": " + err);
                break;
            }
            committed.emplace_back(c, id);
        }
        if (committed.empty()) return;
        std::lock_guard lock(engine_.mu);
        const auto t = now_ms();
        for (const auto& [c, id] : committed) {
            auto f = std::make_shared<StagingFile>();
            f->id = id;
            f->state = StagingState::complete;
            f->sha256 = c.sha256;
            f->size = c.size;
            f->bytes_received = c.size;
            f->time_created = t;
            f->time_updated = t;
            f->path = engine_.staging_path(id);
            engine_.staging[id] = f;
            r.outputs[c.key] = OutputRef{id, c.sha256, c.size};
        }
    }

    Engine& engine_;
    Job& job_;
    std::shared_ptr<Job> keep_;
    Snapshot s_;
    std::string workdir_;
    UniqueFd wake_;
    std::unique_ptr<Capture> capture_;
    Spawned spawned_;
    bool alive_ = true;
    KillReason acted_ = KillReason::none;
    std::optional<TimePoint> kill_deadline_, timeout_deadline_;
    std::int64_t tokens_ = 0;
    TimePoint next_refill_{};
    std::int64_t dropped_ = 0;
};

}  // namespace

void run_job(Engine& engine, const std::shared_ptr<Job>& job) { Supervisor(engine, job).run(); }

}  // namespace letts::devserver
