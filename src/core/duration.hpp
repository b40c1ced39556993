// Durations as text, in the grammars the letts wire contract uses:
//
//  * Go time.ParseDuration syntax — the `timeout` of dispatch bodies
//    (http-api.md §2.4, mission-protocol.md §5.5) and, with an extra "<N>d"
//    form, the durations of the daemon's dugdale.yaml (mission-protocol.md
//    Appendix A);
//  * the client's waitTimeout, one integer and one unit
//    (client-behavior.md §5.3);
//  * Go Duration.String() and the daemon's timeout text in fail messages
//    (mission-protocol.md §4.2).
//
// Every parser throws letts::Error(Status::invalid_argument) naming the
// offending text; callers that report another status (a 400 bad_request in
// the devserver, Status::config for a config file) catch and rethrow.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace letts::duration {

// Exactly Go's time.ParseDuration (Go 1.19 and later): an optional sign, then
// one or more <number><unit> with number = digits, digits ".", "." digits or
// digits "." digits, and unit one of ns, us, µs (U+00B5), μs (U+03BC), ms, s,
// m, h. "0" alone (also "+0", "-0") needs no unit. No spaces anywhere. The
// result may be negative; anything outside the int64 nanosecond range is an
// error. Fractions are converted with Go's float64 arithmetic so results
// agree with the daemon to the nanosecond.
std::chrono::nanoseconds parse_go(std::string_view text);

// A `timeout` as the daemon accepts it on the wire: Go syntax and not
// negative. The empty string is an error here; the dispatch rule "absent or
// empty means no timeout" belongs to the caller.
std::chrono::nanoseconds parse_timeout(std::string_view text);

// A duration of dugdale.yaml: "<N>d" (N a base-10 int64 with an optional
// sign, meaning N days) or Go syntax; not negative. Unlike the daemon, a day
// count whose nanoseconds overflow int64 is an error rather than wrapping.
// Empty is an error here; "absent or empty means the default" belongs to the
// caller.
std::chrono::nanoseconds parse_config(std::string_view text);

// The client's waitTimeout: ^(\d+)(ms|s|m|h)$ — ASCII digits, one unit, no
// sign, fraction, space or trailing newline. Throws
// letts::Error(Status::invalid_argument, "invalid duration: <text>"), the
// PHP client's message, also when the value overflows int64 milliseconds.
std::chrono::milliseconds parse_wait_timeout(std::string_view text);

// Go syntax (parse_go) in whole milliseconds for the C API's _ms setters:
// a fraction of a millisecond counts as a whole one, away from zero, so a
// non-zero duration never becomes 0 (a 500µs timeout is not "no timeout").
// Throws letts::Error(Status::invalid_argument, "invalid duration: <text>")
// — one message whatever the reason, the one bindings show their users.
std::int64_t parse_go_ms(std::string_view text);

// Exactly Go's Duration.String(): "1h2m3.5s", "1.5ms", "800µs", "0s", "-2m0s".
std::string format_go(std::chrono::nanoseconds d);

// A millisecond timeout as the daemon writes it into fail messages: Go's
// text without trailing zero units — "200ms", "1.5s", "1m30s", "10m", "1h",
// "1h30m", "1h1m1s".
std::string format_timeout_ms(std::int64_t ms);

}  // namespace letts::duration
