#include "devserver/fd3_reader.hpp"

#include <cstdio>

#include "devserver/json_value.hpp"

namespace letts::devserver {
namespace {

constexpr std::size_t kMaxViolations = 32;
constexpr std::size_t kSniffBytes = 512;
constexpr std::size_t kEchoBytes = 128;
constexpr std::size_t kDecoderErrorBytes = 256;

// Go's %q, enough for the texts the reader echoes.
std::string go_quote(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\x%02x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

std::string details(std::int64_t line, const char* event = nullptr) {
    std::string d = "{";
    if (event) d += "\"event\":" + jv::quote(event) + ",";
    d += "\"fd3_line\":" + std::to_string(line) + "}";
    return d;
}

bool is_known(std::string_view e) {
    return e == "progress" || e == "output_file" || e == "success" || e == "fail";
}

// The JSON type name a schema mismatch reports ("number 1.5" for a
// non-integral number where an int is wanted, like the daemon's decoder).
std::string type_for_message(const jv::Value& v, bool want_int) {
    if (want_int && v.type == jv::Type::number) return "number " + v.text;
    return v.go_type_name();
}

bool is_integral_literal(const std::string& lit) {
    return lit.find_first_of(".eE") == std::string::npos;
}

bool is_sniff_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The event type named by the first `"event" : "<known type>"` in the kept
// head of an oversized line, or "" (the line cannot be parsed: it is cut).
std::string sniff_event(std::string_view head) {
    constexpr std::string_view key = "\"event\"";
    for (std::size_t at = head.find(key); at != std::string_view::npos; at = head.find(key, at + 1)) {
        std::size_t i = at + key.size();
        while (i < head.size() && is_sniff_space(head[i])) ++i;
        if (i >= head.size() || head[i] != ':') continue;
        ++i;
        while (i < head.size() && is_sniff_space(head[i])) ++i;
        if (i >= head.size() || head[i] != '"') continue;
        const std::size_t close = head.find('"', i + 1);
        if (close == std::string_view::npos) continue;
        const std::string_view word = head.substr(i + 1, close - i - 1);
        if (is_known(word)) return std::string(word);
    }
    return "";
}

}  // namespace

bool valid_role(std::string_view key) {
    // ^[A-Za-z_][A-Za-z0-9_]{0,63}$ and no "__" prefix.
    auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    if (key.empty() || key.size() > 64 || !letter(key[0])) return false;
    for (char c : key)
        if (!letter(c) && !(c >= '0' && c <= '9')) return false;
    return key.substr(0, 2) != "__";
}

std::string clip_utf8(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return std::string(s.substr(0, cut));
}

Fd3Reader::Fd3Reader(std::int64_t max_line_size, std::int64_t max_output_files, ProgressSink sink)
    : max_line_(max_line_size), max_outputs_(max_output_files), sink_(std::move(sink)) {}

void Fd3Reader::feed(std::string_view bytes) {
    for (char c : bytes) {
        if (c == '\n') {
            end_line();
            continue;
        }
        ++line_bytes_;
        if (oversized_) {
            if (line_.size() < kSniffBytes) line_ += c;
            continue;
        }
        line_ += c;
        if (max_line_ > 0 && line_bytes_ > max_line_ + 1) {
            // Over the limit even allowing for a trailing '\r': keep only
            // what is needed to name the event type.
            oversized_ = true;
            line_.resize(kSniffBytes < line_.size() ? kSniffBytes : line_.size());
        }
    }
}

void Fd3Reader::finish() {
    if (line_bytes_ > 0 || !line_.empty()) end_line();
}

void Fd3Reader::end_line() {
    ++line_no_;
    std::int64_t length = line_bytes_;
    if (!oversized_ && !line_.empty() && line_.back() == '\r') {
        line_.pop_back();
        --length;
    }
    if (!oversized_ && max_line_ > 0 && length > max_line_) oversized_ = true;
    if (oversized_) {
        const std::string type = sniff_event(line_);
        std::string subject = type.empty() ? "fd3 line " + std::to_string(line_no_)
                                           : "fd3 " + type + " event (line " + std::to_string(line_no_) + ")";
        std::string msg = subject + " is " + std::to_string(length) +
                          " bytes, exceeds max_event_line_size (" + std::to_string(max_line_) + " bytes)";
        if (type == "success") msg += "; return less data or write it to an output file";
        std::string d = "{";
        if (!type.empty()) d += "\"event\":" + jv::quote(type) + ",";
        d += "\"fd3_line\":" + std::to_string(line_no_) + ",\"line_bytes\":" + std::to_string(length) +
             ",\"max_event_line_size\":" + std::to_string(max_line_) + "}";
        violate("event_line_too_large", std::move(msg), std::move(d));
    } else if (!line_.empty()) {
        // Invalid UTF-8 becomes U+FFFD before anything reads the line, as
        // the daemon's decoder does for every string it decodes: events,
        // the result and every message echoing the line stay valid UTF-8.
        handle_line(jv::replace_invalid_utf8(line_));
    }
    line_.clear();
    line_bytes_ = 0;
    oversized_ = false;
}

void Fd3Reader::violate(std::string reason, std::string message, std::string d) {
    if (violations_.size() >= kMaxViolations) return;
    violations_.push_back(Violation{std::move(reason), std::move(message), std::move(d)});
}

void Fd3Reader::handle_line(std::string_view line) {
    const std::string n = std::to_string(line_no_);
    auto parsed = jv::parse(line);
    if (!parsed.value) {
        violate("event_protocol_error",
                "fd3 line " + n + " is not valid JSON: " + clip_utf8(parsed.error, kDecoderErrorBytes) +
                    "; line starts with " + go_quote(clip_utf8(line, kEchoBytes)),
                details(line_no_));
        return;
    }
    const jv::Value& v = *parsed.value;
    if (v.type != jv::Type::object && v.type != jv::Type::null) {
        violate("event_protocol_error",
                "fd3 line " + n + " does not match the event schema: expected a JSON object, got " +
                    v.go_type_name(),
                details(line_no_));
        return;
    }
    const jv::Value* ev = v.type == jv::Type::object ? v.find_fold("event") : nullptr;
    if (ev && ev->type != jv::Type::string && ev->type != jv::Type::null) {
        violate("event_protocol_error",
                "fd3 line " + n + " does not match the event schema: field \"event\" must be string, got " +
                    ev->go_type_name(),
                details(line_no_));
        return;
    }
    const std::string type = ev && ev->type == jv::Type::string ? ev->text : "";
    if (type.empty()) {
        violate("event_protocol_error", "fd3 line " + n + " has a missing or empty \"event\" field",
                details(line_no_));
        return;
    }
    if (!is_known(type)) {
        violate("event_protocol_error",
                "fd3 line " + n + " has unknown event " + go_quote(clip_utf8(type, kEchoBytes)) +
                    " (want progress, output_file, success or fail)",
                details(line_no_));
        return;
    }
    const std::string subject = "fd3 " + type + " event (line " + n + ")";
    // Typed members: a mismatch anywhere rejects the whole line.
    struct Member {
        const char* name;
        jv::Type want;
        const char* go_type;
        bool integer;
    };
    std::vector<Member> members;
    if (type == "progress") members = {{"value", jv::Type::number, "float64", false}, {"message", jv::Type::string, "string", false}};
    else if (type == "output_file") members = {{"key", jv::Type::string, "string", false}};
    else if (type == "fail")
        members = {{"message", jv::Type::string, "string", false},
                   {"reason", jv::Type::string, "string", false},
                   {"exit_code", jv::Type::number, "int", true}};
    for (const auto& m : members) {
        const jv::Value* field = v.find_fold(m.name);
        if (!field || field->type == jv::Type::null) continue;
        const bool ok = field->type == m.want && (!m.integer || is_integral_literal(field->text));
        if (!ok) {
            violate("event_protocol_error",
                    subject + " does not match the schema: field \"" + m.name + "\" must be " + m.go_type +
                        ", got " + type_for_message(*field, m.integer),
                    details(line_no_, type.c_str()));
            return;
        }
    }
    auto as_text = [&](const char* name) -> std::optional<std::string> {
        const jv::Value* f = v.find_fold(name);
        if (!f || f->type != jv::Type::string) return std::nullopt;
        return f->text;
    };

    if (type == "progress") {
        const jv::Value* value = v.find_fold("value");
        std::optional<std::string> literal;
        if (value && value->type == jv::Type::number) literal = value->text;
        std::optional<std::string> message = as_text("message");
        if (message && message->empty()) message.reset();
        if (sink_) sink_(literal, message);
        return;
    }
    if (type == "output_file") {
        const std::string key = as_text("key").value_or("");
        if (key.size() >= 2 && key.compare(0, 2, "__") == 0 && valid_role(key.substr(1))) {
            violate("event_protocol_error",
                    subject + ": role/key " + go_quote(clip_utf8(key, kEchoBytes)) + " uses reserved __ prefix",
                    "{\"event\":\"output_file\",\"fd3_line\":" + n + ",\"key\":" + jv::quote(key) + "}");
            return;
        }
        if (!valid_role(key)) {
            violate("event_protocol_error",
                    subject + ": invalid role/key " + go_quote(clip_utf8(key, kEchoBytes)) +
                        " (regex ^[A-Za-z_][A-Za-z0-9_]{0,63}$)",
                    "{\"event\":\"output_file\",\"fd3_line\":" + n + ",\"key\":" + jv::quote(key) + "}");
            return;
        }
        if (outputs_.count(key)) return;
        if (max_outputs_ > 0 && static_cast<std::int64_t>(outputs_.size()) >= max_outputs_) {
            violate("too_many_output_files",
                    subject + " declares key " + go_quote(key) + " beyond max_output_files_per_mission (" +
                        std::to_string(max_outputs_) + ")",
                    "{\"event\":\"output_file\",\"fd3_line\":" + n + ",\"key\":" + jv::quote(key) +
                        ",\"max_output_files_per_mission\":" + std::to_string(max_outputs_) + "}");
            return;
        }
        outputs_.insert(key);
        return;
    }
    // success / fail: the object-or-null member.
    const char* raw_name = type == "success" ? "return" : "details";
    const jv::Value* raw = v.find_fold(raw_name);
    if (raw && raw->type != jv::Type::object && raw->type != jv::Type::null) {
        const char* got = raw->type == jv::Type::boolean ? "boolean" : raw->go_type_name();
        violate("event_protocol_error",
                subject + ": \"" + raw_name + "\" must be a JSON object or null, got " + got,
                details(line_no_, type.c_str()));
        return;
    }
    if (terminal_) {
        const char* first = terminal_->success ? "success" : "fail";
        violate("duplicate_final_event",
                subject + " is a second final event after the " + first + " event on line " +
                    std::to_string(terminal_->line),
                "{\"event\":" + jv::quote(type) + ",\"fd3_line\":" + n + ",\"first_event\":\"" + first +
                    "\",\"first_fd3_line\":" + std::to_string(terminal_->line) + "}");
        return;
    }
    TerminalEvent t;
    t.success = type == "success";
    t.line = line_no_;
    if (t.success) {
        if (raw) t.return_json = jv::compact(*raw);
    } else {
        t.message = as_text("message").value_or("");
        t.reason = as_text("reason").value_or("");
        if (raw && raw->type == jv::Type::object) t.details = jv::compact(*raw);
    }
    terminal_ = std::move(t);
}

}  // namespace letts::devserver
