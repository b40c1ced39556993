// One HTTP exchange with a dugdale over libcurl, and the transport settings
// every exchange of a client shares.
//
// The request conventions of client-behavior.md §2 live here: bearer token
// in the Authorization header (and nowhere else), JSON content type, user
// agent, TLS verification, the per-dugdale proxy (or an explicit "no proxy",
// so environment proxy variables never apply), inactivity and connect
// timeouts. Bodies stream: 2xx bodies go chunk by chunk to a sink, uploads
// are read from disk chunk by chunk; only error bodies (capped) and small
// JSON answers are collected.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "net/curl_handles.hpp"

namespace letts::net {

// Where a request goes and what it presents: resolved per (dugdale, scope)
// by the client layer.
struct Endpoint {
    std::string dugdale_id;
    std::string base_url;                // no trailing '/'
    std::string token;                   // "" = no Authorization header
    std::optional<std::string> proxy;    // nullopt = connect directly
};

struct TransportOptions {
    std::chrono::seconds request_timeout{30};          // inactivity limit
    std::chrono::milliseconds connect_timeout{30000};
    long max_connections_per_host = 4;
    bool stream_fresh_connection = false;
    std::string user_agent;
};

// A byte range of a local file sent as the request body.
struct UploadSource {
    std::string path;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

struct Request {
    std::string method = "GET";
    std::string target;      // path + query, already escaped
    std::string operation;   // for messages: "dispatch", "get mission", ...
    std::vector<std::string> headers;  // extra "Name: value" lines
    std::optional<std::string> json_body;
    std::optional<UploadSource> upload;
    // Long-lived (event/output streams, staging downloads): no inactivity
    // limit, and a fresh connection when the client asked for that.
    bool streaming = false;
    // Polled about once a second and after every chunk; returning false
    // aborts the exchange (Response::aborted). Used for deadlines and
    // caller interruption.
    std::function<bool()> keep_going;
};

struct Response {
    int status = 0;
    std::map<std::string, std::string> headers;  // lowercase names, last value wins
    std::string body;   // the collected body: errors (capped) or, without a sink, all of it
    bool aborted = false;  // keep_going returned false

    std::optional<std::string> header(const std::string& lowercase_name) const;
};

// Receives the body of a 2xx response chunk by chunk. Throwing aborts the
// exchange; the exception comes out of Exchange::finish().
using BodySink = std::function<void(std::string_view chunk)>;

class Transport;

// One configured curl easy handle with its callbacks and buffers. Run it
// with perform() or add easy() to a multi handle and call finish() with the
// result curl reports.
class Exchange {
public:
    Exchange(const Transport& transport, Endpoint endpoint, Request request, BodySink sink = {});
    Exchange(const Exchange&) = delete;
    Exchange& operator=(const Exchange&) = delete;

    CURL* easy() const noexcept { return easy_.get(); }
    const Endpoint& endpoint() const noexcept { return endpoint_; }

    // Blocking run on the calling thread.
    Response perform();
    // Turns curl's result into a Response; throws the sink's exception, an
    // upload read failure (Status::staging) or a network error.
    Response finish(CURLcode result);

private:
    static size_t on_header(char* data, size_t size, size_t count, void* self) noexcept;
    static size_t on_body(char* data, size_t size, size_t count, void* self) noexcept;
    static size_t on_read(char* data, size_t size, size_t count, void* self) noexcept;
    static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) noexcept;

    struct FileCloser {
        void operator()(std::FILE* file) const noexcept { std::fclose(file); }
    };

    Endpoint endpoint_;
    Request request_;
    BodySink sink_;
    EasyPtr easy_;
    HeaderList headers_;
    std::unique_ptr<std::FILE, FileCloser> upload_file_;
    std::uint64_t upload_left_ = 0;
    Response response_;
    std::exception_ptr callback_failure_;
    bool upload_read_failed_ = false;
    std::string url_;
    std::array<char, CURL_ERROR_SIZE> error_buffer_{};
};

class Transport {
public:
    explicit Transport(TransportOptions options);

    const TransportOptions& options() const noexcept { return options_; }
    CURLSH* share() const noexcept { return share_.get(); }

    // Blocking exchange; throws network errors, never HTTP errors (status
    // is in the Response).
    Response perform(const Endpoint& endpoint, const Request& request,
                     const BodySink& sink = {}) const;

    // JSON exchange: status >= 400 throws the mapped error (http_error), a
    // 2xx body that is not JSON throws Status::dispatch with the status, an
    // empty 2xx body is {}.
    json::Ptr perform_json(const Endpoint& endpoint, const Request& request) const;

private:
    TransportOptions options_;
    std::unique_ptr<Share> share_;
};

// The parsed JSON of a 2xx answer (see Transport::perform_json); exposed for
// the fan-out, which finishes exchanges itself.
json::Ptr json_answer(const Response& response, const Endpoint& endpoint,
                      std::string_view operation);

}  // namespace letts::net
