#include "devserver/http_types.hpp"

#include <cctype>

namespace letts::devserver::http {

std::optional<std::string> Request::query_value(std::string_view name) const {
    for (const auto& [k, v] : query)
        if (k == name) return v;
    return std::nullopt;
}

std::optional<std::string> Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (k.size() != name.size()) continue;
        bool eq = true;
        for (std::size_t i = 0; i < k.size() && eq; ++i)
            eq = std::tolower(static_cast<unsigned char>(k[i])) == std::tolower(static_cast<unsigned char>(name[i]));
        if (eq) return v;
    }
    return std::nullopt;
}

bool Request::query_flag(std::string_view name) const {
    auto v = query_value(name);
    if (!v || v->size() != 4) return false;
    for (std::size_t i = 0; i < 4; ++i)
        if (std::tolower(static_cast<unsigned char>((*v)[i])) != "true"[i]) return false;
    return true;
}

Response Exchange::on_timeout() {
    // The daemon's decoder fails on the read deadline and the handler
    // answers its usual 400 (http-api.md §2.1).
    Response r;
    r.status = 400;
    r.header("Content-Type", "application/json; charset=utf-8");
    r.body = "{\"error\":\"bad_request\",\"message\":\"invalid JSON body: the request body did not "
             "arrive in time\"}\n";
    return r;
}

}  // namespace letts::devserver::http
