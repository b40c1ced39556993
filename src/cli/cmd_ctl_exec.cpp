// `letts ctl exec list|show|output|restart|kill|delete`: upstream's exec
// control group. The daemon's admin routes serve execs as they serve
// missions, so these are `ctl missions` with kind pinned to "exec" (list),
// a kind check (show), combined output by default (output) and --host
// required (list, restart), as upstream has them. Each parses its own
// (upstream's) flag set first, so a missions-only flag is refused here.
#include "commands.hpp"
#include "error.hpp"
#include "locate.hpp"

namespace letts_cli {

namespace {

// kill and delete go through the admin routes, but an exec is found (when
// --host is not given) with the exec token: the admin token's lookup is
// refused an exec. `inv` plus the --host where the exec is.
Invocation with_exec_host(const Invocation& inv, const Parsed& p) {
    if (p.args.has("host")) return inv;
    ClientPtr client = make_client(p.globals);
    Invocation out = inv;
    out.argv.push_back("--host");
    out.argv.push_back(locate_mission(client.get(), "", p.args.positional()[0], letts_client_exec_get));
    return out;
}

}  // namespace

int cmd_ctl_exec_list(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"group", 0, true, false},
                                      {"status", 0, true, false}, {"outcome", 0, true, false},
                                      {"lane", 0, true, false}, {"limit", 0, true, false}});
    p.args.expect_positional(0, "no arguments");
    if (!p.args.has("host")) throw usage_error("--host is required for ctl exec list");
    return list_missions(p, "exec");
}

int cmd_ctl_exec_show(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}});
    p.args.expect_positional(1, "one exec ID");
    std::string host;
    MissionInfoPtr m;
    try {
        m = fetch_mission(p, host, true);
    } catch (const CliError& e) {
        // The exec token is refused a mission (403 forbidden_kind), or there
        // is none: when the admin token finds a mission under this id, that
        // is the user's typo.
        if (e.code() != kExitAuth && e.code() != kExitConfig) throw;
        try {
            m = fetch_mission(p, host, false);
        } catch (const CliError&) {
            throw e;
        }
    }
    // A mission id here is a typo for `ctl missions show`: say which.
    std::string kind = letts_mission_info_kind(m.get()) ? letts_mission_info_kind(m.get()) : "";
    if (kind != "exec")
        throw usage_error(p.args.positional()[0] + " is not an exec mission (kind=" + (kind.empty() ? "mission" : kind) +
                          "); use 'letts ctl missions show'");
    return print_mission(p, host, m.get());
}

int cmd_ctl_exec_output(const Invocation& inv) { return stream_output(inv, true, "combined", true); }

int cmd_ctl_exec_restart(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}});
    p.args.expect_positional(1, "one exec ID");
    if (!p.args.has("host")) throw usage_error("--host is required for ctl exec restart");
    return cmd_missions_restart(inv);
}

int cmd_ctl_exec_kill(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"signal", 0, true, false}});
    p.args.expect_positional(1, "one exec ID");
    return cmd_missions_kill(with_exec_host(inv, p));
}

int cmd_ctl_exec_delete(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}});
    p.args.expect_positional(1, "one exec ID");
    return cmd_missions_delete(with_exec_host(inv, p));
}

}  // namespace letts_cli
