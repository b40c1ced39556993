#include "devserver/http_types.hpp"

#include <limits>

#include "core/text.hpp"

namespace letts::devserver::http {

std::optional<std::string> Request::query_value(std::string_view name) const {
    for (const auto& [k, v] : query)
        if (k == name) return v;
    return std::nullopt;
}

std::optional<std::string> Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (text::equal_fold(k, name)) return v;
    }
    return std::nullopt;
}

bool Request::query_flag(std::string_view name) const {
    auto v = query_value(name);
    return v && text::equal_fold(*v, "true");
}

std::optional<std::int64_t> Request::content_length() const {
    const auto value = header("Content-Length");
    if (!value) return std::nullopt;
    if (auto n = text::parse_int64(*value)) return n;
    // libmicrohttpd takes lengths up to UINT64_MAX; such a body is larger
    // than any limit, so it must not pass as "no length".
    const bool digits_only = !value->empty() && value->find_first_not_of("0123456789") == std::string::npos;
    if (digits_only) return std::numeric_limits<std::int64_t>::max();
    return std::nullopt;
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
