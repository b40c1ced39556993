// The exact bytes of the four fd 3 events (spec/mission-protocol.md 3.2).
//
// Each builder returns one complete NDJSON line ending in '\n', or throws
// letts::Error(Status::invalid_argument) when dugdale would reject the line
// (invalid UTF-8, non-finite number, line over limits::event_line). Member
// order and spelling follow the PHP runtime so both produce the same lines.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace letts::mission::events {

// {"event":"progress"[,"value":V][,"message":M]}
std::string progress(std::optional<double> value, std::optional<std::string_view> message);

// {"event":"output_file","key":K} — `key` must already be validated.
std::string output_file(std::string_view key);

// {"event":"success"[,"return":R]} — `return_json` is compact JSON text of
// an object or null, already validated.
std::string success(std::optional<std::string_view> return_json);

// {"event":"fail","message":M,"reason":R,"exit_code":C[,"details":D]} —
// `details_json` compact JSON text of an object or null, already validated.
std::string fail(std::string_view message, std::string_view reason, int exit_code,
                 std::optional<std::string_view> details_json);

// Appends `text` as a JSON string literal. Escapes '"', '\\' and control
// characters; everything else (UTF-8 included) is copied. Throws when
// `text` is not valid UTF-8; `what` names the argument in the message.
void append_string(std::string& out, std::string_view text, std::string_view what);

// Shortest text that reads back as the same double ("0.5", "1", "1e+21").
// Throws for NaN and infinities, which JSON cannot carry.
std::string number(double value, std::string_view what);

}  // namespace letts::mission::events
