#include "devserver/first_duplicate.hpp"

#include <string_view>
#include <unordered_set>

namespace letts::devserver {

std::optional<std::string> first_duplicate(const std::vector<std::string>& names) {
    std::unordered_set<std::string_view> seen;
    seen.reserve(names.size());
    for (const auto& n : names)
        if (!seen.insert(n).second) return n;
    return std::nullopt;
}

}  // namespace letts::devserver
