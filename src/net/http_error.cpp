#include "net/http_error.hpp"

#include <array>

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

Envelope decode_envelope(std::string_view body) {
    Envelope envelope;
    const json::Ptr parsed = json::parse(body);
    if (!parsed || !cJSON_IsObject(parsed.get())) {
        envelope.message = std::string(body);
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
