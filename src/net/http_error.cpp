#include "net/http_error.hpp"

#include <array>
#include <optional>

#include "core/json.hpp"

namespace letts::net {

namespace {

std::string prefix(std::string_view dugdale_id, std::string_view operation) {
    std::string text = "[";
    text += dugdale_id;
    text += "] ";
    text += operation;
    text += ": ";
    return text;
}

struct Envelope {
    std::string code;
    std::string message;
    std::string details;  // JSON text or ""
};

// A forward-only reader over a JSON text that may be cut off anywhere: it
// never looks past the end and reports "cut" (npos / false) instead.
class PrefixScanner {
public:
    explicit PrefixScanner(std::string_view body) : body_(body) {}

    bool at_end() const { return at_ >= body_.size(); }
    bool at(char c) const { return !at_end() && body_[at_] == c; }
    void advance() { ++at_; }

    void skip_space() {
        while (!at_end() && (body_[at_] == ' ' || body_[at_] == '\t' || body_[at_] == '\n' ||
                             body_[at_] == '\r')) {
            ++at_;
        }
    }

    // The string token at the cursor, decoded, the cursor moved past it;
    // nullopt when it is cut or not a valid JSON string.
    std::optional<std::string> take_string() {
        const std::size_t end = string_end(at_);
        if (end == std::string_view::npos) return std::nullopt;
        const json::Ptr value = json::parse(body_.substr(at_, end - at_));
        at_ = end;
        if (!value || !cJSON_IsString(value.get())) return std::nullopt;
        return std::string(value->valuestring);
    }

    // Moves past a string token without decoding it; false when it is cut.
    bool skip_string() {
        const std::size_t end = string_end(at_);
        if (end == std::string_view::npos) return false;
        at_ = end;
        return true;
    }

    // Moves past a non-string value up to the ',' or '}' that ends it:
    // nesting counted, strings jumped over; false when it is cut.
    bool skip_other_value() {
        std::size_t depth = 0;
        for (; !at_end(); ++at_) {
            const char c = body_[at_];
            if (c == '"') {
                if (!skip_string()) return false;
                --at_;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0) return true;
                --depth;
            } else if (c == ',' && depth == 0) {
                return true;
            }
        }
        return true;
    }

private:
    // One past the closing quote of the string starting at `from`, or npos.
    std::size_t string_end(std::size_t from) const {
        for (std::size_t i = from + 1; i < body_.size(); ++i) {
            if (body_[i] == '\\') {
                ++i;
            } else if (body_[i] == '"') {
                return i + 1;
            }
        }
        return std::string_view::npos;
    }

    std::string_view body_;
    std::size_t at_ = 0;
};

// Reads the top-level string members "error" and "message" of a JSON
// object cut off anywhere. No recursion, one pass: bounded by the body
// (itself capped). Returns false when the text does not even start like an
// object; what was read before a cut stays in `envelope`.
bool decode_envelope_prefix(std::string_view body, Envelope& envelope) {
    PrefixScanner scan(body);
    scan.skip_space();
    if (!scan.at('{')) return false;
    scan.advance();
    for (;;) {
        scan.skip_space();
        if (!scan.at('"')) return true;
        const std::optional<std::string> key = scan.take_string();
        scan.skip_space();
        if (!key || !scan.at(':')) return true;
        scan.advance();
        scan.skip_space();
        if (scan.at_end()) return true;
        if (!scan.at('"')) {
            if (!scan.skip_other_value()) return true;
        } else if (*key == "error" || *key == "message") {
            const std::optional<std::string> value = scan.take_string();
            if (!value) return true;
            (*key == "error" ? envelope.code : envelope.message) = *value;
        } else if (!scan.skip_string()) {
            return true;
        }
        scan.skip_space();
        if (!scan.at(',')) return true;
        scan.advance();
    }
}

Envelope decode_envelope(std::string_view body) {
    Envelope envelope;
    const json::Ptr parsed = json::parse(body);
    if (!parsed || !cJSON_IsObject(parsed.get())) {
        // A cut envelope keeps what precedes the cut; anything else is text.
        if (!decode_envelope_prefix(body, envelope) ||
            (envelope.code.empty() && envelope.message.empty())) {
            envelope = Envelope{};
            envelope.message = std::string(body);
        }
        return envelope;
    }
    envelope.code = json::get_string(parsed.get(), "error").value_or("");
    envelope.message = json::get_string(parsed.get(), "message").value_or("");
    if (const cJSON* details = cJSON_GetObjectItemCaseSensitive(parsed.get(), "details");
        details && !cJSON_IsNull(details)) {
        envelope.details = json::print(details);
    }
    return envelope;
}

bool is_backpressure_code(std::string_view code) {
    return code == "queue_full" || code == "disk_quota_exceeded" || code == "disk_quota";
}

}  // namespace

Error http_error(int status, std::string_view body, std::string_view dugdale_id,
                 std::string_view operation) {
    const Envelope envelope = decode_envelope(body);
    const std::string& msg = envelope.message;
    Status kind = Status::dispatch;
    std::string text;
    if (status == 400) {
        kind = Status::bad_request;
        text = msg.empty() ? "bad request" : msg;
    } else if (status == 401 || status == 403) {
        kind = Status::auth;
        text = msg.empty() ? "unauthorized" : msg;
    } else if (status == 409) {
        kind = Status::conflict;
        text = msg.empty() ? "conflict" : msg;
    } else if (status == 503 && is_backpressure_code(envelope.code)) {
        kind = Status::backpressure;
        text = envelope.code + ": " + msg;
    } else {
        text = "HTTP " + std::to_string(status) + ": " + msg;
    }
    Error error(kind, prefix(dugdale_id, operation) + text);
    error.http(status).dugdale(std::string(dugdale_id));
    if (!envelope.code.empty()) error.code(envelope.code);
    if (!envelope.details.empty()) error.details(envelope.details);
    return error;
}

Error unexpected_status(int status, std::string_view expected, std::string_view dugdale_id,
                        std::string_view operation) {
    Error error(Status::dispatch, prefix(dugdale_id, operation) + "unexpected HTTP " +
                                      std::to_string(status) + " (expected " +
                                      std::string(expected) + ")");
    error.http(status).dugdale(std::string(dugdale_id));
    return error;
}

Error network_error(std::string_view detail, std::string_view dugdale_id,
                    std::string_view operation) {
    Error error(Status::network, prefix(dugdale_id, operation) + std::string(detail));
    error.dugdale(std::string(dugdale_id));
    return error;
}

bool is_deliberate_refusal(std::string_view code) {
    static constexpr std::array<std::string_view, 6> codes = {
        "queue_full", "disk_quota_exceeded", "disk_quota",
        "draining",   "lane_removing",       "no_lanes_configured"};
    for (const auto candidate : codes) {
        if (candidate == code) return true;
    }
    return false;
}

bool is_retryable(const Error& error) {
    switch (error.status()) {
        case Status::network:
            return true;
        case Status::dispatch:
            return error.http_status() >= 500 && !is_deliberate_refusal(error.error_code());
        default:
            return false;
    }
}

bool is_launch_retryable(const Error& error) {
    if (error.status() == Status::network) return true;
    return error.status() == Status::dispatch &&
           (error.http_status() == 0 || error.http_status() >= 500);
}

}  // namespace letts::net
