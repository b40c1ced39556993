// The daemon's validation rules for names (http-api.md §3.2).
#pragma once

#include <string_view>

namespace letts::devserver::rules {

// ^[a-z][a-z0-9_-]{0,31}$
bool lane_name(std::string_view s);
// ^[A-Za-z0-9_][A-Za-z0-9_.-]*$, 1–128 bytes
bool mission_name(std::string_view s);
// ^[a-f0-9]{64}$
bool sha256_hex(std::string_view s);

}  // namespace letts::devserver::rules
