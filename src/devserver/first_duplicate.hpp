// Where a request's list of names (dispatch file roles, exec in/out keys)
// repeats itself: both endpoints refuse the first repeat, each with its own
// error code, and share the search.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace letts::devserver {

// The first name equal to an earlier one, or none. A set, not a pairwise
// scan: a body at the size limit holds tens of thousands of names.
std::optional<std::string> first_duplicate(const std::vector<std::string>& names);

}  // namespace letts::devserver
