#include "devserver/runner.hpp"

#include <pthread.h>

#include <sys/epoll.h>
#include <sys/eventfd.h>
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
#include "core/uuidv7.hpp"
#include "devserver/children.hpp"
#include "devserver/clock.hpp"
#include "devserver/launch.hpp"
#include "devserver/mission_host.hpp"
#include "devserver/supervised_mission.hpp"

namespace letts::devserver {

namespace {

using TimePoint = Mission::TimePoint;

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

// The supervisor thread's side: the epoll set, the running missions and
// the deadline heap, touched by that thread alone (the two hand-off fields
// at the end excepted).
struct MissionSupervisor::State {
    UniqueFd epoll;
    std::map<std::uint64_t, std::unique_ptr<Mission>> missions;
    std::unordered_map<const Job*, std::uint64_t> by_job;
    using Entry = std::pair<TimePoint, std::uint64_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> deadlines;
    std::array<char, 64 * 1024> buffer{};
    // Guarded by the host's lock: launcher → supervisor hand-off.
    std::uint64_t next_key = 1;
    std::vector<std::unique_ptr<Mission>> launched;

    // After any event of a mission: applies its deadlines and (re)arms the
    // heap with its next one; returns the mission once it is over (out of
    // the set, its result still to publish).
    std::unique_ptr<Mission> settle(std::uint64_t key, TimePoint now) {
        auto it = missions.find(key);
        if (it == missions.end()) return nullptr;
        Mission& m = *it->second;
        if (!m.step(now)) {
            const auto next = m.next_deadline();
            if (next && (!m.armed() || *next < *m.armed())) {
                deadlines.emplace(*next, key);
                m.armed() = next;
            }
            return nullptr;
        }
        std::unique_ptr<Mission> done = std::move(it->second);
        missions.erase(it);
        by_job.erase(&done->job());
        return done;
    }

    // A mission a launcher has spawned joins the epoll set.
    std::unique_ptr<Mission> adopt(std::unique_ptr<Mission> m) {
        const std::uint64_t key = m->key();
        const auto spawned = m->spawned_at();
        m->begin(spawned);
        by_job.emplace(&m->job(), key);
        missions.emplace(key, std::move(m));
        return settle(key, spawned);
    }

    // Readiness of a mission's descriptor; true for the wake-up eventfd.
    bool on_event(std::uint64_t data, std::vector<std::unique_ptr<Mission>>& finished) {
        if (data == wake_role) return true;
        const std::uint64_t key = data >> role_bits;
        auto it = missions.find(key);
        if (it == missions.end()) return false;  // finished earlier in this batch
        it->second->on_ready(data & role_mask, buffer.data(), buffer.size());
        if (auto done = settle(key, SteadyClock::now())) finished.push_back(std::move(done));
        return false;
    }

    // A kill for a mission still being launched is seen by its begin();
    // one for a finished mission finds nothing here.
    std::unique_ptr<Mission> on_kill(const Job* job) {
        auto it = by_job.find(job);
        if (it == by_job.end()) return nullptr;
        const auto now = SteadyClock::now();
        missions.at(it->second)->act_on_kill(now);
        return settle(it->second, now);
    }

    // Every deadline that has passed.
    void on_deadlines(TimePoint now, std::vector<std::unique_ptr<Mission>>& finished) {
        while (!deadlines.empty() && deadlines.top().first <= now) {
            const auto [when, key] = deadlines.top();
            deadlines.pop();
            auto it = missions.find(key);
            if (it == missions.end()) continue;
            if (it->second->armed() == when) it->second->armed().reset();
            if (auto done = settle(key, now)) finished.push_back(std::move(done));
        }
    }

    int next_timeout() const {
        return deadlines.empty() ? -1 : wait_ms(SteadyClock::now(), deadlines.top().first);
    }
};

MissionSupervisor::MissionSupervisor(MissionHost& host)
    : host_(host), mu_(host.mutex()), state_(std::make_unique<State>()) {
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
        MutexLock lock(mu_);
        stopping_ = true;
        launch_cv_.notify_all();  // under the lock, as everywhere else (helgrind)
    }
    for (auto& t : launchers_) t.join();
    wake();
    thread_.join();
}

void MissionSupervisor::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_.get(), &one, sizeof one);
}

