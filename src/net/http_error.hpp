// How a failed exchange with a dugdale becomes a letts::Error, exactly as the
// PHP client classifies it (client-behavior.md §11.2), and which of those
// errors the retry policy may repeat (§6.4) or a launch-failure observer may
// call retryable (§6.3).
//
// Messages start with "[<dugdale id>] <operation>: " so a reader knows where
// and what failed; the rest is the PHP client's text. Tokens never reach
// these functions, so they cannot appear in a message.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace letts::net {

// Maps a response with status >= 400 and its (possibly truncated) body.
// The daemon's envelope {"error","message","details"} supplies the error
// code, the message and the details; a body that is not a JSON object is
// used as the message text. A body cut at the transport's error_body_cap
// is not valid JSON any more: its leading members are still read, so the
// code (and the message, when it precedes the cut) survive; the details of
// a cut body are dropped.
Error http_error(int status, std::string_view body, std::string_view dugdale_id,
                 std::string_view operation);

// A status below 400 that the operation does not expect (a 3xx: the client
// never follows redirects): Status::dispatch with the status, the message
// naming it and `expected` ("2xx", "200 or 202").
Error unexpected_status(int status, std::string_view expected, std::string_view dugdale_id,
                        std::string_view operation);

// A transport failure (connect, DNS, TLS, reset, timeout, proxy).
Error network_error(std::string_view detail, std::string_view dugdale_id,
                    std::string_view operation);

// 503 codes that mean "refused on purpose, ask someone else": never retried.
bool is_deliberate_refusal(std::string_view error_code);

// The retry policy's decision (§6.1/§6.4): network failures and 5xx, except
// back-pressure and the deliberate refusal codes. 4xx are definitive.
bool is_retryable(const Error& error);

// LaunchFailure.retryable (§6.3): network errors, and dispatch errors whose
// status is 0 or >= 500.
bool is_launch_retryable(const Error& error);

}  // namespace letts::net
