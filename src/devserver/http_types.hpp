// The HTTP request/response model the devserver's handlers see. It is
// independent of libmicrohttpd so handlers can be read (and tested) as plain
// functions from a Request to a Response.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace letts::devserver::http {

struct Request {
    std::string method;  // as sent; HEAD is routed to GET routes unless one exists
    std::string path;    // without the query string
    std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
    std::vector<std::pair<std::string, std::string>> headers;  // names as sent
    std::vector<std::string> params;  // path parameters of the matched route
    std::string peer;                 // client address, for brute-force keys
    std::string body;                 // buffered body (routes that buffer)

    // First query value, or nullopt when absent.
    std::optional<std::string> query_value(std::string_view name) const;
    // First header value, compared case-insensitively, or nullopt.
    std::optional<std::string> header(std::string_view name) const;
    // A boolean query parameter: true only for a case-insensitive "true".
    bool query_flag(std::string_view name) const;
    // The body size Content-Length announces, as a decimal int64 (it may be
    // negative); nullopt when the header is absent or not a number. Digits
    // beyond int64 read as INT64_MAX: more than any limit.
    std::optional<std::int64_t> content_length() const;
    bool is_head() const { return method == "HEAD"; }
};

// A body produced while it is sent (events and output streams, files).
// read() returns the number of bytes placed in `buf` (> 0), 0 at the end of
// the body, -1 to abort the response, or kPending when nothing is available
// yet. A source only returns kPending after on_ready() gave it a function to
// call: the server then parks the connection (no thread waits for it) until
// that function is called, and calls read() again.
class BodySource {
public:
    static constexpr long kPending = -2;

    virtual ~BodySource() = default;
    virtual long read(char* buf, std::size_t max) = 0;
    // Called by the server before the first read(). `ready` may be called
    // from any thread with any lock held (it never blocks nor calls back
    // into the source) and any number of times; a call after the response
    // has ended is harmless. A source that never returns kPending ignores it.
    virtual void on_ready(std::function<void()> ready) { (void)ready; }
    // The peer has gone: read() must return -1 from now on (the server
    // calls read() again soon after). Called from another thread.
    virtual void interrupt() {}
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::unique_ptr<BodySource> stream;  // when set, `body` is ignored
    // For a streamed body of known length (files); -1 = unknown (chunked).
    std::int64_t stream_size = -1;

    Response& header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

// A request whose body is consumed piecewise (uploads, size-limited JSON).
class Exchange {
public:
    virtual ~Exchange() = default;
    // Body bytes as they arrive. Returning a response answers at once; the
    // rest of the body is then not read and the connection is closed.
    virtual std::optional<Response> on_data(std::string_view chunk) = 0;
    // The body has ended (or there was none).
    virtual Response on_end() = 0;

    // How long the body may take (http-api.md §2.1): by default the whole
    // body within the server's body timeout of the handler starting; an
    // upload instead gets an idle limit between chunks.
    struct Deadline {
        enum class Kind { total, idle } kind = Kind::total;
        std::chrono::milliseconds limit{0};  // 0 = the server's body timeout
    };
    virtual Deadline deadline() const { return {}; }
    // The deadline passed: the answer to send (the connection is then
    // closed). Called with no other call of this exchange running.
    virtual Response on_timeout();
};

// What the application returns when a request's headers have arrived:
// either a final response or an exchange that will consume the body.
using Start = std::variant<Response, std::unique_ptr<Exchange>>;
using Handler = std::function<Start(Request&)>;

}  // namespace letts::devserver::http
