#include "core/yaml_decode.hpp"

#include <cassert>

namespace letts::yaml {

std::string Wording::member(std::string_view label, std::string_view key) const {
    if (label.empty()) return std::string(key);
    std::string path(label);
    path += '.';
    path += key;
    return path;
}

Fields& Fields::field(std::string_view key, Handler handler) {
    assert(find(key) == nullptr && "a key is declared once");
    fields_.emplace_back(std::string(key), std::move(handler));
    return *this;
}

const Handler* Fields::find(std::string_view key) const {
    // A linear scan: a table has a few dozen keys at most.
    for (const auto& [name, handler] : fields_)
        if (name == key) return &handler;
    return nullptr;
}

bool Fields::decode(const Node& node) const {
    if (node.is_null()) return false;
    if (node.kind != Kind::mapping) wording_.not_a_mapping(label_, node);
    for (const Entry& entry : node.entries) {
        const Handler* handler = find(entry.key);
        if (!handler) wording_.unknown_key(label_, entry);
        (*handler)(*entry.value, wording_.member(label_, entry.key));
    }
    return true;
}

bool decode_entries(const Node& node, std::string_view label, const Wording& wording,
                    const std::function<void(const Entry& entry)>& each) {
    if (node.is_null()) return false;
    if (node.kind != Kind::mapping) wording.not_a_mapping(label, node);
    for (const Entry& entry : node.entries)
        each(entry);
    return true;
}

}  // namespace letts::yaml
