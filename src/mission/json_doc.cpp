// Strict RFC 8259 parser producing a JsonDoc (compact text + node spans).
#include "mission/json_doc.hpp"

#include <string>

#include "core/error.hpp"
#include "mission/utf8.hpp"

namespace letts::mission {

namespace {

// Deep enough for any real mission input (PHP's json_decode stops at the
// same depth); parsing and printing do not recurse, so this bounds memory
// and not the stack.
constexpr int max_depth = 512;

bool is_ws(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string describe(std::string_view in, std::size_t pos) {
    if (pos >= in.size()) return "unexpected end of input";
    const unsigned char c = static_cast<unsigned char>(in[pos]);
    if (c >= 0x20 && c < 0x7F) return std::string("unexpected character '") + in[pos] + "'";
    static const char hex[] = "0123456789abcdef";
    return std::string("unexpected byte 0x") + hex[c >> 4] + hex[c & 0xF];
}

}  // namespace

class JsonParser {
public:
    JsonParser(std::string_view in, std::string_view what) : in_(in), what_(what) {}

    JsonDoc run() {
        doc_.text_.reserve(in_.size());
        skip_ws();
        document();
        skip_ws();
        if (pos_ != in_.size()) fail("unexpected data after the value");
        return std::move(doc_);
    }

private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw Error(Status::invalid_argument, std::string(what_) + " is not valid JSON: " +
                                                  problem + " at byte " + std::to_string(pos_));
    }
    [[noreturn]] void fail_here() const { fail(describe(in_, pos_)); }

    void skip_ws() {
        while (pos_ < in_.size() && is_ws(in_[pos_])) ++pos_;
    }
    bool peek(char c) const { return pos_ < in_.size() && in_[pos_] == c; }
    void expect_literal(std::string_view word) {
        if (in_.substr(pos_, word.size()) != word) fail_here();
        pos_ += word.size();
        doc_.text_ += word;
    }

    std::size_t new_node(JsonDoc::Kind kind) {
        doc_.nodes_.emplace_back();
        doc_.nodes_.back().kind = kind;
        doc_.nodes_.back().begin = doc_.text_.size();
        return doc_.nodes_.size() - 1;
    }
    void close_node(std::size_t index) { doc_.nodes_[index].end = doc_.text_.size(); }

    // A scalar at pos_ (containers are opened by document()).
    std::size_t scalar() {
        std::size_t index = 0;
        switch (in_[pos_]) {
            case '"': {
                index = new_node(JsonDoc::Kind::string);
                std::string decoded = string_token();
                doc_.nodes_[index].string = std::move(decoded);
                break;
            }
            case 't':
                index = new_node(JsonDoc::Kind::boolean);
                expect_literal("true");
                doc_.nodes_[index].boolean = true;
                break;
            case 'f':
                index = new_node(JsonDoc::Kind::boolean);
                expect_literal("false");
                break;
            case 'n':
                index = new_node(JsonDoc::Kind::null);
                expect_literal("null");
                break;
            default:
                if (in_[pos_] != '-' && !is_digit(in_[pos_])) fail_here();
                index = new_node(JsonDoc::Kind::number);
                number_token();
        }
        close_node(index);
        return index;
    }

    // `"name" :` of the next member of object `index`; its value follows.
    void member_name(std::size_t index) {
        skip_ws();
        if (!peek('"')) fail_here();
        JsonDoc::Member m;
        m.name_begin = doc_.text_.size();
        m.name = string_token();
        m.name_end = doc_.text_.size();
        skip_ws();
        if (!peek(':')) fail_here();
        ++pos_;
        doc_.text_ += ':';
        skip_ws();
        doc_.nodes_[index].members.push_back(std::move(m));
    }

    // A completed value joins the container it is in (if any).
    void attach(const std::vector<std::size_t>& open, std::size_t child) {
        if (open.empty()) return;
        JsonDoc::Node& parent = doc_.nodes_[open.back()];
        if (parent.kind == JsonDoc::Kind::array) parent.items.push_back(child);
        else parent.members.back().value = child;
    }

