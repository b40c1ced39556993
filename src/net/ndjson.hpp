// Incremental NDJSON decoding for event streams (http-api.md §7.1): bytes
// arrive in arbitrary chunks, lines are cut at '\n', and each complete line
// that is a JSON object becomes one event. Empty lines and lines that are not
// a JSON object are skipped, as both official clients do. Memory is bounded
// by the longest line accepted, never by the stream length. A line longer
// than that is either skipped (the default) or, for the client's event
// streams, ends the decoding with LineTooLong.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/json.hpp"

namespace letts::net {

class NdjsonDecoder {
public:
    // Gets each event (a JSON object) and its line text without the newline.
    using EventFn = std::function<void(const cJSON* event, std::string_view line)>;

    // What to do with a line longer than the cap.
    enum class Overlong { skip, fail };

    // Thrown by feed()/finish() in Overlong::fail mode as soon as a line
    // passes the cap (before it is held whole).
    struct LineTooLong {
        std::size_t limit;
    };

    // Lines longer than `max_line` bytes are discarded whole (the daemon's
    // reader gives up at 16 MiB, http-api.md §7.1).
    explicit NdjsonDecoder(std::size_t max_line = 16 * 1024 * 1024) : max_line_(max_line) {}
    NdjsonDecoder(std::size_t max_line, Overlong overlong)
        : max_line_(max_line), overlong_(overlong) {}

    // Feeds the next chunk; calls `on_event` for every completed line that
    // holds a JSON object, in order. Exceptions from `on_event` propagate;
    // the decoder stays usable (the rest of the chunk is dropped).
    void feed(std::string_view chunk, const EventFn& on_event);

    // End of stream: a last line without its newline still counts when it
    // is a complete JSON object (a torn line cannot be one).
    void finish(const EventFn& on_event);

    // Called from the event callback: feed() returns after this event (the
    // rest of the chunk is dropped) and stopped() is true. The caller's way
    // to end a stream without an exception.
    void stop() noexcept { stopped_ = true; }
    bool stopped() const noexcept { return stopped_; }

    // Bytes held for an incomplete line.
    std::size_t pending() const noexcept { return partial_.size(); }

private:
    void complete_line(std::string_view line, const EventFn& on_event);

    void too_long();

    std::size_t max_line_;
    Overlong overlong_ = Overlong::skip;
    std::string partial_;
    bool discarding_ = false;  // inside an over-long line: drop until '\n'
    bool stopped_ = false;
};

}  // namespace letts::net
