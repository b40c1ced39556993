#include "core/json_reader.hpp"

#include <cstdio>
#include <vector>

#include "core/utf8.hpp"

namespace letts::json {
namespace {

using Code = ReadError::Code;

bool is_ws(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

class Reader {
public:
    Reader(std::string_view text, const ReadOptions& options, ReadHandler& handler)
        : text_(text), options_(options), handler_(handler) {}

    std::optional<ReadError> run() {
        if (!document()) return error_;
        skip_ws();
        if (pos_ < text_.size()) {
            fail(Code::after_value);
            return error_;
        }
        return std::nullopt;
    }

private:
    bool fail(Code code, const char* context = "") {
        error_ = ReadError{};
        error_.code = code;
        error_.offset = pos_;
        error_.start = pos_;
        error_.context = context;
        error_.max_depth = options_.max_depth;
        return false;
    }
    // A byte that does not fit `context`, or the end of the text.
    bool unexpected(const char* context) {
        return pos_ >= text_.size() ? fail(Code::end_of_input) : fail(Code::unexpected_byte, context);
    }
    void skip_ws() {
        while (pos_ < text_.size() && is_ws(text_[pos_])) ++pos_;
    }
    bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
    bool skip_digits() {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
        return pos_ > start;
    }
    std::string_view since(std::size_t start) const { return text_.substr(start, pos_ - start); }
    std::size_t max_depth() const {
        return static_cast<std::size_t>(options_.max_depth < 0 ? 0 : options_.max_depth);
    }

    // The open containers live in open_ (true: an object) on the heap, not
    // in C++ frames, so the thread's stack does not bound the depth.
    bool document() {
        for (;;) {
            bool complete = false;
            if (!begin_value(complete)) return false;
            if (!complete) continue;
            bool finished = false;
            if (!end_values(finished)) return false;
            if (finished) return true;
        }
    }

    // The value at pos_: a scalar or an empty container (`complete`), or
    // the opening of a container whose first value follows.
    bool begin_value(bool& complete) {
        skip_ws();
        if (options_.depth_rule == DepthRule::enclosed_values && open_.size() > max_depth())
            return fail(Code::too_deep);
        if (pos_ >= text_.size()) return fail(Code::end_of_input);
        const char c = text_[pos_];
        if (c != '{' && c != '[') {
            complete = true;
            return scalar();
        }
        if (options_.depth_rule == DepthRule::containers && open_.size() >= max_depth())
            return fail(Code::too_deep);
        const bool object = c == '{';
        handler_.open(object ? Kind::object : Kind::array, pos_);
        ++pos_;
        skip_ws();
        if (peek(object ? '}' : ']')) {
            ++pos_;
            handler_.close();
            complete = true;
            return true;
        }
        open_.push_back(object);
        return !object || member_key();
    }

    // After a complete value: closes every container that ends with it,
    // until one continues with ',' (`finished` when the document ends).
    bool end_values(bool& finished) {
        for (;;) {
            if (open_.empty()) {
                finished = true;
                return true;
            }
            const bool object = open_.back();
            skip_ws();
            if (peek(',')) {
                ++pos_;
                return !object || member_key();
            }
            if (!peek(object ? '}' : ']'))
                return unexpected(object ? "after object key:value pair" : "after array element");
            ++pos_;
            open_.pop_back();
            handler_.close();
        }
    }

    // `"name" :` of the next member; its value follows.
    bool member_key() {
        skip_ws();
        if (!peek('"')) return unexpected("looking for beginning of object key string");
        const std::size_t start = pos_;
        std::string name;
        if (!string_token(name)) return false;
        handler_.key(std::move(name), since(start));
        skip_ws();
        if (!peek(':')) return unexpected("after object key");
        ++pos_;
        return true;
    }

    bool scalar() {
        const std::size_t start = pos_;
        switch (text_[pos_]) {
            case '"': {
                std::string decoded;
                if (!string_token(decoded)) return false;
                handler_.scalar(Kind::string, since(start), std::move(decoded), false);
                return true;
            }
            case 't': return literal("true", Kind::boolean, true);
            case 'f': return literal("false", Kind::boolean, false);
            case 'n': return literal("null", Kind::null, false);
            default:
                if (text_[pos_] != '-' && !is_digit(text_[pos_]))
                    return fail(Code::unexpected_byte, "looking for beginning of value");
                if (!number_token()) return false;
                handler_.scalar(Kind::number, since(start), {}, false);
                return true;
        }
    }

    bool literal(const char* word, Kind kind, bool value) {
        const std::string_view w(word);
        const std::size_t start = pos_;
        for (std::size_t i = 0; i < w.size(); ++i, ++pos_) {
            if (pos_ >= text_.size() || text_[pos_] != w[i]) {
                fail(Code::bad_literal);
                error_.start = start;
                error_.literal = word;
                return false;
            }
        }
        handler_.scalar(kind, w, {}, value);
        return true;
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    bool number_token() {
        if (peek('-')) {
            ++pos_;
            if (pos_ >= text_.size() || !is_digit(text_[pos_])) return unexpected("in numeric literal");
        }
        if (peek('0')) ++pos_;
        else skip_digits();
        if (peek('.')) {
            ++pos_;
            if (!skip_digits()) return unexpected("after decimal point in numeric literal");
        }
        if (peek('e') || peek('E')) {
            ++pos_;
            if (peek('+') || peek('-')) ++pos_;
            if (!skip_digits()) return unexpected("in exponent of numeric literal");
        }
        return true;
    }

    // The string token at pos_ (its opening quote), decoded into `out`.
    bool string_token(std::string& out) {
        ++pos_;
        for (;;) {
            if (pos_ >= text_.size()) return fail(Code::unterminated_string);
            const auto c = static_cast<unsigned char>(text_[pos_]);
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (c < 0x20) return fail(Code::control_in_string);
            if (c == '\\') {
                if (!escape(out)) return false;
                continue;
            }
            if (const std::size_t run = plain_run(); run > 0) {
                // Most of a string needs no decoding: take it in one piece.
                out.append(text_.substr(pos_, run));
                pos_ += run;
                continue;
            }
            std::size_t n = 1;
            if (c >= 0x80 && options_.require_utf8) {
                n = utf8::sequence_length(text_, pos_);
                if (n == 0) return fail(Code::invalid_utf8);
            }
            out.append(text_.substr(pos_, n));
            pos_ += n;
        }
    }

    // The number of bytes from pos_ on that stand for themselves in a string:
    // no quote, backslash or control byte, and no byte that starts a UTF-8
    // sequence to be checked.
    std::size_t plain_run() const {
        std::size_t end = pos_;
        while (end < text_.size()) {
            const auto c = static_cast<unsigned char>(text_[end]);
            if (c == '"' || c == '\\' || c < 0x20 || (c >= 0x80 && options_.require_utf8)) break;
            ++end;
        }
        return end - pos_;
    }

    bool escape(std::string& out) {
        ++pos_;  // the backslash
        if (pos_ >= text_.size()) return fail(Code::unterminated_string);
        char decoded;
        switch (text_[pos_]) {
            case '"': decoded = '"'; break;
            case '\\': decoded = '\\'; break;
            case '/': decoded = '/'; break;
            case 'b': decoded = '\b'; break;
            case 'f': decoded = '\f'; break;
            case 'n': decoded = '\n'; break;
            case 'r': decoded = '\r'; break;
            case 't': decoded = '\t'; break;
            case 'u': ++pos_; return unicode_escape(out);
            default: return fail(Code::bad_escape);
        }
        ++pos_;
        out += decoded;
        return true;
    }

    // A lone or mismatched surrogate decodes to U+FFFD, as Go's decoder
    // (the daemon's) does.
    bool unicode_escape(std::string& out) {
        char32_t cp = 0;
        if (!hex4(cp)) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
            const std::size_t save = pos_;
            pos_ += 2;
            char32_t low = 0;
            if (!hex4(low)) return false;
            if (low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
                pos_ = save;  // the next escape stands alone
                cp = 0xFFFD;
            }
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        utf8::append(out, cp);
        return true;
    }

    bool hex4(char32_t& value) {
        const std::size_t start = pos_;
        for (int i = 0; i < 4; ++i, ++pos_) {
            const int digit = pos_ < text_.size() ? hex_value(text_[pos_]) : -1;
            if (digit < 0) {
                fail(Code::bad_unicode_escape);
                error_.start = start;
                return false;
            }
            value = (value << 4) | static_cast<char32_t>(digit);
        }
        return true;
    }

    std::string_view text_;
    const ReadOptions& options_;
    ReadHandler& handler_;
    std::size_t pos_ = 0;
    std::vector<bool> open_;
    ReadError error_;
};

// Go's quoteChar: how its decoder names an offending byte.
std::string go_quote_char(unsigned char c) {
    if (c == '\'') return "'\\''";
    if (c == '"') return "'\"'";
    switch (c) {
        case '\n': return "'\\n'";
        case '\r': return "'\\r'";
        case '\t': return "'\\t'";
        default: break;
    }
    if (c < 0x20 || c == 0x7f) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "'\\x%02x'", c);
        return buf;
    }
    if (c >= 0x80) return "'\\ufffd'";
    return std::string("'") + static_cast<char>(c) + "'";
}

// The byte at `pos` the way the runtime's messages name it.
std::string describe_byte(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return "unexpected end of input";
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c >= 0x20 && c < 0x7F) return std::string("unexpected character '") + text[pos] + "'";
    static const char hex[] = "0123456789abcdef";
    return std::string("unexpected byte 0x") + hex[c >> 4] + hex[c & 0xF];
}

}  // namespace

