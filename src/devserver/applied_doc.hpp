// The applied-state document (http-api.md §12.1) to and from JSON.
#pragma once

#include <string>

#include "core/json.hpp"
#include "devserver/json_value.hpp"
#include "devserver/model.hpp"

namespace letts::devserver {

// Decodes an apply body. Returns false with a decoder-style message in
// `error` when the body is not JSON or a member has the wrong type.
bool decode_applied(const std::string& body, AppliedState& out, std::string& error);

json::Ptr encode_applied(const AppliedState& state);

}  // namespace letts::devserver
