#include "net/transport.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <new>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"
#include "net/http_error.hpp"

namespace letts::net {

namespace {

// What surrounds a header's name and value: RFC 9110's optional white space
// and the line's CRLF.
constexpr std::string_view header_space = " \t\r\n";

long response_code(CURL* easy) {
    long code = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

bool is_2xx(long status) { return status >= 200 && status < 300; }

std::string expected_text(const std::vector<int>& expected) {
    if (expected.empty()) return "2xx";
    std::string text;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        if (i > 0) text += i + 1 == expected.size() ? " or " : ", ";
        text += std::to_string(expected[i]);
    }
    return text;
}

}  // namespace

std::optional<std::string> Response::header(const std::string& lowercase_name) const {
    const auto it = headers.find(lowercase_name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
}

Exchange::Exchange(Loop& loop, const Transport& transport, Endpoint endpoint, Request request,
                   BodySink sink)
    : loop_(loop),
      easy_owner_(transport.share()),
      endpoint_(std::move(endpoint)),
      request_(std::move(request)),
      sink_(std::move(sink)),
      max_response_bytes_(transport.options().max_response_bytes),
      // Streams last as long as their mission (or file): only the
      // requests that end on their own are bounded as a whole.
      total_timeout_(request_.streaming ? std::chrono::milliseconds(0)
                                        : transport.options().total_timeout),
      easy_(loop.take_easy(easy_owner_)) {
    if (!easy_) easy_ = transport.make_configured_easy();
    const TransportOptions& options = transport.options();
    CURL* easy = easy_.get();
    url_ = endpoint_.base_url + request_.target;

    curl_easy_setopt(easy, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer_.data());
    // An explicit empty proxy disables the environment's *_proxy variables:
    // only letts.yaml decides (client-config.md §11).
    curl_easy_setopt(easy, CURLOPT_PROXY, endpoint_.proxy ? endpoint_.proxy->c_str() : "");
    if (request_.streaming && options.stream_fresh_connection) {
        curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    }
    if (!request_.may_idle && options.request_timeout.count() > 0) {
        // Inactivity, not total duration: fail when fewer than 1 byte/s
        // moved during the whole window.
        curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                         static_cast<long>(options.request_timeout.count()));
    }

    if (total_timeout_.count() > 0) {
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(total_timeout_.count()));
    }

    if (!endpoint_.token.empty()) headers_.add("Authorization: Bearer " + endpoint_.token);
    for (const auto& line : request_.headers) headers_.add(line);

    configure_body(easy);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
}

void Exchange::configure_body(CURL* easy) {
    if (request_.method == "HEAD") {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (request_.method != "GET") {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request_.method.c_str());
    }
    if (request_.json_body) {
        headers_.add("Content-Type: application/json");
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request_.json_body->data());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request_.json_body->size()));
    } else if (request_.upload) {
        const UploadSource& source = *request_.upload;
        upload_file_.reset(std::fopen(source.path.c_str(), "rb"));
        if (!upload_file_) {
            throw Error(Status::staging, "cannot open " + source.path + ": " +
                                             std::strerror(errno));
        }
        if (std::fseek(upload_file_.get(), static_cast<long>(source.offset), SEEK_SET) != 0) {
            throw Error(Status::staging, "cannot seek in " + source.path);
        }
        upload_left_ = source.length;
        curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(easy, CURLOPT_READDATA, this);
        curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(source.length));
        // No "Expect: 100-continue" round trip before every PUT.
        headers_.add("Expect:");
    } else if (request_.method == "POST") {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(0));
    }
}

Exchange::~Exchange() {
    // The transfer is off the multi handle by now (the loop's awaiter is
    // gone before the exchange). Everything this exchange set that the next
    // one might not set again goes back to libcurl's default, so no pointer
    // into this object survives in the handle.
    CURL* easy = easy_.get();
    if (!easy) return;
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, static_cast<void*>(nullptr));
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 0L);
    curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 0L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 0L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, 0L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 0L);
    if (request_.method != "GET") {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, static_cast<char*>(nullptr));
        curl_easy_setopt(easy, CURLOPT_NOBODY, 0L);
        curl_easy_setopt(easy, CURLOPT_UPLOAD, 0L);
        curl_easy_setopt(easy, CURLOPT_READDATA, static_cast<void*>(nullptr));
        curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(-1));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, static_cast<char*>(nullptr));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(-1));
        // Back to a plain GET (clears the POST/PUT request kind).
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    }
    loop_.give_easy(easy_owner_, std::move(easy_));
}

