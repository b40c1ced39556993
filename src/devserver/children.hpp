// The devserver's child processes, told apart: mission leaders (spawned
// here, each waited for by its runner) and everything else a process-wide
// child subreaper inherits — descendants of missions orphaned when their
// parent died, including those that left the mission's process group with
// setsid(). The binary (main.cpp) is such a subreaper and reaps those
// adopted orphans as they exit and kills them at stop; an embedded server
// does not make its host process a subreaper and never waits for a child
// it did not spawn, because the host may have children of its own.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <set>

namespace letts::devserver {

class Children {
public:
    static Children& instance();

    // Runs `spawn` (which returns the new pid, or throws) with the
    // registry locked and records the pid as a mission leader, so that the
    // reaper never sees it unrecorded.
    int spawn_leader(const std::function<int()>& spawn);
    // The leader's runner is done with it (it has waited for it, or gave
    // up: the reaper then collects it like any other child).
    void release_leader(int pid);

    // Waits for every exited child that is not a recorded leader. Returns
    // how many were reaped. Only a subreaper should call this.
    int reap_adopted();
    // Kills every child that is not a recorded leader and reaps it, again
    // and again (killing one re-parents its own children to us), until
    // none is left or `limit` has passed. True if none is left.
    bool kill_adopted(std::chrono::milliseconds limit);

private:
    std::mutex mu_;
    std::set<int> leaders_;
};

}  // namespace letts::devserver
