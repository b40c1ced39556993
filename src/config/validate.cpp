#include "config/validate.hpp"

#include <set>
#include <string>
#include <string_view>

#include "config/aliases.hpp"
#include "config/names.hpp"
#include "config/proxy.hpp"
#include "config/text.hpp"
#include "core/error.hpp"

namespace letts::config {

namespace {

[[noreturn]] void fail(std::string_view path, std::string_view rule) {
    throw Error(Status::config, std::string(path) + ": " + std::string(rule));
}

// `invalid lane name "Normal" (must match ^[a-z][a-z0-9_-]{0,31}$)`
std::string invalid(std::string_view what, std::string_view name, std::string_view pattern) {
    return "invalid " + std::string(what) + " " + quote(name) + " (must match " +
           std::string(pattern) + ")";
}

std::string named(std::string_view section, std::string_view name) {
    return std::string(section) + "[" + quote(name) + "]";
}

// `dugdales[0] ("s1")`: Go's form for rules about an identified dugdale.
std::string dugdale_where(const Dugdale& d) {
    return "dugdales[" + std::to_string(d.index) + "] (" + quote(d.id) + ")";
}

constexpr std::string_view port_range = " out of range (1..65535; 0 = use default)";

bool port_in_range(std::int64_t port) { return port >= 0 && port <= 65535; }

void check_port(std::string_view where, std::int64_t port) {
    if (!port_in_range(port)) fail(where, "port " + std::to_string(port) + std::string(port_range));
}

void check_lane_name(std::string_view path, std::string_view lane) {
    if (!names::is_lane_name(lane)) fail(path, invalid("lane name", lane, names::lane_pattern));
}

void check_lane_names(std::string_view path, const std::map<std::string, Lane>& lanes) {
    for (const auto& entry : lanes)
        check_lane_name(path, entry.first);
}

void check_labels(std::string_view path, const std::vector<std::string>& labels) {
    for (const auto& label : labels)
        if (!names::is_label(label)) fail(path, invalid("label", label, names::label_pattern));
}

// The per-dugdale rules that hold before and after merging. The id was
// checked by the caller; `extra_lanes` are the `lanes: {x: null}` names.
void check_dugdale(const Dugdale& d, const std::vector<std::string>& extra_lanes) {
    const std::string path = "dugdales[" + std::to_string(d.index) + "]";
    check_port(dugdale_where(d), d.port);
    validate_proxy_setting(dugdale_where(d), d.proxy);
    check_lane_names(path + ".lanes", d.lanes);
    for (const std::string& lane : extra_lanes)
        check_lane_name(path + ".lanes", lane);
    check_labels(path + ".labels", d.labels);
}

void check_id(const Dugdale& d, std::set<std::string_view>& seen) {
    const std::string path = "dugdales[" + std::to_string(d.index) + "]";
    if (d.id.empty()) fail(path, "id is required");
    if (!names::is_dugdale_id(d.id))
        fail(path, invalid("dugdale id", d.id, names::dugdale_id_pattern));
    if (!seen.insert(d.id).second) fail(path, "duplicate id " + quote(d.id));
}

void check_template(const RawTemplate& raw) {
    const Template& t = raw.fields;
    const std::string path = named("templates", t.name);
    if (!names::is_template_name(t.name))
        fail(path, invalid("template name", t.name, names::template_pattern));
    validate_proxy_setting(path, t.proxy);
    check_lane_names(path + ".lanes", t.lanes);
    if (t.labels) check_labels(path + ".labels", *t.labels);
    // Deleting a lane only makes sense in a dugdale (libletts decision, 4.9).
    if (!raw.null_lanes.empty())
        fail(path + ".lanes: lane " + printable(raw.null_lanes.front()), "must have concurrency");
}

void check_route(const std::string& name, const RawRoute& route) {
    const std::string path = named("routes", name);
    if (!names::is_route_name(name)) fail(path, invalid("route name", name, names::route_pattern));
    if (!route.host || route.host->empty())
        fail(path, "must have host and lane (host is required)");
    if (!route.lane || route.lane->empty())
        fail(path, "must have host and lane (lane is required)");
    if (!names::is_lane_name(*route.lane))
        fail(path + ".lane", invalid("lane name", *route.lane, names::lane_pattern));
}

void check_alias(const std::string& key, const std::string& value) {
    const std::string path = named("aliases", key);
    if (!names::is_alias_key(key)) fail(path, invalid("alias key", key, names::alias_key_pattern));
    if (value.empty()) fail(path, "empty value");
    // A value with ${VAR} is only known at use.
    if (value.find("${") == std::string::npos && !names::is_dugdale_id(value))
        fail(path + " value", invalid("dugdale id", value, names::dugdale_id_pattern));
}

}  // namespace

void validate_fields(const RawConfig& raw) {
    if (!port_in_range(raw.default_port))
        throw Error(Status::config,
                    "defaults.port " + std::to_string(raw.default_port) + std::string(port_range));
    std::set<std::string_view> ids;
    for (const RawDugdale& d : raw.dugdales) {
        check_id(d.fields, ids);
        check_dugdale(d.fields, d.removed_lanes);
    }
    for (const auto& entry : raw.templates)
        check_template(entry.second);
    for (const auto& [name, route] : raw.routes)
        check_route(name, route);
    for (const auto& [key, value] : raw.aliases)
        check_alias(key, value);
}

void validate_merged(const Config& config) {
    for (const Dugdale& d : config.dugdales)
        check_dugdale(d, {});

    for (const auto& entry : config.aliases)
        if (config.find(entry.first))
            fail(named("aliases", entry.first),
                 "collides with existing dugdales[].id (would mask the dugdale on host " +
                     quote(entry.first) + ")");
    check_alias_chains(config);

    for (const Dugdale& d : config.dugdales)
        if (d.host.empty() && d.url.empty())
            fail(dugdale_where(d), "one of host or url is required");

    for (const auto& [name, route] : config.routes) {
        const std::string path = named("routes", name);
        // A host with ${ is let through, as the Go CLI and the PHP client
        // do: a file they load must load here. Route hosts are never
        // substituted, so such a route fails when used (resolve_route).
        if (route.host.find("${") != std::string::npos) continue;
        if (!config.find(route.host) && !config.aliases.contains(route.host))
            fail(path, "host " + quote(route.host) + " is not a known dugdale id or alias");
    }
}

}  // namespace letts::config
