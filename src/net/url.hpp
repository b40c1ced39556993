// Building request targets: percent-escaped path segments and query strings
// (client-behavior.md §2: ids and names are escaped, never pasted raw).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace letts::net {

// RFC 3986 percent-encoding of everything but the unreserved characters
// (ALPHA / DIGIT / "-" / "." / "_" / "~"), so a value can never change the
// shape of the path or the query it is put into.
std::string escape(std::string_view text);

// "?k1=v1&k2=v2" from the pairs in order, both sides escaped; "" when empty.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace letts::net
