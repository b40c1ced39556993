// A YAML file (letts.yaml, dugdale.yaml) as a tree of YAML nodes, before any
// meaning is attached (yaml_decode.hpp does that).
//
// libyaml delivers events; this layer turns them into an immutable tree that
// the schemas can walk freely:
//   * anchors/aliases are resolved by sharing the anchored node (no copy, so a
//     "billion laughs" document stays small);
//   * `<<` merge keys are applied (explicit keys win, then earlier merge
//     sources over later ones);
//   * duplicate keys in one mapping are rejected, as Go's yaml.v3 does;
//   * every scalar is typed once by the YAML 1.2 core schema, which is what
//     yaml.v3 applies: only *plain* scalars can be null/bool/int/float, a
//     quoted "7180" is a string.
// Syntax errors carry line:column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace letts::yaml {

struct Mark {
    std::size_t line = 0;  // 1-based
    std::size_t column = 0;
};

enum class Kind { scalar, sequence, mapping };

// Resolved type of a scalar.
enum class Type { null, boolean, integer, floating, string };

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Entry {
    std::string key;  // the key scalar's text as written
    Mark key_mark;
    NodePtr value;
};

struct Node {
    Kind kind = Kind::scalar;
    Mark mark;

    // Scalars.
    std::string text;
    Type type = Type::string;

    // Sequences.
    std::vector<NodePtr> items;

    // Mappings: explicit keys in document order, then keys brought in by `<<`.
    std::vector<Entry> entries;

    bool is_null() const { return kind == Kind::scalar && type == Type::null; }
    // Words for messages: "a mapping", "a sequence", "a string", ...
    std::string_view describe() const;
};

// The value of an integer scalar; nullopt when it does not fit in 64 bits.
std::optional<std::int64_t> integer_value(const Node& scalar);
// The value of a boolean scalar.
bool boolean_value(const Node& scalar);

// Parses a stream holding at most one document. Returns a null scalar for an
// empty stream. Throws letts::Error(Status::config, "yaml parse: ...") without
// the source name (the loader adds it); std::bad_alloc when libyaml runs out
// of memory.
NodePtr parse(std::string_view text);

}  // namespace letts::yaml
