// The one strict JSON parser of the project for text that must be kept as
// written (see core/json.hpp for which parser serves what).
//
// read() checks RFC 8259 and reports each token to a ReadHandler with its
// exact text, so the handler can build whatever model it needs: the
// devserver's value tree (core/json_value.hpp) or the mission runtime's
// compact document with spans (mission/json_doc.hpp). Numbers are never
// converted here, so integers stay exact; duplicate member names are reported
// like any other member, for the model to keep, refuse or let the last win.
//
// It runs on request and mission bytes, on threads with small stacks: it
// never recurses (open containers are a vector on the heap) and the nesting
// depth is bounded by ReadOptions, so memory stays proportional to the input.
// When it fails it says where and why in a ReadError, which go_message()
// words the way the daemon's Go decoder does (the devserver reproduces those
// texts) and plain_message() words for the runtime's own messages.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace letts::json {

enum class Kind { null, boolean, number, string, array, object };

// How ReadOptions::max_depth counts.
enum class DepthRule {
    // Like Go's encoding/json: opening container number max_depth + 1
    // fails, at its bracket.
    containers,
    // Like the mission runtime has always done: a value that starts inside
    // more than max_depth open containers fails, at its first byte (so an
    // empty container at level max_depth + 1 still passes).
    enclosed_values,
};

struct ReadOptions {
    int max_depth = 10000;
    DepthRule depth_rule = DepthRule::containers;
    // Refuse invalid UTF-8 inside strings (otherwise the bytes are kept).
    bool require_utf8 = false;
};

// The events of one document, in document order. `raw` is the token exactly
// as written (strings with their quotes and escapes).
class ReadHandler {
public:
    virtual void open(Kind container, std::size_t offset) = 0;   // '{' or '['
    virtual void key(std::string name, std::string_view raw) = 0;  // object member name
    // null, boolean (`boolean` holds it), number (`raw` is the literal) or
    // string (`decoded` holds its value).
    virtual void scalar(Kind kind, std::string_view raw, std::string decoded, bool boolean) = 0;
    virtual void close() = 0;  // '}' or ']'

protected:
    ~ReadHandler() = default;
};

struct ReadError {
    enum class Code {
        end_of_input,        // the text ends inside a value
        unexpected_byte,     // `context` says where, in Go's words
        bad_literal,         // true/false/null misspelt; `start` = its first byte
        after_value,         // data after the top-level value
        too_deep,            // beyond ReadOptions::max_depth
        unterminated_string, // the text ends inside a string
        control_in_string,   // a raw byte below 0x20 inside a string
        bad_escape,          // `\q`: offset is the byte after the backslash
        bad_unicode_escape,  // `\u` not followed by 4 hex digits; `start` = the first of them
        invalid_utf8,        // only with require_utf8
    };
    Code code = Code::end_of_input;
    std::size_t offset = 0;      // the offending byte (text.size() at the end)
    std::size_t start = 0;       // bad_literal, bad_unicode_escape: see above
    const char* context = "";    // unexpected_byte: e.g. "after array element"
    const char* literal = "";    // bad_literal: the word that was expected
    int max_depth = 0;           // too_deep
};

// Reads one complete JSON text (surrounding whitespace allowed, nothing
// else). Returns the first error; the handler has then seen a prefix only.
std::optional<ReadError> read(std::string_view text, const ReadOptions& options,
                              ReadHandler& handler);

// Go encoding/json's text for `error`, e.g.
//   "invalid character 'x' looking for beginning of value"
//   "unexpected end of JSON input"
std::string go_message(const ReadError& error, std::string_view text);

// The runtime's own wording, with the byte offset, e.g.
//   "unexpected character 'x' at byte 3", "nesting deeper than 512 levels at byte 513"
std::string plain_message(const ReadError& error, std::string_view text);

}  // namespace letts::json
