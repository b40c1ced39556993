#include "config/parse.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "config/text.hpp"
#include "core/error.hpp"

namespace letts::config {

namespace {

using yaml::Kind;
using yaml::Node;
using yaml::Type;

[[noreturn]] void fail(std::string_view path, std::string_view rule) {
    throw Error(Status::config, std::string(path) + ": " + std::string(rule));
}

[[noreturn]] void unknown_key(std::string_view where, std::string_view key) {
    fail(where, "unknown key: " + printable(key));
}

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

// nullptr for null (= absent: every section defaults to empty).
const Node* mapping_of(const Node& node, std::string_view path) {
    if (node.is_null()) return nullptr;
    if (node.kind != Kind::mapping)
        fail(path, "must be a mapping, got " + std::string(node.describe()));
    return &node;
}

std::string member(std::string_view parent, std::string_view key) {
    return std::string(parent) + "." + std::string(key);
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

// `path` is "dugdales[0].lanes"; inside a lane the PHP form "lane <name>"
// follows it, so both upstream wordings can be found in the message.
Lanes parse_lanes(const Node& node, const std::string& path) {
    Lanes out;
    const Node* map = mapping_of(node, path);
    if (!map) return out;
    for (const yaml::Entry& entry : map->entries) {
        const std::string where = path + ": lane " + printable(entry.key);
        if (entry.value->is_null()) {
            out.nulls.push_back(entry.key);
            continue;
        }
        if (entry.value->kind != Kind::mapping) fail(where, "must have concurrency");
        Lane lane;
        bool has_concurrency = false;
        for (const auto& field : entry.value->entries) {
            if (field.key == "concurrency") {
                if (auto n = integer_of(*field.value, where + ": concurrency")) {
                    lane.concurrency = *n;
                    has_concurrency = true;
                }
            } else if (field.key == "paused") {
                lane.paused = boolean_of(*field.value, where + ": paused").value_or(false);
            } else {
                unknown_key(where, field.key);
            }
        }
        if (!has_concurrency) fail(where, "must have concurrency");
        out.lanes.emplace(entry.key, lane);
    }
    return out;
}

std::optional<Runtime> parse_runtime(const Node& node, const std::string& path) {
    const Node* map = mapping_of(node, path);
    if (!map) return std::nullopt;
    Runtime runtime;
    for (const yaml::Entry& entry : map->entries) {
        if (entry.key == "mission_path_template")
            runtime.mission_path_template = string_of(*entry.value, member(path, entry.key));
        else if (entry.key == "command_template")
            runtime.command_template = strings_of(*entry.value, member(path, entry.key));
        else if (entry.key == "validate_mission_file")
            runtime.validate_mission_file = boolean_of(*entry.value, member(path, entry.key));
        else
            unknown_key(path, entry.key);
    }
    return runtime;
}

Auth parse_auth(const Node& node) {
    Auth auth;
    const Node* map = mapping_of(node, "auth");
    if (!map) return auth;
    for (const yaml::Entry& entry : map->entries) {
        if (entry.key == "token")
            auth.token = string_of(*entry.value, "auth.token");
        else if (entry.key == "admin_token")
            auth.admin_token = string_of(*entry.value, "auth.admin_token");
        else if (entry.key == "exec_token")
            auth.exec_token = string_of(*entry.value, "auth.exec_token");
        else
            unknown_key("auth", entry.key);
    }
    return auth;
}

std::int64_t parse_defaults(const Node& node) {
    std::int64_t port = 0;
    const Node* map = mapping_of(node, "defaults");
    if (!map) return port;
    for (const yaml::Entry& entry : map->entries) {
        if (entry.key == "port")
            port = integer_of(*entry.value, "defaults.port").value_or(0);
        else
            unknown_key("defaults", entry.key);
    }
    return port;
}

std::vector<std::string> parse_selector(const Node& node) {
    std::vector<std::string> match;
    const Node* map = mapping_of(node, "selector");
    if (!map) return match;
    for (const yaml::Entry& entry : map->entries) {
        if (entry.key == "match")
            match = strings_of(*entry.value, "selector.match").value_or(match);
        else
            unknown_key("selector", entry.key);
    }
    return match;
}

std::map<std::string, RawRoute> parse_routes(const Node& node) {
    std::map<std::string, RawRoute> routes;
    const Node* map = mapping_of(node, "routes");
    if (!map) return routes;
    for (const yaml::Entry& entry : map->entries) {
        const std::string path = named("routes", entry.key);
        if (entry.value->kind != Kind::mapping) fail(path, "must have host and lane");
        RawRoute route;
        for (const auto& field : entry.value->entries) {
            if (field.key == "host")
                route.host = optional_string_of(*field.value, member(path, "host"));
            else if (field.key == "lane")
                route.lane = optional_string_of(*field.value, member(path, "lane"));
            else
                unknown_key(path, field.key);  // Go rule: routes are key-checked too
        }
        routes.emplace(entry.key, std::move(route));
    }
    return routes;
}

std::map<std::string, std::string> parse_aliases(const Node& node) {
    std::map<std::string, std::string> aliases;
    const Node* map = mapping_of(node, "aliases");
    if (!map) return aliases;
    for (const yaml::Entry& entry : map->entries)
        aliases.emplace(entry.key, string_of(*entry.value, named("aliases", entry.key)));
    return aliases;
}

RawTemplate parse_template(const std::string& name, const Node& node) {
    const std::string path = named("templates", name);
    if (node.kind != Kind::mapping) fail(path, "must be a mapping");
    RawTemplate raw;
    Template& t = raw.fields;
    t.name = name;
    for (const yaml::Entry& entry : node.entries) {
        const std::string at = member(path, entry.key);
        if (entry.key == "labels") {
            t.labels = strings_of(*entry.value, at);
        } else if (entry.key == "lanes") {
            Lanes lanes = parse_lanes(*entry.value, at);
            t.lanes = std::move(lanes.lanes);
            raw.null_lanes = std::move(lanes.nulls);
        } else if (entry.key == "token") {
            t.token = string_of(*entry.value, at);
        } else if (entry.key == "admin_token") {
            t.admin_token = string_of(*entry.value, at);
        } else if (entry.key == "exec_token") {
            t.exec_token = string_of(*entry.value, at);
        } else if (entry.key == "proxy") {
            t.proxy = string_of(*entry.value, at);  // null is no marker in a template
        } else if (entry.key == "mission_dir") {
            t.mission_dir = string_of(*entry.value, at);
        } else if (entry.key == "runtime") {
            t.runtime = parse_runtime(*entry.value, at);
        } else {
            unknown_key(path, entry.key);  // id, host, port, url, extends included
        }
    }
    return raw;
}

std::map<std::string, RawTemplate> parse_templates(const Node& node) {
    std::map<std::string, RawTemplate> templates;
    const Node* map = mapping_of(node, "templates");
    if (!map) return templates;
    for (const yaml::Entry& entry : map->entries)
        templates.emplace(entry.key, parse_template(entry.key, *entry.value));
    return templates;
}

RawDugdale parse_dugdale(std::size_t index, const Node& node) {
    const std::string path = "dugdales[" + std::to_string(index) + "]";
    if (node.kind != Kind::mapping) fail(path, "must be a mapping");
    RawDugdale raw;
    Dugdale& d = raw.fields;
    d.index = index;
    for (const yaml::Entry& entry : node.entries) {
        const std::string at = member(path, entry.key);
        if (entry.key == "id") {
            d.id = string_of(*entry.value, at);
        } else if (entry.key == "host") {
            d.host = string_of(*entry.value, at);
        } else if (entry.key == "port") {
            d.port = integer_of(*entry.value, at).value_or(0);
        } else if (entry.key == "url") {
            d.url = string_of(*entry.value, at);
        } else if (entry.key == "proxy") {
            // `proxy: null` (also `~` or empty) = explicitly no proxy.
            d.proxy_disabled = entry.value->is_null();
            d.proxy = string_of(*entry.value, at);
        } else if (entry.key == "extends") {
            d.extends = string_of(*entry.value, at);
        } else if (entry.key == "labels") {
            raw.labels = strings_of(*entry.value, at);
            d.labels = raw.labels.value_or(std::vector<std::string>{});
        } else if (entry.key == "lanes") {
            Lanes lanes = parse_lanes(*entry.value, at);
            d.lanes = std::move(lanes.lanes);
            raw.removed_lanes = std::move(lanes.nulls);
        } else if (entry.key == "token") {
            d.token = string_of(*entry.value, at);
        } else if (entry.key == "admin_token") {
            d.admin_token = string_of(*entry.value, at);
        } else if (entry.key == "exec_token") {
            d.exec_token = string_of(*entry.value, at);
        } else if (entry.key == "mission_dir") {
            d.mission_dir = string_of(*entry.value, at);
        } else if (entry.key == "runtime") {
            d.runtime = parse_runtime(*entry.value, at).value_or(Runtime{});
        } else {
            unknown_key(path, entry.key);
        }
    }
    return raw;
}

std::vector<RawDugdale> parse_dugdales(const Node& node) {
    std::vector<RawDugdale> dugdales;
    if (node.is_null()) return dugdales;
    if (node.kind != Kind::sequence)
        fail("dugdales", "must be a list, got " + std::string(node.describe()));
    dugdales.reserve(node.items.size());
    for (std::size_t i = 0; i < node.items.size(); ++i)
        dugdales.push_back(parse_dugdale(i, *node.items[i]));
    return dugdales;
}

}  // namespace

RawConfig parse_config(const yaml::Node& root) {
    if (root.kind != Kind::mapping) throw Error(Status::config, "yaml root must be a mapping");
    RawConfig config;
    for (const yaml::Entry& entry : root.entries) {
        if (entry.key == "auth")
            config.auth = parse_auth(*entry.value);
        else if (entry.key == "defaults")
            config.default_port = parse_defaults(*entry.value);
        else if (entry.key == "selector")
            config.selector_match = parse_selector(*entry.value);
        else if (entry.key == "routes")
            config.routes = parse_routes(*entry.value);
        else if (entry.key == "aliases")
            config.aliases = parse_aliases(*entry.value);
        else if (entry.key == "templates")
            config.templates = parse_templates(*entry.value);
        else if (entry.key == "dugdales")
            config.dugdales = parse_dugdales(*entry.value);
        else
            unknown_key("root", entry.key);
    }
    return config;
}

}  // namespace letts::config
