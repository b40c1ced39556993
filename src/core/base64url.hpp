// Unpadded base64url, the encoding of the daemon's list cursors (written by
// the devserver, read and made by the client: core/list_cursor.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace letts::b64url {

std::string encode(std::string_view data);
// nullopt for characters outside the alphabet, padding, or a bad length.
std::optional<std::string> decode(std::string_view text);

}  // namespace letts::b64url
