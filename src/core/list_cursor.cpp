#include "core/list_cursor.hpp"

#include <array>
#include <optional>

#include "core/base64url.hpp"
#include "core/error.hpp"
#include "core/json_value.hpp"
#include "core/quote.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

namespace letts::list_cursor {

namespace {

[[noreturn]] void refuse(const std::string& what) {
    throw Error(Status::invalid_argument, what);
}

void check_mission_id(std::string_view id, const char* where) {
    const std::string name = std::string(where) + "mission_id";
    if (id.empty()) refuse(name + " is empty");
    if (id.size() > max_mission_id_bytes) {
        refuse(name + " is longer than " + std::to_string(max_mission_id_bytes) + " bytes");
    }
    if (!utf8::valid(id)) refuse(name + " is not valid UTF-8");
    for (const char c : id) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            refuse(name + " holds a control character");
        }
    }
}

// A JSON string as Go's encoding/json writes it for an id that passed
// check_mission_id: `"` and `\` escaped, and the HTML-safe escapes Marshal
// applies by default (<, >, & and the line/paragraph separators U+2028/9).
std::string go_json_string(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '<') {
            out += "\\u003c";
        } else if (c == '>') {
            out += "\\u003e";
        } else if (c == '&') {
            out += "\\u0026";
        } else if (text.substr(i, 3) == "\xE2\x80\xA8" || text.substr(i, 3) == "\xE2\x80\xA9") {
            out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::int64_t time_member(const jv::Value& value, const std::string& name) {
    std::int64_t ms = 0;
    if (value.type != jv::Type::number || !text::parse_int64(value.text, ms)) {
        refuse("cursor member " + name + " is not an integer");
    }
    if (ms < 0) refuse("cursor member " + name + " is negative");
    return ms;
}

// The members of the decoded object, each at most once and nothing else.
Position read_members(const jv::Value& object) {
    Position position;
    std::array<bool, 3> seen{};
    for (const auto& member : object.members) {
        const std::size_t slot = member.name == "time_created"    ? 0
                                 : member.name == "time_finished" ? 1
                                 : member.name == "mission_id"    ? 2
                                                                  : 3;
        if (slot == 3) refuse("cursor has an unknown member " + quoted(member.name, 64));
        if (seen[slot]) refuse("cursor has member " + member.name + " twice");
        seen[slot] = true;
        if (slot == 0) position.time_created_ms = time_member(member.value, member.name);
        if (slot == 1) position.time_finished_ms = time_member(member.value, member.name);
        if (slot == 2) {
            if (member.value.type != jv::Type::string) refuse("cursor member mission_id is not a string");
            position.mission_id = member.value.text;
        }
    }
    if (!seen[2]) refuse("cursor has no mission_id");
    check_mission_id(position.mission_id, "cursor member ");
    if (position.time_created_ms == 0 && position.time_finished_ms == 0) {
        refuse("cursor has neither a time_created nor a time_finished above 0");
    }
    return position;
}

}  // namespace

std::string encode(const Position& position) {
    if (position.time_created_ms < 0) refuse("time_created_ms is negative");
    if (position.time_finished_ms < 0) refuse("time_finished_ms is negative");
    if (position.time_created_ms == 0 && position.time_finished_ms == 0) {
        refuse("time_created_ms or time_finished_ms must be above 0");
    }
    check_mission_id(position.mission_id, "");
    std::string json = "{";
    if (position.time_created_ms > 0) {
        json += "\"time_created\":" + std::to_string(position.time_created_ms) + ",";
    }
    if (position.time_finished_ms > 0) {
        json += "\"time_finished\":" + std::to_string(position.time_finished_ms) + ",";
    }
    json += "\"mission_id\":" + go_json_string(position.mission_id) + "}";
    return b64url::encode(json);
}

Position decode(std::string_view cursor) {
    if (cursor.empty()) return {};
    if (cursor.size() > max_cursor_chars) {
        refuse("cursor is longer than " + std::to_string(max_cursor_chars) + " characters");
    }
    const std::optional<std::string> raw = b64url::decode(cursor);
    // Re-encoding catches the spellings no encoder writes (non-zero bits
    // after the last byte), so one position has one cursor.
    if (!raw || b64url::encode(*raw) != cursor) refuse("cursor is not unpadded base64url");
    // One flat object: depth 1 is all a cursor needs.
    const jv::ParseResult parsed = jv::parse(*raw, 1);
    if (!parsed.value) refuse("cursor does not hold JSON: " + parsed.error);
    if (parsed.value->type != jv::Type::object) refuse("cursor does not hold a JSON object");
    return read_members(*parsed.value);
}

}  // namespace letts::list_cursor