    // The whole value at pos_. The open containers are kept in a vector on
    // the heap, not in C++ frames, so the thread's stack does not bound the
    // depth; max_depth still does (like PHP's json_decode, 512).
    void document() {
        std::vector<std::size_t> open;
        for (;;) {
            if (open.size() > static_cast<std::size_t>(max_depth))
                fail("nesting deeper than " + std::to_string(max_depth) + " levels");
            if (pos_ >= in_.size()) fail_here();
            const char c = in_[pos_];
            std::size_t done;  // the value just completed
            if (c == '{' || c == '[') {
                const char close = c == '{' ? '}' : ']';
                const std::size_t index = new_node(c == '{' ? JsonDoc::Kind::object : JsonDoc::Kind::array);
                ++pos_;
                doc_.text_ += c;
                skip_ws();
                if (!peek(close)) {
                    open.push_back(index);
                    if (c == '{') member_name(index);
                    else skip_ws();
                    continue;
                }
                ++pos_;
                doc_.text_ += close;
                close_node(index);
                done = index;
            } else {
                done = scalar();
            }
            // Attach what completed, then close every container that ends
            // here, until one continues with ',' (or the document ends).
            for (;;) {
                attach(open, done);
                if (open.empty()) return;
                const std::size_t top = open.back();
                const bool object = doc_.nodes_[top].kind == JsonDoc::Kind::object;
                skip_ws();
                if (peek(',')) {
                    ++pos_;
                    doc_.text_ += ',';
                    skip_ws();
                    if (object) member_name(top);
                    break;
                }
                if (!peek(object ? '}' : ']')) fail_here();
                ++pos_;
                doc_.text_ += object ? '}' : ']';
                close_node(top);
                open.pop_back();
                done = top;
            }
        }
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? copied verbatim.
    void number_token() {
        const std::size_t start = pos_;
        if (peek('-')) ++pos_;
        if (peek('0')) {
            ++pos_;
        } else if (pos_ < in_.size() && is_digit(in_[pos_])) {
            while (pos_ < in_.size() && is_digit(in_[pos_])) ++pos_;
        } else {
            fail_here();
        }
        if (peek('.')) {
            ++pos_;
            if (pos_ >= in_.size() || !is_digit(in_[pos_])) fail_here();
            while (pos_ < in_.size() && is_digit(in_[pos_])) ++pos_;
        }
        if (peek('e') || peek('E')) {
            ++pos_;
            if (peek('+') || peek('-')) ++pos_;
            if (pos_ >= in_.size() || !is_digit(in_[pos_])) fail_here();
            while (pos_ < in_.size() && is_digit(in_[pos_])) ++pos_;
        }
        doc_.text_.append(in_.substr(start, pos_ - start));
    }

    char32_t hex4() {
        if (in_.size() - pos_ < 4) fail("truncated \\u escape");
        char32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const int h = hex_value(in_[pos_ + i]);
            if (h < 0) fail("invalid \\u escape");
            v = (v << 4) | static_cast<char32_t>(h);
        }
        pos_ += 4;
        return v;
    }

    // Copies the string token verbatim into the compact text and returns
    // its decoded value. A lone surrogate escape decodes to U+FFFD, as Go's
    // decoder (dugdale's) does.
    std::string string_token() {
        const std::size_t start = pos_;
        ++pos_;  // opening quote
        std::string decoded;
        for (;;) {
            if (pos_ >= in_.size()) fail("unterminated string");
            const char c = in_[pos_];
            if (c == '"') {
                ++pos_;
                break;
            }
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
            if (c == '\\') {
                ++pos_;
                if (pos_ >= in_.size()) fail("unterminated string");
                const char e = in_[pos_++];
                switch (e) {
                    case '"': decoded += '"'; break;
                    case '\\': decoded += '\\'; break;
                    case '/': decoded += '/'; break;
                    case 'b': decoded += '\b'; break;
                    case 'f': decoded += '\f'; break;
                    case 'n': decoded += '\n'; break;
                    case 'r': decoded += '\r'; break;
                    case 't': decoded += '\t'; break;
                    case 'u': {
                        char32_t cp = hex4();
                        if (cp >= 0xD800 && cp <= 0xDBFF && in_.substr(pos_, 2) == "\\u") {
                            const std::size_t save = pos_;
                            pos_ += 2;
                            const char32_t low = hex4();
                            if (low >= 0xDC00 && low <= 0xDFFF) {
                                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                            } else {
                                pos_ = save;  // the next escape stands alone
                                cp = 0xFFFD;
                            }
                        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                            cp = 0xFFFD;
                        }
                        utf8::append(decoded, cp);
                        break;
                    }
                    default:
                        --pos_;
                        fail("invalid escape '\\" + std::string(1, e) + "'");
                }
                continue;
            }
            const std::size_t n = utf8::sequence_length(in_, pos_);
            if (n == 0) fail("invalid UTF-8 in string");
            decoded.append(in_.substr(pos_, n));
            pos_ += n;
        }
        doc_.text_.append(in_.substr(start, pos_ - start));
        return decoded;
    }

