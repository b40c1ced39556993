#include "devserver/runner.hpp"

#include <pthread.h>

#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"
#include "core/utf8.hpp"
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

// What an epoll event is about: the low bits of its data, the mission's key
// in the high bits (key 0 is the supervisor's own eventfd).
enum Role : std::uint64_t { wake_role = 0, out_role = 1, err_role = 2, events_role = 3, exit_role = 4 };
constexpr unsigned role_bits = 3;
constexpr std::uint64_t role_mask = (1u << role_bits) - 1;

struct Snapshot {
    std::string id, lane, mission, input;
    std::optional<std::int64_t> timeout_ms;
    RuntimeSnapshot runtime;
    std::vector<InputRef> inputs;
    std::vector<std::pair<std::string, std::string>> sources;  // role → staged file
};

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

Result crashed(const std::string& reason, const std::string& message) {
    Result r;
    r.outcome = "crashed";
    r.fail_reason = reason;
    r.fail_message = message;
    r.exit_code = 0;
    return r;
}

// One picked job, from launch to its classified result. Driven by the
// supervisor thread alone: it calls on_ready() for each readable
// descriptor, step() after every event and at the deadlines it announces
// through next_deadline(), and conclude() once step() said it is over.
class Mission {
public:
    Mission(Engine& engine, std::shared_ptr<Job> job, int epoll_fd, std::uint64_t key)
        : engine_(engine),
          job_(std::move(job)),
          epoll_fd_(epoll_fd),
          key_(key),
          reader_(engine.config().limits.max_event_line_size, engine.config().limits.max_output_files_per_mission,
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
    void launch(std::string& spare, bool more_to_launch) {
        const auto& cfg = engine_.config();
        const LaunchPlan plan = resolve_launch(s_.runtime, s_.mission);
        workdir_ = engine_.work_dir(s_.id);
        prepare_workdir(workdir_, s_.sources, std::exchange(spare, std::string()));
        // Creates nothing until the mission writes (capture.hpp says why).
        capture_ = std::make_unique<Capture>(engine_.output_path(s_.id, "stdout"), engine_.output_path(s_.id, "stderr"),
                                             engine_.output_path(s_.id, "combined"), cfg.limits.max_output_buffer);
        const auto env = build_environment(cfg.mission_env, EnvFacts{s_.id, s_.lane, workdir_, s_.inputs});
        UniqueFd input = write_input_file(workdir_, s_.input);
        spawned_ = spawn_mission(plan.argv, env, workdir_, input.get());
        // Give the CPU to the new process before the work below: on a busy
        // machine the child otherwise waits behind this thread. Measured
        // interleaved (bench/mission_start, load ~10 on 2 cores): p50 of
        // dispatch answered -> exec 2.2-3.3 ms without, 0.75-1.4 ms with.
        // Not within a burst of starts, where each yield would queue the
        // launcher behind every runnable task for the next launch.
        if (!more_to_launch) ::sched_yield();
        spawned_at_ = SteadyClock::now();  // the timeout runs from here
        engine_.record_spawn(*job_, spawned_.pid, now_ms());
    }

    // After launch(): registers the pipes and the leader's pidfd, arms the
    // timeout and acts on a kill that came while the mission was starting.
    void begin(TimePoint now) {
        watch(spawned_.stdout_read, out_role);
        watch(spawned_.stderr_read, err_role);
        watch(spawned_.events_read, events_role);
        pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, spawned_.pid, 0)));
        if (pidfd_ && !watch(pidfd_, exit_role)) pidfd_.reset();
        next_exit_check_ = now + no_pidfd_exit_check;
        if (s_.timeout_ms && *s_.timeout_ms > 0) timeout_deadline_ = now + milliseconds(*s_.timeout_ms);
        act_on_kill(now);
    }

    void on_ready(std::uint64_t role, char* buf, std::size_t size) {
        switch (role) {
            case out_role: pump(spawned_.stdout_read, out_role, buf, size); break;
            case err_role: pump(spawned_.stderr_read, err_role, buf, size); break;
            case events_role: pump(spawned_.events_read, events_role, buf, size); break;
            case exit_role: try_reap(); break;
            default: break;
        }
    }

    // Acts on a pending kill request while the leader lives: TERM to the
    // group now, KILL after the grace if it is still alive then.
    void act_on_kill(TimePoint now) {
        if (!alive_ || acted_ != KillReason::none) return;
        KillReason requested;
        {
            std::lock_guard lock(engine_.mu);
            requested = job_->kill_requested;
        }
        if (requested == KillReason::none) return;
        acted_ = requested;
        ::kill(-spawned_.pid, SIGTERM);
        kill_deadline_ = now + to_ms(engine_.config().limits.default_kill_grace);
    }

    // Applies every deadline that has passed; true when supervision is over
    // (the leader is gone and its streams are closed or waited for long
    // enough, mission-protocol.md's post-exit grace).
    bool step(TimePoint now) {
        const auto& limits = engine_.config().limits;
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

    // The earliest moment step() has something to do, if any.
    std::optional<TimePoint> next_deadline() const {
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

    // After step() returned true: the classified result, outputs collected.
    Result conclude() {
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
        Result r = classify(o);
        r.progress_dropped = dropped_;
        finalize(r);
        return r;
    }

    // engine.mu held: the job's last fields, then the done event.
    void publish_locked(Result result) {
        if (capture_) {
            job_->truncated_stdout = capture_->truncated(Stream::out);
            job_->truncated_stderr = capture_->truncated(Stream::err);
        }
        engine_.finish_locked(*job_, std::move(result));
    }

private:
    void take_snapshot() {
        std::lock_guard lock(engine_.mu);
        s_.id = job_->id;
        s_.lane = job_->lane;
        s_.mission = job_->mission_name;
        s_.input = job_->input;
        s_.timeout_ms = job_->timeout_ms;
        s_.runtime = job_->runtime;
        s_.inputs = job_->inputs;
        for (const auto& in : job_->inputs) s_.sources.emplace_back(in.role, engine_.staging_path(in.staging_id));
    }

    bool watch(const UniqueFd& fd, std::uint64_t role) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = (key_ << role_bits) | role;
        return ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd.get(), &ev) == 0;
    }

    // Out of the epoll set first: a descriptor another spawn's child still
    // holds for an instant would otherwise stay registered after close().
    void unwatch(UniqueFd& fd) {
        if (!fd) return;
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd.get(), nullptr);
        fd.reset();
    }

    void request_timeout(TimePoint now) {
        {
            std::lock_guard lock(engine_.mu);
            if (job_->kill_requested == KillReason::none) job_->kill_requested = KillReason::timeout;
        }
        timeout_deadline_.reset();
        act_on_kill(now);
    }

    void try_reap() {
        if (!alive_) return;
        const int rc = ::waitpid(spawned_.pid, &wait_status_, WNOHANG);
        if (rc == 0 || (rc < 0 && errno == EINTR)) return;
        // rc < 0: somebody else (a host process waiting for any child)
        // took the status; the leader is gone all the same.
        have_status_ = rc == spawned_.pid;
        alive_ = false;
        unwatch(pidfd_);  // stays readable forever: level-triggered epoll would spin
        streams_deadline_ = SteadyClock::now() + to_ms(engine_.config().limits.reader_post_exit_grace);
        std::lock_guard lock(engine_.mu);
        job_->leader_exited = true;
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
        if (!engine_.append_progress(*job_, value, message)) ++dropped_;
    }

    // Reads what one descriptor has (one read per readiness: a chatty
    // mission cannot starve the others); closes it at end of file.
    void pump(UniqueFd& fd, std::uint64_t which, char* buf, std::size_t size) {
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
            engine_.notify_output(*job_);
        }
    }

    // Outputs, size caps and commit (mission-protocol.md §4.4).
    void finalize(Result& r) {
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
        if (r.outcome == "success" && !reader_.output_keys().empty() && engine_.over_data_dir_quota(milliseconds(0))) {
            // The soft cap of max_data_dir_size covers outputs too: none is
            // collected into a data_dir already over it.
            fail("disk_quota_exceeded", "data_dir_quota_exceeded: data_dir holds more than max_data_dir_size (" +
                                            std::to_string(quota) + " bytes)");
        } else if (r.outcome == "success" && !reader_.output_keys().empty()) {
            try {
                collected = collect_outputs(workdir_, reader_.output_keys(), limits.max_output_file_size,
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
    std::shared_ptr<Job> job_;
    int epoll_fd_;
    std::uint64_t key_;
    Snapshot s_;
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

// Launcher threads: a launch is ~1 ms of blocking file-system work
// (more on a loaded machine), so a burst of 1000 starts on one thread took
// seconds; a few threads overlap that work and keep it off the thread that
// pumps the running missions. Fixed, whatever the number of missions.
constexpr int launcher_count = 4;

// Milliseconds for epoll_wait until `deadline`, rounded up so that a wake
// never comes before it (an early wake would only loop, but pointlessly).
int wait_ms(TimePoint now, TimePoint deadline) {
    if (deadline <= now) return 0;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - now).count();
    const auto ms = (ns + 999'999) / 1'000'000;
    return static_cast<int>(ms > 60000 ? 60000 : ms);
}

}  // namespace

struct MissionSupervisor::State {
    // The supervisor thread's alone:
    UniqueFd epoll;
    std::map<std::uint64_t, std::unique_ptr<Mission>> missions;
    std::unordered_map<const Job*, std::uint64_t> by_job;
    using Entry = std::pair<TimePoint, std::uint64_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> deadlines;
    std::array<char, 64 * 1024> buffer{};
    // Guarded by engine.mu: launcher → supervisor hand-off.
    std::uint64_t next_key = 1;
    std::vector<std::unique_ptr<Mission>> launched;
};

MissionSupervisor::MissionSupervisor(Engine& engine) : engine_(engine), state_(std::make_unique<State>()) {
    state_->epoll.reset(::epoll_create1(EPOLL_CLOEXEC));
    if (!state_->epoll) throw Error(Status::io, std::string("epoll_create1: ") + std::strerror(errno));
    wake_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!wake_) throw Error(Status::io, std::string("eventfd: ") + std::strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = wake_role;
    if (::epoll_ctl(state_->epoll.get(), EPOLL_CTL_ADD, wake_.get(), &ev) != 0)
        throw Error(Status::io, std::string("epoll_ctl: ") + std::strerror(errno));
    // Named, because they are made by whichever thread picked the first
    // job (an HTTP pool thread) and would otherwise carry its name.
    thread_ = std::thread([this] {
        ::pthread_setname_np(::pthread_self(), "ds-supervisor");
        loop();
    });
    for (int i = 0; i < launcher_count; ++i)
        launchers_.emplace_back([this] {
            ::pthread_setname_np(::pthread_self(), "ds-launcher");
            launcher();
        });
}

MissionSupervisor::~MissionSupervisor() {
    {
        std::lock_guard lock(engine_.mu);
        stopping_ = true;
        launch_cv_.notify_all();  // under the lock, as everywhere else (helgrind)
    }
    for (auto& t : launchers_) t.join();
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_.get(), &one, sizeof one);
    thread_.join();
}

void MissionSupervisor::start_locked(const std::shared_ptr<Job>& job) {
    pending_.push_back(job);
    ++active_;
    launch_cv_.notify_one();
}

void MissionSupervisor::launcher() {
    // A work directory skeleton made after this launcher's previous spawn,
    // renamed into place by its next launch (empty when none is ready).
    std::string spare;
    std::unique_lock lock(engine_.mu);
    while (true) {
        launch_cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
        if (pending_.empty()) break;  // stopping
        const std::shared_ptr<Job> job = std::move(pending_.front());
        pending_.pop_front();
        const bool more_to_launch = !pending_.empty();
        const std::uint64_t key = state_->next_key++;
        lock.unlock();

        auto m = std::make_unique<Mission>(engine_, job, state_->epoll.get(), key);
        std::optional<Result> failed;
        try {
            m->launch(spare, more_to_launch);
        } catch (const LaunchFailure& f) {
            failed = crashed(f.reason(), f.what());
        } catch (const std::exception& e) {
            // Nothing else is expected (allocation failures): the job
            // still gets its done event rather than the server a crash.
            failed = crashed("spawn_failed", e.what());
        }
        if (!failed && spare.empty()) {
            // After the spawn, so the mission need not wait for it.
            std::string path = engine_.config().data_dir + "/work/.spare-" + uuidv7::generate();
            try {
                make_workdir_skeleton(path);
                spare = std::move(path);
            } catch (const LaunchFailure&) {
                // No spare: the next launch makes its directories itself.
            }
        }
        lock.lock();
        if (failed) {
            m->publish_locked(std::move(*failed));
            --active_;
            continue;
        }
        state_->launched.push_back(std::move(m));
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake_.get(), &one, sizeof one);
    }
    lock.unlock();
    if (!spare.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(spare, ec);
    }
}

void MissionSupervisor::kill_requested_locked(Job& job) {
    kills_.push_back(&job);
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_.get(), &one, sizeof one);
}

