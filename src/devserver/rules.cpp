#include "devserver/rules.hpp"

namespace letts::devserver::rules {
namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool lane_name(std::string_view s) {
    if (s.empty() || s.size() > 32 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
    for (char c : s.substr(1))
        if (!lower_alnum(c) && c != '_' && c != '-') return false;
    return true;
}

bool mission_name(std::string_view s) {
    if (s.empty() || s.size() > 128 || !(alnum(s[0]) || s[0] == '_')) return false;
    for (char c : s.substr(1))
        if (!alnum(c) && c != '_' && c != '.' && c != '-') return false;
    return true;
}

bool sha256_hex(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace letts::devserver::rules
