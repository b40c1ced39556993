// Everything between "a lane picked this mission" and "the process exists"
// (mission-protocol.md §1, §2, Appendix B steps 2–7): argv resolution from
// the runtime snapshot, the work directory with read-only inputs, the
// environment built from scratch, and the spawn into a new process group.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "devserver/dugdale_config.hpp"
#include "devserver/model.hpp"
#include "core/unique_fd.hpp"

namespace letts::devserver {

// A failure before the process exists: the job ends `crashed` with `reason`.
class LaunchFailure : public std::runtime_error {
public:
    LaunchFailure(std::string reason, const std::string& message)
        : std::runtime_error(message), reason_(std::move(reason)) {}
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string reason_;
};

struct LaunchPlan {
    std::string mission_path;
    std::vector<std::string> argv;
};

// Lexical path cleaning as Go's filepath.Clean does it.
std::string clean_path(const std::string& path);

// Resolution steps 1–6 (path template, join, validation, argv template).
LaunchPlan resolve_launch(const RuntimeSnapshot& runtime, const std::string& mission);

// Creates `dir` with in/ out/ tmp/: an empty work directory.
void make_workdir_skeleton(const std::string& dir);

// Recreates <workdir> with in/ out/ tmp/ and copies each input (role,
// source path) to in/<role> read-only. `spare`, when not empty, is a
// skeleton made in advance on the same file system: it is renamed into
// place (if that fails, the directories are made as usual).
void prepare_workdir(const std::string& workdir,
                     const std::vector<std::pair<std::string, std::string>>& inputs,
                     const std::string& spare = {});

// Copies `source` to the new file `dest` with permissions `mode`. Throws
// LaunchFailure (input_materialization_failed, disk_quota_exceeded).
void materialize_file(const std::string& source, const std::string& dest, unsigned mode);
// mkdir 0755, failing as materialize_file does.
void make_directory(const std::string& dir);

// Writes <workdir>/input.json (0400; not fsynced, see launch.cpp) and opens
// it for reading.
UniqueFd write_input_file(const std::string& workdir, const std::string& input);

struct EnvFacts {
    std::string mission_id;
    std::string lane;
    std::string workdir;
    std::vector<InputRef> inputs;
};

// The mission environment ("NAME=value" strings), mission-protocol.md §1.7.
std::vector<std::string> build_environment(const MissionEnvConfig& config, const EnvFacts& facts);

// argv[0] as the daemon resolves it (Go's exec.LookPath against the
// server's own PATH, not the mission's): a name with a slash as it is,
// otherwise the first absolute PATH match. Throws LaunchFailure
// (spawn_failed) with Go's text when there is none or the match is relative.
std::string find_program(const std::string& name);

struct Spawned {
    int pid = -1;
    UniqueFd stdout_read, stderr_read, events_read;
};

// Starts argv in `cwd` in a new process group with fd 0 = `stdin_fd`, fds 1/2
// on capture pipes and fd 3 on the event pipe (only `with_events`: an exec
// has no fd 3); nothing else is inherited.
Spawned spawn_mission(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                      const std::string& cwd, int stdin_fd, bool with_events = true);

}  // namespace letts::devserver
