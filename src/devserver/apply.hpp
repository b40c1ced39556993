// Apply semantics (http-api.md §12.2): merge or prune lanes, pause
// provenance, the two guards, force-prune, then lane runners adjusted.
#pragma once

#include <string>
#include <vector>

#include "devserver/engine.hpp"

namespace letts::devserver {

struct ApplyFlags {
    bool force = false;
    bool prune = false;
    bool force_prune = false;
};

struct ApplyOutcome {
    enum class Kind { ok, invalid_lane, runtime_conflict, lanes_conflict } kind = Kind::ok;
    std::string bad_lane;
    std::vector<std::string> blocked_lanes;
    bool mission_dir_changed = false, labels_changed = false, runtime_changed = false;
    std::vector<std::string> added, removed, resized_diff, resized_runner;
};

// Applies `desired` to the engine; the caller holds its lock.
ApplyOutcome apply_locked(Engine& engine, AppliedState desired, ApplyFlags flags) REQUIRES(engine.mutex());

// Pause or continue a lane that has a runner; false when it has none.
bool set_lane_paused_locked(Engine& engine, const std::string& lane, bool paused) REQUIRES(engine.mutex());

}  // namespace letts::devserver
