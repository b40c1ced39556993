// The name rules of section 5. Every rule is an anchored pattern of the form
// ^[first][a-z0-9_-]{0,N}$; they are checked by hand rather than with a regex
// engine so that "full match" cannot be weakened by an engine's idea of `$`
// (a trailing newline is never accepted). Lane names and labels follow the
// daemon's rules in core/names.hpp.
#pragma once

#include <string_view>

namespace letts::config::names {

// The patterns as upstream writes them, for messages ("must match ...").
inline constexpr std::string_view dugdale_id_pattern = "^[a-z][a-z0-9_-]{0,63}$";
inline constexpr std::string_view alias_key_pattern = "^[a-z0-9][a-z0-9_-]{0,63}$";
inline constexpr std::string_view route_pattern = "^[a-z][a-z0-9_-]{0,63}$";
inline constexpr std::string_view template_pattern = "^[a-z][a-z0-9_-]{0,63}$";
inline constexpr std::string_view lane_pattern = "^[a-z][a-z0-9_-]{0,31}$";
inline constexpr std::string_view label_pattern = "^[a-z][a-z0-9_-]{0,31}$";

bool is_dugdale_id(std::string_view name);  // also literal alias values
bool is_alias_key(std::string_view name);   // may start with a digit
bool is_route_name(std::string_view name);
bool is_template_name(std::string_view name);
bool is_lane_name(std::string_view name);
bool is_label(std::string_view name);

}  // namespace letts::config::names
