// One HTTP exchange with a dugdale over libcurl, and the transport settings
// every exchange of a client shares.
//
// The request conventions of client-behavior.md §2 live here: bearer token
// in the Authorization header (and nowhere else), JSON content type, user
// agent, TLS verification, the per-dugdale proxy (or an explicit "no proxy",
// so environment proxy variables never apply), inactivity, connect and
// total timeouts. Bodies stream: 2xx bodies go chunk by chunk to a sink, uploads
// are read from disk chunk by chunk; only error bodies and JSON answers are
// collected, each under a cap, so no server can make the client hold more
// than a bounded amount of memory (include/letts/client.h documents the caps).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
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

#include "core/error.hpp"
#include "core/json.hpp"
#include "net/curl_handles.hpp"
#include "net/loop.hpp"
#include "net/task.hpp"

namespace letts::net {

// Where a request goes and what it presents: resolved per (dugdale, scope)
// by the client layer.
struct Endpoint {
    std::string dugdale_id;
    std::string base_url;                // no trailing '/'
    std::string token;                   // "" = no Authorization header
    std::optional<std::string> proxy;    // nullopt = connect directly
};

// The caps on what a server can make the client hold (client.h documents
// them). JSON answers: the largest legitimate one is a list page of mission
// resources, each up to ~2 MiB (1 MiB input, 768 KiB return, 256 KiB fail
// details); 64 MiB holds the default page of 100 with room. Event lines: the
// daemon's reader gives up above 16 MiB (http-api.md §7.1), so no legitimate
// line is longer.
inline constexpr std::size_t default_max_response_bytes = 64u * 1024 * 1024;
inline constexpr std::size_t default_max_event_line_bytes = 16u * 1024 * 1024;
// Response headers of one exchange (all responses, 1xx included); the
// daemon's are a few hundred bytes.
inline constexpr std::size_t max_header_bytes = 64u * 1024;
// Bodies of non-2xx answers: error envelopes are small; beyond this the
// transfer is cut and the envelope decoded from the prefix (http_error.hpp).
inline constexpr std::size_t error_body_cap = 64u * 1024;

struct TransportOptions {
    std::chrono::seconds request_timeout{30};          // inactivity limit
    std::chrono::milliseconds connect_timeout{30000};
    // Upper bound of a whole exchange that is not `streaming`; 0 = none.
    std::chrono::milliseconds total_timeout{0};
    // Pauses before an event stream's reconnects (event_stream.hpp); empty =
    // the default schedule.
    std::vector<std::int64_t> reconnect_backoff_ms;
    long max_connections_per_host = 0;  // CURLMOPT_MAX_HOST_CONNECTIONS; 0 = no cap
    bool stream_fresh_connection = false;
    std::string user_agent;
    std::size_t max_response_bytes = default_max_response_bytes;      // collected 2xx bodies
    std::size_t max_event_line_bytes = default_max_event_line_bytes;  // one NDJSON event line
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
    // Long-lived (event/output streams, staging downloads, log fetches): a
    // fresh connection when the client asked for that.
    bool streaming = false;
    // Silence is normal (followed event and output streams, http-api.md
    // §7.7): no inactivity limit; the caller bounds it (a deadline or a
    // cancel on the loop). Everything else, downloads and log fetches
    // included (client-behavior.md §1.2), fails after request_timeout
    // without a byte.
    bool may_idle = false;
    // The success statuses of the operation (for json_answer and its
    // message); empty = any 2xx.
    std::vector<int> expected;
};

struct Response {
    int status = 0;
    std::map<std::string, std::string> headers;  // lowercase names, last value wins
    // The collected body: of a non-2xx answer (at most error_body_cap
    // bytes), or of a 2xx answer without a sink (at most max_response_bytes).
    std::string body;

    std::optional<std::string> header(const std::string& lowercase_name) const;
};

// What a sink wants after a chunk.
enum class SinkAction {
    proceed,  // more, please
    // Stop reading now: the transfer ends here (its connection is closed,
    // as the rest of the response was never read); finish() returns the
    // response as received so far.
    stop,
    // The sink has what it wanted (an event stream's `done`): the rest of
    // the response is read and dropped so that the connection can serve
    // the next request, for at most finish_grace and finish_drain_cap
    // bytes, then the transfer is stopped. finish() returns the response.
    finish,
};

// Receives the body of a 2xx response chunk by chunk (never the body of any
// other status) and says whether to go on. Returning instead of throwing:
// a stream ends this way once per run, and an exception per run was a
// measurable share of the client's CPU. Throwing still aborts the exchange
// (for failures); the exception comes out of Exchange::finish().
using BodySink = std::function<SinkAction(std::string_view chunk)>;

// A server ends an event stream right after its `done` line (http-api.md
// §7), so the wait is normally a few microseconds; the bound only matters
// for a server that keeps the response open after `done`, which then costs
// the call this much (and the connection). Generous on purpose: a loaded
// or instrumented (valgrind) server may take a while to send the end, and
// cutting the stream would close a connection the next call could use.
inline constexpr std::chrono::milliseconds finish_grace{1000};
inline constexpr std::size_t finish_drain_cap = 64u * 1024;

class Transport;

// One configured curl easy handle with its callbacks and buffers. A loop
// (net/loop.hpp) runs easy() and finish() turns curl's result into the
// Response. The handle is one of the loop's spares when it has one (the
// transport's invariant options set once, at its creation) and goes back
// to the loop, its per-request options cleared, when the exchange ends.
class Exchange {
public:
    Exchange(Loop& loop, const Transport& transport, Endpoint endpoint, Request request,
             BodySink sink = {});
    ~Exchange();
    Exchange(const Exchange&) = delete;
    Exchange& operator=(const Exchange&) = delete;