bool Exchange::total_timeout_passed() const {
    if (total_timeout_.count() <= 0) return false;
    curl_off_t elapsed_us = 0;
    curl_easy_getinfo(easy_.get(), CURLINFO_TOTAL_TIME_T, &elapsed_us);
    // The inactivity limit is whole seconds and the connect limit ends the
    // connection phase: whichever fired before total_timeout was not it.
    return elapsed_us >= static_cast<curl_off_t>(total_timeout_.count()) * 1000;
}

Error Exchange::answer_error(const std::string& what) const {
    const int status = static_cast<int>(response_code(easy_.get()));
    return Error(Status::dispatch, "[" + endpoint_.dugdale_id + "] " + request_.operation + ": " + what)
        .http(status)
        .dugdale(endpoint_.dugdale_id);
}

void Exchange::take_header(std::string_view line) {
    // Counted over every response of the exchange (a server could send
    // endless 1xx answers), before anything is stored.
    header_bytes_ += line.size();
    if (header_bytes_ > max_header_bytes) {
        throw answer_error("response headers exceed the " + std::to_string(max_header_bytes) +
                           "-byte cap");
    }
    if (line.starts_with("HTTP/")) {
        response_.headers.clear();  // a new response (after 100 Continue)
        return;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return;
    std::string name = text::lower(text::trim(line.substr(0, colon), header_space));
    std::string value(text::trim(line.substr(colon + 1), header_space));
    // A declared 2xx body we would collect and that cannot fit fails now,
    // before a byte of it is read (a HEAD answer declares a body it never
    // sends: the staging probe's Content-Length is the file's size).
    if (name == "content-length" && !sink_ && request_.method != "HEAD" &&
        is_2xx(response_code(easy_.get()))) {
        std::uint64_t declared = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), declared);
        if (ec == std::errc::result_out_of_range ||
            (ec == std::errc() && declared > max_response_bytes_)) {
            const std::string size = ec == std::errc() ? std::to_string(declared) + " bytes"
                                                       : "more than 2^64 bytes";
            throw answer_error("response body of " + size + " exceeds the " +
                               std::to_string(max_response_bytes_) +
                               "-byte cap (max_response_bytes)");
        }
    }
    response_.headers[std::move(name)] = std::move(value);
}

void Exchange::take_body(std::string_view chunk) {
    body_started_ = true;
    const long status = response_code(easy_.get());
    if (is_2xx(status) && sink_) {
        if (finishing_) {
            drained_ += chunk.size();
            if (drained_ > finish_drain_cap) sink_stopped_ = true;
            return;
        }
        switch (sink_(chunk)) {
            case SinkAction::proceed:
                break;
            case SinkAction::stop:
                sink_stopped_ = true;
                break;
            case SinkAction::finish:
                finishing_ = true;
                loop_.expire_transfer(easy_.get(), Loop::Clock::now() + finish_grace);
                break;
        }
        return;
    }
    std::string& body = response_.body;
    if (is_2xx(status)) {
        if (chunk.size() > max_response_bytes_ - body.size()) {
            throw answer_error("response body exceeds the " + std::to_string(max_response_bytes_) +
                               "-byte cap (max_response_bytes)");
        }
        body.append(chunk);
        return;
    }
    // Any other status: keep a bounded prefix for the error message (a
    // stream's sink never sees it), then stop reading.
    const std::size_t room = error_body_cap - body.size();
    body.append(chunk.substr(0, room));
    if (chunk.size() > room) error_body_cut_ = true;
}

size_t Exchange::on_header(char* data, size_t size, size_t count, void* self) noexcept {
    auto& exchange = *static_cast<Exchange*>(self);
    try {
        exchange.take_header(std::string_view(data, size * count));
    } catch (...) {
        exchange.callback_failure_ = std::current_exception();
        return 0;
    }
    return size * count;
}

size_t Exchange::on_body(char* data, size_t size, size_t count, void* self) noexcept {
    auto& exchange = *static_cast<Exchange*>(self);
    const std::size_t length = size * count;
    try {
        exchange.take_body(std::string_view(data, length));
        // Ends the transfer; finish() knows why.
        if (exchange.error_body_cut_ || exchange.sink_stopped_) return 0;
    } catch (...) {
        exchange.callback_failure_ = std::current_exception();
        return 0;
    }
    return length;
}

size_t Exchange::on_read(char* data, size_t size, size_t count, void* self) noexcept {
    auto& exchange = *static_cast<Exchange*>(self);
    const std::size_t wanted =
        static_cast<std::size_t>(std::min<std::uint64_t>(size * count, exchange.upload_left_));
    if (wanted == 0) return 0;
    const std::size_t got = std::fread(data, 1, wanted, exchange.upload_file_.get());
    if (got == 0) {
        exchange.upload_read_failed_ = true;
        return CURL_READFUNC_ABORT;
    }
    exchange.upload_left_ -= got;
    return got;
}

