// Small text helpers every layer needs, written once. All are ASCII and
// locale-independent: <cctype> follows the process locale, which a host
// program (PHP, Go) may have changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace letts::text {

// The ASCII white space of Go's strings.TrimSpace.
inline constexpr std::string_view ascii_space = " \t\n\v\f\r";

// `text` without leading and trailing bytes from `spaces`.
std::string_view trim(std::string_view text, std::string_view spaces = ascii_space);

// `text` with A-Z mapped to a-z; every other byte kept.
std::string lower(std::string_view text);

// Whether `a` and `b` are equal once A-Z are mapped to a-z (HTTP header
// names, Go's case-insensitive JSON member match for ASCII names).
bool equal_fold(std::string_view a, std::string_view b);

// The whole of `text` as a decimal int64 ("-"? digits; no '+', no space),
// or nullopt when it is anything else or out of range.
std::optional<std::int64_t> parse_int64(std::string_view text);
// The same into `out`, left unchanged (and false returned) on failure.
bool parse_int64(std::string_view text, std::int64_t& out);

// strerror(errnum) with a lower-case first letter, the way Go words OS
// errors ("open x: no such file or directory"), for messages that must read
// like the daemon's.
std::string os_error(int errnum);

}  // namespace letts::text
