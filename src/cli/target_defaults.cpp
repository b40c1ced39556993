#include "target_defaults.hpp"

#include "locate.hpp"
#include "error.hpp"
#include "output.hpp"

namespace letts_cli {

void default_host(const letts_client* client, DispatchFlags& f) {
    auto all = all_dugdales(client);
    // An unknown --host is named here, before anything is sent, rather than
    // as the library's later "lane is required".
    for (const auto& h : f.hosts) single_host(client, h);
    if (!f.route.empty() || !f.hosts.empty() || !f.match.empty()) return;
    if (all.size() == 1) {
        f.hosts = all;
        return;
    }
    throw usage_error("one of --route, --host or --match is required (letts.yaml lists " +
                      std::to_string(all.size()) + " dugdales)");
}

namespace {

// The dugdale entry of `id` in the config JSON, following aliases a few
// steps (a chain longer than that is the library's to report).
const cJSON* dugdale_entry(const cJSON* cfg, std::string id) {
    const cJSON* aliases = cJSON_GetObjectItemCaseSensitive(cfg, "aliases");
    for (int step = 0; step < 8; ++step) {
        const cJSON* d = nullptr;
        cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(cfg, "dugdales")) {
            if (json_str(d, "id") == id) return d;
        }
        const cJSON* next = cJSON_GetObjectItemCaseSensitive(aliases, id.c_str());
        if (!cJSON_IsString(next)) return nullptr;
        id = next->valuestring;
    }
    return nullptr;
}

}  // namespace

std::string lane_for(const letts_client* client, const DispatchFlags& f, const std::string& host) {
    if (!f.lane.empty() || host.empty()) return f.lane;
    const char* text = letts_client_config_json(client);
    Json cfg = parse_json(text ? text : "");
    const cJSON* d = dugdale_entry(cfg.get(), host);
    const cJSON* lanes = cJSON_GetObjectItemCaseSensitive(d, "lanes");
    if (!cJSON_IsObject(lanes) || !lanes->child) return "";
    if (cJSON_GetArraySize(lanes) == 1) return lanes->child->string;
    return cJSON_GetObjectItemCaseSensitive(lanes, "default") ? "default" : "";
}

}  // namespace letts_cli
