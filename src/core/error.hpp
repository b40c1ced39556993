// The one failure type of the C++ layers.
//
// Every layer below src/capi reports failure by throwing letts::Error (allocation
// failure stays std::bad_alloc); src/capi catches it at the boundary and turns
// it into a letts_status plus a letts_error. Keeping one mechanism everywhere
// means no layer has to translate another layer's error style.
#pragma once

#include <exception>
#include <string>
#include <utility>

namespace letts {

// Mirrors letts_status in include/letts/common.h value for value (checked by a
// static_assert in src/capi), so the C++ layers need not include C headers.
enum class Status : int {
    ok = 0,
    bad_request = 1,
    auth = 2,
    conflict = 3,
    backpressure = 4,
    dispatch = 5,
    network = 6,
    wait_timeout = 7,
    staging = 8,
    config = 9,
    missing_env = 10,
    no_matching_dugdale = 11,
    mission_failed = 12,
    interrupted = 13,
    invalid_argument = 14,
    not_found = 15,
    io = 16,
    no_memory = 17,
    internal = 18,
    cancelled = 19,
};

class Error : public std::exception {
public:
    Error(Status status, std::string message)
        : status_(status), message_(std::move(message)) {}

    // Builder-style setters so a throw site reads as one expression:
    //   throw Error(Status::dispatch, msg).http(503).code("queue_full");
    Error& http(int status) & { http_status_ = status; return *this; }
    Error&& http(int status) && { http_status_ = status; return std::move(*this); }
    Error& code(std::string c) & { code_ = std::move(c); return *this; }
    Error&& code(std::string c) && { code_ = std::move(c); return std::move(*this); }
    Error& dugdale(std::string d) & { dugdale_ = std::move(d); return *this; }
    Error&& dugdale(std::string d) && { dugdale_ = std::move(d); return std::move(*this); }
    // The mission the failed call was about, when one exists (a wait that
    // timed out, a run that was cancelled or stopped): the caller can wait
    // for it later.
    Error& mission(std::string id) & { mission_ = std::move(id); return *this; }
    Error&& mission(std::string id) && { mission_ = std::move(id); return std::move(*this); }
    // `json` must be a complete JSON document (normally an object).
    Error& details(std::string json) & { details_ = std::move(json); return *this; }
    Error&& details(std::string json) && { details_ = std::move(json); return std::move(*this); }

    Status status() const noexcept { return status_; }
    const std::string& message() const noexcept { return message_; }
    int http_status() const noexcept { return http_status_; }
    const std::string& error_code() const noexcept { return code_; }
    const std::string& dugdale_id() const noexcept { return dugdale_; }
    const std::string& details_json() const noexcept { return details_; }
    const std::string& mission_id() const noexcept { return mission_; }

    const char* what() const noexcept override { return message_.c_str(); }

private:
    Status status_;
    std::string message_;
    int http_status_ = 0;
    std::string code_;
    std::string dugdale_;
    std::string details_;
    std::string mission_;
};

}  // namespace letts
