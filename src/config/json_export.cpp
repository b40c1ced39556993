// letts_config_json(): the merged configuration, strings as written.
#include <string>

#include "config/config.hpp"
#include "core/json.hpp"

namespace letts::config {

namespace {

json::Ptr strings(const std::vector<std::string>& items) {
    json::Ptr array = json::array();
    for (const auto& item : items)
        json::append(array.get(), json::string(item));
    return array;
}

json::Ptr lanes(const std::map<std::string, Lane>& all) {
    json::Ptr object = json::object();
    for (const auto& [name, lane] : all) {
        json::Ptr entry = json::object();
        json::add(entry.get(), "concurrency", json::integer(lane.concurrency));
        json::add(entry.get(), "paused", json::boolean(lane.paused));
        json::add(object.get(), name, std::move(entry));
    }
    return object;
}

// Absent lists and flags are shown with their defaults ([] and false): after
// merging, absence carries no further meaning.
json::Ptr runtime(const std::optional<Runtime>& maybe) {
    const Runtime r = maybe.value_or(Runtime{});
    json::Ptr object = json::object();
    json::add(object.get(), "mission_path_template", json::string(r.mission_path_template));
    json::add(object.get(), "command_template",
              strings(r.command_template.value_or(std::vector<std::string>{})));
    json::add(object.get(), "validate_mission_file",
              json::boolean(r.validate_mission_file.value_or(false)));
    return object;
}

template <class Holder>
void add_tokens(cJSON* object, const Holder& h) {
    json::add(object, "token", json::string(h.token));
    json::add(object, "admin_token", json::string(h.admin_token));
    json::add(object, "exec_token", json::string(h.exec_token));
}

json::Ptr template_json(const Template& t) {
    json::Ptr object = json::object();
    json::add(object.get(), "labels", strings(t.labels.value_or(std::vector<std::string>{})));
    json::add(object.get(), "lanes", lanes(t.lanes));
    add_tokens(object.get(), t);
    json::add(object.get(), "proxy", json::string(t.proxy));
    json::add(object.get(), "mission_dir", json::string(t.mission_dir));
    json::add(object.get(), "runtime", runtime(t.runtime));
    return object;
}

json::Ptr dugdale_json(const Dugdale& d) {
    json::Ptr object = json::object();
    json::add(object.get(), "id", json::string(d.id));
    json::add(object.get(), "host", json::string(d.host));
    json::add(object.get(), "port", json::integer(d.port));
    json::add(object.get(), "url", json::string(d.url));
    json::add(object.get(), "proxy", d.proxy_disabled ? json::null() : json::string(d.proxy));
    json::add(object.get(), "extends", json::string(d.extends));
    json::add(object.get(), "labels", strings(d.labels));
    json::add(object.get(), "lanes", lanes(d.lanes));
    add_tokens(object.get(), d);
    json::add(object.get(), "mission_dir", json::string(d.mission_dir));
    json::add(object.get(), "runtime", runtime(d.runtime));
    return object;
}

}  // namespace

std::string to_json(const Config& config) {
    json::Ptr root = json::object();

    json::Ptr auth = json::object();
    add_tokens(auth.get(), config.auth);
    json::add(root.get(), "auth", std::move(auth));

    json::Ptr defaults = json::object();
    json::add(defaults.get(), "port", json::integer(config.default_port));
    json::add(root.get(), "defaults", std::move(defaults));

    json::Ptr selector = json::object();
    json::add(selector.get(), "match", strings(config.selector_match));
    json::add(root.get(), "selector", std::move(selector));

    json::Ptr routes = json::object();
    for (const auto& [name, route] : config.routes) {
        json::Ptr entry = json::object();
        json::add(entry.get(), "host", json::string(route.host));
        json::add(entry.get(), "lane", json::string(route.lane));
        json::add(routes.get(), name, std::move(entry));
    }
    json::add(root.get(), "routes", std::move(routes));

    json::Ptr aliases = json::object();
    for (const auto& [key, value] : config.aliases)
        json::add(aliases.get(), key, json::string(value));
    json::add(root.get(), "aliases", std::move(aliases));

    json::Ptr templates = json::object();
    for (const auto& [name, t] : config.templates)
        json::add(templates.get(), name, template_json(t));
    json::add(root.get(), "templates", std::move(templates));

    json::Ptr dugdales = json::array();
    for (const Dugdale& d : config.dugdales)
        json::append(dugdales.get(), dugdale_json(d));
    json::add(root.get(), "dugdales", std::move(dugdales));

    return json::print(root.get());
}

}  // namespace letts::config
