// A JsonDoc built from core/json_reader (compact text + node spans).
#include "mission/json_doc.hpp"

#include <string>

#include "core/error.hpp"
#include "core/json_reader.hpp"

namespace letts::mission {

namespace {

// Deep enough for any real mission input (PHP's json_decode stops at the
// same depth); the reader and the printer do not recurse, so this bounds
// memory and not the stack.
constexpr int max_depth = 512;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

}  // namespace

// Builds the compact text and the nodes from the reader's events: every
// token is copied verbatim, separators are written, whitespace is not.
class JsonParser final : public json::ReadHandler {
public:
    explicit JsonParser(JsonDoc& doc) : doc_(doc) {}

    void open(json::Kind container, std::size_t) override {
        const std::size_t index = begin_node(container == json::Kind::object ? JsonDoc::Kind::object
                                                                             : JsonDoc::Kind::array);
        doc_.text_ += container == json::Kind::object ? '{' : '[';
        open_.push_back(index);
    }
    void key(std::string name, std::string_view raw) override {
        JsonDoc::Node& object = doc_.nodes_[open_.back()];
        if (!object.members.empty()) doc_.text_ += ',';
        JsonDoc::Member m;
        m.name = std::move(name);
        m.name_begin = doc_.text_.size();
        doc_.text_ += raw;
        m.name_end = doc_.text_.size();
        doc_.text_ += ':';
        object.members.push_back(std::move(m));
    }
    void scalar(json::Kind kind, std::string_view raw, std::string decoded, bool boolean) override {
        const std::size_t index = begin_node(kind);
        JsonDoc::Node& n = doc_.nodes_[index];
        n.boolean = boolean;
        n.string = std::move(decoded);
        doc_.text_ += raw;
        n.end = doc_.text_.size();
    }
    void close() override {
        JsonDoc::Node& n = doc_.nodes_[open_.back()];
        doc_.text_ += n.kind == JsonDoc::Kind::object ? '}' : ']';
        n.end = doc_.text_.size();
        open_.pop_back();
    }

private:
    // A node for the value that starts now, attached to its container.
    std::size_t begin_node(JsonDoc::Kind kind) {
        const std::size_t index = doc_.nodes_.size();
        if (!open_.empty()) {
            JsonDoc::Node& parent = doc_.nodes_[open_.back()];
            if (parent.kind == JsonDoc::Kind::array) {
                if (!parent.items.empty()) doc_.text_ += ',';
                parent.items.push_back(index);
            } else {
                parent.members.back().value = index;
            }
        }
        JsonDoc::Node& n = doc_.nodes_.emplace_back();
        n.kind = kind;
        n.begin = doc_.text_.size();
        return index;
    }

    JsonDoc& doc_;
    std::vector<std::size_t> open_;
};

JsonDoc JsonDoc::parse(std::string_view text, std::string_view what) {
    JsonDoc doc;
    doc.text_.reserve(text.size());
    JsonParser builder(doc);
    json::ReadOptions options;
    options.max_depth = max_depth;
    options.depth_rule = json::DepthRule::enclosed_values;
    options.require_utf8 = true;
    if (const auto error = json::read(text, options, builder)) {
        throw Error(Status::invalid_argument,
                    std::string(what) + " is not valid JSON: " + json::plain_message(*error, text));
    }
    return doc;
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
