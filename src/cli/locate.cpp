#include "locate.hpp"

#include "error.hpp"
#include "handles.hpp"
#include "output.hpp"

namespace letts_cli {

std::vector<std::string> all_dugdales(const letts_client* client) {
    letts_string_list* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_client_dugdales(client, nullptr, 0, &raw, &err), err);
    StringListPtr list(raw);
    std::vector<std::string> out;
    for (size_t i = 0; i < letts_string_list_count(list.get()); ++i)
        out.emplace_back(letts_string_list_get(list.get(), i));
    return out;
}

namespace {

// A dugdale id, or an alias of letts.yaml (a key of `aliases:`, or a
// numeric handle), which the library resolves; anything else is named here,
// before a lane or a request is looked at.
void check_known(const letts_client* client, const std::string& host) {
    for (const auto& d : all_dugdales(client))
        if (d == host) return;
    if (host.find_first_not_of("0123456789") == std::string::npos) return;
    const char* text = letts_client_config_json(client);
    Json cfg = parse_json(text ? text : "");
    const cJSON* aliases = cJSON_GetObjectItemCaseSensitive(cfg.get(), "aliases");
    if (cJSON_IsObject(aliases) && cJSON_GetObjectItemCaseSensitive(aliases, host.c_str())) return;
    throw CliError(kExitConfig, "unknown dugdale \"" + host + "\" (not in letts.yaml)");
}

}  // namespace

std::string single_host(const letts_client* client, const std::string& host) {
    if (!host.empty()) {
        check_known(client, host);
        return host;
    }
    auto all = all_dugdales(client);
    if (all.size() == 1) return all[0];
    if (all.empty()) throw CliError(kExitConfig, "config: letts.yaml lists no dugdale");
    throw usage_error("--host is required: letts.yaml lists " + std::to_string(all.size()) + " dugdales");
}

std::string locate_mission(const letts_client* client, const std::string& host, const std::string& id,
                           GetMissionFn get) {
    if (!host.empty()) {
        check_known(client, host);
        return host;
    }
    ErrorPtr last_failure;
    letts_status last_status = LETTS_OK;
    bool any_answered = false;
    for (const auto& d : all_dugdales(client)) {
        letts_mission_info* info = nullptr;
        letts_error* err = nullptr;
        letts_status st = get(client, d.c_str(), id.c_str(), &info, &err);
        MissionInfoPtr owned(info);
        ErrorPtr owned_err(err);
        if (st == LETTS_OK && info) return d;
        // A bad id is the same mistake everywhere.
        if (st == LETTS_ERR_BAD_REQUEST || st == LETTS_ERR_INVALID_ARGUMENT)
            throw_letts(st, owned_err.release());
        // A dugdale that is down or refuses us does not stop the search...
        any_answered = any_answered || st == LETTS_OK;
        if (st != LETTS_OK) {
            last_status = st;
            last_failure = std::move(owned_err);
        }
    }
    // ...but when none answered, that failure (network, auth) is the news.
    if (!any_answered && last_status != LETTS_OK) throw_letts(last_status, last_failure.release());
    throw CliError(kExitFailure, "mission " + id + " not found on any dugdale");
}

}  // namespace letts_cli
