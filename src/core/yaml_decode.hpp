// Strict, declarative decoding of a YAML tree (yaml_tree.hpp) into C++
// values: the one decoder behind both YAML files libletts reads, letts.yaml
// (src/config/parse.cpp) and the daemon's dugdale.yaml
// (src/devserver/dugdale_config.cpp).
//
// Each mapping of a schema is declared once, as the table of its keys and
// what each key's value decodes into:
//
//     yaml::Fields("auth", wording)
//         .field("token", text_into(auth.token))
//         .decode(node);
//
// A key outside the table fails, and so does a mapping that is not one.
// What the two files share is that shape; what they do not share is how a
// failure is worded (letts.yaml: "auth: unknown key: x"; dugdale.yaml: the
// daemon's Go decoder, "line 3: field x not found in type config.AuthConfig")
// and how a scalar converts, so those stay with each schema: a Wording says
// the former, the handlers do the latter.
//
// Duplicate keys, anchors, merge keys and the nesting bound are settled by
// the tree before decoding starts; the decoder itself never recurses (each
// nested mapping is a handler of its parent's table, so the depth is that of
// the schema, not of the input).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/yaml_tree.hpp"

namespace letts::yaml {

// How one file format words a decoding failure. `label` is what the format's
// messages call the mapping being decoded: a key path for letts.yaml, the
// daemon's Go type name for dugdale.yaml. Both failures throw.
class Wording {
public:
    virtual ~Wording() = default;

    [[noreturn]] virtual void unknown_key(std::string_view label, const Entry& entry) const = 0;
    [[noreturn]] virtual void not_a_mapping(std::string_view label, const Node& node) const = 0;

    // The label handed to the handler of `key` inside the mapping `label`.
    // The default joins them with a dot ("auth.token"); "" is the root, whose
    // members are labelled by their key alone.
    virtual std::string member(std::string_view label, std::string_view key) const;
};

// Decodes one value; `label` is Wording::member of its key.
using Handler = std::function<void(const Node& value, const std::string& label)>;

// A mapping with a fixed set of keys (a struct of the schema).
class Fields {
public:
    // `wording` is kept by reference: it must outlive this object.
    Fields(std::string label, const Wording& wording)
        : label_(std::move(label)), wording_(wording) {}

    // Declares `key`; each key once.
    Fields& field(std::string_view key, Handler handler);

    // Null stands for an absent mapping: returns false and decodes nothing.
    // Otherwise hands every entry, in document order, to its key's handler
    // and returns true; the first unknown key fails (Wording::unknown_key),
    // and so does a node that is not a mapping (Wording::not_a_mapping).
    bool decode(const Node& node) const;

private:
    const Handler* find(std::string_view key) const;

    std::string label_;
    const Wording& wording_;
    std::vector<std::pair<std::string, Handler>> fields_;
};

// A mapping whose keys are names the user chose (routes, templates,
// mission_env.set): each entry, in document order, goes to `each` (which
// labels it as its format names such entries). Null stands for an absent
// mapping (returns false); any other non-mapping fails.
bool decode_entries(const Node& node, std::string_view label, const Wording& wording,
                    const std::function<void(const Entry& entry)>& each);

}  // namespace letts::yaml
