// The thread that runs the engine's cleanup (Engine::sweep_once) once
// every cleanup.sweep_interval (one minute when it is 0, like the daemon),
// the first one interval after start. It knows nothing of what a pass does.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace letts::devserver {

class Sweeper {
public:
    // interval_ns: cleanup.sweep_interval, 0 for the default.
    Sweeper(std::int64_t interval_ns, std::function<void()> pass);
    ~Sweeper();  // stop()
    Sweeper(const Sweeper&) = delete;
    Sweeper& operator=(const Sweeper&) = delete;

    // Wakes the thread and joins it; a pass in progress finishes first.
    // Must not be called with a lock the pass takes. Idempotent.
    void stop();

private:
    void loop(std::int64_t interval_ns);

    std::function<void()> pass_;
    std::mutex mu_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace letts::devserver