    CURL* easy() const noexcept { return easy_.get(); }
    const Endpoint& endpoint() const noexcept { return endpoint_; }

    // Turns curl's result into a Response; throws the sink's exception, an
    // upload read failure (Status::staging) or a network error.
    Response finish(CURLcode result);

private:
    friend class Transport;  // installs the callbacks once per handle
    static size_t on_header(char* data, size_t size, size_t count, void* self) noexcept;
    static size_t on_body(char* data, size_t size, size_t count, void* self) noexcept;
    static size_t on_read(char* data, size_t size, size_t count, void* self) noexcept;
    // The request's method and body (JSON, an uploaded file range or an
    // empty POST) on the handle, with the headers they need.
    void configure_body(CURL* easy);
    void take_header(std::string_view line);
    void take_body(std::string_view chunk);
    // Whether a CURLE_OPERATION_TIMEDOUT came from total_timeout (and not
    // from the inactivity or connect limit).
    bool total_timeout_passed() const;
    // A failure of the server's answer (a cap exceeded): Status::dispatch
    // naming the operation, the dugdale and the HTTP status.
    Error answer_error(const std::string& what) const;

    struct FileCloser {
        void operator()(std::FILE* file) const noexcept { std::fclose(file); }
    };

    Loop& loop_;
    const void* easy_owner_;
    Endpoint endpoint_;
    Request request_;
    BodySink sink_;
    std::size_t max_response_bytes_;
    std::chrono::milliseconds total_timeout_;  // 0 = none for this exchange
    EasyPtr easy_;
    HeaderList headers_;
    std::unique_ptr<std::FILE, FileCloser> upload_file_;
    std::uint64_t upload_left_ = 0;
    Response response_;
    std::exception_ptr callback_failure_;
    bool upload_read_failed_ = false;
    std::size_t header_bytes_ = 0;
    bool body_started_ = false;
    bool error_body_cut_ = false; // we stopped reading a non-2xx body on purpose
    bool sink_stopped_ = false;   // the sink said stop (or finish, then the drain ended)
    bool finishing_ = false;      // the sink said finish: draining the rest
    std::size_t drained_ = 0;
    std::string url_;
    std::array<char, CURL_ERROR_SIZE> error_buffer_{};
};

class Transport {
public:
    explicit Transport(TransportOptions options);

    const TransportOptions& options() const noexcept { return options_; }
    // The handle libcurl takes (CURLOPT_SHARE): the DNS cache and TLS
    // sessions of every exchange of this transport.
    CURLSH* share() const noexcept { return share_->get(); }

    // A new easy handle with the options every exchange of this transport
    // has (share, user agent, TLS checks, connect timeout, callbacks).
    EasyPtr make_configured_easy() const;

    // One exchange on `loop`; throws network errors (and the loop's stop
    // errors), never HTTP errors (the status is in the Response). The
    // arguments are taken by value: the coroutine may outlive the caller's
    // temporaries.
    Task<Response> perform(Loop& loop, Endpoint endpoint, Request request, BodySink sink = {},
                           Loop::Stop stop = Loop::Stop::cancellable) const;

    // JSON exchange: status >= 400 throws the mapped error (http_error), any
    // other status outside request.expected (default: 2xx) throws
    // Status::dispatch naming it, a 2xx body that is not JSON throws
    // Status::dispatch with the status, an empty 2xx body is {}.
    Task<json::Ptr> perform_json(Loop& loop, Endpoint endpoint, Request request,
                                 Loop::Stop stop = Loop::Stop::cancellable) const;

    // A loop for one call of a client with these options, stopped by any
    // of `cancels` (null entries are ignored): a parked one from the
    // transport's pool when there is one (its connections still open), given
    // back when the lease ends.
    LoopPool::Lease make_loop(std::vector<CancelPtr> cancels = {}) const;

private:
    TransportOptions options_;
    std::shared_ptr<Share> share_;
    std::shared_ptr<LoopPool> loops_;
};

// The parsed JSON of a 2xx answer (see Transport::perform_json); exposed for
// the fan-out, which finishes exchanges itself. `expected` as
// Request::expected.
json::Ptr json_answer(const Response& response, const Endpoint& endpoint,
                      std::string_view operation, const std::vector<int>& expected = {});

// Whether `status` is a success of an operation expecting `expected`
// (empty = any 2xx).
bool is_expected(int status, const std::vector<int>& expected);

}  // namespace letts::net
