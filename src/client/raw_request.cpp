// The raw request (client-behavior.md §13): the checks that keep a caller's
// method, path and headers from smuggling anything into the request (a CR/LF
// would start a header or a second request; an Authorization line would
// override the scope's token), and the exchange itself on the client's
// endpoint with the retry policy for idempotent reads.
#include "client/raw_request.hpp"

#include <algorithm>
#include <array>

#include "client/client.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/quote.hpp"
#include "core/text.hpp"
#include "net/http_error.hpp"
#include "net/retry.hpp"

namespace letts::client {

namespace {

constexpr std::size_t max_method_length = 32;
// Longer paths are named in messages by their beginning.
constexpr std::size_t path_shown_in_messages = 256;
// Headers the library writes itself: a caller's copy would contradict it.
constexpr std::array<std::string_view, 5> reserved_headers{
    "authorization", "content-type", "content-length", "host", "transfer-encoding"};

[[noreturn]] void reject(const std::string& message) {
    throw Error(Status::invalid_argument, message);
}

// RFC 9110 §5.6.2 tchar.
bool is_token_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_control(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
}

void validate_method(const std::string& method) {
    const bool letters = std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (method.empty() || method.size() > max_method_length || !letters) {
        reject("method must be an HTTP method of 1 to 32 upper-case letters A-Z, got " + quoted(method));
    }
}

void validate_path(const std::string& path) {
    if (path.empty() || path.front() != '/') {
        reject("path must start with \"/\" (the part after the dugdale's base URL), got " + quoted(path));
    }
    for (const char c : path) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) {
            reject("path must be percent-escaped: no space, control byte or byte above 0x7E, got " +
                   quoted(path));
        }
        if (c == '#') reject("path must not hold a fragment (\"#\"), got " + quoted(path));
    }
}

// "Name: value". The value is never quoted back: it may be a secret of the
// caller's.
void validate_header(const std::string& line, std::size_t index) {
    const std::string what = "headers[" + std::to_string(index) + "]";
    const auto colon = line.find(':');
    const std::string_view name = std::string_view(line).substr(0, colon);
    if (colon == std::string::npos || name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
        reject(what + " must be \"Name: value\" with an HTTP token as the name, got a line starting " +
               quoted(name, 64));
    }
    for (const auto reserved : reserved_headers) {
        if (text::equal_fold(name, reserved)) {
            reject(what + ": " + quoted(name) +
                   " is written by the library (the scope chooses the token, the body its type and length)");
        }
    }
    const std::string_view value = text::trim(std::string_view(line).substr(colon + 1), " \t");
    if (value.empty()) reject(what + ": the value of " + quoted(name) + " is empty");
    if (std::any_of(value.begin(), value.end(), [](char c) { return c != '\t' && is_control(c); })) {
        reject(what + ": the value of " + quoted(name) + " holds a control byte (CR, LF, ...)");
    }
}

std::string operation_of(const RawRequest& request) {
    std::string shown = request.path.size() > path_shown_in_messages
                            ? request.path.substr(0, path_shown_in_messages) + "..."
                            : request.path;
    return request.method + " " + shown;
}

// The line as sent: "Name: value", the value without surrounding blanks.
std::string header_line(std::string_view line) {
    const auto colon = line.find(':');
    return std::string(line.substr(0, colon)) + ": " + std::string(text::trim(line.substr(colon + 1), " \t"));
}

bool is_idempotent_read(const std::string& method) { return method == "GET" || method == "HEAD"; }

// One attempt of a retried read: a retryable 5xx answer (the rule reads
// follow everywhere, net::is_retryable) is thrown so that net::retrying
// repeats it, unless it is the last attempt, whose answer is the response.
net::Task<net::Response> read_attempt(net::Loop& loop, const net::Transport& transport,
                                      net::Endpoint endpoint, net::Request request, bool last) {
    net::Response response = co_await transport.perform(loop, endpoint, request);
    if (!last && response.status >= 500) {
        Error error = net::http_error(response.status, response.body, endpoint.dugdale_id, request.operation);
        if (net::is_retryable(error)) throw error;
    }
    co_return response;
}

net::Task<net::Response> read_retried(net::Loop& loop, const net::Transport& transport,
                                      net::RetryPolicy policy, net::Endpoint endpoint,
                                      net::Request request) {
    const int attempts = policy.effective_attempts();
    int made = 0;
    co_return co_await net::retrying(loop, std::move(policy), [&] {
        ++made;
        return read_attempt(loop, transport, endpoint, request, made >= attempts);
    });
}

}  // namespace

void validate(const RawRequest& request) {
    validate_method(request.method);
    validate_path(request.path);
    if (request.json_body) {
        if (is_idempotent_read(request.method)) {
            reject("json_body must be NULL for " + request.method + " (a read carries no body)");
        }
        std::size_t offset = 0;
        if (!json::parse(*request.json_body, &offset)) {
            reject("json_body is not valid JSON (at byte " + std::to_string(offset) + ")");
        }
    }
    for (std::size_t i = 0; i < request.headers.size(); ++i) validate_header(request.headers[i], i);
}

void RawResponse::check() const {
    const int status = response.status;
    if (status >= 200 && status < 300) return;
    if (status >= 400) throw net::http_error(status, response.body, dugdale_id, operation);
    throw net::unexpected_status(status, "2xx", dugdale_id, operation);
}

RawResponse Client::request(std::string_view host, std::optional<config::Scope> scope,
                            RawRequest raw) const {
    validate(raw);
    RawResponse answer;
    answer.operation = operation_of(raw);
    answer.dugdale_id = require_host(host, "request");
    const net::Endpoint where = scope ? endpoint(answer.dugdale_id, *scope) : anonymous_endpoint(answer.dugdale_id);
    net::Request request;
    request.method = std::move(raw.method);
    request.target = std::move(raw.path);
    request.operation = answer.operation;
    request.json_body = std::move(raw.json_body);
    for (const auto& line : raw.headers) request.headers.push_back(header_line(line));
    const bool retried = is_idempotent_read(request.method);
    answer.response = block([&](net::Loop& loop) {
        return retried ? read_retried(loop, transport(), options().retry, where, request)
                       : transport().perform(loop, where, request);
    });
    return answer;
}

}  // namespace letts::client
