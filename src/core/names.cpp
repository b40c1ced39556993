#include "core/names.hpp"

#include "core/quote.hpp"
#include "core/uuidv7.hpp"

namespace letts::names {
namespace {

// ASCII classes by hand: <cctype> depends on the locale and on signedness.
bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool lower_hex(char c) { return digit(c) || (c >= 'a' && c <= 'f'); }

constexpr std::size_t mission_name_max = 128;
constexpr std::size_t role_key_max = 64;
constexpr std::size_t lane_name_max = 32;
constexpr std::size_t display_name_max = 256;

// ^[a-z][a-z0-9_-]{0,31}$, shared by lane names and labels.
bool is_lower_identifier(std::string_view t) {
    if (t.empty() || t.size() > lane_name_max || !lower(t[0])) return false;
    for (char c : t.substr(1)) {
        if (!lower(c) && !digit(c) && c != '_' && c != '-') return false;
    }
    return true;
}

bool matches_mission_pattern(std::string_view t) {
    if (t.empty()) return false;
    const char first = t[0];
    if (!lower(first) && !upper(first) && !digit(first) && first != '_') return false;
    for (char c : t.substr(1)) {
        if (!lower(c) && !upper(c) && !digit(c) && c != '_' && c != '.' && c != '-') return false;
    }
    return true;
}

bool matches_role_pattern(std::string_view t) {
    if (t.empty() || t.size() > role_key_max) return false;
    if (!lower(t[0]) && !upper(t[0]) && t[0] != '_') return false;
    for (char c : t.substr(1)) {
        if (!lower(c) && !upper(c) && !digit(c) && c != '_') return false;
    }
    return true;
}

bool has_reserved_prefix(std::string_view t) { return t.size() >= 2 && t[0] == '_' && t[1] == '_'; }

// Offset of the first byte display_name forbids, or npos.
std::size_t first_control_byte(std::string_view t) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        const auto b = static_cast<unsigned char>(t[i]);
        if (b < 0x20 || b == 0x7F) return i;
    }
    return std::string_view::npos;
}

std::string_view noun(Rule rule) {
    switch (rule) {
        case Rule::lane_name: return "lane name";
        case Rule::label: return "label";
        case Rule::mission_name: return "mission name";
        case Rule::role_key: return "role/key";
        case Rule::sha256: return "sha256";
        case Rule::sha256_any_case: return "sha256";
        case Rule::uuidv7: return "UUIDv7";
        case Rule::display_name: return "display_name";
    }
    return "value";
}

// The rule itself, without the noun.
std::string_view requirement(Rule rule) {
    switch (rule) {
        case Rule::lane_name:
        case Rule::label:
            return "must match ^[a-z][a-z0-9_-]{0,31}$";
        case Rule::mission_name:
            return "must match ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ and be 1 to 128 bytes long";
        case Rule::role_key:
            return "must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$ and not start with \"__\"";
        case Rule::sha256:
            return "must be 64 lowercase hex digits (^[a-f0-9]{64}$)";
        case Rule::sha256_any_case:
            return "must be 64 hex digits";
        case Rule::uuidv7:
            return "must be in lowercase canonical form "
                   "(^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$)";
        case Rule::display_name:
            return "must be at most 256 bytes with no control bytes (below 0x20 or 0x7f)";
    }
    return "is invalid";
}

}  // namespace

bool is_lane_name(std::string_view text) { return is_lower_identifier(text); }
bool is_label(std::string_view text) { return is_lower_identifier(text); }

bool is_mission_name(std::string_view text) {
    return !text.empty() && text.size() <= mission_name_max && matches_mission_pattern(text);
}

bool is_role_key(std::string_view text) { return role_key_fault(text) == RoleKeyFault::none; }

RoleKeyFault role_key_fault(std::string_view text) {
    if (!matches_role_pattern(text)) return RoleKeyFault::pattern;
    if (has_reserved_prefix(text)) return RoleKeyFault::reserved_prefix;
    return RoleKeyFault::none;
}

bool is_sha256_hex(std::string_view text) {
    if (text.size() != 64) return false;
    for (char c : text) {
        if (!lower_hex(c)) return false;
    }
    return true;
}

bool is_sha256_hex_any_case(std::string_view text) {
    // Go's strings.ToLower maps no non-ASCII character to an ASCII hex digit,
    // so "lower-case, then match" accepts exactly the ASCII hex digits.
    if (text.size() != 64) return false;
    for (char c : text) {
        if (!lower_hex(c) && !(c >= 'A' && c <= 'F')) return false;
    }
    return true;
}

bool is_uuidv7(std::string_view text) { return uuidv7::is_valid(text); }

bool is_display_name(std::string_view text) {
    return text.size() <= display_name_max && first_control_byte(text) == std::string_view::npos;
}

bool check(Rule rule, std::string_view text) {
    switch (rule) {
        case Rule::lane_name: return is_lane_name(text);
        case Rule::label: return is_label(text);
        case Rule::mission_name: return is_mission_name(text);
        case Rule::role_key: return is_role_key(text);
        case Rule::sha256: return is_sha256_hex(text);
        case Rule::sha256_any_case: return is_sha256_hex_any_case(text);
        case Rule::uuidv7: return is_uuidv7(text);
        case Rule::display_name: return is_display_name(text);
    }
    return false;
}

std::string describe(Rule rule) {
    return std::string(noun(rule)) + " " + std::string(requirement(rule));
}

std::string explain(Rule rule, std::string_view text) {
    if (check(rule, text)) return describe(rule);
    std::string message = "invalid " + std::string(noun(rule)) + " " + quoted(text) + ": ";
    // Name the specific clause that failed where a rule has several.
    if (rule == Rule::role_key && role_key_fault(text) == RoleKeyFault::reserved_prefix) {
        return message + "the \"__\" prefix is reserved";
    }
    if (rule == Rule::mission_name && (text.empty() || text.size() > mission_name_max)) {
        return message + "must be 1 to 128 bytes long (is " + std::to_string(text.size()) + ")";
    }
    if (rule == Rule::display_name) {
        if (text.size() > display_name_max) {
            return message + "must be at most 256 bytes (is " + std::to_string(text.size()) + ")";
        }
        return message + "contains a control byte at offset " +
               std::to_string(first_control_byte(text));
    }
    return message + std::string(requirement(rule));
}

}  // namespace letts::names
