// Bearer tokens and scopes (http-api.md §4): admin satisfies every scope;
// a known token without the route's scope is 403, anything else 401.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "devserver/http_types.hpp"

namespace letts::devserver {

enum class Scope { dispatch, exec, admin };

class Authenticator {
public:
    Authenticator(std::vector<std::string> dispatch, std::vector<std::string> exec,
                  std::vector<std::string> admin);

    // The caller's scope when the request may use a route accepting
    // `accepted`, otherwise the 401/403 error response in `denied`.
    std::optional<Scope> check(const http::Request& req, std::initializer_list<Scope> accepted,
                               http::Response& denied) const;

private:
    std::vector<std::string> dispatch_, exec_, admin_;
};

}  // namespace letts::devserver
