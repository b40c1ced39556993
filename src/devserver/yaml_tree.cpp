#include "devserver/yaml_tree.hpp"

#include <yaml.h>

#include <cstring>
#include <regex>

#include "core/error.hpp"

namespace letts::devserver::yaml {
namespace {

[[noreturn]] void fail(std::string_view origin, std::size_t line, const std::string& what) {
    std::string msg(origin);
    msg += ": yaml: ";
    if (line > 0) msg += "line " + std::to_string(line) + ": ";
    msg += what;
    throw Error(Status::config, std::move(msg));
}

// RAII owners for the two libyaml objects involved.
struct Parser {
    yaml_parser_t p{};
    Parser() {
        if (!yaml_parser_initialize(&p)) throw std::bad_alloc();
    }
    ~Parser() { yaml_parser_delete(&p); }
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;
};

struct Document {
    yaml_document_t d{};
    bool loaded = false;
    ~Document() {
        if (loaded) yaml_document_delete(&d);
    }
};

bool full_match(const std::string& s, const char* pattern) {
    return std::regex_match(s, std::regex(pattern));
}

ScalarType resolve_plain(const std::string& v) {
    if (v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL") return ScalarType::null;
    if (v == "true" || v == "True" || v == "TRUE" || v == "false" || v == "False" ||
        v == "FALSE")
        return ScalarType::boolean;
    if (full_match(v, "[-+]?(0|[1-9][0-9_]*)") || full_match(v, "0x[0-9a-fA-F_]+") ||
        full_match(v, "0o[0-7_]+") || full_match(v, "0b[01_]+"))
        return ScalarType::integer;
    if (full_match(v, "[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?") ||
        full_match(v, "[-+]?\\.(inf|Inf|INF)") || full_match(v, "\\.(nan|NaN|NAN)"))
        return ScalarType::floating;
    return ScalarType::string;
}

ScalarType resolve_tagged(const std::string& tag, const std::string& v) {
    if (tag == YAML_STR_TAG) return ScalarType::string;
    if (tag == YAML_INT_TAG) return ScalarType::integer;
    if (tag == YAML_BOOL_TAG) return ScalarType::boolean;
    if (tag == YAML_FLOAT_TAG) return ScalarType::floating;
    if (tag == YAML_NULL_TAG) return ScalarType::null;
    return resolve_plain(v);
}

Node convert(yaml_document_t* doc, yaml_node_t* n, std::string_view origin, int depth) {
    if (depth > 64) fail(origin, n->start_mark.line + 1, "document nested too deeply");
    Node out;
    out.line = n->start_mark.line + 1;
    switch (n->type) {
        case YAML_SCALAR_NODE: {
            out.value.assign(reinterpret_cast<const char*>(n->data.scalar.value),
                             n->data.scalar.length);
            const std::string tag = n->tag ? reinterpret_cast<const char*>(n->tag) : "";
            const bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            if (plain && (tag.empty() || tag == YAML_DEFAULT_SCALAR_TAG))
                out.type = resolve_plain(out.value);
            else if (!plain && (tag.empty() || tag == YAML_DEFAULT_SCALAR_TAG))
                out.type = ScalarType::string;
            else
                out.type = resolve_tagged(tag, out.value);
            out.kind = out.type == ScalarType::null ? Kind::null : Kind::scalar;
            return out;
        }
        case YAML_SEQUENCE_NODE:
            out.kind = Kind::sequence;
            for (auto* it = n->data.sequence.items.start; it < n->data.sequence.items.top; ++it)
                out.items.push_back(convert(doc, yaml_document_get_node(doc, *it), origin, depth + 1));
            return out;
        case YAML_MAPPING_NODE:
            out.kind = Kind::mapping;
            for (auto* p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; ++p) {
                yaml_node_t* k = yaml_document_get_node(doc, p->key);
                yaml_node_t* v = yaml_document_get_node(doc, p->value);
                if (k->type != YAML_SCALAR_NODE)
                    fail(origin, k->start_mark.line + 1, "mapping keys must be scalars");
                std::string key(reinterpret_cast<const char*>(k->data.scalar.value),
                                k->data.scalar.length);
                for (const auto& e : out.entries)
                    if (e.first == key)
                        fail(origin, k->start_mark.line + 1,
                             "mapping key \"" + key + "\" already defined at line " +
                                 std::to_string(e.second.line));
                Node value = convert(doc, v, origin, depth + 1);
                out.entries.emplace_back(std::move(key), std::move(value));
            }
            return out;
        default:
            return out;
    }
}

}  // namespace

std::string Node::tag_name() const {
    switch (kind) {
        case Kind::null: return "!!null";
        case Kind::sequence: return "!!seq";
        case Kind::mapping: return "!!map";
        case Kind::scalar: break;
    }
    switch (type) {
        case ScalarType::boolean: return "!!bool";
        case ScalarType::integer: return "!!int";
        case ScalarType::floating: return "!!float";
        case ScalarType::null: return "!!null";
        case ScalarType::string: break;
    }
    return "!!str";
}

Node parse(std::string_view text, std::string_view origin) {
    Parser parser;
    yaml_parser_set_input_string(&parser.p, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    Document doc;
    if (!yaml_parser_load(&parser.p, &doc.d)) {
        const std::size_t line = parser.p.problem_mark.line + 1;
        fail(origin, line, parser.p.problem ? parser.p.problem : "invalid YAML");
    }
    doc.loaded = true;
    yaml_node_t* root = yaml_document_get_root_node(&doc.d);
    if (root == nullptr) return Node{};
    Node tree = convert(&doc.d, root, origin, 0);

    Document second;
    if (!yaml_parser_load(&parser.p, &second.d)) {
        fail(origin, parser.p.problem_mark.line + 1,
             parser.p.problem ? parser.p.problem : "invalid YAML");
    }
    second.loaded = true;
    if (yaml_document_get_root_node(&second.d) != nullptr)
        fail(origin, 0, "expected a single document, found several");
    return tree;
}

}  // namespace letts::devserver::yaml
