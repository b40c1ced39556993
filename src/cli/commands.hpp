// The command functions main() dispatches to. Each parses its own flags
// (plus the global ones), does its work through the public C API and
// returns the exit code, or throws a CliError.
#pragma once

#include <string>
#include <vector>

#include "args.hpp"
#include "context.hpp"
#include "handles.hpp"

namespace letts_cli {

struct Invocation {
    std::string path;                // "ctl missions list"
    std::vector<std::string> argv;   // what follows the command words
};

// The arguments of `inv` against `specs` plus the global flags.
struct Parsed {
    Args args;
    Globals globals;
};
// `format_flag` false: the command has its own --output (upstream's
// staging download), so -o/--output is not the output format there.
Parsed parse_invocation(const Invocation& inv, std::vector<FlagSpec> specs, bool format_flag = true);

// Shared by `ctl missions` and `ctl exec` (cmd_missions.cpp, cmd_stream.cpp).
// list_missions: the list of --host or every dugdale, `kind` (NULL: any) pinned.
int list_missions(const Parsed& p, const char* kind);
// The mission of positional ID on --host or wherever it is found; `host` is set.
// `exec`: through the exec token (letts_client_exec_get), as execs are read.
MissionInfoPtr fetch_mission(const Parsed& p, std::string& host, bool exec = false);
int print_mission(const Parsed& p, const std::string& host, const letts_mission_info* m);
int stream_output(const Invocation& inv, bool allow_follow, const char* default_stream, bool exec = false);

int cmd_version(const Invocation& inv);
int cmd_run(const Invocation& inv);
int cmd_dispatch(const Invocation& inv);
int cmd_events(const Invocation& inv);
int cmd_logs(const Invocation& inv);
int cmd_missions_list(const Invocation& inv);
int cmd_missions_show(const Invocation& inv);
int cmd_missions_output(const Invocation& inv);
int cmd_missions_restart(const Invocation& inv);
int cmd_missions_kill(const Invocation& inv);
int cmd_missions_delete(const Invocation& inv);
int cmd_ctl_exec_list(const Invocation& inv);
int cmd_ctl_exec_show(const Invocation& inv);
int cmd_ctl_exec_output(const Invocation& inv);
int cmd_ctl_exec_restart(const Invocation& inv);
int cmd_ctl_exec_kill(const Invocation& inv);
int cmd_ctl_exec_delete(const Invocation& inv);
int cmd_lanes_list(const Invocation& inv);
int cmd_lanes_pause(const Invocation& inv);
int cmd_lanes_continue(const Invocation& inv);
int cmd_dugdales_list(const Invocation& inv);
int cmd_dugdales_info(const Invocation& inv);
int cmd_dugdales_config(const Invocation& inv);
int cmd_apply(const Invocation& inv);
int cmd_exec(const Invocation& inv);
int cmd_staging_upload(const Invocation& inv);
int cmd_staging_download(const Invocation& inv);
int cmd_staging_list(const Invocation& inv);
int cmd_staging_delete(const Invocation& inv);

}  // namespace letts_cli
