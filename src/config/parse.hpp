// The schema of letts.yaml (section 4): YAML tree -> RawConfig.
//
// Strict: an unknown key at any level, a wrong node kind or a scalar of the
// wrong type fails here (validation order step 1 of section 13.1). Name rules
// and cross-references are left to validate.hpp.
#pragma once

#include "config/raw.hpp"
#include "core/yaml_tree.hpp"

namespace letts::config {

// Throws letts::Error(Status::config, "<key path>: <rule>"), without the
// source name (the loader prefixes it).
RawConfig parse_config(const yaml::Node& root);

}  // namespace letts::config
