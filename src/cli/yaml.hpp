// -o yaml: a JSON document of the API written as YAML (see yaml.cpp).
#pragma once

#include <string>

#include "output.hpp"

namespace letts_cli {

// The YAML text of `doc`, ending with a newline.
std::string to_yaml(const cJSON* doc);

}  // namespace letts_cli
