#include "devserver/apply.hpp"

#include "devserver/clock.hpp"
#include "core/names.hpp"

namespace letts::devserver {

namespace {

// The lanes to run: the requested ones with their pause provenance (a
// pause by `ctl` survives an apply that does not pause), plus the kept
// ones unless pruning.
std::map<std::string, AppliedLane> merge_lanes(const AppliedState& prev, const AppliedState& desired, bool prune) {
    std::map<std::string, AppliedLane> lanes;
    if (!prune) lanes = prev.lanes;
    for (auto [name, lane] : desired.lanes) {
        const auto old = prev.lanes.find(name);
        const bool ctl = old != prev.lanes.end() && old->second.paused &&
                         (old->second.paused_by == "ctl" || old->second.paused_by.empty());
        if (lane.paused) lane.paused_by = ctl ? "ctl" : "yaml";
        else if (ctl) lane.paused = true, lane.paused_by = "ctl";
        else lane.paused_by.clear();
        lanes[name] = lane;
    }
    return lanes;
}

// What changes from `prev` to `desired` (the answer's report).
void diff_states(const AppliedState& prev, const AppliedState& desired, ApplyOutcome& out) {
    out.mission_dir_changed = desired.mission_dir != prev.mission_dir;
    out.labels_changed = desired.labels != prev.labels;
    out.runtime_changed = desired.mission_path_template != prev.mission_path_template ||
                          desired.command_template != prev.command_template ||
                          desired.validate_mission_file != prev.validate_mission_file;
    for (const auto& [name, lane] : desired.lanes) {
        auto old = prev.lanes.find(name);
        if (old == prev.lanes.end()) out.added.push_back(name);
        else if (old->second.concurrency != lane.concurrency || old->second.paused != lane.paused)
            out.resized_diff.push_back(name);
    }
    for (const auto& [name, lane] : prev.lanes)
        if (!desired.lanes.count(name)) out.removed.push_back(name);
}

}  // namespace

ApplyOutcome apply_locked(Engine& engine, AppliedState desired, ApplyFlags flags) {
    ApplyOutcome out;
    if (flags.force_prune) flags.prune = true;
    for (const auto& [name, lane] : desired.lanes) {
        if (!names::is_lane_name(name)) {
            out.kind = ApplyOutcome::Kind::invalid_lane;
            out.bad_lane = name;
            return out;
        }
    }
    const AppliedState prev = engine.applied_locked().value_or(AppliedState{});
    desired.lanes = merge_lanes(prev, desired, flags.prune);
    diff_states(prev, desired, out);

    if ((out.mission_dir_changed || out.runtime_changed) && !flags.force &&
        engine.active_count_locked(nullptr, nullptr) > 0) {
        out.kind = ApplyOutcome::Kind::runtime_conflict;
        return out;
    }
    if (!flags.force_prune) {
        for (const auto& name : out.removed)
            if (engine.active_count_locked(&name, nullptr) > 0) out.blocked_lanes.push_back(name);
        if (!out.blocked_lanes.empty()) {
            out.kind = ApplyOutcome::Kind::lanes_conflict;
            return out;
        }
    }
    out.resized_runner = engine.install_locked(std::move(desired), out.removed);
    return out;
}

bool set_lane_paused_locked(Engine& engine, const std::string& lane, bool paused) {
    return engine.set_lane_paused_locked(lane, paused);
}

}  // namespace letts::devserver
