// dugdale's default limits that would make it *reject* what a mission sends
// (spec/mission-protocol.md, Appendix A). The runtime refuses such calls
// locally with a clear error instead of letting dugdale record a violation
// after the fact. Limits dugdale only truncates (fail message, details) or
// drops silently (progress rate) are not enforced here.
#pragma once

#include <cstddef>

namespace letts::mission::limits {

// max_event_line_size: one fd 3 line, counted without its '\n'; longer
// lines are recorded as event_line_too_large.
inline constexpr std::size_t event_line = 1024 * 1024;

// max_return_value_size: a larger success return becomes return_too_large.
inline constexpr std::size_t return_value = 768 * 1024;

// max_output_files_per_mission: the 33rd distinct key is the violation
// too_many_output_files.
inline constexpr std::size_t output_files = 32;

}  // namespace letts::mission::limits
