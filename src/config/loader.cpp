// Stage 1 (sections 1 and 13.1): bytes -> validated, merged Config.
#include <string>
#include <utility>

#include "config/config.hpp"
#include "config/extends.hpp"
#include "config/file.hpp"
#include "config/parse.hpp"
#include "config/permissions.hpp"
#include "config/validate.hpp"
#include "core/yaml_tree.hpp"
#include "core/error.hpp"

namespace letts::config {

namespace {

// Steps 1-4 of section 13.1; step 5 (permissions) needs the file.
Config build(std::string_view text) {
    const yaml::NodePtr root = yaml::parse(text);
    RawConfig raw = parse_config(*root);
    validate_fields(raw);

    Config config;
    config.dugdales = apply_extends(raw);
    config.auth = std::move(raw.auth);
    config.default_port = raw.default_port;
    config.selector_match = std::move(raw.selector_match);
    // validate_fields guarantees host and lane.
    for (auto& [name, route] : raw.routes)
        config.routes.emplace(name, Route{route.host.value_or(""), route.lane.value_or("")});
    config.aliases = std::move(raw.aliases);
    for (auto& [name, t] : raw.templates)
        config.templates.emplace(name, std::move(t.fields));

    validate_merged(config);
    return config;
}

// Every layer below reports "<key path>: <rule>"; the source name is put in
// front here, once, so no layer needs to carry it.
template <class Step>
Config attributed(const std::string& source, Step&& step) {
    try {
        return std::forward<Step>(step)();
    } catch (const Error& e) {
        throw Error(e.status(), source + ": " + e.message()).details(e.details_json());
    }
}

}  // namespace

Config load_string(std::string_view yaml, const std::string& name) {
    return attributed(name, [&] {
        Config config = build(yaml);
        config.source_name = name;
        return config;
    });
}

Config load_file(const std::string& path, const LoadOptions& options) {
    return attributed(path, [&] {
        const FileContents file = read_config_file(path);
        Config config = build(file.text);
        if (!options.insecure_permissions) check_permissions(config, path, file.permissions);
        config.path = path;
        config.source_name = path;
        return config;
    });
}

}  // namespace letts::config
