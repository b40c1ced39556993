// Method + path routing with one-segment parameters, following the rules of
// the daemon's router: the most specific matching pattern wins, a GET route
// also answers HEAD, an unknown path is a plain-text 404 and a known path
// with another method a plain-text 405 with Allow.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "devserver/http_types.hpp"

namespace letts::devserver {

class Router {
public:
    using Fn = std::function<http::Start(http::Request&)>;

    // `pattern` like "/v1/missions/{id}/events"; parameters land in
    // Request::params in order.
    void add(std::string method, const std::string& pattern, Fn fn);
    http::Start route(http::Request& req) const;

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;  // "{}" marks a parameter
        Fn fn;
    };
    std::vector<Route> routes_;
};

}  // namespace letts::devserver
