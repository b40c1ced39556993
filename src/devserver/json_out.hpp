// Small additions to core/json for the devserver's responses: embedding a
// JSON text that is already serialised (a job's canonical input, a
// mission's return value) without re-parsing it, 64-bit integers that must
// stay exact beyond 2^53, strings that may hold NUL, and the final printer
// of every JSON text the server emits (replies and event lines).
//
// Every JSON text the server emits must be valid UTF-8 even where requests
// or missions handed it invalid bytes (a name echoed in an error message, a
// stored label). print() is the one place all of them pass through, so the
// replacement is made there, after serialisation, the way Go's encoder
// replaces invalid bytes with U+FFFD: invalid bytes can only sit inside
// string literals, so replacing them keeps the document well formed.
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
// A string node for any text, NUL bytes included (core/json refuses them:
// cJSON strings end at a NUL): such text becomes a raw node holding the
// literal, NUL written as \u0000.
json::Ptr string(std::string_view text);
// The compact text of `node`, invalid UTF-8 replaced by U+FFFD.
std::string print(const cJSON* node);
// print() followed by "\n" (the daemon's JSON replies).
std::string line(const cJSON* node);

}  // namespace letts::devserver::jout