Response Exchange::finish(CURLcode result) {
    if (callback_failure_) std::rethrow_exception(std::exchange(callback_failure_, nullptr));
    response_.status = static_cast<int>(response_code(easy_.get()));
    if (upload_read_failed_) {
        throw Error(Status::staging, "cannot read " + request_.upload->path + " while uploading");
    }
    if (error_body_cut_ && result == CURLE_WRITE_ERROR) return std::move(response_);
    // Stopped on the sink's word, or finished (whatever ended the drain:
    // the response's end, the grace period, the drain cap, a broken
    // connection): the sink has what it asked for.
    if (finishing_ || (sink_stopped_ && result == CURLE_WRITE_ERROR)) return std::move(response_);
    if (result == CURLE_OUT_OF_MEMORY && !body_started_) {
        // curl 7.x reports a single header line over its own 100 KiB limit
        // as "Out of memory"; it is the server's header, not our memory.
        throw answer_error("response headers exceed the " + std::to_string(max_header_bytes) +
                           "-byte cap");
    }
    if (result != CURLE_OK) {
        std::string detail =
            error_buffer_[0] != '\0' ? std::string(error_buffer_.data()) : curl_easy_strerror(result);
        if (result == CURLE_OPERATION_TIMEDOUT && total_timeout_passed()) {
            detail = "total_timeout of " + std::to_string(total_timeout_.count()) +
                     " ms exceeded (" + detail + ")";
        }
        throw network_error(detail, endpoint_.dugdale_id, request_.operation);
    }
    return std::move(response_);
}

// Enough parked loops for a few threads calling at once; each holds its
// multi handle's idle connections (a few descriptors) while parked.
constexpr std::size_t max_parked_loops = 8;

Transport::Transport(TransportOptions options)
    : options_(std::move(options)),
      share_(std::make_shared<Share>()),
      loops_(std::make_shared<LoopPool>(options_.max_connections_per_host, max_parked_loops, share_)) {}

EasyPtr Transport::make_configured_easy() const {
    EasyPtr owned = make_easy();
    CURL* easy = owned.get();
    curl_easy_setopt(easy, CURLOPT_SHARE, share());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    if (!options_.user_agent.empty()) {
        curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Exchange::on_header);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Exchange::on_body);
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, &Exchange::on_read);
    return owned;
}

Task<Response> Transport::perform(Loop& loop, Endpoint endpoint, Request request, BodySink sink,
                                  Loop::Stop stop) const {
    Exchange exchange(loop, *this, std::move(endpoint), std::move(request), std::move(sink));
    const CURLcode result = co_await loop.transfer(exchange.easy(), stop);
    co_return exchange.finish(result);
}

LoopPool::Lease Transport::make_loop(std::vector<CancelPtr> cancels) const {
    return loops_->lease(std::move(cancels));
}

bool is_expected(int status, const std::vector<int>& expected) {
    if (expected.empty()) return is_2xx(status);
    return std::find(expected.begin(), expected.end(), status) != expected.end();
}

json::Ptr json_answer(const Response& response, const Endpoint& endpoint,
                      std::string_view operation, const std::vector<int>& expected) {
    if (response.status >= 400) {
        throw http_error(response.status, response.body, endpoint.dugdale_id, operation);
    }
    if (!is_expected(response.status, expected)) {
        // A 3xx (or a stray 1xx/2xx) is not a success: the client never
        // follows redirects, so the operation did not happen as asked.
        throw unexpected_status(response.status, expected_text(expected), endpoint.dugdale_id,
                                operation);
    }
    if (response.body.empty()) return json::object();
    json::Ptr parsed = json::parse(response.body);
    if (!parsed) {
        throw Error(Status::dispatch, "[" + endpoint.dugdale_id + "] " + std::string(operation) +
                                          ": HTTP " + std::to_string(response.status) +
                                          ": response is not valid JSON")
            .http(response.status)
            .dugdale(endpoint.dugdale_id);
    }
    return parsed;
}

Task<json::Ptr> Transport::perform_json(Loop& loop, Endpoint endpoint, Request request,
                                        Loop::Stop stop) const {
    const std::string operation = request.operation;
    const std::vector<int> expected = request.expected;
    BodySink collect;  // none: the body is collected, under the cap
    const Response response = co_await perform(loop, endpoint, std::move(request), std::move(collect), stop);
    co_return json_answer(response, endpoint, operation, expected);
}

}  // namespace letts::net
