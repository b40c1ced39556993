// The CLI's one error type and the upstream exit codes it ends with.
#pragma once

#include <stdexcept>
#include <string>

#include <letts/letts.h>

namespace letts_cli {

// The exit codes of the upstream `letts` (cmd/letts/main.go).
enum Exit : int {
    kExitOk = 0,
    kExitFailure = 1,
    kExitUsage = 2,
    kExitConfig = 3,
    kExitNetwork = 4,
    kExitAuth = 5,
    kExitInterrupted = 130,
    kExitWaitTimeout = 124,
    kExitAbnormal = 125,
};

// Thrown by any command; main() prints "letts: <message>" once and exits
// with `code`. An empty message prints nothing (the command already spoke).
class CliError : public std::runtime_error {
public:
    CliError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

inline CliError usage_error(const std::string& message) { return {kExitUsage, message}; }

// The exit code the upstream CLI gives the class of failure `status` names.
int exit_code_for(letts_status status);

// Turns a failed library call into a CliError carrying its message; takes
// ownership of `err` (may be NULL). `what` prefixes the message when not empty.
[[noreturn]] void throw_letts(letts_status status, letts_error* err, const std::string& what = "");

// Calls throw_letts when `status` is not LETTS_OK. `err` is taken by
// reference on purpose: in check(call(..., &err), err) the order in which
// C++ evaluates the two arguments is unspecified, and a copy may be made
// before the call has filled it (the error, and its message, were lost).
inline void check(letts_status status, letts_error*& err, const std::string& what = "") {
    if (status != LETTS_OK) {
        letts_error* taken = err;
        err = nullptr;
        throw_letts(status, taken, what);
    }
}

}  // namespace letts_cli
