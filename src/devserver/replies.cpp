#include "devserver/replies.hpp"

#include "devserver/json_out.hpp"

namespace letts::devserver::reply {

http::Response json(int status, const cJSON* body) {
    http::Response r;
    r.status = status;
    r.header("Content-Type", "application/json; charset=utf-8");
    r.body = jout::line(body);
    return r;
}

http::Response error(int status, const std::string& code, const std::string& message,
                     const std::string& details) {
    auto o = json::object();
    json::add(o.get(), "error", json::string(code));
    if (!message.empty()) json::add(o.get(), "message", jout::string(message));
    if (!details.empty()) json::add(o.get(), "details", jout::raw(details));
    return json(status, o.get());
}

http::Response error_retry(int status, const std::string& code, const std::string& message, int retry_after,
                           const std::string& details) {
    http::Response r = error(status, code, message, details);
    r.header("Retry-After", std::to_string(retry_after));
    return r;
}

http::Response not_found_route() {
    http::Response r;
    r.status = 404;
    r.header("Content-Type", "text/plain; charset=utf-8");
    r.header("X-Content-Type-Options", "nosniff");
    r.body = "404 page not found\n";
    return r;
}

http::Response method_not_allowed(const std::string& allow) {
    http::Response r;
    r.status = 405;
    r.header("Allow", allow);
    r.header("Content-Type", "text/plain; charset=utf-8");
    r.header("X-Content-Type-Options", "nosniff");
    r.body = "Method Not Allowed\n";
    return r;
}

}  // namespace letts::devserver::reply
