// The cursor of the daemon's mission listing (http-api.md §5.8): unpadded
// base64url of a compact JSON object {"time_created": ms, "time_finished":
// ms, "mission_id": id}, a time member left out when it is 0 — the bytes
// the daemon writes and the upstream Go client's EncodeListCursor makes
// (Go's encoding/json: struct order, omitempty, HTML-safe string escapes).
//
// decode() reads a cursor given by a caller (or a server) strictly and
// within bounds: a cap on its length, one flat object, exactly the three
// known members, integers only, each failure named in the message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace letts::list_cursor {

struct Position {
    std::int64_t time_created_ms = 0;   // order=created; 0 = absent
    std::int64_t time_finished_ms = 0;  // order=finished; 0 = absent
    std::string mission_id;
};

// The longest cursor decode() reads and the longest id encode() takes: a
// daemon's id is a 36-character UUID, its cursors about 100 characters.
inline constexpr std::size_t max_cursor_chars = 2048;
inline constexpr std::size_t max_mission_id_bytes = 1024;

// Throws Status::invalid_argument when a time is negative, both are 0, or
// the id is empty, too long, not UTF-8 or holds a control character.
std::string encode(const Position& position);

// The empty cursor is the first page: a Position of zeros and "" (as the
// Go client's DecodeListCursor). Throws Status::invalid_argument naming
// what is wrong with any other cursor that encode() could not have made.
Position decode(std::string_view cursor);

}  // namespace letts::list_cursor
