#include "net/transport.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

#include "core/error.hpp"
#include "net/http_error.hpp"

namespace letts::net {

namespace {

// Error bodies are small envelopes; a misbehaving server must not make us
// hold megabytes to build a message.
constexpr std::size_t error_body_cap = 64 * 1024;

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                             text.back() == '\n')) {
        text.remove_suffix(1);
    }
    return text;
}

long response_code(CURL* easy) {
    long code = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

}  // namespace

std::optional<std::string> Response::header(const std::string& lowercase_name) const {
    const auto it = headers.find(lowercase_name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
}

Exchange::Exchange(const Transport& transport, Endpoint endpoint, Request request, BodySink sink)
    : endpoint_(std::move(endpoint)),
      request_(std::move(request)),
      sink_(std::move(sink)),
      easy_(make_easy()) {
    const TransportOptions& options = transport.options();
    CURL* easy = easy_.get();
    url_ = endpoint_.base_url + request_.target;

    curl_easy_setopt(easy, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(easy, CURLOPT_SHARE, transport.share());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer_.data());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    // An explicit empty proxy disables the environment's *_proxy variables:
    // only letts.yaml decides (client-config.md §11).
    curl_easy_setopt(easy, CURLOPT_PROXY, endpoint_.proxy ? endpoint_.proxy->c_str() : "");
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    if (!options.user_agent.empty()) {
        curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
    }
    if (request_.streaming) {
        if (options.stream_fresh_connection) {
            curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
            curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
        }
    } else if (options.request_timeout.count() > 0) {
        // Inactivity, not total duration: fail when fewer than 1 byte/s
        // moved during the whole window.
        curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                         static_cast<long>(options.request_timeout.count()));
    }

    if (!endpoint_.token.empty()) headers_.add("Authorization: Bearer " + endpoint_.token);
    for (const auto& line : request_.headers) headers_.add(line);

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
        curl_easy_setopt(easy, CURLOPT_READFUNCTION, &Exchange::on_read);
        curl_easy_setopt(easy, CURLOPT_READDATA, this);
        curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(source.length));
        // No "Expect: 100-continue" round trip before every PUT.
        headers_.add("Expect:");
    } else if (request_.method == "POST") {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(0));
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Exchange::on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Exchange::on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
    if (request_.keep_going) {
        curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &Exchange::on_progress);
        curl_easy_setopt(easy, CURLOPT_XFERINFODATA, this);
    }
}

size_t Exchange::on_header(char* data, size_t size, size_t count, void* self) noexcept {
    auto& exchange = *static_cast<Exchange*>(self);
    const std::string_view line(data, size * count);
    try {
        if (line.starts_with("HTTP/")) {
            exchange.response_.headers.clear();  // a new response (after 100 Continue)
        } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
            exchange.response_.headers[lowercase(trim(line.substr(0, colon)))] =
                std::string(trim(line.substr(colon + 1)));
        }
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
        if (exchange.request_.keep_going && !exchange.request_.keep_going()) {
            exchange.response_.aborted = true;
            return 0;
        }
        const long status = response_code(exchange.easy_.get());
        if (status >= 400 || !exchange.sink_) {
            std::string& body = exchange.response_.body;
            if (status < 400) {
                body.append(data, length);
            } else if (body.size() < error_body_cap) {
                body.append(data, std::min(length, error_body_cap - body.size()));
            }
        } else {
            exchange.sink_(std::string_view(data, length));
        }
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

int Exchange::on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) noexcept {
    auto& exchange = *static_cast<Exchange*>(self);
    try {
        if (!exchange.request_.keep_going()) {
            exchange.response_.aborted = true;
            return 1;
        }
    } catch (...) {
        exchange.callback_failure_ = std::current_exception();
        return 1;
    }
    return 0;
}

Response Exchange::perform() { return finish(curl_easy_perform(easy_.get())); }

Response Exchange::finish(CURLcode result) {
    if (callback_failure_) std::rethrow_exception(std::exchange(callback_failure_, nullptr));
    response_.status = static_cast<int>(response_code(easy_.get()));
    if (response_.aborted) return std::move(response_);
    if (upload_read_failed_) {
        throw Error(Status::staging, "cannot read " + request_.upload->path + " while uploading");
    }
    if (result != CURLE_OK) {
        const std::string detail =
            error_buffer_[0] != '\0' ? std::string(error_buffer_.data()) : curl_easy_strerror(result);
        throw network_error(detail, endpoint_.dugdale_id, request_.operation);
    }
    return std::move(response_);
}

Transport::Transport(TransportOptions options)
    : options_(std::move(options)), share_(std::make_unique<Share>()) {}

Response Transport::perform(const Endpoint& endpoint, const Request& request,
                            const BodySink& sink) const {
    Exchange exchange(*this, endpoint, request, sink);
    return exchange.perform();
}

json::Ptr json_answer(const Response& response, const Endpoint& endpoint,
                      std::string_view operation) {
    if (response.status >= 400) {
        throw http_error(response.status, response.body, endpoint.dugdale_id, operation);
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

json::Ptr Transport::perform_json(const Endpoint& endpoint, const Request& request) const {
    return json_answer(perform(endpoint, request), endpoint, request.operation);
}

}  // namespace letts::net
