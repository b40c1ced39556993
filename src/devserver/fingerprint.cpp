#include "devserver/fingerprint.hpp"

#include <algorithm>

#include "core/sha256.hpp"
#include "devserver/json_value.hpp"

namespace letts::devserver {

std::string mission_fingerprint(const std::string& lane, const std::string& mission,
                                const std::string& canonical_input, std::optional<std::int64_t> timeout_ms,
                                std::vector<InputRef> files) {
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.role < b.role; });
    // Members written in canonical (sorted) order, so this text is already JCS.
    std::string doc = "{\"files\":[";
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& f = files[i];
        if (i) doc += ',';
        doc += "{\"role\":" + jv::quote(f.role) + ",\"sha256\":" + jv::quote(f.sha256) +
               ",\"size\":" + std::to_string(f.size) + ",\"staging_id\":" + jv::quote(f.staging_id) + "}";
    }
    doc += "],\"input_sha256\":" + jv::quote(sha256_hex(canonical_input));
    doc += ",\"kind\":\"mission\",\"lane\":" + jv::quote(lane) + ",\"mission\":" + jv::quote(mission);
    doc += ",\"timeout_ms\":" + (timeout_ms ? std::to_string(*timeout_ms) : std::string("null")) + "}";
    return sha256_hex(doc);
}

}  // namespace letts::devserver
