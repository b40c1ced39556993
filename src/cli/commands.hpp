// The command functions main() dispatches to. Each parses its own flags
// (plus the global ones), does its work through the public C API and
// returns the exit code, or throws a CliError.
#pragma once

#include <string>
#include <vector>

#include "args.hpp"
#include "context.hpp"

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
