#include "devserver/json_value.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace letts::devserver::jv {
namespace {

// Go's quoteChar: how its decoder names an offending byte in messages.
std::string quote_char(unsigned char c) {
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

class Parser {
public:
    Parser(std::string_view s, int max_depth) : s_(s), max_depth_(max_depth) {}

    ParseResult run() {
        ParseResult r;
        skip_ws();
        Value v;
        if (!document(v)) {
            r.error = error_;
            return r;
        }
        skip_ws();
        if (pos_ < s_.size()) {
            r.error = "invalid character " + quote_char(s_[pos_]) + " after top-level value";
            return r;
        }
        r.value = std::move(v);
        return r;
    }

private:
    std::string_view s_;
    std::size_t pos_ = 0;
    int max_depth_;
    std::string error_;

    bool fail(std::string msg) {
        if (error_.empty()) error_ = std::move(msg);
        return false;
    }
    bool eof_fail() { return fail("unexpected end of JSON input"); }
    bool bad(const char* context) {
        if (pos_ >= s_.size()) return eof_fail();
        return fail("invalid character " + quote_char(s_[pos_]) + " " + context);
    }
    void skip_ws() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }

    bool literal(const char* word, Value& v, Type t, bool b) {
        const std::string_view w(word);
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (pos_ + i >= s_.size()) return eof_fail();
            if (s_[pos_ + i] != w[i]) {
                pos_ += i;
                return fail("invalid character " + quote_char(s_[pos_]) + " in literal " +
                            std::string(w) + " (expecting " + quote_char(w[i]) + ")");
            }
        }
        pos_ += w.size();
        v.type = t;
        v.boolean = b;
        return true;
    }

    // One scalar (string, number, literal) into `v`; containers are opened
    // by run() itself.
    bool scalar(Value& v) {
        if (pos_ >= s_.size()) return eof_fail();
        const char c = s_[pos_];
        switch (c) {
            case '"': v.type = Type::string; return string(v.text);
            case 't': return literal("true", v, Type::boolean, true);
            case 'f': return literal("false", v, Type::boolean, false);
            case 'n': return literal("null", v, Type::null, false);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number(v);
                return bad("looking for beginning of value");
        }
    }

