// `--selector key=value[,key=value…]` of the bulk commands (upstream
// selector.go): status, outcome, lane, mission (substring), mission_prefix,
// since and until (relative "-1h", "-30m", "-7d", or Unix milliseconds).
// Kind is pinned to "mission" so a loose selector never catches exec jobs.
#pragma once

#include <string>

#include "handles.hpp"

namespace letts_cli {

// The filter a selector describes; a usage error names a bad pair or key.
ListFilterPtr parse_selector(const std::string& text);

}  // namespace letts_cli
