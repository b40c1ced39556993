// The devserver's handlers, fd 3 reader and tests name the JSON value model
// jv::…; it lives in core (core/json_value.hpp) so that the devserver, the
// mission runtime and the client parse with one parser.
#pragma once

#include "core/json_value.hpp"

namespace letts::devserver {
namespace jv = ::letts::jv;
}  // namespace letts::devserver