    bool digits() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        return pos_ > start;
    }

    bool number(Value& v) {
        const std::size_t start = pos_;
        if (s_[pos_] == '-') {
            ++pos_;
            if (pos_ >= s_.size()) return eof_fail();
            if (!(s_[pos_] >= '0' && s_[pos_] <= '9')) return bad("in numeric literal");
        }
        if (s_[pos_] == '0') ++pos_;
        else digits();
        if (pos_ < s_.size() && s_[pos_] == '.') {
            ++pos_;
            if (!digits()) return bad("after decimal point in numeric literal");
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
            if (!digits()) return bad("in exponent of numeric literal");
        }
        v.type = Type::number;
        v.text.assign(s_.substr(start, pos_ - start));
        return true;
    }

    static void put_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) out += static_cast<char>(cp);
        else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    bool hex4(std::uint32_t& out) {
        out = 0;
        for (int i = 0; i < 4; ++i) {
            if (pos_ >= s_.size()) return eof_fail();
            const char c = s_[pos_];
            std::uint32_t d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else return bad("in \\u hexadecimal character escape");
            out = out * 16 + d;
            ++pos_;
        }
        return true;
    }

    bool string(std::string& out) {
        ++pos_;  // opening quote
        out.clear();
        while (true) {
            if (pos_ >= s_.size()) return eof_fail();
            const unsigned char c = static_cast<unsigned char>(s_[pos_]);
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (c < 0x20) return bad("in string literal");
            if (c != '\\') {
                out += static_cast<char>(c);
                ++pos_;
                continue;
            }
            ++pos_;
            if (pos_ >= s_.size()) return eof_fail();
            const char e = s_[pos_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    std::uint32_t cp;
                    if (!hex4(cp)) return false;
                    if (cp >= 0xD800 && cp < 0xDC00 && pos_ + 6 <= s_.size() && s_[pos_] == '\\' &&
                        s_[pos_ + 1] == 'u') {
                        const std::size_t save = pos_;
                        pos_ += 2;
                        std::uint32_t lo;
                        if (!hex4(lo)) return false;
                        if (lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        else { pos_ = save; cp = 0xFFFD; }
                    } else if (cp >= 0xD800 && cp < 0xE000) {
                        cp = 0xFFFD;
                    }
                    put_utf8(out, cp);
                    break;
                }
                default:
                    --pos_;
                    return bad("in string escape code");
            }
        }
    }

    // `"key"` `:` of the next member of `obj`; the member is appended and
    // its value slot returned through `slot`.
    bool member_key(Value& obj, Value*& slot) {
        skip_ws();
        if (pos_ >= s_.size()) return eof_fail();
        if (s_[pos_] != '"') return bad("looking for beginning of object key string");
        std::string key;
        if (!string(key)) return false;
        skip_ws();
        if (pos_ >= s_.size()) return eof_fail();
        if (s_[pos_] != ':') return bad("after object key");
        ++pos_;
        obj.members.push_back(Member{std::move(key), Value{}});
        slot = &obj.members.back().value;
        return true;
    }

    // The open containers live in open_ (heap), not in C++ frames. Pointers
    // in open_ stay valid: a container on the stack is an element of its
    // parent, and only the innermost open container ever grows.
    bool document(Value& root) {
        std::vector<Value*> open_;
        Value* slot = &root;  // where the next value goes
        while (true) {
            skip_ws();
            if (pos_ >= s_.size()) return eof_fail();
            const char c = s_[pos_];
            bool closed = false;  // the value in *slot is complete
            if (c == '[' || c == '{') {
                if (open_.size() >= static_cast<std::size_t>(max_depth_ < 0 ? 0 : max_depth_))
                    return fail("invalid character " + quote_char(c) + " exceeded max depth");
                ++pos_;
                slot->type = c == '[' ? Type::array : Type::object;
                open_.push_back(slot);
                skip_ws();
                if (pos_ < s_.size() && s_[pos_] == (c == '[' ? ']' : '}')) {
                    ++pos_;
                    open_.pop_back();
                    closed = true;
                } else if (c == '[') {
                    slot->items.emplace_back();
                    slot = &slot->items.back();
                } else if (!member_key(*slot, slot)) {
                    return false;
                }
            } else {
                if (!scalar(*slot)) return false;
                closed = true;
            }
            if (!closed) continue;
            // A value ended: close every container that ends with it, then
            // find the slot of the next value.
            while (true) {
                if (open_.empty()) return true;
                Value& top = *open_.back();
                skip_ws();
                if (pos_ >= s_.size()) return eof_fail();
                const char d = s_[pos_];
                if (top.type == Type::array) {
                    if (d == ',') {
                        ++pos_;
                        top.items.emplace_back();
                        slot = &top.items.back();
                        break;
                    }
                    if (d != ']') return bad("after array element");
                } else {
                    if (d == ',') {
                        ++pos_;
                        if (!member_key(top, slot)) return false;
                        break;
                    }
                    if (d != '}') return bad("after object key:value pair");
                }
                ++pos_;
                open_.pop_back();
            }
        }
    }
};

}  // namespace

namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 when the byte there
// does not start one (stray continuation, overlong, surrogate, > U+10FFFF,
// truncated). The same rule as Go's utf8.DecodeRune.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const unsigned char c = s[i];
    if (c < 0x80) return 1;
    std::size_t n;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return 0;
    for (std::size_t k = 1; k <= n; ++k) {
        if (i + k >= s.size()) return 0;
        const unsigned char cc = s[i + k];
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
        return 0;
    return n + 1;
}

}  // namespace

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_sequence(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string replace_invalid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_sequence(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    return out;
}

namespace {

// ECMAScript Number::toString for a finite double (RFC 8785 §3.2.2.3).
std::string es_number(double d) {
    if (d == 0) return "0";
    std::string out;
    if (d < 0) {
        out += '-';
        d = -d;
    }
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    const auto epos = sci.find('e');
    std::string digits;
    for (std::size_t i = 0; i < epos; ++i)
        if (sci[i] != '.') digits += sci[i];
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    const int exp10 = std::atoi(sci.c_str() + epos + 1);
    const int k = static_cast<int>(digits.size());
    const int n = exp10 + 1;
    if (k <= n && n <= 21) {
        out += digits + std::string(n - k, '0');
    } else if (0 < n && n <= 21) {
        out += digits.substr(0, n) + "." + digits.substr(n);
    } else if (-6 < n && n <= 0) {
        out += "0." + std::string(-n, '0') + digits;
    } else {
        out += digits.substr(0, 1);
        if (k > 1) out += "." + digits.substr(1);
        out += "e";
        out += (n - 1 >= 0) ? "+" : "-";
        out += std::to_string(std::abs(n - 1));
    }
    return out;
}

std::optional<std::string> canonical_number(const std::string& lit) {
    if (lit.find_first_of(".eE") == std::string::npos) {
        std::int64_t i = 0;
        auto [p, ec] = std::from_chars(lit.data(), lit.data() + lit.size(), i);
        if (ec == std::errc() && p == lit.data() + lit.size()) return std::to_string(i);
    }
    char* end = nullptr;
    const double d = std::strtod(lit.c_str(), &end);
    if (!std::isfinite(d)) return std::nullopt;
    return es_number(d);
}

// UTF-16 code-unit order, as RFC 8785 requires for member names.
std::u16string utf16(std::string_view s) {
    std::u16string out;
    std::size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = s[i];
        std::uint32_t cp;
        std::size_t n;
        if (c < 0x80) { cp = c; n = 0; }
        else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; n = 1; }
        else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; n = 2; }
        else { cp = c & 0x07; n = 3; }
        for (std::size_t k = 1; k <= n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
        i += n + 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out += static_cast<char16_t>(0xD800 + (cp >> 10));
            out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
        } else {
            out += static_cast<char16_t>(cp);
        }
    }
    return out;
}

// Scalars of compact() and canonical(); false when canonical() must refuse.
bool scalar_into(const Value& v, bool canonical_form, std::string& out) {
    switch (v.type) {
        case Type::null: out += "null"; return true;
        case Type::boolean: out += v.boolean ? "true" : "false"; return true;
        case Type::number: {
            if (!canonical_form) {
                out += v.text;
                return true;
            }
            auto n = canonical_number(v.text);
            if (!n) return false;
            out += *n;
            return true;
        }
        case Type::string:
            if (canonical_form && !valid_utf8(v.text)) return false;
            out += quote(v.text);
            return true;
        case Type::array:
        case Type::object: break;
    }
    return false;
}

// One open container of the serialiser: the members in output order (JCS
// order for canonical(), document order for compact()) and the next one.
struct OpenContainer {
    const Value* value;
    std::vector<const Member*> order;  // objects only
    std::size_t next = 0;
};

// Opens `v` onto `stack` (containers) or writes it (scalars).
bool open_value(const Value& v, bool canonical_form, std::vector<OpenContainer>& stack, std::string& out) {
    if (v.type != Type::array && v.type != Type::object) return scalar_into(v, canonical_form, out);
    OpenContainer c{&v, {}, 0};
    if (v.type == Type::object) {
        c.order.reserve(v.members.size());
        if (canonical_form) {
            std::vector<std::pair<std::u16string, const Member*>> sorted;
            sorted.reserve(v.members.size());
            for (const auto& m : v.members) {
                if (!valid_utf8(m.name)) return false;
                sorted.emplace_back(utf16(m.name), &m);
            }
            std::sort(sorted.begin(), sorted.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
            for (std::size_t i = 1; i < sorted.size(); ++i)
                if (sorted[i].first == sorted[i - 1].first) return false;  // duplicate key
            for (const auto& e : sorted) c.order.push_back(e.second);
        } else {
            for (const auto& m : v.members) c.order.push_back(&m);
        }
    }
    out += v.type == Type::array ? '[' : '{';
    stack.push_back(std::move(c));
    return true;
}

// compact() and canonical(): a depth-first walk with the stack on the heap.
bool serialise(const Value& root, bool canonical_form, std::string& out) {
    std::vector<OpenContainer> stack;
    if (!open_value(root, canonical_form, stack, out)) return false;
    while (!stack.empty()) {
        OpenContainer& top = stack.back();
        const Value& v = *top.value;
        const bool array = v.type == Type::array;
        const std::size_t count = array ? v.items.size() : top.order.size();
        if (top.next == count) {
            out += array ? ']' : '}';
            stack.pop_back();
            continue;
        }
        const std::size_t i = top.next++;
        if (i) out += ',';
        const Value* child;
        if (array) {
            child = &v.items[i];
        } else {
            out += quote(top.order[i]->name);
            out += ':';
            child = &top.order[i]->value;
        }
        // `top` may dangle after this call (the stack can grow).
        if (!open_value(*child, canonical_form, stack, out)) return false;
    }
    return true;
}

// Moves the children of `v` onto `out`, leaving `v` a leaf.
void detach_children(Value& v, std::vector<Value>& out) {
    for (auto& item : v.items) out.push_back(std::move(item));
    for (auto& m : v.members) out.push_back(std::move(m.value));
    v.items.clear();
    v.members.clear();
}

// A copy of `v` without its children.
Value shallow_copy(const Value& v) {
    Value c;
    c.type = v.type;
    c.boolean = v.boolean;
    c.text = v.text;
    return c;
}

}  // namespace

