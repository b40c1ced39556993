// The operations on a dugdale itself (client-behavior.md §13): inspection,
// lane pause/continue, admin apply/state, health. Each is one JSON exchange
// with the scope the daemon requires (http-api.md §3); none is retried.
#include "client/client.hpp"

#include "net/url.hpp"

namespace letts::client {

namespace {

std::string lane_path(std::string_view lane, const char* action) {
    return "/v1/admin/lanes/" + net::escape(lane) + "/" + action;
}

}  // namespace

std::string Client::dugdale_info(std::string_view host) const {
    return block([&](net::Loop& loop) {
        return json_call(loop, std::string(host), config::Scope::dispatch, "GET", "/v1/dugdale",
                         std::nullopt, "dugdale info");
    });
}

std::string Client::lanes(std::string_view host) const {
    return block([&](net::Loop& loop) {
        return json_call(loop, std::string(host), config::Scope::dispatch, "GET", "/v1/lanes",
                         std::nullopt, "lanes");
    });
}

void Client::pause_lane(std::string_view host, std::string_view lane) const {
    block([&](net::Loop& loop) {
        return json_call(loop, std::string(host), config::Scope::admin, "POST", lane_path(lane, "pause"),
                         std::nullopt, "pause lane");
    });
}

void Client::continue_lane(std::string_view host, std::string_view lane) const {
    block([&](net::Loop& loop) {
        return json_call(loop, std::string(host), config::Scope::admin, "POST",
                         lane_path(lane, "continue"), std::nullopt, "continue lane");
    });
}

std::string Client::admin_apply(std::string_view host, std::string body_json) const {
    return block([&](net::Loop& loop) {
        return json_call(loop, std::string(host), config::Scope::admin, "POST", "/v1/admin/apply",
                         std::move(body_json), "admin apply");
    });
}

std::string Client::admin_state(std::string_view host) const {
    return block([&](net::Loop& loop) {
        return json_call(loop, std::string(host), config::Scope::admin, "GET", "/v1/admin/state",
                         std::nullopt, "admin state");
    });
}

std::string Client::healthz(std::string_view host) const {
    return block([&](net::Loop& loop) {
        return json_call(loop, std::string(host), std::nullopt, "GET", "/v1/healthz", std::nullopt,
                         "healthz");
    });
}

std::string Client::readyz(std::string_view host) const {
    return block([&](net::Loop& loop) {
        return json_call(loop, std::string(host), std::nullopt, "GET", "/v1/readyz", std::nullopt,
                         "readyz");
    });
}

std::string Client::version(std::string_view host) const {
    return block([&](net::Loop& loop) {
        return json_call(loop, std::string(host), std::nullopt, "GET", "/v1/version", std::nullopt,
                         "version");
    });
}

// Prometheus text, not JSON: through the raw request, whose body is bounded
// by max_response_bytes like every collected body.
std::string Client::metrics(std::string_view host) const {
    RawResponse answer = request(host, std::nullopt, RawRequest{"GET", "/v1/metrics", std::nullopt, {}});
    answer.check();
    return std::move(answer.response.body);
}

}  // namespace letts::client
