// The cleanup of dugdale.yaml applied to the devserver's state, so that its
// memory and data_dir stay bounded over a long life: finished jobs past
// cleanup.success_ttl / failed_ttl (exec_* for execs, failed_ttl +
// lost_cleanup_grace for `lost`), jobs an admin deleted, and staging files
// past their retention (http-api.md §9.11) are removed with their files.
// docs/devserver-retention.md says what was settled from the daemon.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace letts::devserver {

class Engine;

// What one pass removed (for tests and logs).
struct SweepCounts {
    std::int64_t jobs_removed = 0;       // gone from the state, files deleted
    std::int64_t staging_expired = 0;    // marked deleting, file unlinked
    std::int64_t staging_forgotten = 0;  // deleting rows dropped after the grace
};

// How long a `deleting` staging row stays visible (HEAD `deleting`, GET
// `410 deleting`) before it is forgotten and answers 404: the daemon keeps
// its tombstone this long so that open downloads finish. Here the file is
// unlinked at once (an open download keeps its descriptor); only the row waits.
constexpr std::int64_t kStagingTombstoneGraceMs = 60'000;

// One pass at wall-clock time `now` (ms). Takes engine.mu twice, briefly:
// once to pick and mark the victims, once to forget them; the files are
// deleted in between, without the lock.
SweepCounts sweep_once(Engine& engine, std::int64_t now);

// The background thread: one pass every cleanup.sweep_interval (one minute
// when it is 0, like the daemon), the first one interval after start.
class Sweeper {
public:
    explicit Sweeper(Engine& engine);
    ~Sweeper();  // stop()
    Sweeper(const Sweeper&) = delete;
    Sweeper& operator=(const Sweeper&) = delete;

    // Wakes the thread and joins it; a pass in progress finishes first.
    // Must not be called with engine.mu held. Idempotent.
    void stop();

private:
    void loop();

    Engine& engine_;
    std::mutex mu_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace letts::devserver
