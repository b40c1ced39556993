// What a work-creating call asks for: the PHP client's named arguments of
// dispatch/run (client-behavior.md §5.1) as one value.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace letts::client {

struct Job {
    std::string mission;
    config::TargetSpec target;      // route | host + lane | match + lane
    std::string input_json = "{}";  // a JSON object, sent as `input`
    std::vector<std::pair<std::string, std::string>> files;  // role -> local path, in order
    std::string timeout;            // Go duration text; "" = none
    std::string mission_id;         // "" = a fresh UUIDv7 (the idempotency key)
};

// The request body of POST /v1/dispatch.
std::string dispatch_body(const Job& job, const std::string& mission_id, const std::string& lane,
                          const std::vector<std::pair<std::string, std::string>>& staged);

// The success statuses of POST /v1/dispatch: 202, or 200 on an idempotent
// replay (http-api.md §4). Anything else below 400 is an error.
const std::vector<int>& dispatch_statuses();

}  // namespace letts::client
