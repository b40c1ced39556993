// The response shapes of the daemon: JSON bodies with their content type and
// trailing newline, the error envelope {"error","message"?,"details"?}, and
// the plain-text answers of the router.
#pragma once

#include <string>

#include "core/json.hpp"
#include "devserver/http_types.hpp"

namespace letts::devserver::reply {

http::Response json(int status, const cJSON* body);
// `details` is JSON object text or empty; `message` may be empty (omitted).
http::Response error(int status, const std::string& code, const std::string& message = {},
                     const std::string& details = {});
// Adds Retry-After to an error.
http::Response error_retry(int status, const std::string& code, const std::string& message, int retry_after,
                           const std::string& details = {});
http::Response not_found_route();
http::Response method_not_allowed(const std::string& allow);

}  // namespace letts::devserver::reply
