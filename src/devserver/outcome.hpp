// Outcome rules R1–R7 and the signal table (mission-protocol.md §4): what a
// finished mission process is recorded as, from what the runner observed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "devserver/fd3_reader.hpp"
#include "devserver/model.hpp"

namespace letts::devserver {

struct Observed {
    KillReason kill = KillReason::none;       // acted on while the leader lived
    std::optional<std::string> oom_line;      // the stderr marker line, if seen ("" = seen, no line)
    int exit_code = 0;                        // -1 when terminated by a signal
    int signal = 0;                           // terminating signal number, 0 = none
    const std::optional<TerminalEvent>* terminal = nullptr;
    const std::vector<Violation>* violations = nullptr;
    std::optional<std::int64_t> timeout_ms;
    std::string lane;
};

// The recorded result (outcome, fail_*, exit_code, signal, return).
Result classify(const Observed& o);

// The short signal name the daemon records: KILL, TERM, … or the number.
std::string signal_name(int sig);

// A duration in milliseconds written as Go prints it ("1m30s", "1.5s", "200ms").
std::string go_duration(std::int64_t ms);

}  // namespace letts::devserver
