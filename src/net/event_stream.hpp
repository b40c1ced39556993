// Following a mission's event stream (client-behavior.md §7): one
// connection at a time, reconnecting from the last seen seq with the PHP
// client's budget (3 consecutive event-less reconnects, reset when a
// connection delivers new events; 1000 reconnects in total; 100/500/2000 ms
// back-off without jitter, or the transport's reconnect_backoff_ms). Silence is normal: a quiet stream stays open
// until the deadline, which the loop enforces to the millisecond.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"
#include "net/transport.hpp"

namespace letts::net {

struct FollowSettings {
    bool follow = true;   // false: one archived read, no reconnect
    std::int64_t from = 0;
    std::optional<std::chrono::steady_clock::time_point> deadline;
    int consecutive_limit = 3;
    int total_limit = 1000;
};

// Gets every event in seq order with its raw line; returns false to stop.
using EventHandler = std::function<bool(const cJSON* event, std::string_view line)>;

enum class FollowEnd {
    done,         // the `done` event was received (done_event holds it)
    end_of_body,  // archived read (follow=false) ended without `done`
    stopped,      // the handler returned false
};

struct FollowResult {
    FollowEnd end = FollowEnd::done;
    json::Ptr done_event;
    std::int64_t last_seq = 0;
};

// Throws: Status::wait_timeout when the deadline passes; the mapped HTTP
// error for a 4xx answer (no reconnect); Status::dispatch for a 1xx/3xx
// answer or a line over the transport's max_event_line_bytes (no
// reconnect); Status::network when the reconnect budget is exhausted.
// The handler runs on the loop's thread, inside Loop::step().
Task<FollowResult> follow_events(Loop& loop, const Transport& transport, Endpoint endpoint,
                                 std::string mission_id, FollowSettings settings,
                                 EventHandler handler);

// The failure of a stream whose event line passed max_event_line_bytes
// (Status::dispatch; not retried, not reconnected).
Error event_line_too_long(std::size_t limit, std::string_view dugdale_id,
                          std::string_view operation);

// The pause before reconnect number `unproductive` (7.2 step 5):
// schedule[min(max(unproductive, 1), size) - 1]; an empty schedule is the
// PHP client's 100/500/2000 ms.
std::chrono::milliseconds reconnect_pause(int unproductive,
                                          std::span<const std::int64_t> schedule = {});

// The request target of one connection.
std::string events_target(std::string_view mission_id, bool follow, std::optional<std::int64_t> from);

}  // namespace letts::net
