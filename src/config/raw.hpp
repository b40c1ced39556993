// letts.yaml as written, before `extends` is applied: the model of stage 1
// steps 3-5. It keeps what the merged model cannot express — which keys were
// absent versus null versus empty — because the merge rules of section 6
// depend on exactly that.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace letts::config {

struct RawTemplate {
    Template fields;
    std::vector<std::string> null_lanes;  // `lanes: {x: null}` — an error in a template
};

struct RawDugdale {
    // Everything as written; `fields.labels` holds the written labels (or
    // none) and `fields.lanes` only the dugdale's own, non-null lanes.
    Dugdale fields;
    std::optional<std::vector<std::string>> labels;  // absent (inherit) vs [] (none)
    std::vector<std::string> removed_lanes;          // `lanes: {x: null}`
};

struct RawRoute {
    std::optional<std::string> host;  // nullopt = absent or null
    std::optional<std::string> lane;
};

struct RawConfig {
    Auth auth;
    std::int64_t default_port = 0;
    std::vector<std::string> selector_match;
    std::map<std::string, RawRoute> routes;
    std::map<std::string, std::string> aliases;
    std::map<std::string, RawTemplate> templates;
    std::vector<RawDugdale> dugdales;
};

}  // namespace letts::config
