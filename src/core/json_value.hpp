// A JSON document model that keeps what cJSON cannot: number literals
// exactly as written (integers beyond 2^53, the mission's own formatting),
// member order, and duplicate members. The devserver needs all three for the
// RFC 8785 canonical input (duplicate keys refused, big integers exact), for
// decoding fd 3 lines the way the daemon's decoder does (last duplicate wins,
// case-insensitive member lookup) and for passing a mission's `return` and
// `fail.details` through unchanged. Responses are still built with core/json.
//
// Everything here sees request and mission bytes on a connection thread with
// a small stack (256 KiB), so nothing recurses on the depth of a document:
// parse, compact, canonical, and also copying and destroying a Value, walk
// the tree with an explicit stack on the heap. Depth is still bounded (like
// the daemon's decoder, 10000 levels) so that memory stays proportional to
// the input. Parsing is core/json_reader's (Go's depth rule and Go's error
// texts, which the devserver echoes as the daemon does).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace letts::jv {

enum class Type { null, boolean, number, string, array, object };

struct Member;

struct Value {
    Value() = default;
    // Copy and destruction are iterative (see above); moves are shallow.
    Value(const Value& other);
    Value(Value&& other) noexcept;
    Value& operator=(const Value& other);
    Value& operator=(Value&& other) noexcept;
    ~Value();

    Type type = Type::null;
    bool boolean = false;
    std::string text;  // number literal as written, or the decoded string
    std::vector<Value> items;
    // A vector of an incomplete type is allowed (C++17), a std::pair of one
    // is not: clang/libc++ and clang/libstdc++ reject the pair form.
    std::vector<Member> members;

    // The last member named `key` (exact match), or nullptr.
    const Value* find(std::string_view key) const;
    // Like the daemon's decoder: exact match first, then ASCII case-insensitive;
    // with duplicates the last one wins.
    const Value* find_fold(std::string_view key) const;
    // The JSON type name as the daemon's decoder reports it.
    const char* go_type_name() const;
};

// One object member; declared after Value so that Value is complete here.
struct Member {
    std::string name;
    Value value;
};

struct ParseResult {
    std::optional<Value> value;
    std::string error;  // Go encoding/json style text when value is empty
};

// The nesting limit of the daemon's decoder (Go encoding/json).
inline constexpr int kMaxDepth = 10000;

// Parses one complete JSON text (surrounding whitespace allowed, nothing
// else). `max_depth` bounds nesting: opening container number max_depth+1
// fails with Go's message "invalid character '[' exceeded max depth".
// String bytes are kept as they are (invalid UTF-8 included, see
// utf8::replace_invalid for decoding the way Go's decoder does).
ParseResult parse(std::string_view text, int max_depth = kMaxDepth);

// Compact serialisation keeping member order and number literals.
std::string compact(const Value& v);

// RFC 8785 (JCS) canonical form. Returns nullopt when the value cannot be
// canonicalised: duplicate member names anywhere, or a number out of range.
// Integers (no '.', 'e', 'E') that fit in 64 bits are kept exactly.
std::optional<std::string> canonical(const Value& v);

// The project's one JSON string escaper: `s` as a minimal JSON string
// literal, with quotes, by the JCS rules (RFC 8785 §3.2.2.2: `"` `\` and
// \b \f \n \r \t escaped, other bytes below 0x20 as \u00xx, every other
// byte as it is). The bytes are not checked: callers that must emit valid
// UTF-8 check or repair it first (core/utf8.hpp).
std::string quote(std::string_view s);
// The same literal appended to `out`.
void append_quoted(std::string& out, std::string_view s);

}  // namespace letts::jv
