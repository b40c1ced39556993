#include "error.hpp"

namespace letts_cli {

int exit_code_for(letts_status status) {
    switch (status) {
    case LETTS_OK: return kExitOk;
    case LETTS_ERR_AUTH: return kExitAuth;
    case LETTS_ERR_NETWORK: return kExitNetwork;
    // An unknown dugdale or route, a letts.yaml problem, an unset ${VAR}
    // and no dugdale matching the labels are all configuration mistakes
    // upstream (ConfigError, exit 3).
    case LETTS_ERR_CONFIG:
    case LETTS_ERR_MISSING_ENV:
    case LETTS_ERR_NO_MATCHING_DUGDALE: return kExitConfig;
    case LETTS_ERR_WAIT_TIMEOUT: return kExitWaitTimeout;
    case LETTS_ERR_INVALID_ARGUMENT: return kExitUsage;
    case LETTS_ERR_CANCELLED:
    case LETTS_ERR_INTERRUPTED: return kExitInterrupted;
    default: return kExitFailure;
    }
}

void throw_letts(letts_status status, letts_error* err, const std::string& what) {
    std::string message = err && letts_error_message(err) ? letts_error_message(err)
                                                          : letts_status_name(status);
    letts_error_free(err);
    // A dugdale's 4xx other than auth is still the caller's mistake, but it
    // is reported by the server: upstream exits 1 for it, so do we.
    throw CliError(exit_code_for(status), what.empty() ? message : what + ": " + message);
}

}  // namespace letts_cli
