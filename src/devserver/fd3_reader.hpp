// The daemon's side of fd 3 (mission-protocol.md §3): NDJSON framing with the
// line-size cap, decoding of the four event types, the violation catalogue
// with its exact messages and details, first-terminal-wins, and output key
// registration. Progress events are handed to a callback; nothing here
// blocks or touches the process.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace letts::devserver {

struct Violation {
    std::string reason;   // event_line_too_large, event_protocol_error, …
    std::string message;
    std::string details;  // JSON object text
};

struct TerminalEvent {
    bool success = false;             // success or fail
    std::int64_t line = 0;
    std::optional<std::string> return_json;  // success: raw JSON of `return` when present
    std::string message;              // fail
    std::string reason;               // fail, as sent (may be empty)
    std::string details;              // fail: JSON object text, or empty
};

class Fd3Reader {
public:
    using ProgressSink = std::function<void(const std::optional<std::string>& value_literal,
                                            const std::optional<std::string>& message)>;

    Fd3Reader(std::int64_t max_line_size, std::int64_t max_output_files, ProgressSink sink);

    // Bytes read from the pipe, in order.
    void feed(std::string_view bytes);
    // End of file: a last unterminated line is still processed.
    void finish();

    const std::optional<TerminalEvent>& terminal() const noexcept { return terminal_; }
    const std::vector<Violation>& violations() const noexcept { return violations_; }
    const std::set<std::string>& output_keys() const noexcept { return outputs_; }

private:
    void end_line();
    void handle_line(std::string_view line);
    void violate(std::string reason, std::string message, std::string details);

    std::int64_t max_line_;
    std::int64_t max_outputs_;
    ProgressSink sink_;
    std::string line_;
    std::int64_t line_bytes_ = 0;  // full length, including what an oversized line dropped
    bool oversized_ = false;
    std::int64_t line_no_ = 0;
    std::optional<TerminalEvent> terminal_;
    std::vector<Violation> violations_;
    std::set<std::string> outputs_;
};

// ^[A-Za-z_][A-Za-z0-9_]{0,63}$ and no leading "__" (roles and output keys).
bool valid_role(std::string_view key);

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string clip_utf8(std::string_view s, std::size_t max);

}  // namespace letts::devserver
