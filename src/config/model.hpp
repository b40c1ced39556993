// Lookups on the merged model shared by the use-time resolutions.
#pragma once

#include <string_view>

#include "config/config.hpp"

namespace letts::config {

// The dugdale with `id`; throws Status::config
// `dugdale "<id>" not found in letts.yaml` when there is none.
const Dugdale& require_dugdale(const Config& config, std::string_view id);

}  // namespace letts::config
