#include "devserver/outcome.hpp"

#include <csignal>
#include <utility>

namespace letts::devserver {

std::string signal_name(int sig) {
    switch (sig) {
        case SIGKILL: return "KILL";
        case SIGTERM: return "TERM";
        case SIGINT: return "INT";
        case SIGQUIT: return "QUIT";
        case SIGHUP: return "HUP";
        case SIGSEGV: return "SEGV";
        case SIGBUS: return "BUS";
        case SIGILL: return "ILL";
        case SIGFPE: return "FPE";
        case SIGTRAP: return "TRAP";
        case SIGABRT: return "ABRT";
        case SIGPIPE: return "PIPE";
        default: return std::to_string(sig);
    }
}

namespace {

std::string signal_reason(int sig) {
    switch (sig) {
        case SIGSEGV: return "segfault";
        case SIGBUS: return "sigbus";
        case SIGILL: return "sigill";
        case SIGFPE: return "sigfpe";
        case SIGTRAP: return "sigtrap";
        case SIGABRT: return "sigabrt";
        default: return "signal_" + signal_name(sig);
    }
}

std::string trim_fraction(std::int64_t whole, std::int64_t frac, int digits) {
    std::string s = std::to_string(whole);
    if (frac == 0) return s;
    std::string f = std::to_string(frac);
    f = std::string(static_cast<std::size_t>(digits) - f.size(), '0') + f;
    while (!f.empty() && f.back() == '0') f.pop_back();
    return s + "." + f;
}

}  // namespace

std::string go_duration(std::int64_t ms) {
    if (ms == 0) return "0s";
    std::string sign = ms < 0 ? "-" : "";
    if (ms < 0) ms = -ms;
    if (ms < 1000) return sign + std::to_string(ms) + "ms";
    const std::int64_t h = ms / 3600000;
    const std::int64_t m = (ms / 60000) % 60;
    const std::int64_t s = (ms / 1000) % 60;
    const std::int64_t frac = ms % 1000;
    std::string out = sign;
    if (h > 0) out += std::to_string(h) + "h";
    if (h > 0 || m > 0) out += std::to_string(m) + "m";
    out += trim_fraction(s, frac, 3) + "s";
    return out;
}

namespace {

// Sets what every failed or killed result carries.
void decide(Result& r, const char* outcome, std::string reason, std::string message) {
    r.outcome = outcome;
    r.fail_reason = std::move(reason);
    r.fail_message = std::move(message);
}

// Each rule below returns whether it decided the result; classify() runs
// them in the order of mission-protocol.md §4 and the first that decides wins.

// R1: an external kill decides, whatever the process did. The recorded
// reason is the kill's own name, as for a job killed before it started.
bool external_kill(const Observed& o, Result& r) {
    switch (o.kill) {
        case KillReason::none: return false;
        case KillReason::timeout:
            r.outcome = "timeout";
            if (o.timeout_ms && *o.timeout_ms > 0) {
                r.fail_message = "mission exceeded its timeout of " + go_duration(*o.timeout_ms) + " and was killed";
                r.fail_details = "{\"timeout_ms\":" + std::to_string(*o.timeout_ms) + "}";
            } else {
                r.fail_message = "mission exceeded its timeout and was killed";
            }
            return true;
        case KillReason::force_delete:
            decide(r, "killed", kill_reason_name(o.kill), "killed because the mission was force-deleted");
            return true;
        case KillReason::lane_removed:
            decide(r, "killed", kill_reason_name(o.kill),
                   o.lane.empty() ? "killed because its lane was removed from the config"
                                  : "killed because lane \"" + o.lane + "\" was removed from the config");
            return true;
        case KillReason::dugdale_shutdown:
            decide(r, "killed", kill_reason_name(o.kill), "killed because dugdale was shutting down");
            return true;
        case KillReason::killed_by_api:
            decide(r, "killed", kill_reason_name(o.kill), "killed via the kill API");
            return true;
    }
    return false;
}

// R2: the PHP out-of-memory marker on stderr.
bool php_out_of_memory(const Observed& o, Result& r) {
    if (!o.oom_line) return false;
    decide(r, "oom", "php_memory_limit",
           o.oom_line->empty() ? "PHP memory limit exhausted (detected in stderr)" : *o.oom_line);
    return true;
}

// R3: SIGKILL that dugdale did not send.
bool foreign_sigkill(const Observed& o, Result& r) {
    if (o.signal != SIGKILL) return false;
    decide(r, "killed", "unknown_sigkill",
           "process received SIGKILL not sent by dugdale (kernel OOM killer or an external kill)");
    return true;
}

// R4: another signal and no terminal event.
bool signal_without_final_event(const Observed& o, Result& r) {
    if (o.signal == 0 || *o.terminal) return false;
    decide(r, "failed", signal_reason(o.signal),
           "process terminated by signal " + signal_name(o.signal) + " without a final event");
    return true;
}

// R5: the first fd 3 violation.
bool first_violation(const Observed& o, Result& r) {
    if (o.violations->empty()) return false;
    const Violation& v = o.violations->front();
    decide(r, "failed", v.reason, v.message);
    r.fail_details = v.details;
    return true;
}

// R6: the terminal event, held against the exit status.
bool terminal_event(const Observed& o, Result& r) {
    const std::optional<TerminalEvent>& t = *o.terminal;
    if (!t) return false;
    if (t->success && o.exit_code == 0) {  // R6a
        r.outcome = "success";
        r.return_json = t->return_json;
    } else if (t->success) {  // R6b
        decide(r, "failed", "success_then_failed_exit",
               o.signal != 0 ? "mission emitted success but was terminated by signal " + signal_name(o.signal) +
                                   "; return discarded"
                             : "mission emitted success but exited with code " + std::to_string(o.exit_code) +
                                   "; return discarded");
    } else if (o.exit_code == 0) {  // R6c
        decide(r, "failed", "fail_then_zero_exit",
               t->message.empty() ? "mission emitted fail but exited with code 0" : t->message);
        r.fail_details = t->details;
    } else {  // R6d
        decide(r, "failed", t->reason.empty() ? "explicit" : t->reason, t->message);
        r.fail_details = t->details;
    }
    return true;
}

// R7: no terminal event; the exit code alone decides.
bool exit_code_alone(const Observed& o, Result& r) {
    if (o.exit_code == 0) {  // R7a
        r.outcome = "success";
    } else {  // R7b
        decide(r, "failed", "no_event_nonzero_exit",
               "process exited with code " + std::to_string(o.exit_code) + " without a success/fail event; see stderr");
    }
    return true;
}

}  // namespace

Result classify(const Observed& o) {
    Result r;
    r.started = true;
    r.exit_code = o.exit_code;
    if (o.signal != 0) r.signal = signal_name(o.signal);
    using Rule = bool (*)(const Observed&, Result&);
    static constexpr Rule kRules[] = {external_kill,   php_out_of_memory, foreign_sigkill, signal_without_final_event,
                                      first_violation, terminal_event,    exit_code_alone};
    for (const Rule rule : kRules)
        if (rule(o, r)) break;
    return r;
}

}  // namespace letts::devserver