void MissionSupervisor::start_locked(const std::shared_ptr<Job>& job) {
    mu_.assert_held();  // the caller holds the host's lock, which mu_ names
    pending_.push_back(job);
    ++active_;
    launch_cv_.notify_one();
}

bool MissionSupervisor::idle_locked() const {
    mu_.assert_held();
    return active_ == 0;
}

void MissionSupervisor::kill_requested_locked(Job& job) {
    mu_.assert_held();
    kills_.push_back(&job);
    wake();
}

void MissionSupervisor::launcher() {
    // A work directory skeleton made after this launcher's previous spawn,
    // renamed into place by its next launch (empty when none is ready).
    std::string spare;
    MutexLock lock(mu_);
    while (true) {
        while (!stopping_ && pending_.empty()) launch_cv_.wait(lock.native());
        if (pending_.empty()) break;  // stopping
        const std::shared_ptr<Job> job = std::move(pending_.front());
        pending_.pop_front();
        const bool more_to_launch = !pending_.empty();
        const std::uint64_t key = state_->next_key++;
        lock.unlock();
        auto m = std::make_unique<Mission>(host_, job, state_->epoll.get(), key);
        std::optional<Result> failed = launch_one(*m, spare, more_to_launch);
        lock.lock();
        if (failed) {
            m->publish_held(std::move(*failed));
            --active_;
            continue;
        }
        state_->launched.push_back(std::move(m));
        wake();
    }
    lock.unlock();
    if (!spare.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(spare, ec);
    }
}

std::optional<Result> MissionSupervisor::launch_one(Mission& m, std::string& spare, bool more_to_launch) {
    std::optional<Result> failed;
    try {
        m.launch(spare, more_to_launch);
    } catch (const LaunchFailure& f) {
        failed = crashed(f.reason(), f.what());
    } catch (const std::exception& e) {
        // Nothing else is expected (allocation failures): the job
        // still gets its done event rather than the server a crash.
        failed = crashed("spawn_failed", e.what());
    }
    if (!failed && spare.empty()) {
        // After the spawn, so the mission need not wait for it.
        std::string path = host_.config().data_dir + "/work/.spare-" + uuidv7::generate();
        try {
            make_workdir_skeleton(path);
            spare = std::move(path);
        } catch (const LaunchFailure&) {
            // No spare: the next launch makes its directories itself.
        }
    }
    return failed;
}

void MissionSupervisor::publish(std::unique_ptr<Mission> done) {
    Result r = done->conclude();
    // Reaped above, or left to the orphan reaper.
    Children::instance().release_leader(done->pid());
    MutexLock lock(mu_);
    done->publish_held(std::move(r));
    --active_;
}

bool MissionSupervisor::take_handoffs() {
    std::uint64_t count;
    [[maybe_unused]] auto r = ::read(wake_.get(), &count, sizeof count);
    std::vector<std::unique_ptr<Mission>> launched;
    std::vector<Job*> kills;
    bool stop;
    {
        MutexLock lock(mu_);
        launched.swap(state_->launched);
        kills.swap(kills_);
        stop = stopping_;
    }
    for (auto& m : launched)
        if (auto done = state_->adopt(std::move(m))) publish(std::move(done));
    for (const Job* job : kills)
        if (auto done = state_->on_kill(job)) publish(std::move(done));
    return stop;
}

void MissionSupervisor::loop() {
    State& st = *state_;
    std::array<epoll_event, 256> events{};
    std::vector<std::unique_ptr<Mission>> finished;
    bool stop = false;
    while (true) {
        const int n = ::epoll_wait(st.epoll.get(), events.data(), static_cast<int>(events.size()), st.next_timeout());
        bool woken = false;
        for (int i = 0; i < n; ++i) {
            woken |= st.on_event(events[static_cast<std::size_t>(i)].data.u64, finished);
            for (auto& done : finished) publish(std::move(done));
            finished.clear();
        }
        if (woken) stop = take_handoffs();
        st.on_deadlines(SteadyClock::now(), finished);
        for (auto& done : finished) publish(std::move(done));
        finished.clear();
        // The engine stops us only once idle; the check stays robust anyway.
        if (stop && st.missions.empty()) {
            MutexLock lock(mu_);
            if (pending_.empty() && st.launched.empty()) return;
        }
    }
}

}  // namespace letts::devserver
