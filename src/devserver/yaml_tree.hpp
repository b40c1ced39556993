// A small, owned tree of a YAML document, built with libyaml.
//
// dugdale.yaml is decoded the way the daemon's YAML library does it: plain
// scalars are resolved to null / bool / int / float / string by the YAML 1.2
// core rules, quoted scalars are always strings, and a mapping key may appear
// only once. Keeping our own tree (instead of walking yaml_document_t) means
// the decoder in dugdale_config.cpp never touches libyaml's C structures.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace letts::devserver::yaml {

enum class Kind { null, scalar, sequence, mapping };

// How a scalar resolves (YAML 1.2 core schema; quoted scalars are `string`).
enum class ScalarType { string, boolean, integer, floating, null };

struct Node {
    Kind kind = Kind::null;
    ScalarType type = ScalarType::null;  // scalars only
    std::string value;                   // scalar text as written
    std::size_t line = 0;                // 1-based, for messages
    std::vector<Node> items;             // sequence items
    std::vector<std::pair<std::string, Node>> entries;  // mapping entries, document order

    // The YAML tag name as the daemon's messages spell it ("!!str", "!!int", …).
    std::string tag_name() const;
};

// Parses one YAML document. An empty document gives a null node. Throws
// letts::Error(Status::config) with "<origin>: yaml: line N: …" on a syntax
// error, a duplicate mapping key, a non-scalar mapping key, an alias, or a
// second document.
Node parse(std::string_view text, std::string_view origin);

}  // namespace letts::devserver::yaml
