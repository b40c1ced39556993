#include "client/options.hpp"

#include "core/error.hpp"
#include "letts/version.h"

namespace letts::client {

namespace {

template <class Number>
[[noreturn]] void reject(const std::string& option, Number value, const char* rule) {
    throw Error(Status::invalid_argument,
                option + " must be " + rule + ", got " + std::to_string(value));
}

// Below this a cap would refuse ordinary answers (an error envelope, a
// queued event); a mistake rather than a choice.
constexpr std::size_t min_cap_bytes = 1024;

}  // namespace

void validate(const ClientOptions& options) {
    if (options.request_timeout_ms < 1000) {
        reject("request_timeout", options.request_timeout_ms, "at least 1000 ms");
    }
    if (options.connect_timeout_ms < 1) {
        reject("connect_timeout", options.connect_timeout_ms, "at least 1 ms");
    }
    if (options.total_timeout_ms < 0) {
        reject("total_timeout", options.total_timeout_ms, "0 (none) or a positive number of ms");
    }
    if (options.max_connections_per_host && *options.max_connections_per_host < 1) {
        reject("max_connections_per_host", *options.max_connections_per_host, "at least 1");
    }
    for (const auto pause : options.retry.backoff_ms) {
        if (pause < 0) reject("retry_backoff", pause, "a list of non-negative milliseconds");
    }
    for (const auto pause : options.reconnect_backoff_ms) {
        if (pause < 0) reject("reconnect_backoff", pause, "a list of non-negative milliseconds");
    }
    if (options.max_response_bytes < min_cap_bytes) {
        reject("max_response_bytes", options.max_response_bytes, "at least 1024 bytes");
    }
    if (options.max_event_line_bytes < min_cap_bytes) {
        reject("max_event_line_bytes", options.max_event_line_bytes, "at least 1024 bytes");
    }
    for (const char c : options.user_agent) {
        if (c == '\r' || c == '\n') {
            throw Error(Status::invalid_argument, "user_agent must not contain a line break");
        }
    }
}

net::TransportOptions ClientOptions::transport() const {
    net::TransportOptions out;
    // curl counts inactivity in whole seconds; round up so a limit never
    // becomes shorter than asked.
    out.request_timeout = std::chrono::seconds((request_timeout_ms + 999) / 1000);
    out.connect_timeout = std::chrono::milliseconds(connect_timeout_ms);
    out.total_timeout = std::chrono::milliseconds(total_timeout_ms);
    out.reconnect_backoff_ms = reconnect_backoff_ms;
    out.max_connections_per_host = max_connections_per_host.value_or(0);  // 0 = no cap
    out.stream_fresh_connection = stream_fresh_connection;
    out.max_response_bytes = max_response_bytes;
    out.max_event_line_bytes = max_event_line_bytes;
    out.user_agent = user_agent.empty() ? std::string("libletts/") + LETTS_VERSION_STRING : user_agent;
    return out;
}

}  // namespace letts::client
