// What a work-creating call asks for: the PHP client's named arguments of
// dispatch/run (client-behavior.md §5.1) as one value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace letts::client {

// Unique dispatch (issue 20 §1): the mission id is derived from `key` and the
// window containing `at_ms` (the clock at launch when unset), see
// core/unique_id.hpp. An empty key means no unique dispatch.
struct Unique {
    std::string key;
    std::int64_t window_ms = 0;
    std::optional<std::int64_t> at_ms;
    bool conflict_is_error = true;  // false: a 409 returns the derived id
};

struct Job {
    std::string mission;
    config::TargetSpec target;      // route | host + lane | match + lane
    std::string input_json = "{}";  // a JSON object, sent as `input`
    std::vector<std::pair<std::string, std::string>> files;  // role -> local path, in order
    std::string timeout;            // Go duration text; "" = none
    std::string mission_id;         // "" = a fresh UUIDv7 (the idempotency key)
    Unique unique;                  // key set: the mission id is derived (mission_id must be "")
};

// The request body of POST /v1/dispatch.
std::string dispatch_body(const Job& job, const std::string& mission_id, const std::string& lane,
                          const std::vector<std::pair<std::string, std::string>>& staged);

// The success statuses of POST /v1/dispatch: 202, or 200 on an idempotent
// replay (http-api.md §4). Anything else below 400 is an error.
const std::vector<int>& dispatch_statuses();

}  // namespace letts::client
