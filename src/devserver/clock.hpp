// Wall-clock milliseconds (what the wire carries) and monotonic deadlines
// (what waits use), in one place.
#pragma once

#include <chrono>
#include <cstdint>

namespace letts::devserver {

inline std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

using SteadyClock = std::chrono::steady_clock;

}  // namespace letts::devserver
