// The supervisor of one picked job: it launches the mission, pumps its
// stdout/stderr/fd 3, enforces the timeout and kill sequence, and publishes
// the classified result. Runs on its own thread (Engine owns the thread).
#pragma once

#include <memory>

namespace letts::devserver {

class Engine;
struct Job;

void run_job(Engine& engine, const std::shared_ptr<Job>& job);

}  // namespace letts::devserver
