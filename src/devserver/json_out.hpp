// Small additions to core/json for the devserver's responses: embedding a
// JSON text that is already serialised (a job's canonical input, a
// mission's return value) without re-parsing it, and 64-bit integers that
// must stay exact beyond 2^53.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/json.hpp"

namespace letts::devserver::jout {

// A node printed as `text` verbatim; `text` must be valid JSON.
json::Ptr raw(std::string_view text);
// An integer printed exactly, whatever its magnitude.
json::Ptr int64(std::int64_t value);
// The compact text of `node` followed by "\n" (the daemon's JSON replies).
std::string line(const cJSON* node);

}  // namespace letts::devserver::jout
