#include "core/json_value.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

namespace letts::jv {
namespace {

// Builds the tree from the reader's events. Pointers in open_ stay valid: a
// container on the stack is an element of its parent, and only the
// innermost open container ever grows.
class TreeBuilder final : public json::ReadHandler {
public:
    explicit TreeBuilder(Value& root) : root_(root) {}

    void open(json::Kind container, std::size_t) override {
        Value& v = next_slot();
        v.type = container == json::Kind::object ? Type::object : Type::array;
        open_.push_back(&v);
    }
    void key(std::string name, std::string_view) override {
        open_.back()->members.push_back(Member{std::move(name), Value{}});
    }
    void scalar(json::Kind kind, std::string_view raw, std::string decoded, bool boolean) override {
        Value& v = next_slot();
        v.boolean = boolean;
        switch (kind) {
            case json::Kind::null: v.type = Type::null; break;
            case json::Kind::boolean: v.type = Type::boolean; break;
            case json::Kind::number:
                v.type = Type::number;
                v.text.assign(raw);
                break;
            default:
                v.type = Type::string;
                v.text = std::move(decoded);
        }
    }
    void close() override { open_.pop_back(); }

private:
    // Where the value that starts now goes: the root, a new array element,
    // or the member whose key was just read.
    Value& next_slot() {
        if (open_.empty()) return root_;
        Value& parent = *open_.back();
        if (parent.type == Type::array) return parent.items.emplace_back();
        return parent.members.back().value;
    }

    Value& root_;
    std::vector<Value*> open_;
};

}  // namespace

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
        if (const auto i = text::parse_int64(lit)) return std::to_string(*i);
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
            if (canonical_form && !utf8::valid(v.text)) return false;
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
                if (!utf8::valid(m.name)) return false;
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
        if (text::equal_fold(m.name, key)) found = &m.value;
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

ParseResult parse(std::string_view text, int max_depth) {
    ParseResult result;
    Value root;
    TreeBuilder builder(root);
    json::ReadOptions options;
    options.max_depth = max_depth;
    if (const auto error = json::read(text, options, builder)) {
        result.error = json::go_message(*error, text);
    } else {
        result.value = std::move(root);
    }
    return result;
}

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
    std::string out;
    append_quoted(out, s);
    return out;
}

void append_quoted(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
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
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0x0F];
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

}  // namespace letts::jv
