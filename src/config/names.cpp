#include "config/names.hpp"

#include <cstddef>

#include "core/names.hpp"

namespace letts::config::names {

namespace {

constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_tail(char c) { return is_lower(c) || is_digit(c) || c == '_' || c == '-'; }

// ^[first][a-z0-9_-]{0,max_tail}$ with `first` given as a predicate.
template <class First>
bool matches(std::string_view name, First first, std::size_t max_tail) {
    if (name.empty() || name.size() > max_tail + 1 || !first(name.front())) return false;
    for (const char c : name.substr(1))
        if (!is_tail(c)) return false;
    return true;
}

constexpr auto letter = [](char c) { return is_lower(c); };
constexpr auto letter_or_digit = [](char c) { return is_lower(c) || is_digit(c); };

}  // namespace

bool is_dugdale_id(std::string_view name) { return matches(name, letter, 63); }
bool is_alias_key(std::string_view name) { return matches(name, letter_or_digit, 63); }
bool is_route_name(std::string_view name) { return matches(name, letter, 63); }
bool is_template_name(std::string_view name) { return matches(name, letter, 63); }
// The daemon enforces the same lane and label rules; one definition serves both.
bool is_lane_name(std::string_view name) { return letts::names::is_lane_name(name); }
bool is_label(std::string_view name) { return letts::names::is_label(name); }

}  // namespace letts::config::names
