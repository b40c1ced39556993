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

#include "devserver/json_value.hpp"

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
    // Steps of handle_line: each reports its violation and says whether
    // the line goes on.
    std::string event_type(const jv::Value& v);  // "" after a violation
    bool matches_schema(const jv::Value& v, const std::string& type);
    void handle_progress(const jv::Value& v);
    void handle_output_file(const jv::Value& v);
    void handle_final(const jv::Value& v, const std::string& type);  // success or fail
    std::string subject(const std::string& type) const;  // "fd3 <type> event (line N)"
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

}  // namespace letts::devserver
