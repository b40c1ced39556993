// ${NAME} placeholders (section 9), as the resolutions use them.
#pragma once

#include <string>
#include <string_view>

#include "config/config.hpp"

namespace letts::config {

// substitute_env() for one value the caller names: an unset variable fails
// with Status::missing_env, details {"name": NAME} and the message
// "<context>: environment variable \"NAME\" is not set".
std::string substitute_env_in(std::string_view text, const EnvLookup& env,
                              std::string_view context);

}  // namespace letts::config
