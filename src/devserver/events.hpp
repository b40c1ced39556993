// The lines of a job's events stream (http-api.md §7.3/7.4), built as compact
// JSON with the daemon's key names. Each builder returns the line without the
// trailing newline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "devserver/model.hpp"

namespace letts::devserver::events {

// queued for POST /v1/dispatch: lane and mission; for a restart: restarted_from only.
std::string queued(std::int64_t seq, const Job& job);
std::string running(std::int64_t seq, std::int64_t time, int pid);
// `value_literal` is the JSON number exactly as the mission sent it.
std::string progress(std::int64_t seq, std::int64_t time, const std::optional<std::string>& value_literal,
                     const std::optional<std::string>& message);
std::string done(std::int64_t seq, const Job& job, const Result& result);

}  // namespace letts::devserver::events
