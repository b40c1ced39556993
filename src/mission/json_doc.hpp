// A parsed, immutable JSON document that remembers the exact text of every
// value.
//
// Why not cJSON (the project's JSON library): the mission runtime must hand
// back values exactly as they were written. dugdale stores a success
// `return` as the raw bytes sent and preserves integers beyond 2^53 in the
// input; cJSON keeps numbers as doubles and re-prints them. It also accepts
// text Go's decoder refuses (e.g. "01"), which would let a mission send a
// line dugdale records as event_protocol_error. The parser is core's strict
// RFC 8259 reader (core/json_reader.hpp, here with UTF-8 validated); the
// document keeps a compact copy of the text (all insignificant whitespace
// removed, every token verbatim) in which each node knows its span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.hpp"

namespace letts::mission {

class JsonDoc {
public:
    using Kind = json::Kind;

    struct Member {
        std::string name;             // decoded
        std::size_t name_begin = 0;   // span of the name token (quotes included)
        std::size_t name_end = 0;
        std::size_t value = 0;        // node index
    };

    struct Node {
        Kind kind = Kind::null;
        std::size_t begin = 0;  // span of the value in text()
        std::size_t end = 0;
        bool boolean = false;   // Kind::boolean
        std::string string;     // Kind::string: the decoded value
        std::vector<Member> members;     // Kind::object, in document order
        std::vector<std::size_t> items;  // Kind::array: node indexes
    };

    // Parses one complete JSON value (surrounding whitespace allowed).
    // Throws letts::Error(Status::invalid_argument) naming `what` and the
    // byte offset of the first problem, e.g.
    //   "success return is not valid JSON: unexpected character 'x' at byte 3"
    static JsonDoc parse(std::string_view text, std::string_view what);

    // The compact text of the whole document.
    const std::string& text() const noexcept { return text_; }
    const Node& root() const noexcept { return nodes_.front(); }
    const Node& node(std::size_t index) const noexcept { return nodes_[index]; }
    std::string_view text_of(const Node& n) const noexcept {
        return std::string_view(text_).substr(n.begin, n.end - n.begin);
    }

    // Dot-path lookup (see letts/mission.h): nullptr when absent.
    const Node* find(std::string_view path) const;

    // Object member lookup, the last of repeated names winning.
    const Node* member(const Node& object, std::string_view name) const;

    // Pretty print in the layout of PHP's JSON_PRETTY_PRINT (4 spaces,
    // "name": value, empty containers as {} and []), without a final newline.
    std::string pretty() const;

private:
    friend class JsonParser;
    std::string text_;
    std::vector<Node> nodes_;
};

// The JSON type name used in messages: "null", "boolean", "number",
// "string", "array", "object".
std::string_view kind_name(JsonDoc::Kind kind) noexcept;

}  // namespace letts::mission
