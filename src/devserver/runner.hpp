// The supervisor of every running mission: a small fixed pool of launcher
// threads (work directory, input.json, spawn) and ONE thread that
// multiplexes every running mission's stdout/stderr/fd 3 pipes and leader
// exit (pidfd) with epoll, enforces timeouts and kill sequences from a
// deadline heap, and publishes each classified result. A thread per mission
// cost 1000 threads for 1000 `sleep` missions; this costs five.
//
// Locking: the members marked "engine.mu" are guarded by the engine's one
// mutex (the engine calls in with it held); a mission belongs to its
// launcher until handed over under that mutex, then to the supervisor
// thread alone. Launchers take the mutex only to pick a job and hand over.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "core/unique_fd.hpp"

namespace letts::devserver {

class Engine;
struct Job;

class MissionSupervisor {
public:
    // Creates the epoll set and the wake-up eventfd, starts the thread.
    // Throws letts::Error when the kernel refuses either.
    explicit MissionSupervisor(Engine& engine);
    // Joins the thread; the engine calls it only once idle_locked() held
    // under draining, so no mission is left behind.
    ~MissionSupervisor();
    MissionSupervisor(const MissionSupervisor&) = delete;
    MissionSupervisor& operator=(const MissionSupervisor&) = delete;

    // engine.mu held: hands a picked job (status running) to the
    // supervisor; a launcher thread launches it.
    void start_locked(const std::shared_ptr<Job>& job);
    // engine.mu held: job.kill_requested was just set (Engine::kill_locked
    // through wake_runner_locked); the supervisor acts on it.
    void kill_requested_locked(Job& job);
    // engine.mu held: no job is waiting to be launched or supervised.
    bool idle_locked() const noexcept { return active_ == 0; }

    // The missions, the epoll set and the deadline heap (runner.cpp says
    // which part is guarded by engine.mu); opaque outside runner.cpp.
    struct State;

private:
    void loop();
    void launcher();

    Engine& engine_;
    UniqueFd wake_;  // eventfd: a launched mission, a kill request or stop
    // engine.mu:
    std::deque<std::shared_ptr<Job>> pending_;  // picked, for a launcher
    std::vector<Job*> kills_;  // only compared with supervised jobs, never dereferenced otherwise
    std::size_t active_ = 0;  // picked and not yet published
    bool stopping_ = false;
    std::condition_variable launch_cv_;  // pending_ or stopping_ changed
    std::unique_ptr<State> state_;
    std::thread thread_;
    std::vector<std::thread> launchers_;
};

}  // namespace letts::devserver
