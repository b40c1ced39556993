// What standalone mode prints instead of writing fd 3, in the PHP runtime's
// formats (spec/mission-protocol.md 7.5, 7.7, 7.10), so a mission debugged
// from a shell reads the same in every language.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace letts::mission::standalone {

// "[progress] 0.50 halfway\n" with a value (two decimals; the space stays
// when there is no message), "[progress] halfway\n" without.
std::string progress_line(std::optional<double> value, std::optional<std::string_view> message);

// "[output-file] key=<key>\n"
std::string output_line(std::string_view key);

// Writes `text` to `stream` and flushes it, so lines interleave correctly
// with the mission's own stdio output. Errors are ignored: this is
// debugging output, and the terminal state must not depend on a terminal.
void emit(std::FILE* stream, std::string_view text) noexcept;

}  // namespace letts::mission::standalone
