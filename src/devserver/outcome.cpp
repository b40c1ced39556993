#include "devserver/outcome.hpp"

#include <csignal>

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

Result classify(const Observed& o) {
    Result r;
    r.started = true;
    r.exit_code = o.exit_code;
    if (o.signal != 0) r.signal = signal_name(o.signal);
    const std::optional<TerminalEvent>& t = *o.terminal;

    // R1: an external kill decides, whatever the process did.
    switch (o.kill) {
        case KillReason::timeout:
            r.outcome = "timeout";
            if (o.timeout_ms && *o.timeout_ms > 0) {
                r.fail_message = "mission exceeded its timeout of " + go_duration(*o.timeout_ms) + " and was killed";
                r.fail_details = "{\"timeout_ms\":" + std::to_string(*o.timeout_ms) + "}";
            } else {
                r.fail_message = "mission exceeded its timeout and was killed";
            }
            return r;
        case KillReason::force_delete:
            r.outcome = "killed";
            r.fail_reason = "force_delete";
            r.fail_message = "killed because the mission was force-deleted";
            return r;
        case KillReason::lane_removed:
            r.outcome = "killed";
            r.fail_reason = "lane_removed";
            r.fail_message = o.lane.empty() ? "killed because its lane was removed from the config"
                                            : "killed because lane \"" + o.lane + "\" was removed from the config";
            return r;
        case KillReason::dugdale_shutdown:
            r.outcome = "killed";
            r.fail_reason = "dugdale_shutdown";
            r.fail_message = "killed because dugdale was shutting down";
            return r;
        case KillReason::killed_by_api:
            r.outcome = "killed";
            r.fail_reason = "killed_by_api";
            r.fail_message = "killed via the kill API";
            return r;
        case KillReason::none: break;
    }
    // R2: the PHP out-of-memory marker on stderr.
    if (o.oom_line) {
        r.outcome = "oom";
        r.fail_reason = "php_memory_limit";
        r.fail_message = o.oom_line->empty() ? "PHP memory limit exhausted (detected in stderr)" : *o.oom_line;
        return r;
    }
    // R3: SIGKILL that dugdale did not send.
    if (o.signal == SIGKILL) {
        r.outcome = "killed";
        r.fail_reason = "unknown_sigkill";
        r.fail_message = "process received SIGKILL not sent by dugdale (kernel OOM killer or an external kill)";
        return r;
    }
    // R4: another signal and no terminal event.
    if (o.signal != 0 && !t) {
        r.outcome = "failed";
        r.fail_reason = signal_reason(o.signal);
        r.fail_message = "process terminated by signal " + signal_name(o.signal) + " without a final event";
        return r;
    }
    // R5: the first fd 3 violation.
    if (!o.violations->empty()) {
        const Violation& v = o.violations->front();
        r.outcome = "failed";
        r.fail_reason = v.reason;
        r.fail_message = v.message;
        r.fail_details = v.details;
        return r;
    }
    if (t && t->success) {
        if (o.exit_code == 0) {  // R6a
            r.outcome = "success";
            r.return_json = t->return_json;
            return r;
        }
        r.outcome = "failed";  // R6b
        r.fail_reason = "success_then_failed_exit";
        r.fail_message = o.signal != 0 ? "mission emitted success but was terminated by signal " +
                                             signal_name(o.signal) + "; return discarded"
                                       : "mission emitted success but exited with code " +
                                             std::to_string(o.exit_code) + "; return discarded";
        return r;
    }
    if (t) {
        r.outcome = "failed";
        r.fail_details = t->details;
        if (o.exit_code == 0) {  // R6c
            r.fail_reason = "fail_then_zero_exit";
            r.fail_message = t->message.empty() ? "mission emitted fail but exited with code 0" : t->message;
        } else {  // R6d
            r.fail_reason = t->reason.empty() ? "explicit" : t->reason;
            r.fail_message = t->message;
        }
        return r;
    }
    if (o.exit_code == 0) {  // R7a
        r.outcome = "success";
        return r;
    }
    r.outcome = "failed";  // R7b
    r.fail_reason = "no_event_nonzero_exit";
    r.fail_message = "process exited with code " + std::to_string(o.exit_code) +
                     " without a success/fail event; see stderr";
    return r;
}

}  // namespace letts::devserver
