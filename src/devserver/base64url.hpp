// Unpadded base64url, the encoding of the daemon's list cursors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace letts::devserver::b64url {

std::string encode(std::string_view data);
// nullopt for characters outside the alphabet, padding, or a bad length.
std::optional<std::string> decode(std::string_view text);

}  // namespace letts::devserver::b64url