    std::string_view in_;
    std::string_view what_;
    std::size_t pos_ = 0;
    JsonDoc doc_;
};

JsonDoc JsonDoc::parse(std::string_view text, std::string_view what) {
    return JsonParser(text, what).run();
}

const JsonDoc::Node* JsonDoc::member(const Node& object, std::string_view name) const {
    for (auto it = object.members.rbegin(); it != object.members.rend(); ++it)
        if (it->name == name) return &nodes_[it->value];
    return nullptr;
}

namespace {

// "0", "7", "42" address array elements; "", "-1", "07", "+1" do not.
std::optional<std::size_t> array_index(std::string_view segment) {
    if (segment.empty() || segment.size() > 18) return std::nullopt;
    if (segment.size() > 1 && segment[0] == '0') return std::nullopt;
    std::size_t value = 0;
    for (char c : segment) {
        if (!is_digit(c)) return std::nullopt;
        value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return value;
}

}  // namespace

const JsonDoc::Node* JsonDoc::find(std::string_view path) const {
    const Node* current = &root();
    for (;;) {
        const std::size_t dot = path.find('.');
        const std::string_view segment = path.substr(0, dot);
        if (current->kind == Kind::object) {
            current = member(*current, segment);
        } else if (current->kind == Kind::array) {
            const auto index = array_index(segment);
            current = index && *index < current->items.size() ? &nodes_[current->items[*index]]
                                                              : nullptr;
        } else {
            current = nullptr;
        }
        if (current == nullptr || dot == std::string_view::npos) return current;
        path.remove_prefix(dot + 1);
    }
}

namespace {

// Pretty printing walks the tree with an explicit stack (the document can
// be 512 levels deep and the caller's thread small).
struct PrettyFrame {
    const JsonDoc::Node* node;
    std::size_t next;
    int indent;
};

void pretty_open(const JsonDoc& doc, const JsonDoc::Node& n, int indent, std::vector<PrettyFrame>& stack,
                 std::string& out) {
    const bool container = (n.kind == JsonDoc::Kind::object && !n.members.empty()) ||
                           (n.kind == JsonDoc::Kind::array && !n.items.empty());
    if (!container) {
        out += doc.text_of(n);  // scalars and empty containers as written
        return;
    }
    out += n.kind == JsonDoc::Kind::object ? '{' : '[';
    stack.push_back({&n, 0, indent});
}

void pretty_into(const JsonDoc& doc, std::string& out) {
    const auto newline = [&](int level) {
        out += '\n';
        out.append(static_cast<std::size_t>(level) * 4, ' ');
    };
    std::vector<PrettyFrame> stack;
    pretty_open(doc, doc.root(), 0, stack, out);
    while (!stack.empty()) {
        PrettyFrame& top = stack.back();
        const JsonDoc::Node& n = *top.node;
        const bool object = n.kind == JsonDoc::Kind::object;
        const std::size_t count = object ? n.members.size() : n.items.size();
        const int indent = top.indent;
        if (top.next == count) {
            newline(indent);
            out += object ? '}' : ']';
            stack.pop_back();
            continue;
        }
        const std::size_t i = top.next++;
        if (i) out += ',';
        newline(indent + 1);
        std::size_t child;
        if (object) {
            const auto& m = n.members[i];
            out.append(doc.text(), m.name_begin, m.name_end - m.name_begin);  // as written
            out += ": ";
            child = m.value;
        } else {
            child = n.items[i];
        }
        pretty_open(doc, doc.node(child), indent + 1, stack, out);  // `top` may dangle now
    }
}

}  // namespace

std::string JsonDoc::pretty() const {
    std::string out;
    pretty_into(*this, out);
    return out;
}

std::string_view kind_name(JsonDoc::Kind kind) noexcept {
    switch (kind) {
        case JsonDoc::Kind::null: return "null";
        case JsonDoc::Kind::boolean: return "boolean";
        case JsonDoc::Kind::number: return "number";
        case JsonDoc::Kind::string: return "string";
        case JsonDoc::Kind::array: return "array";
        case JsonDoc::Kind::object: return "object";
    }
    return "unknown";
}

}  // namespace letts::mission