std::optional<ReadError> read(std::string_view text, const ReadOptions& options, ReadHandler& handler) {
    return Reader(text, options, handler).run();
}

std::string go_message(const ReadError& error, std::string_view text) {
    if (error.offset >= text.size()) return "unexpected end of JSON input";
    const std::string bad = "invalid character " + go_quote_char(static_cast<unsigned char>(text[error.offset]));
    switch (error.code) {
        case Code::end_of_input:
        case Code::unterminated_string: return "unexpected end of JSON input";
        case Code::unexpected_byte: return bad + " " + error.context;
        case Code::bad_literal:
            return bad + " in literal " + error.literal + " (expecting " +
                   go_quote_char(static_cast<unsigned char>(error.literal[error.offset - error.start])) + ")";
        case Code::after_value: return bad + " after top-level value";
        case Code::too_deep: return bad + " exceeded max depth";
        case Code::control_in_string: return bad + " in string literal";
        case Code::bad_escape: return bad + " in string escape code";
        case Code::bad_unicode_escape: return bad + " in \\u hexadecimal character escape";
        case Code::invalid_utf8: return "invalid UTF-8 in string literal";
    }
    return bad;
}

std::string plain_message(const ReadError& error, std::string_view text) {
    std::size_t at = error.offset;
    std::string problem;
    switch (error.code) {
        case Code::end_of_input:
        case Code::unexpected_byte: problem = describe_byte(text, at); break;
        case Code::bad_literal:
            at = error.start;
            problem = describe_byte(text, at);
            break;
        case Code::after_value: problem = "unexpected data after the value"; break;
        case Code::too_deep:
            problem = "nesting deeper than " + std::to_string(error.max_depth) + " levels";
            break;
        case Code::unterminated_string: problem = "unterminated string"; break;
        case Code::control_in_string: problem = "control character in string"; break;
        case Code::bad_escape: problem = std::string("invalid escape '\\") + text[at] + "'"; break;
        case Code::bad_unicode_escape:
            at = error.start;
            problem = text.size() - at < 4 ? "truncated \\u escape" : "invalid \\u escape";
            break;
        case Code::invalid_utf8: problem = "invalid UTF-8 in string"; break;
    }
    return problem + " at byte " + std::to_string(at);
}

}  // namespace letts::json
