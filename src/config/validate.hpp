// The validation passes of section 13.1. Each throws the first failure as
// letts::Error(Status::config, "<key path>: <rule>") — the loader adds the
// source name in front.
#pragma once

#include "config/config.hpp"
#include "config/raw.hpp"

namespace letts::config {

// Step 2: per-field rules on the file as written (names, ranges, proxy
// syntax, required route keys), before `extends`.
void validate_fields(const RawConfig& raw);

// Step 4: the per-dugdale rules of step 2 again on the merged dugdales, then
// the structural rules (alias keys vs ids, alias chains, host or url, route
// hosts).
void validate_merged(const Config& config);

}  // namespace letts::config
