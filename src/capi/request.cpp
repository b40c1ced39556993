// letts/request.h: the raw request and the response handle.
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/text.hpp"
#include "letts/request.h"

using letts::capi::guarded;
using letts::capi::require;

namespace letts::capi {

// A C caller may pass any int. C++ may assume an enum holds only the
// values its enumerators span, so the bytes are read as an int, never as
// the enum.
std::optional<letts::config::Scope> to_scope(const letts_scope& given) {
    static_assert(sizeof(letts_scope) == sizeof(int));
    int scope = 0;
    std::memcpy(&scope, &given, sizeof scope);
    switch (scope) {
    case LETTS_SCOPE_NONE: return std::nullopt;
    case LETTS_SCOPE_DISPATCH: return letts::config::Scope::dispatch;
    case LETTS_SCOPE_ADMIN: return letts::config::Scope::admin;
    case LETTS_SCOPE_EXEC: return letts::config::Scope::exec;
    }
    throw letts::Error(letts::Status::invalid_argument,
                       "scope must be one of LETTS_SCOPE_NONE, _DISPATCH, _ADMIN, _EXEC, got " +
                           std::to_string(scope));
}

}  // namespace letts::capi

extern "C" {

LETTS_EXTERN letts_status letts_client_request(const letts_client* client, const char* host,
                                               letts_scope scope, const char* method,
                                               const char* path, const char* json_body,
                                               const char* const* headers, size_t n_headers,
                                               letts_response** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr, "letts_client_request: client and out must not be NULL");
        require(method != nullptr, "letts_client_request: method must not be NULL");
        require(path != nullptr, "letts_client_request: path must not be NULL");
        require(headers != nullptr || n_headers == 0,
                "letts_client_request: headers must not be NULL when n_headers is not 0");
        const auto where = letts::capi::to_scope(scope);
        letts::client::RawRequest request;
        request.method = method;
        request.path = path;
        if (json_body) request.json_body = json_body;
        request.headers = letts::capi::copy_string_array(headers, n_headers, "headers");
        auto response = std::make_unique<letts_response>();
        response->raw = client->client.request(host ? host : "", where, std::move(request));
        for (const auto& entry : response->raw.response.headers) response->headers.push_back(&entry);
        letts::capi::hand_over(out, std::move(response));
    });
}

LETTS_EXTERN int letts_response_status(const letts_response* response) {
    return response ? response->raw.response.status : 0;
}

LETTS_EXTERN const char* letts_response_body(const letts_response* response, size_t* len) {
    if (len) *len = response ? response->raw.response.body.size() : 0;
    return response ? response->raw.response.body.c_str() : nullptr;
}

LETTS_EXTERN const char* letts_response_header(const letts_response* response, const char* name) {
    if (!response || !name) return nullptr;
    for (const auto* entry : response->headers) {
        if (letts::text::equal_fold(entry->first, name)) return entry->second.c_str();
    }
    return nullptr;
}

LETTS_EXTERN size_t letts_response_header_count(const letts_response* response) {
    return response ? response->headers.size() : 0;
}

LETTS_EXTERN const char* letts_response_header_name(const letts_response* response, size_t index) {
    if (!response || index >= response->headers.size()) return nullptr;
    return response->headers[index]->first.c_str();
}

LETTS_EXTERN const char* letts_response_header_value(const letts_response* response, size_t index) {
    if (!response || index >= response->headers.size()) return nullptr;
    return response->headers[index]->second.c_str();
}

LETTS_EXTERN letts_status letts_response_check(const letts_response* response, letts_error** err) {
    return guarded(err, [&] {
        require(response != nullptr, "letts_response_check: response is NULL");
        response->raw.check();
    });
}

LETTS_EXTERN void letts_response_free(letts_response* response) { delete response; }

}  // extern "C"
