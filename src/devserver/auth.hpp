// Bearer tokens and scopes (http-api.md §4): admin satisfies every scope;
// a known token without the route's scope is 403, anything else 401.
// Routes that accept the admin or exec scope are protected by the
// brute-force backoff of §4.6, keyed by the TCP peer address.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "devserver/clock.hpp"

#include "devserver/http_types.hpp"

namespace letts::devserver {

enum class Scope { dispatch, exec, admin };

class Authenticator {
public:
    Authenticator(std::vector<std::string> dispatch, std::vector<std::string> exec,
                  std::vector<std::string> admin);

    // The caller's scope when the request may use a route accepting
    // `accepted`, otherwise the 401/403 error response in `denied`.
    // On a protected route a blocked peer gets 429 rate_limited.
    std::optional<Scope> check(const http::Request& req, std::initializer_list<Scope> accepted,
                               http::Response& denied);

private:
    std::optional<Scope> identify(const http::Request& req, std::initializer_list<Scope> accepted,
                                  http::Response& denied) const;

    // Failure counters per peer (http-api.md §4.6): from the 5th failure on
    // the peer is blocked for 100 ms × 2^(failures − 5), capped at 30 s; a
    // success clears it; a peer quiet for an hour is forgotten.
    struct Failures {
        int count = 0;
        SteadyClock::time_point next_allowed{}, updated{};
    };
    SteadyClock::duration blocked_for(const std::string& key);
    void record_failure(const std::string& key);
    void record_success(const std::string& key);

    std::vector<std::string> dispatch_, exec_, admin_;
    std::mutex mu_;
    std::map<std::string, Failures> failures_;
};

}  // namespace letts::devserver
