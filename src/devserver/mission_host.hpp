// What the mission supervisor (runner.hpp) needs of the state it reports
// to, and nothing more: the engine implements it, the supervisor knows only
// this, so neither includes the other.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/thread_annotations.hpp"
#include "devserver/dugdale_config.hpp"
#include "devserver/model.hpp"
#include "devserver/staging_store.hpp"

namespace letts::devserver {

class MissionHost {
public:
    virtual ~MissionHost() = default;

    virtual const DugdaleConfig& config() const noexcept = 0;
    // The lock that guards every Job's fields (and the supervisor's
    // hand-off state).
    virtual Mutex& mutex() = 0;
    virtual StagingStore& staging() noexcept = 0;

    // Paths under data_dir.
    virtual std::string work_dir(const std::string& id) const = 0;
    virtual std::string output_path(const std::string& id, const char* stream) const = 0;

    // Each takes the lock.
    // Records the process of a running job (the `running` event).
    virtual void record_spawn(Job& job, int pid, std::int64_t time) = 0;
    // Forwards one progress event if the events budget allows; false if dropped.
    virtual bool append_progress(Job& job, const std::optional<std::string>& value,
                                 const std::optional<std::string>& message) = 0;
    // Tells followers of the output streams that bytes arrived.
    virtual void notify_output(Job& job) = 0;
    // limits.max_data_dir_size is set and exceeded (measured at most
    // `max_age` ago). Takes no lock.
    virtual bool over_data_dir_quota(std::chrono::milliseconds max_age) = 0;

    // With mutex() held: publishes the terminal result (the done event,
    // exactly once) and frees the job's lane slot.
    virtual void finish_held(Job& job, Result result) = 0;
};

}  // namespace letts::devserver
