// The body of POST /v1/exec/dispatch (http-api.md §5.6): decoded as Go's
// encoding/json reads it into the daemon's request struct, then checked in
// the daemon's order (rows 7–21 of the error table), before any state is
// looked at. Also the two forms derived from it: the stored `input` and the
// idempotency fingerprint (§11.4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "devserver/dugdale_config.hpp"
#include "devserver/http_types.hpp"
#include "devserver/model.hpp"

namespace letts::devserver {

struct ExecInRef {
    std::string key, staging_id;
};

struct ExecRequest {
    std::string lane;
    std::vector<std::string> command;
    std::optional<std::string> script;  // script.staging_id when `script` was an object
    std::vector<ExecInRef> in;
    std::vector<std::string> out;
    std::string stdin_mode;  // as sent ("" = none)
    std::string stdin_staging_id;
    std::string timeout;
    std::optional<std::int64_t> timeout_ms;
    std::string group_id;
    std::string display_name;
};

// Decodes and checks `body`; the error response when it is refused.
std::optional<http::Response> parse_exec_request(const std::string& body, const ExecConfig& config,
                                                 ExecRequest& out);

// The stored `input` of the job: the request re-serialised with the
// request's keys, empty optional ones omitted.
std::string exec_stored_input(const ExecRequest& r);

// §11.4 over the resolved staging files: `inputs` are the `in` entries
// (role = key, with recorded sha256/size), `script_sha256` the script's.
std::string exec_fingerprint(const ExecRequest& r, std::vector<InputRef> inputs, const std::string& script_sha256);

}  // namespace letts::devserver
