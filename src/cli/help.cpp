#include "help.hpp"

#include <cstdio>

namespace letts_cli {

namespace {

// The flags every command accepts, shown under each command's help.
const char* const kGlobalFlags =
    "Global flags:\n"
    "      --config PATH                  letts.yaml to use (default: the discovery cascade:\n"
    "                                     $LETTS_CONFIG, ./letts.yaml, ~/.config/letts/letts.yaml)\n"
    "      --insecure-config-permissions  accept a letts.yaml readable by others (development only)\n"
    "      --ignore-proxy                 ignore every dugdale's proxy: and connect directly\n"
    "  -o, --output FORMAT                text (default), json, yaml or ndjson\n"
    "  -q, --quiet                        no progress or informational output\n"
    "  -v, --verbose                      more detail on stderr\n"
    "  -h, --help                         this help\n";

const char* const kDispatchFlags =
    "      --mission NAME          the mission to start (required)\n"
    "      --route NAME            a route of letts.yaml\n"
    "      --host ID               a dugdale of letts.yaml\n"
    "      --match LABEL[,LABEL]   pick a dugdale carrying these labels\n"
    "      --lane NAME             the lane (default: the route's or dugdale's default)\n"
    "      --input JSON            the mission's input, a JSON object\n"
    "      --input-file PATH       read the input from PATH (- for stdin)\n"
    "      --file ROLE=PATH        stage PATH as input file ROLE (repeatable)\n"
    "      --timeout DURATION      the mission's timeout, e.g. 90s or 5m\n"
    "      --mission-id UUID       the mission id (a UUIDv7; default: a fresh one)\n";

const std::string kRunUsage = std::string(
        "Usage: letts run --mission NAME [flags]\n\n"
        "Dispatch a mission and follow it until it ends. On a terminal a progress bar is\n"
        "drawn on stderr; otherwise progress is printed as plain lines. stdout gets only\n"
        "the result: the mission's return value (text) or the result object (-o json).\n"
        "Ctrl-C stops waiting, prints the mission id and exits 130; the mission keeps\n"
        "running unless --kill-on-interrupt.\n\n"
        "Exit status: 0 success, 1 failed, 125 killed/timeout/crashed/lost, 124 wait\n"
        "timeout, 130 interrupted, 2 usage, 3 config, 4 network, 5 auth.\n\nFlags:\n") +
        kDispatchFlags +
        "      --host ID,ID,...        run on several dugdales at once (fan-out)\n"
        "      --output-file ROLE=PATH download output ROLE to PATH on success (repeatable)\n"
        "      --outputs-dir DIR       download every output into DIR on success\n"
        "      --wait-timeout DURATION stop waiting after DURATION (0: forever; default: the\n"
        "                              mission timeout plus 30s, else forever)\n"
        "      --no-progress           do not show progress\n"
        "      --logs                  also show the mission's stdout and stderr\n"
        "      --kill-on-interrupt     kill the mission when interrupted\n";
const std::string kDispatchUsage = std::string(
        "Usage: letts dispatch --mission NAME [flags]\n\n"
        "Start a mission and print its id without waiting for it.\n\nFlags:\n") + kDispatchFlags;
// One row per command: main() dispatches through it, help lists it.
const std::vector<CommandEntry> kTable = {
        {"version", cmd_version, "print the version", "Usage: letts version\n\nPrint the CLI's and libletts' version.\n"},
        {"run", cmd_run, "dispatch a mission and follow it to its end", kRunUsage.c_str()},
        {"dispatch", cmd_dispatch, "start a mission and print its id", kDispatchUsage.c_str()},
        {"events", cmd_events, "print a mission's events",
         "Usage: letts events ID [--host ID] [--from N] [--follow]\n\n"
         "Print the events of mission ID (one per line; -o json/ndjson: the events as\n"
         "the dugdale sends them). Without --host the mission is looked up on every dugdale.\n\n"
         "Flags:\n      --host ID   the mission's dugdale\n"
         "      --from N    only events after sequence number N\n"
         "  -f, --follow    keep following until the mission ends\n"},
        {"logs", cmd_logs, "print a mission's captured output",
         "Usage: letts logs ID [--host ID] [--stream stdout|stderr|combined] [--follow]\n\n"
         "Write what mission ID printed to stdout.\n\nFlags:\n"
         "      --host ID      the mission's dugdale (default: looked up)\n"
         "      --stream NAME  stdout (default), stderr or combined\n"
         "  -f, --follow       keep following until the mission ends\n"},
        {"apply", cmd_apply, "apply a dugdale configuration",
         "Usage: letts apply -f FILE --host ID [--dry-run]\n\n"
         "Send the JSON document in FILE to the dugdale's admin apply endpoint.\n\nFlags:\n"
         "  -f, --file FILE   the document (- for stdin)\n      --host ID     the dugdale\n"
         "      --dry-run     validate and show the result without applying\n"},
        {"exec", cmd_exec, "run an ad-hoc command on one or more dugdales",
         "Usage: letts exec (--host ID[,ID...] | --match LABEL[,LABEL] | --all) --lane L [flags] -- COMMAND [ARGS...]\n"
         "       letts exec (--host ... | --match ... | --all) --lane L --script PATH [flags]\n\n"
         "Run a command (not a named mission) with the exec token, its output shown while\n"
         "it runs. One host: its stdout and stderr become letts', its exit code letts'\n"
         "(124/125/255 and abnormal ends: 125; a failure before it ends: 255). Several\n"
         "hosts run at once; the exit code is the worst host's (0 < N < 124 < 125 < 255).\n\n"
         "Flags:\n"
         "      --host ID[,ID...]       the dugdales (exactly one of --host, --match, --all)\n"
         "      --match LABEL[,LABEL]   every dugdale carrying these labels\n"
         "      --all                   every dugdale (with --lane, when its entry lists lanes)\n"
         "      --lane NAME             the lane (required)\n"
         "      --script PATH           upload PATH and run it\n"
         "      --in KEY=PATH           stage PATH, given to the command as $LETTS_IN_<KEY>\n"
         "      --out KEY=PATH          download output KEY to PATH on success (one host)\n"
         "      --stdin MODE            none, single or broadcast (default: none on a terminal,\n"
         "                              single when piped to one host, else refused)\n"
         "      --timeout DURATION      the exec's timeout\n"
         "      --wait-timeout DURATION stop waiting after DURATION (0: forever; default:\n"
         "                              timeout + 30s, else forever)\n"
         "      --detach                print the exec id (several hosts: the group id), do not wait\n"
         "  -o, --output MODE           raw (one host's default), prefix ([host] lines, the\n"
         "                              default for several), json ({group_id, results}) or\n"
         "                              ndjson (output lines and events as they come)\n"
         "      --output-buffer BYTES   json mode: keep at most BYTES per stream and host (65536)\n"
         "      --mission-id UUID       the exec id (one host)\n"
         "      --group-id UUID         the group id (default with -o prefix/json/ndjson: a fresh one)\n"},
        {"ctl missions list", cmd_missions_list, "list missions",
         "Usage: letts ctl missions list [--host ID] [--lane L] [--status S] [--limit N]\n\n"
         "List missions, newest first, of one dugdale or of every dugdale in letts.yaml.\n\n"
         "Flags:\n      --host ID     only this dugdale\n      --lane NAME   only this lane\n"
         "      --status S    queued, running or done\n      --limit N     at most N per dugdale\n"},
        {"ctl missions show", cmd_missions_show, "show one mission",
         "Usage: letts ctl missions show ID [--host ID]\n\nShow mission ID (looked up on every dugdale without --host).\n"},
        {"ctl missions output", cmd_missions_output, "print a mission's captured output",
         "Usage: letts ctl missions output ID [--host ID] [--stream stdout|stderr|combined]\n"},
        {"ctl missions restart", cmd_missions_restart, "restart a finished mission as a new one",
         "Usage: letts ctl missions restart ID [--host ID]\n"
         "       letts ctl missions restart --selector K=V[,K=V...] [--host ID] (--dry-run | --yes)\n\n"
         "Prints the new mission's id. --selector keys: status, outcome, lane, mission,\n"
         "mission_prefix, since, until (-1h, -30m, -7d or Unix ms).\n"},
        {"ctl missions kill", cmd_missions_kill, "kill a running mission",
         "Usage: letts ctl missions kill ID [--host ID] [--signal TERM|KILL|INT|HUP|QUIT]\n"},
        {"ctl missions delete", cmd_missions_delete, "delete a mission",
         "Usage: letts ctl missions delete ID [--host ID] [--force]\n"
         "       letts ctl missions delete --selector K=V[,K=V...] [--host ID] [--force] (--dry-run | --yes)\n\n"
         "Delete a finished mission (--force: kill a running one first).\n"},
        {"ctl exec list", cmd_ctl_exec_list, "list execs",
         "Usage: letts ctl exec list --host ID [--group G] [--status S] [--outcome O] [--lane L] [--limit N]\n\n"
         "List the execs (kind \"exec\") of one dugdale, newest first.\n\n"
         "Flags:\n      --host ID     the dugdale (required)\n      --group G     only this group id\n"
         "      --status S    queued, running or done\n      --outcome O   success, failed, killed, ...\n"
         "      --lane NAME   only this lane\n      --limit N     at most N\n"},
        {"ctl exec show", cmd_ctl_exec_show, "show one exec",
         "Usage: letts ctl exec show ID [--host ID]\n\n"
         "Show exec ID (looked up on every dugdale without --host); a mission id is refused.\n"},
        {"ctl exec output", cmd_ctl_exec_output, "print an exec's captured output",
         "Usage: letts ctl exec output ID [--host ID] [--stream stdout|stderr|combined] [--follow]\n\n"
         "--stream defaults to combined.\n"},
        {"ctl exec restart", cmd_ctl_exec_restart, "run a finished exec again as a new one",
         "Usage: letts ctl exec restart ID --host ID\n\nPrints the new exec's id.\n"},
        {"ctl exec kill", cmd_ctl_exec_kill, "kill a running exec",
         "Usage: letts ctl exec kill ID [--host ID] [--signal TERM|KILL|INT|HUP|QUIT]\n"},
        {"ctl exec delete", cmd_ctl_exec_delete, "delete an exec and its outputs",
         "Usage: letts ctl exec delete ID [--host ID]\n"},
        {"ctl staging upload", cmd_staging_upload, "upload a file to a dugdale's staging",
         "Usage: letts ctl staging upload PATH --host ID\n\n"
         "Prints \"staging_id<TAB>sha256<TAB>size\" (-o json: an object).\n"},
        {"ctl staging download", cmd_staging_download, "download a staging file",
         "Usage: letts ctl staging download ID --host ID [--output PATH]\n\n"
         "Writes the file to stdout, or to PATH (here --output is the destination).\n"},
        {"ctl staging list", cmd_staging_list, "list the staging files of a mission",
         "Usage: letts ctl staging list --host ID --mission-id UUID [--ref-kind input|output|script]\n"
         "                              [--limit N] [--cursor C]\n"},
        {"ctl staging delete", cmd_staging_delete, "delete a staging file",
         "Usage: letts ctl staging delete ID --host ID [--force]\n\n"
         "--force also deletes the missions that reference it.\n"},
        {"ctl lanes list", cmd_lanes_list, "list a dugdale's lanes",
         "Usage: letts ctl lanes list [--host ID]\n"},
        {"ctl lanes pause", cmd_lanes_pause, "stop a lane picking up missions",
         "Usage: letts ctl lanes pause LANE [--host ID]\n"},
        {"ctl lanes continue", cmd_lanes_continue, "let a paused lane pick up missions again",
         "Usage: letts ctl lanes continue LANE [--host ID]\n"},
        {"ctl dugdales list", cmd_dugdales_list, "list the dugdales of letts.yaml",
         "Usage: letts ctl dugdales list [--match LABEL,...]\n"},
        {"ctl dugdales info", cmd_dugdales_info, "ask a dugdale about itself",
         "Usage: letts ctl dugdales info [--host ID]\n"},
        {"ctl dugdales config", cmd_dugdales_config, "show a dugdale's applied configuration",
         "Usage: letts ctl dugdales config [--host ID]\n"},
};

}  // namespace

const std::vector<CommandEntry>& command_table() { return kTable; }


namespace {

bool starts_with_words(const std::string& path, const std::string& prefix) {
    return prefix.empty() || path == prefix ||
           (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
            path[prefix.size()] == ' ');
}

}  // namespace

bool print_help(const std::string& path, std::FILE* out) {
    for (const auto& e : command_table()) {
        if (path == e.path) {
            std::fprintf(out, "%s\n%s", e.usage, kGlobalFlags);
            return true;
        }
    }
    bool any = false;
    for (const auto& e : command_table()) any = any || starts_with_words(e.path, path);
    if (!any) return false;
    if (path.empty())
        std::fprintf(out, "letts — the command-line client of the letts task queue (on libletts)\n\n"
                          "Usage: letts COMMAND [flags]\n\nCommands:\n");
    else
        std::fprintf(out, "Usage: letts %s COMMAND [flags]\n\nCommands:\n", path.c_str());
    for (const auto& e : command_table())
        if (starts_with_words(e.path, path)) std::fprintf(out, "  %-22s %s\n", e.path, e.summary);
    std::fprintf(out, "\n%s\nRun 'letts COMMAND --help' for a command's flags.\n", kGlobalFlags);
    return true;
}

}  // namespace letts_cli
