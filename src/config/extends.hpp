// `extends` (section 6): one template applied to each dugdale that names it.
#pragma once

#include <vector>

#include "config/config.hpp"
#include "config/raw.hpp"

namespace letts::config {

// The merged dugdales, in file order. Templates are left untouched and each
// dugdale gets its own copy of what it inherits. Throws Status::config
// `dugdales[i] ("id"): extends unknown template "name"`.
std::vector<Dugdale> apply_extends(const RawConfig& raw);

}  // namespace letts::config
