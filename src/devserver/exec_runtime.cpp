#include "devserver/exec_runtime.hpp"

#include <csignal>

#include "devserver/launch.hpp"

namespace letts::devserver {
namespace {

// The long signal names Go's syscall.Signal.String() prints, which the
// daemon records as the fail_message of an exec killed by a signal.
std::string long_signal_name(int sig) {
    switch (sig) {
        case SIGHUP: return "hangup";
        case SIGINT: return "interrupt";
        case SIGQUIT: return "quit";
        case SIGILL: return "illegal instruction";
        case SIGTRAP: return "trace/breakpoint trap";
        case SIGABRT: return "aborted";
        case SIGBUS: return "bus error";
        case SIGFPE: return "floating point exception";
        case SIGKILL: return "killed";
        case SIGUSR1: return "user defined signal 1";
        case SIGSEGV: return "segmentation fault";
        case SIGUSR2: return "user defined signal 2";
        case SIGPIPE: return "broken pipe";
        case SIGALRM: return "alarm clock";
        case SIGTERM: return "terminated";
        default: return "signal " + std::to_string(sig);
    }
}

}  // namespace

std::string prepare_exec_workdir(const std::string& workdir, const ExecSources& sources, const std::string& spare) {
    prepare_workdir(workdir, sources.in, spare);
    make_directory(workdir + "/script");
    if (!sources.script.empty()) materialize_file(sources.script, workdir + "/script/script", 0555);
    if (sources.stdin_file.empty()) return "/dev/null";
    const std::string stdin_path = workdir + "/tmp/.stdin";
    materialize_file(sources.stdin_file, stdin_path, 0444);
    return stdin_path;
}

std::vector<std::string> build_exec_environment(const std::string& id, const std::string& lane,
                                                const std::string& workdir, const ExecSpec& spec,
                                                const std::vector<InputRef>& inputs) {
    std::vector<std::string> env = {"LETTS_EXEC_ID=" + id, "LETTS_KIND=exec", "LETTS_LANE=" + lane,
                                    "LETTS_WORKDIR=" + workdir, "LETTS_TMPDIR=" + workdir + "/tmp"};
    if (!spec.group_id.empty()) env.push_back("LETTS_GROUP_ID=" + spec.group_id);
    if (!spec.script_staging_id.empty()) env.push_back("LETTS_SCRIPT=" + workdir + "/script/script");
    for (const auto& in : inputs) {
        if (in.role == exec_stdin_role) continue;
        env.push_back("LETTS_IN_" + in.role + "=" + workdir + "/in/" + in.role);
        env.push_back("LETTS_IN_" + in.role + "__SHA256=" + in.sha256);
        env.push_back("LETTS_IN_" + in.role + "__SIZE=" + std::to_string(in.size));
    }
    for (const auto& key : spec.out_keys) env.push_back("LETTS_OUT_" + key + "=" + workdir + "/out/" + key);
    env.push_back("PATH=/usr/local/bin:/usr/bin:/bin");
    return env;
}

Result classify_exec(const Observed& o) {
    Result r;
    r.exit_code = o.exit_code;
    r.signal = o.signal ? signal_name(o.signal) : std::string();
    r.started = true;
    if (o.kill != KillReason::none) {
        // The missions' rule R1 words the kill; an exec timeout also names
        // its reason.
        Observed kill_only;
        kill_only.kill = o.kill;
        kill_only.timeout_ms = o.timeout_ms;
        kill_only.lane = o.lane;
        Result k = classify(kill_only);
        r.outcome = k.outcome;
        r.fail_reason = o.kill == KillReason::timeout ? "timeout" : k.fail_reason;
        r.fail_message = k.fail_message;
        r.fail_details = k.fail_details;
    } else if (o.signal) {
        r.outcome = "killed";
        r.fail_reason = "signal";
        r.fail_message = long_signal_name(o.signal);
    } else if (o.exit_code == 0) {
        r.outcome = "success";
    } else {
        r.outcome = "failed";
        r.fail_reason = "exit_nonzero";
        r.fail_message = "exit code " + std::to_string(o.exit_code);
    }
    return r;
}

}  // namespace letts::devserver
