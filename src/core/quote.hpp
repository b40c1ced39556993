// Quoting of untrusted text for error messages.
//
// Parsers and validators name the offending value in their messages; that
// value comes from a request body, a config file or an API caller and may hold
// control bytes, invalid UTF-8 or megabytes of junk. quoted() makes it safe to
// put into a log line or an HTTP error body.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace letts {

// `text` in double quotes, Go %q style: `"` and `\` escaped, \n \r \t as
// such, other control bytes, DEL and invalid UTF-8 as \xNN; valid UTF-8 is
// kept. Input beyond `max_bytes` (cut at a character boundary) is dropped and
// marked by "..." after the closing quote.
std::string quoted(std::string_view text, std::size_t max_bytes = 128);

// `text` with \n \r \t and other control bytes escaped but no surrounding
// quotes and no length bound, for messages that print a key bare ("root:
// unknown key: mystery"). Bytes >= 0x80 are kept (keys are usually UTF-8).
std::string printable(std::string_view text);

}  // namespace letts
