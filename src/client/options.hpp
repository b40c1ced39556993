// The client options of client-behavior.md §1.2, with their defaults, and
// their validation (a clear message for every value that cannot work).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/retry.hpp"
#include "net/transport.hpp"

namespace letts::client {

struct ClientOptions {
    std::int64_t request_timeout_ms = 30000;   // inactivity limit of a request
    std::int64_t connect_timeout_ms = 30000;   // libletts default (Go dial timeout)
    // Upper bound of a whole non-streaming request; 0 = none (client.h says
    // why that is the default).
    std::int64_t total_timeout_ms = 0;
    // No per-dugdale cap by default (include/letts/client.h says why): a
    // fan-out's event streams each hold a connection for the whole
    // mission, so a cap would make later jobs' streams wait for earlier
    // missions to end.
    std::optional<long> max_connections_per_host;
    net::RetryPolicy retry;                    // 3 attempts, 100/500/2000 ms
    // Pauses before the reconnects of an event stream; empty = the default
    // 100/500/2000 ms (net/event_stream.hpp).
    std::vector<std::int64_t> reconnect_backoff_ms;
    bool ignore_proxy = false;
    bool stream_fresh_connection = false;
    std::string user_agent;                    // "" = "libletts/<version>"
    bool insecure_config_permissions = false;  // for discovery only
    std::size_t max_response_bytes = net::default_max_response_bytes;
    std::size_t max_event_line_bytes = net::default_max_event_line_bytes;

    // The transport settings these options imply.
    net::TransportOptions transport() const;
};

// Throws Status::invalid_argument naming the option and the value.
void validate(const ClientOptions& options);

}  // namespace letts::client