Value::Value(const Value& other) : type(other.type), boolean(other.boolean), text(other.text) {
    // Each pending pair is (source, copy whose children are still missing);
    // children vectors are sized before pointers into them are taken.
    std::vector<std::pair<const Value*, Value*>> pending{{&other, this}};
    while (!pending.empty()) {
        auto [src, dst] = pending.back();
        pending.pop_back();
        dst->items.reserve(src->items.size());
        for (const auto& item : src->items) dst->items.push_back(shallow_copy(item));
        dst->members.reserve(src->members.size());
        for (const auto& m : src->members) dst->members.push_back(Member{m.name, shallow_copy(m.value)});
        for (std::size_t i = 0; i < src->items.size(); ++i) pending.emplace_back(&src->items[i], &dst->items[i]);
        for (std::size_t i = 0; i < src->members.size(); ++i)
            pending.emplace_back(&src->members[i].value, &dst->members[i].value);
    }
}

Value::Value(Value&& other) noexcept = default;

Value& Value::operator=(const Value& other) {
    if (this != &other) *this = Value(other);
    return *this;
}

// The old children are destroyed by ~Value of each element, which is
// iterative itself.
Value& Value::operator=(Value&& other) noexcept = default;

Value::~Value() {
    if (items.empty() && members.empty()) return;
    // Flatten instead of recursing: every node is destroyed as a leaf.
    std::vector<Value> pending;
    detach_children(*this, pending);
    while (!pending.empty()) {
        Value node = std::move(pending.back());
        pending.pop_back();
        detach_children(node, pending);
    }
}

const Value* Value::find(std::string_view key) const {
    const Value* found = nullptr;
    for (const auto& m : members)
        if (m.name == key) found = &m.value;
    return found;
}

const Value* Value::find_fold(std::string_view key) const {
    if (const Value* exact = find(key)) return exact;
    const Value* found = nullptr;
    for (const auto& m : members) {
        if (m.name.size() != key.size()) continue;
        bool eq = true;
        for (std::size_t i = 0; i < key.size() && eq; ++i)
            eq = std::tolower(static_cast<unsigned char>(m.name[i])) ==
                 std::tolower(static_cast<unsigned char>(key[i]));
        if (eq) found = &m.value;
    }
    return found;
}

const char* Value::go_type_name() const {
    switch (type) {
        case Type::null: return "null";
        case Type::boolean: return "bool";
        case Type::number: return "number";
        case Type::string: return "string";
        case Type::array: return "array";
        case Type::object: return "object";
    }
    return "value";
}

ParseResult parse(std::string_view text, int max_depth) { return Parser(text, max_depth).run(); }

std::string compact(const Value& v) {
    std::string out;
    serialise(v, false, out);
    return out;
}

std::optional<std::string> canonical(const Value& v) {
    std::string out;
    if (!serialise(v, true, out)) return std::nullopt;
    return out;
}

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
    return out;
}

}  // namespace letts::devserver::jv
