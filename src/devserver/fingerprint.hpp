// The idempotency fingerprint of a mission dispatch (http-api.md §11.3):
// sha256 of the canonical JSON of kind, lane, mission, input hash, timeout
// and the files sorted by role with their recorded sha256 and size.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "devserver/model.hpp"

namespace letts::devserver {

std::string mission_fingerprint(const std::string& lane, const std::string& mission,
                                const std::string& canonical_input, std::optional<std::int64_t> timeout_ms,
                                std::vector<InputRef> files);

}  // namespace letts::devserver
