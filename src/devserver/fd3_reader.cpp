#include "devserver/fd3_reader.hpp"

#include "core/names.hpp"
#include "core/quote.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"
#include "devserver/json_value.hpp"

namespace letts::devserver {
namespace {

constexpr std::size_t kMaxViolations = 32;
constexpr std::size_t kSniffBytes = 512;
constexpr std::size_t kEchoBytes = 128;
constexpr std::size_t kDecoderErrorBytes = 256;

// Go's %q of a value the reader echoes, cut to kEchoBytes first. The line
// is valid UTF-8 by then (see end_line), so this is exactly Go's quoting.
std::string echo(std::string_view s, std::size_t max = kEchoBytes) {
    return quoted(utf8::clip(s, max), std::string_view::npos);
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

// The string member `name` (found the way the daemon's decoder finds it).
std::optional<std::string> member_text(const jv::Value& v, const char* name) {
    const jv::Value* f = v.find_fold(name);
    if (!f || f->type != jv::Type::string) return std::nullopt;
    return f->text;
}

bool is_sniff_space(char c) { return text::ascii_space.find(c) != std::string_view::npos; }

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
        handle_line(utf8::replace_invalid(line_));
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
    const jv::ParseResult parsed = jv::parse(line);
    if (!parsed.value) {
        violate("event_protocol_error",
                "fd3 line " + std::to_string(line_no_) + " is not valid JSON: " +
                    utf8::clip(parsed.error, kDecoderErrorBytes) + "; line starts with " + echo(line),
                details(line_no_));
        return;
    }
    const jv::Value& v = *parsed.value;
    const std::string type = event_type(v);
    if (type.empty() || !matches_schema(v, type)) return;
    if (type == "progress") {
        handle_progress(v);
    } else if (type == "output_file") {
        handle_output_file(v);
    } else {
        handle_final(v, type);
    }
}

std::string Fd3Reader::subject(const std::string& type) const {
    return "fd3 " + type + " event (line " + std::to_string(line_no_) + ")";
}

std::string Fd3Reader::event_type(const jv::Value& v) {
    const std::string n = std::to_string(line_no_);
    const char* problem = nullptr;
    std::string got;
    const jv::Value* ev = v.type == jv::Type::object ? v.find_fold("event") : nullptr;
    if (v.type != jv::Type::object && v.type != jv::Type::null) {
        problem = "does not match the event schema: expected a JSON object, got ";
        got = v.go_type_name();
    } else if (ev && ev->type != jv::Type::string && ev->type != jv::Type::null) {
        problem = "does not match the event schema: field \"event\" must be string, got ";
        got = ev->go_type_name();
    } else if (!ev || ev->type != jv::Type::string || ev->text.empty()) {
        problem = "has a missing or empty \"event\" field";
    } else if (!is_known(ev->text)) {
        problem = "has unknown event ";
        got = echo(ev->text) + " (want progress, output_file, success or fail)";
    } else {
        return ev->text;
    }
    violate("event_protocol_error", "fd3 line " + n + " " + problem + got, details(line_no_));
    return "";
}

bool Fd3Reader::matches_schema(const jv::Value& v, const std::string& type) {
    // Typed members: a mismatch anywhere rejects the whole line.
    struct Member {
        const char* name;
        jv::Type want;
        const char* go_type;
        bool integer;
    };
    std::vector<Member> members;
    if (type == "progress")
        members = {{"value", jv::Type::number, "float64", false}, {"message", jv::Type::string, "string", false}};
    else if (type == "output_file")
        members = {{"key", jv::Type::string, "string", false}};
    else if (type == "fail")
        members = {{"message", jv::Type::string, "string", false},
                   {"reason", jv::Type::string, "string", false},
                   {"exit_code", jv::Type::number, "int", true}};
    for (const auto& m : members) {
        const jv::Value* field = v.find_fold(m.name);
        if (!field || field->type == jv::Type::null) continue;
        if (field->type == m.want && (!m.integer || is_integral_literal(field->text))) continue;
        violate("event_protocol_error",
                subject(type) + " does not match the schema: field \"" + m.name + "\" must be " + m.go_type +
                    ", got " + type_for_message(*field, m.integer),
                details(line_no_, type.c_str()));
        return false;
    }
    return true;
}

void Fd3Reader::handle_progress(const jv::Value& v) {
    const jv::Value* value = v.find_fold("value");
    std::optional<std::string> literal;
    if (value && value->type == jv::Type::number) literal = value->text;
    std::optional<std::string> message = member_text(v, "message");
    if (message && message->empty()) message.reset();
    if (sink_) sink_(literal, message);
}

void Fd3Reader::handle_output_file(const jv::Value& v) {
    const std::string key = member_text(v, "key").value_or("");
    const std::string key_details = "{\"event\":\"output_file\",\"fd3_line\":" + std::to_string(line_no_) +
                                    ",\"key\":" + jv::quote(key);
    switch (names::role_key_fault(key)) {
        case names::RoleKeyFault::reserved_prefix:
            violate("event_protocol_error", subject("output_file") + ": role/key " + echo(key) + " uses reserved __ prefix",
                    key_details + "}");
            return;
        case names::RoleKeyFault::pattern:
            violate("event_protocol_error",
                    subject("output_file") + ": invalid role/key " + echo(key) + " (regex ^[A-Za-z_][A-Za-z0-9_]{0,63}$)",
                    key_details + "}");
            return;
        case names::RoleKeyFault::none: break;
    }
    if (outputs_.count(key)) return;
    if (max_outputs_ > 0 && static_cast<std::int64_t>(outputs_.size()) >= max_outputs_) {
        violate("too_many_output_files",
                subject("output_file") + " declares key " + echo(key, std::string_view::npos) +
                    " beyond max_output_files_per_mission (" + std::to_string(max_outputs_) + ")",
                key_details + ",\"max_output_files_per_mission\":" + std::to_string(max_outputs_) + "}");
        return;
    }
    outputs_.insert(key);
}

void Fd3Reader::handle_final(const jv::Value& v, const std::string& type) {
    // success / fail: the object-or-null member.
    const char* raw_name = type == "success" ? "return" : "details";
    const jv::Value* raw = v.find_fold(raw_name);
    if (raw && raw->type != jv::Type::object && raw->type != jv::Type::null) {
        const char* got = raw->type == jv::Type::boolean ? "boolean" : raw->go_type_name();
        violate("event_protocol_error", subject(type) + ": \"" + raw_name + "\" must be a JSON object or null, got " + got,
                details(line_no_, type.c_str()));
        return;
    }
    if (terminal_) {
        const char* first = terminal_->success ? "success" : "fail";
        violate("duplicate_final_event",
                subject(type) + " is a second final event after the " + first + " event on line " +
                    std::to_string(terminal_->line),
                "{\"event\":" + jv::quote(type) + ",\"fd3_line\":" + std::to_string(line_no_) +
                    ",\"first_event\":\"" + first + "\",\"first_fd3_line\":" + std::to_string(terminal_->line) + "}");
        return;
    }
    TerminalEvent t;
    t.success = type == "success";
    t.line = line_no_;
    if (t.success) {
        if (raw) t.return_json = jv::compact(*raw);
    } else {
        t.message = member_text(v, "message").value_or("");
        t.reason = member_text(v, "reason").value_or("");
        if (raw && raw->type == jv::Type::object) t.details = jv::compact(*raw);
    }
    terminal_ = std::move(t);
}

}  // namespace letts::devserver
