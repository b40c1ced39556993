// The supervisor of every running mission: a small fixed pool of launcher
// threads (work directory, input.json, spawn) and ONE thread that
// multiplexes every running mission's stdout/stderr/fd 3 pipes and leader
// exit (pidfd) with epoll, enforces timeouts and kill sequences from a
// deadline heap, and publishes each classified result. A thread per mission
// cost 1000 threads for 1000 `sleep` missions; this costs five.
//
// It reports to a MissionHost (the engine) and knows nothing else of it.
// Locking: the hand-off members below are guarded by the host's lock (mu_
// names it; the host calls the *_locked members with it held); a mission
// belongs to its launcher until handed over under that lock, then to the
// supervisor thread alone. Launchers take the lock only to pick a job and
// hand over.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/thread_annotations.hpp"
#include "core/unique_fd.hpp"
#include "devserver/mission_host.hpp"

namespace letts::devserver {

class Mission;

class MissionSupervisor {
public:
    // Creates the epoll set and the wake-up eventfd, starts the threads.
    // Throws letts::Error when the kernel refuses either.
    explicit MissionSupervisor(MissionHost& host);
    // Joins the threads; the host calls it only once idle_locked() held
    // under draining, so no mission is left behind.
    ~MissionSupervisor();
    MissionSupervisor(const MissionSupervisor&) = delete;
    MissionSupervisor& operator=(const MissionSupervisor&) = delete;

    // The host's lock held: hands a picked job (status running) to the
    // supervisor; a launcher thread launches it.
    void start_locked(const std::shared_ptr<Job>& job);
    // The host's lock held: job.kill_requested was just set; the
    // supervisor acts on it.
    void kill_requested_locked(Job& job);
    // The host's lock held: no job is waiting to be launched or supervised.
    bool idle_locked() const;

    // The missions, the epoll set and the deadline heap; opaque outside
    // runner.cpp.
    struct State;

private:
    // The supervisor thread: waits for descriptors, deadlines and wake-ups.
    void loop();
    // After a wake-up: adopts launched missions and acts on kill requests;
    // true once stopping.
    bool take_handoffs() EXCLUDES(mu_);
    // Concludes a finished mission and publishes its result to the host.
    void publish(std::unique_ptr<Mission> done) EXCLUDES(mu_);
    // A launcher thread: picks jobs and launches them.
    void launcher();
    // Launches one mission; its failure as a result to publish.
    std::optional<Result> launch_one(Mission& m, std::string& spare, bool more_to_launch);
    void wake();

    MissionHost& host_;
    Mutex& mu_;      // host_.mutex()
    UniqueFd wake_;  // eventfd: a launched mission, a kill request or stop
    std::deque<std::shared_ptr<Job>> pending_ GUARDED_BY(mu_);  // picked, for a launcher
    // Only compared with supervised jobs, never dereferenced otherwise.
    std::vector<Job*> kills_ GUARDED_BY(mu_);
    std::size_t active_ GUARDED_BY(mu_) = 0;  // picked and not yet published
    bool stopping_ GUARDED_BY(mu_) = false;
    std::condition_variable launch_cv_;  // pending_ or stopping_ changed
    std::unique_ptr<State> state_;
    std::thread thread_;
    std::vector<std::thread> launchers_;
};

}  // namespace letts::devserver
