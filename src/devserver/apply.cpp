#include "devserver/apply.hpp"

#include "devserver/clock.hpp"
#include "core/names.hpp"

namespace letts::devserver {

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
    const AppliedState prev = engine.applied.value_or(AppliedState{});

    // Lanes: requested ones with pause provenance, plus kept ones unless pruning.
    std::map<std::string, AppliedLane> lanes;
    if (!flags.prune) lanes = prev.lanes;
    for (auto [name, lane] : desired.lanes) {
        const auto old = prev.lanes.find(name);
        const bool ctl = old != prev.lanes.end() && old->second.paused &&
                         (old->second.paused_by == "ctl" || old->second.paused_by.empty());
        if (lane.paused) lane.paused_by = ctl ? "ctl" : "yaml";
        else if (ctl) lane.paused = true, lane.paused_by = "ctl";
        else lane.paused_by.clear();
        lanes[name] = lane;
    }
    desired.lanes = lanes;

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
    // Force-prune: queued jobs end now, running ones are signalled.
    for (const auto& name : out.removed) {
        auto it = engine.lanes.find(name);
        if (it == engine.lanes.end()) continue;
        it->second.removing = true;
        std::vector<std::shared_ptr<Job>> affected;
        for (auto& [id, job] : engine.jobs)
            if (job->lane == name && (job->status == JobStatus::queued || job->status == JobStatus::running))
                affected.push_back(job);
        for (auto& job : affected) engine.kill_locked(*job, KillReason::lane_removed);
        engine.lanes.erase(name);
    }
    for (const auto& [name, lane] : desired.lanes) {
        auto [it, created] = engine.lanes.try_emplace(name);
        LaneState& state = it->second;
        if (created) {
            state.name = name;
            // Jobs of a lane that was force-pruned and is back still hold
            // their slots until they end (finish_locked releases them).
            for (const auto& [id, job] : engine.jobs)
                if (job->lane == name && job->status == JobStatus::running) ++state.running;
        }
        else if (state.concurrency != lane.concurrency) out.resized_runner.push_back(name);
        state.concurrency = lane.concurrency;
        state.paused = lane.paused;
        state.paused_by = lane.paused_by;
    }
    // Jobs queued in lanes that were absent (after a restart of the config)
    // join their lane again.
    for (auto& [id, job] : engine.jobs) {
        if (job->status != JobStatus::queued) continue;
        auto it = engine.lanes.find(job->lane);
        if (it != engine.lanes.end()) it->second.queued.emplace(job->time_created, job->id);
    }
    engine.applied = std::move(desired);
    engine.applied_at = now_ms();
    engine.schedule_locked();
    return out;
}

bool set_lane_paused_locked(Engine& engine, const std::string& lane, bool paused) {
    auto it = engine.lanes.find(lane);
    if (it == engine.lanes.end()) return false;
    it->second.paused = paused;
    it->second.paused_by = paused ? "ctl" : "";
    if (engine.applied) {
        auto a = engine.applied->lanes.find(lane);
        if (a != engine.applied->lanes.end()) {
            a->second.paused = paused;
            a->second.paused_by = paused ? "ctl" : "";
        }
    }
    if (!paused) engine.schedule_locked();
    return true;
}

}  // namespace letts::devserver
