#include "config/parse.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "config/text.hpp"
#include "core/error.hpp"
#include "core/yaml_decode.hpp"

namespace letts::config {

namespace {

using yaml::Kind;
using yaml::Node;
using yaml::Type;

[[noreturn]] void fail(std::string_view path, std::string_view rule) {
    throw Error(Status::config, std::string(path) + ": " + std::string(rule));
}

// letts.yaml words a failure as "<key path>: <rule>" (parse.hpp). Keys
// of a mapping are joined to its path by `separator`: "." everywhere except
// inside a lane, where the PHP form "lane fast: concurrency" is kept.
class KeyPaths final : public yaml::Wording {
public:
    explicit KeyPaths(std::string_view separator) : separator_(separator) {}

    [[noreturn]] void unknown_key(std::string_view path, const yaml::Entry& entry) const override {
        fail(path.empty() ? "root" : path, "unknown key: " + printable(entry.key));
    }
    [[noreturn]] void not_a_mapping(std::string_view path, const Node& node) const override {
        fail(path, "must be a mapping, got " + std::string(node.describe()));
    }
    std::string member(std::string_view path, std::string_view key) const override {
        if (path.empty()) return std::string(key);
        std::string joined(path);
        joined += separator_;
        joined += key;
        return joined;
    }

private:
    std::string_view separator_;
};

const KeyPaths sections(".");
const KeyPaths lane_fields(": ");

// "a string \"7180\"", "a mapping": what was found instead. Only called for
// non-token fields, so echoing a scalar's text is safe.
std::string found(const Node& node) {
    std::string text(node.describe());
    if (node.kind == Kind::scalar && !node.is_null()) {
        // Appended piece by piece: `" " + quote(...)` (operator+ of a literal
        // and a string rvalue, an insert at 0) trips GCC 12's false
        // -Wrestrict at -O3 (GCC bug 105329), which werror turns into a
        // failed release build.
        text += ' ';
        text += quote(node.text);
    }
    return text;
}

// ---- scalars and lists ------------------------------------------------------

// Strings accept any scalar as its written text; null reads as "".
// The value itself is never echoed: it may be a token.
std::string string_of(const Node& node, std::string_view path) {
    if (node.kind != Kind::scalar)
        fail(path, "must be a string, got " + std::string(node.describe()));
    return node.is_null() ? std::string() : node.text;
}

// Null and absent are the same: nullopt.
std::optional<std::string> optional_string_of(const Node& node, std::string_view path) {
    if (node.is_null()) return std::nullopt;
    return string_of(node, path);
}

// Only a plain YAML integer is an integer (section 3.2, libletts decision).
std::optional<std::int64_t> integer_of(const Node& node, std::string_view path) {
    if (node.is_null()) return std::nullopt;
    if (node.kind != Kind::scalar || node.type != Type::integer)
        fail(path, "must be an integer, got " + found(node));
    const auto value = yaml::integer_value(node);
    if (!value) fail(path, "integer " + node.text + " out of range");
    return value;
}

std::optional<bool> boolean_of(const Node& node, std::string_view path) {
    if (node.is_null()) return std::nullopt;
    if (node.kind != Kind::scalar || node.type != Type::boolean)
        fail(path, "must be true or false, got " + found(node));
    return yaml::boolean_value(node);
}

// nullopt for null: the caller tells "absent" from "[]" (section 6.3).
std::optional<std::vector<std::string>> strings_of(const Node& node, std::string_view path) {
    if (node.is_null()) return std::nullopt;
    if (node.kind != Kind::sequence)
        fail(path, "must be a list of strings, got " + std::string(node.describe()));
    std::vector<std::string> out;
    out.reserve(node.items.size());
    for (std::size_t i = 0; i < node.items.size(); ++i)
        out.push_back(string_of(*node.items[i], std::string(path) + "[" + std::to_string(i) + "]"));
    return out;
}

// Handlers for the field tables: each stores one value where it belongs.

yaml::Handler string_into(std::string& out) {
    return [&out](const Node& value, const std::string& path) { out = string_of(value, path); };
}

yaml::Handler optional_string_into(std::optional<std::string>& out) {
    return [&out](const Node& value, const std::string& path) {
        out = optional_string_of(value, path);
    };
}

// Null is 0, the "unset" of a port.
yaml::Handler integer_into(std::int64_t& out) {
    return [&out](const Node& value, const std::string& path) {
        out = integer_of(value, path).value_or(0);
    };
}

yaml::Handler boolean_into(std::optional<bool>& out) {
    return [&out](const Node& value, const std::string& path) { out = boolean_of(value, path); };
}

yaml::Handler strings_into(std::optional<std::vector<std::string>>& out) {
    return [&out](const Node& value, const std::string& path) { out = strings_of(value, path); };
}

// `templates["prod"]`: the Go form for user-named entries.
std::string named(std::string_view section, std::string_view name) {
    return std::string(section) + "[" + quote(name) + "]";
}

// ---- sections ---------------------------------------------------------------

struct Lanes {
    std::map<std::string, Lane> lanes;
    std::vector<std::string> nulls;
};

// `where` is "dugdales[0].lanes: lane fast"; `value` is not null.
Lane parse_lane(const Node& value, const std::string& where) {
    if (value.kind != Kind::mapping) fail(where, "must have concurrency");
    Lane lane;
    bool has_concurrency = false;
    yaml::Fields(where, lane_fields)
        .field("concurrency",
               [&](const Node& v, const std::string& path) {
                   if (auto n = integer_of(v, path)) {
                       lane.concurrency = *n;
                       has_concurrency = true;
                   }
               })
        .field("paused",
               [&](const Node& v, const std::string& path) {
                   lane.paused = boolean_of(v, path).value_or(false);
               })
        .decode(value);
    if (!has_concurrency) fail(where, "must have concurrency");
    return lane;
}

// `path` is "dugdales[0].lanes"; inside a lane the PHP form "lane <name>"
// follows it, so both upstream wordings can be found in the message.
Lanes parse_lanes(const Node& node, const std::string& path) {
    Lanes out;
    yaml::decode_entries(node, path, sections, [&](const yaml::Entry& entry) {
        if (entry.value->is_null())
            out.nulls.push_back(entry.key);
        else
            out.lanes.emplace(entry.key,
                              parse_lane(*entry.value, path + ": lane " + printable(entry.key)));
    });
    return out;
}

// `lanes:` splits into the lanes declared and the names set to null, which
// a template rejects and a dugdale reads as "remove the template's lane".
yaml::Handler lanes_into(std::map<std::string, Lane>& lanes, std::vector<std::string>& nulls) {
    return [&lanes, &nulls](const Node& value, const std::string& path) {
        Lanes parsed = parse_lanes(value, path);
        lanes = std::move(parsed.lanes);
        nulls = std::move(parsed.nulls);
    };
}

// The keys a template and a dugdale read alike (the tokens and
// mission_dir), so a dugdale's value means what its template's would.
template <class Target>
yaml::Fields& credentials_and_dir(yaml::Fields& fields, Target& target) {
    return fields.field("token", string_into(target.token))
        .field("admin_token", string_into(target.admin_token))
        .field("exec_token", string_into(target.exec_token))
        .field("mission_dir", string_into(target.mission_dir));
}

std::optional<Runtime> parse_runtime(const Node& node, const std::string& path) {
    Runtime runtime;
    const bool present =
        yaml::Fields(path, sections)
            .field("mission_path_template", string_into(runtime.mission_path_template))
            .field("command_template", strings_into(runtime.command_template))
            .field("validate_mission_file", boolean_into(runtime.validate_mission_file))
            .decode(node);
    if (!present) return std::nullopt;
    return runtime;
}

Auth parse_auth(const Node& node, const std::string& path) {
    Auth auth;
    yaml::Fields(path, sections)
        .field("token", string_into(auth.token))
        .field("admin_token", string_into(auth.admin_token))
        .field("exec_token", string_into(auth.exec_token))
        .decode(node);
    return auth;
}

std::int64_t parse_defaults(const Node& node, const std::string& path) {
    std::int64_t port = 0;
    yaml::Fields(path, sections).field("port", integer_into(port)).decode(node);
    return port;
}

std::vector<std::string> parse_selector(const Node& node, const std::string& path) {
    std::optional<std::vector<std::string>> match;
    yaml::Fields(path, sections).field("match", strings_into(match)).decode(node);
    return match.value_or(std::vector<std::string>{});
}

RawRoute parse_route(const Node& node, const std::string& path) {
    if (node.kind != Kind::mapping) fail(path, "must have host and lane");
    RawRoute route;
    yaml::Fields(path, sections)  // Go rule: routes are key-checked too
        .field("host", optional_string_into(route.host))
        .field("lane", optional_string_into(route.lane))
        .decode(node);
    return route;
}

std::map<std::string, RawRoute> parse_routes(const Node& node, const std::string& path) {
    std::map<std::string, RawRoute> routes;
    yaml::decode_entries(node, path, sections, [&](const yaml::Entry& entry) {
        routes.emplace(entry.key, parse_route(*entry.value, named(path, entry.key)));
    });
    return routes;
}

std::map<std::string, std::string> parse_aliases(const Node& node, const std::string& path) {
    std::map<std::string, std::string> aliases;
    yaml::decode_entries(node, path, sections, [&](const yaml::Entry& entry) {
        aliases.emplace(entry.key, string_of(*entry.value, named(path, entry.key)));
    });
    return aliases;
}

RawTemplate parse_template(const std::string& name, const Node& node, const std::string& path) {
    if (node.kind != Kind::mapping) fail(path, "must be a mapping");
    RawTemplate raw;
    Template& t = raw.fields;
    t.name = name;
    // id, host, port, url and extends are unknown keys here.
    yaml::Fields fields(path, sections);
    credentials_and_dir(fields, t)
        .field("labels", strings_into(t.labels))
        .field("lanes", lanes_into(t.lanes, raw.null_lanes))
        .field("proxy", string_into(t.proxy))  // null is no marker in a template
        .field("runtime", [&](const Node& value,
                              const std::string& at) { t.runtime = parse_runtime(value, at); })
        .decode(node);
    return raw;
}

std::map<std::string, RawTemplate> parse_templates(const Node& node, const std::string& path) {
    std::map<std::string, RawTemplate> templates;
    yaml::decode_entries(node, path, sections, [&](const yaml::Entry& entry) {
        templates.emplace(entry.key,
                          parse_template(entry.key, *entry.value, named(path, entry.key)));
    });
    return templates;
}

RawDugdale parse_dugdale(std::size_t index, const Node& node) {
    const std::string path = "dugdales[" + std::to_string(index) + "]";
    if (node.kind != Kind::mapping) fail(path, "must be a mapping");
    RawDugdale raw;
    Dugdale& d = raw.fields;
    d.index = index;
    yaml::Fields fields(path, sections);
    credentials_and_dir(fields, d)
        .field("id", string_into(d.id))
        .field("host", string_into(d.host))
        .field("port", integer_into(d.port))
        .field("url", string_into(d.url))
        .field("proxy",
               [&d](const Node& value, const std::string& at) {
                   // `proxy: null` (also `~` or empty) = explicitly no proxy.
                   d.proxy_disabled = value.is_null();
                   d.proxy = string_of(value, at);
               })
        .field("extends", string_into(d.extends))
        .field("labels",
               [&raw](const Node& value, const std::string& at) {
                   raw.labels = strings_of(value, at);
                   raw.fields.labels = raw.labels.value_or(std::vector<std::string>{});
               })
        .field("lanes", lanes_into(d.lanes, raw.removed_lanes))
        .field("runtime",
               [&d](const Node& value, const std::string& at) {
                   d.runtime = parse_runtime(value, at).value_or(Runtime{});
               })
        .decode(node);
    return raw;
}

std::vector<RawDugdale> parse_dugdales(const Node& node, const std::string& path) {
    std::vector<RawDugdale> dugdales;
    if (node.is_null()) return dugdales;
    if (node.kind != Kind::sequence)
        fail(path, "must be a list, got " + std::string(node.describe()));
    dugdales.reserve(node.items.size());
    for (std::size_t i = 0; i < node.items.size(); ++i)
        dugdales.push_back(parse_dugdale(i, *node.items[i]));
    return dugdales;
}

// Wraps a section parser as the handler of its root key.
template <class T, class Parse>
yaml::Handler section_into(T& out, Parse parse) {
    return [&out, parse](const Node& value, const std::string& path) { out = parse(value, path); };
}

}  // namespace

RawConfig parse_config(const yaml::Node& root) {
    if (root.kind != Kind::mapping) throw Error(Status::config, "yaml root must be a mapping");
    RawConfig config;
    yaml::Fields("", sections)
        .field("auth", section_into(config.auth, parse_auth))
        .field("defaults", section_into(config.default_port, parse_defaults))
        .field("selector", section_into(config.selector_match, parse_selector))
        .field("routes", section_into(config.routes, parse_routes))
        .field("aliases", section_into(config.aliases, parse_aliases))
        .field("templates", section_into(config.templates, parse_templates))
        .field("dugdales", section_into(config.dugdales, parse_dugdales))
        .decode(root);
    return config;
}

}  // namespace letts::config
