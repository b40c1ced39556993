// letts/dugdale.h: inspection, lane control, admin, health.
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/dugdale.h"

using letts::capi::guarded;
using letts::capi::require;
using letts::capi::text_or_empty;

namespace {

void give(char** json, const std::string& text) {
    if (json) *json = letts::capi::copy_to_caller(text);
}

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_client_dugdale_info(const letts_client* client, const char* host,
                                                    char** json, letts_error** err) {
    if (json) *json = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && json != nullptr, "letts_client_dugdale_info: client and json must not be NULL");
        give(json, client->client.dugdale_info(text_or_empty(host)));
    });
}

LETTS_EXTERN letts_status letts_client_lanes(const letts_client* client, const char* host,
                                             char** json, letts_error** err) {
    if (json) *json = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && json != nullptr, "letts_client_lanes: client and json must not be NULL");
        give(json, client->client.lanes(text_or_empty(host)));
    });
}

LETTS_EXTERN letts_status letts_client_pause_lane(const letts_client* client, const char* host,
                                                  const char* lane, letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && lane != nullptr, "letts_client_pause_lane: client and lane must not be NULL");
        client->client.pause_lane(text_or_empty(host), lane);
    });
}

LETTS_EXTERN letts_status letts_client_continue_lane(const letts_client* client, const char* host,
                                                     const char* lane, letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && lane != nullptr, "letts_client_continue_lane: client and lane must not be NULL");
        client->client.continue_lane(text_or_empty(host), lane);
    });
}

LETTS_EXTERN letts_status letts_client_admin_apply(const letts_client* client, const char* host,
                                                   const char* body_json, char** json,
                                                   letts_error** err) {
    if (json) *json = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && body_json != nullptr && json != nullptr,
                "letts_client_admin_apply: client, body_json and json must not be NULL");
        give(json, client->client.admin_apply(text_or_empty(host), body_json));
    });
}

LETTS_EXTERN letts_status letts_client_admin_state(const letts_client* client, const char* host,
                                                   char** json, letts_error** err) {
    if (json) *json = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && json != nullptr, "letts_client_admin_state: client and json must not be NULL");
        give(json, client->client.admin_state(text_or_empty(host)));
    });
}

LETTS_EXTERN letts_status letts_client_healthz(const letts_client* client, const char* host,
                                               char** json, letts_error** err) {
    if (json) *json = nullptr;
    return guarded(err, [&] {
        require(client != nullptr, "letts_client_healthz: client is NULL");
        give(json, client->client.healthz(text_or_empty(host)));
    });
}

LETTS_EXTERN letts_status letts_client_readyz(const letts_client* client, const char* host,
                                              char** json, letts_error** err) {
    if (json) *json = nullptr;
    return guarded(err, [&] {
        require(client != nullptr, "letts_client_readyz: client is NULL");
        give(json, client->client.readyz(text_or_empty(host)));
    });
}

LETTS_EXTERN letts_status letts_client_version(const letts_client* client, const char* host,
                                               char** json, letts_error** err) {
    if (json) *json = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && json != nullptr, "letts_client_version: client and json must not be NULL");
        give(json, client->client.version(text_or_empty(host)));
    });
}

LETTS_EXTERN letts_status letts_client_metrics(const letts_client* client, const char* host,
                                               char** text, size_t* len, letts_error** err) {
    if (text) *text = nullptr;
    if (len) *len = 0;
    return guarded(err, [&] {
        require(client != nullptr && text != nullptr, "letts_client_metrics: client and text must not be NULL");
        const std::string body = client->client.metrics(text_or_empty(host));
        give(text, body);
        if (len) *len = body.size();
    });
}

}  // extern "C"
