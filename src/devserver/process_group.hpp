// What is left of a mission's process group once its leader is gone.
//
// The runner reaps only the leader; descendants that stayed in the group
// are not our children, so waitpid cannot tell when they are gone. Linux
// exposes every process's group in /proc, which is how the devserver keeps
// its promise that nothing it started outlives stop().
#pragma once

#include <chrono>
#include <vector>

namespace letts::devserver {

// True while some process of group `pgid` exists and is not a zombie.
bool group_has_live_members(int pgid);

// Sends SIGKILL to every group, then waits until none has a live member or
// `limit` has passed. Returns true if all groups are empty.
bool kill_groups_and_wait(const std::vector<int>& pgids, std::chrono::milliseconds limit);

}  // namespace letts::devserver
