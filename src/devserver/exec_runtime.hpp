// What differs when the supervisor runs an exec job instead of a mission
// (http-api.md §5.6, §6.4): the work directory (in/, out/, tmp/, script/,
// the staged stdin at tmp/.stdin), the environment built from scratch, and
// the outcome rules (exit status only: no fd 3 protocol). Everything else —
// spawn, pipes, timeout, kill sequence, output collection — is the
// missions' machinery (supervised_mission.cpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "devserver/model.hpp"
#include "devserver/outcome.hpp"

namespace letts::devserver {

struct ExecSources {
    std::vector<std::pair<std::string, std::string>> in;  // key → staged file
    std::string script;                                   // staged file, or empty
    std::string stdin_file;                               // staged file, or empty
};

// Recreates `workdir` (from `spare` when given, see prepare_workdir) with the
// files of `sources`; returns the path the process reads as stdin
// (/dev/null without a staged one). Throws LaunchFailure.
std::string prepare_exec_workdir(const std::string& workdir, const ExecSources& sources, const std::string& spare);

// LETTS_EXEC_ID, LETTS_KIND=exec, LETTS_LANE, LETTS_WORKDIR, LETTS_TMPDIR,
// LETTS_GROUP_ID, LETTS_SCRIPT, LETTS_IN_<key>[__SHA256|__SIZE],
// LETTS_OUT_<key> and a fixed PATH; nothing inherited.
std::vector<std::string> build_exec_environment(const std::string& id, const std::string& lane,
                                                const std::string& workdir, const ExecSpec& spec,
                                                const std::vector<InputRef>& inputs);

// The exec outcome: a kill by dugdale decides (a timeout with fail_reason
// "timeout"), then a signal (killed/signal), then the exit code.
Result classify_exec(const Observed& o);

}  // namespace letts::devserver