void MissionSupervisor::loop() {
    State& st = *state_;
    // After any event of a mission: apply its deadlines, finish it or
    // (re)arm the heap with its next deadline.
    auto settle = [&](std::uint64_t key, TimePoint now) {
        auto it = st.missions.find(key);
        if (it == st.missions.end()) return;
        Mission& m = *it->second;
        if (!m.step(now)) {
            const auto next = m.next_deadline();
            if (next && (!m.armed() || *next < *m.armed())) {
                st.deadlines.emplace(*next, key);
                m.armed() = next;
            }
            return;
        }
        std::unique_ptr<Mission> done = std::move(it->second);
        st.missions.erase(it);
        st.by_job.erase(&done->job());
        Result r = done->conclude();
        // Reaped above, or left to the orphan reaper.
        Children::instance().release_leader(done->pid());
        std::lock_guard lock(engine_.mu);
        done->publish_locked(std::move(r));
        --active_;
    };
    // A mission a launcher has spawned joins the epoll set.
    auto adopt = [&](std::unique_ptr<Mission> m) {
        const std::uint64_t key = m->key();
        const auto spawned = m->spawned_at();
        m->begin(spawned);
        st.by_job.emplace(&m->job(), key);
        st.missions.emplace(key, std::move(m));
        settle(key, spawned);
    };

    std::array<epoll_event, 256> events{};
    bool stop = false;
    while (true) {
        int timeout = -1;
        if (!st.deadlines.empty()) timeout = wait_ms(SteadyClock::now(), st.deadlines.top().first);
        const int n = ::epoll_wait(st.epoll.get(), events.data(), static_cast<int>(events.size()), timeout);
        bool woken = false;
        for (int i = 0; i < n; ++i) {
            const std::uint64_t data = events[static_cast<std::size_t>(i)].data.u64;
            if (data == wake_role) {
                woken = true;
                continue;
            }
            const std::uint64_t key = data >> role_bits;
            auto it = st.missions.find(key);
            if (it == st.missions.end()) continue;  // finished earlier in this batch
            it->second->on_ready(data & role_mask, st.buffer.data(), st.buffer.size());
            settle(key, SteadyClock::now());
        }
        if (woken) {
            std::uint64_t count;
            [[maybe_unused]] auto r = ::read(wake_.get(), &count, sizeof count);
            std::vector<std::unique_ptr<Mission>> launched;
            std::vector<Job*> kills;
            {
                std::lock_guard lock(engine_.mu);
                launched.swap(st.launched);
                kills.swap(kills_);
                stop = stopping_;
            }
            for (auto& m : launched) adopt(std::move(m));
            // A kill for a mission still being launched is seen by its
            // begin(); one for a finished mission finds nothing here.
            for (const Job* job : kills) {
                auto it = st.by_job.find(job);
                if (it == st.by_job.end()) continue;
                const auto now = SteadyClock::now();
                st.missions.at(it->second)->act_on_kill(now);
                settle(it->second, now);
            }
        }
        const auto now = SteadyClock::now();
        while (!st.deadlines.empty() && st.deadlines.top().first <= now) {
            const auto [when, key] = st.deadlines.top();
            st.deadlines.pop();
            auto it = st.missions.find(key);
            if (it == st.missions.end()) continue;
            if (it->second->armed() == when) it->second->armed().reset();
            settle(key, now);
        }
        // The engine stops us only once idle; the check stays robust anyway.
        if (stop && st.missions.empty()) {
            std::lock_guard lock(engine_.mu);
            if (pending_.empty() && st.launched.empty()) return;
        }
    }
}

}  // namespace letts::devserver
