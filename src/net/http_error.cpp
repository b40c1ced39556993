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

// Reads the top-level string members "error" and "message" of a JSON
// object cut off anywhere. A loop with a depth counter, no recursion, one
// pass: bounded by the body (itself capped). Returns false when the text
// does not even start like an object.
bool decode_envelope_prefix(std::string_view body, Envelope& envelope) {
    std::size_t at = 0;
    const auto skip_space = [&] {
        while (at < body.size() && (body[at] == ' ' || body[at] == '\t' || body[at] == '\n' ||
                                    body[at] == '\r')) {
            ++at;
        }
    };
    // The end (one past the closing quote) of the string starting at `at`, or npos.
    const auto string_end = [&](std::size_t from) -> std::size_t {
        for (std::size_t i = from + 1; i < body.size(); ++i) {
            if (body[i] == '\\') {
                ++i;
            } else if (body[i] == '"') {
                return i + 1;
            }
        }
        return std::string_view::npos;
    };
    const auto decode_string = [&](std::size_t from, std::size_t end) -> std::optional<std::string> {
        const json::Ptr value = json::parse(body.substr(from, end - from));
        if (!value || !cJSON_IsString(value.get())) return std::nullopt;
        return std::string(value->valuestring);
    };
    skip_space();
    if (at >= body.size() || body[at] != '{') return false;
    ++at;
    for (;;) {
        skip_space();
        if (at >= body.size() || body[at] != '"') return true;
        const std::size_t key_end = string_end(at);
        if (key_end == std::string_view::npos) return true;
        const std::optional<std::string> key = decode_string(at, key_end);
        at = key_end;
        skip_space();
        if (!key || at >= body.size() || body[at] != ':') return true;
        ++at;
        skip_space();
        if (at >= body.size()) return true;
        if (body[at] == '"') {
            const std::size_t value_end = string_end(at);
            if (value_end == std::string_view::npos) return true;
            if (*key == "error" || *key == "message") {
                const std::optional<std::string> value = decode_string(at, value_end);
                if (!value) return true;
                (*key == "error" ? envelope.code : envelope.message) = *value;
            }
            at = value_end;
        } else {
            // Skip a non-string value: nesting counted, strings jumped over.
            std::size_t depth = 0;
            for (; at < body.size(); ++at) {
                const char c = body[at];
                if (c == '"') {
                    const std::size_t end = string_end(at);
                    if (end == std::string_view::npos) return true;
                    at = end - 1;
                } else if (c == '{' || c == '[') {
                    ++depth;
                } else if (c == '}' || c == ']') {
                    if (depth == 0) break;
                    --depth;
                } else if (c == ',' && depth == 0) {
                    break;
                }
            }
        }
        skip_space();
        if (at >= body.size() || body[at] != ',') return true;
        ++at;
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
