// A raw request (client-behavior.md §13, the Go client's escape hatch): what
// the caller asks for and what the dugdale answered, with the rule that turns
// a non-2xx answer into the error every other operation reports for it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "net/transport.hpp"

namespace letts::client {

struct RawRequest {
    std::string method;                    // upper-case letters
    std::string path;                      // "/..." with its query, escaped
    std::optional<std::string> json_body;  // nullopt = no body
    std::vector<std::string> headers;      // extra "Name: value" lines
};

struct RawResponse {
    net::Response response;
    std::string dugdale_id;
    std::string operation;  // "<METHOD> <path>", for messages

    // Throws the error a 4xx/5xx (http_error) or another non-2xx
    // (unexpected_status) answer means; returns for a 2xx.
    void check() const;
};

// Throws Status::invalid_argument naming the argument ("method", "path",
// "json_body", "headers[i]") that cannot be sent as written.
void validate(const RawRequest& request);

}  // namespace letts::client
