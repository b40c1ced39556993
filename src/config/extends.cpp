#include "config/extends.hpp"

#include <algorithm>
#include <string>

#include "config/text.hpp"
#include "core/error.hpp"

namespace letts::config {

namespace {

void inherit(std::string& mine, const std::string& theirs) {
    if (mine.empty()) mine = theirs;
}

Dugdale merge(const RawDugdale& raw, const Template& t) {
    Dugdale d = raw.fields;
    inherit(d.token, t.token);
    inherit(d.admin_token, t.admin_token);
    inherit(d.exec_token, t.exec_token);
    inherit(d.mission_dir, t.mission_dir);
    // `proxy: null` keeps the dugdale direct even when the template has one.
    if (!d.proxy_disabled) inherit(d.proxy, t.proxy);

    // Labels are replaced, not unioned; an explicit [] is a value (Go rule).
    if (!raw.labels) d.labels = t.labels.value_or(std::vector<std::string>{});

    // Lanes are unioned: the template's, minus the ones this dugdale deleted,
    // with the dugdale's own winning a name collision entirely.
    for (const auto& [name, lane] : t.lanes) {
        const bool deleted = std::ranges::find(raw.removed_lanes, name) != raw.removed_lanes.end();
        if (!deleted) d.lanes.emplace(name, lane);  // emplace keeps an existing own lane
    }

    if (t.runtime) {
        const Runtime& from = *t.runtime;
        inherit(d.runtime.mission_path_template, from.mission_path_template);
        if (!d.runtime.command_template) d.runtime.command_template = from.command_template;
        // Presence, not value, decides: an explicit false beats a template true.
        if (!d.runtime.validate_mission_file)
            d.runtime.validate_mission_file = from.validate_mission_file;
    }
    return d;
}

}  // namespace

std::vector<Dugdale> apply_extends(const RawConfig& raw) {
    std::vector<Dugdale> merged;
    merged.reserve(raw.dugdales.size());
    for (const RawDugdale& d : raw.dugdales) {
        if (d.fields.extends.empty()) {
            merged.push_back(d.fields);
            continue;
        }
        const auto found = raw.templates.find(d.fields.extends);
        if (found == raw.templates.end())
            throw Error(Status::config, "dugdales[" + std::to_string(d.fields.index) + "] (" +
                                            quote(d.fields.id) + "): extends unknown template " +
                                            quote(d.fields.extends));
        merged.push_back(merge(d, found->second.fields));
    }
    return merged;
}

}  // namespace letts::config
