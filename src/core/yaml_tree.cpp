#include "core/yaml_tree.hpp"

#include <yaml.h>

#include <cstdio>
#include <limits>
#include <map>
#include <new>
#include <unordered_set>
#include <utility>

#include "core/error.hpp"
#include "core/quote.hpp"

namespace letts::yaml {

namespace {

// Far deeper than any letts.yaml (about six levels); the bound keeps the
// tree's recursive destruction and any hostile input harmless.
constexpr std::size_t max_depth = 64;

constexpr std::string_view tag_prefix = "tag:yaml.org,2002:";
// Values echoed in messages: long enough for any real tag or scalar.
constexpr std::size_t max_quoted = 1024;

// ---- RAII over libyaml ------------------------------------------------------

class Parser {
public:
    explicit Parser(std::string_view text) {
        if (!yaml_parser_initialize(&parser_)) throw std::bad_alloc();
        // libyaml asserts a non-null input even when it is empty.
        static constexpr unsigned char no_bytes[1] = {0};
        const auto* bytes =
            text.empty() ? no_bytes : reinterpret_cast<const unsigned char*>(text.data());
        yaml_parser_set_input_string(&parser_, bytes, text.size());
    }
    ~Parser() { yaml_parser_delete(&parser_); }
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;

    yaml_parser_t* get() { return &parser_; }

private:
    yaml_parser_t parser_{};
};

class Event {
public:
    Event() = default;
    ~Event() { reset(); }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;

    // Replaces the held event with the parser's next one; false on a syntax error.
    bool next(yaml_parser_t* parser) {
        reset();
        if (!yaml_parser_parse(parser, &event_)) return false;
        live_ = true;
        return true;
    }
    const yaml_event_t& operator*() const { return event_; }
    const yaml_event_t* operator->() const { return &event_; }

private:
    void reset() {
        if (live_) yaml_event_delete(&event_);
        live_ = false;
    }

    yaml_event_t event_{};
    bool live_ = false;
};

// ---- messages ---------------------------------------------------------------

Mark to_mark(const yaml_mark_t& mark) { return Mark{mark.line + 1, mark.column + 1}; }

std::string where(Mark mark) {
    return "line " + std::to_string(mark.line) + ":" + std::to_string(mark.column);
}

[[noreturn]] void fail(Mark mark, std::string_view problem) {
    throw Error(Status::config, "yaml parse: " + where(mark) + ": " + std::string(problem));
}

// A path fails at a known node: "<path>: <problem> (line L:C)".
[[noreturn]] void fail_at(std::string_view path, Mark mark, std::string_view problem) {
    throw Error(Status::config, std::string(path.empty() ? "root" : path) + ": " +
                                    std::string(problem) + " (" + where(mark) + ")");
}

[[noreturn]] void fail_from_parser(const yaml_parser_t& parser) {
    if (parser.error == YAML_MEMORY_ERROR) throw std::bad_alloc();
    const std::string problem = parser.problem ? parser.problem : "invalid YAML";
    if (parser.error == YAML_READER_ERROR) {
        // Encoding problems have a byte offset, not a line.
        std::string message = "yaml parse: " + problem;
        if (parser.problem_value != -1) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", parser.problem_value & 0xff);
            message += std::string(" (byte ") + hex + ")";
        }
        message += " at byte offset " + std::to_string(parser.problem_offset);
        throw Error(Status::config, message);
    }
    std::string message = "yaml parse: " + where(to_mark(parser.problem_mark)) + ": " + problem;
    if (parser.context)
        message +=
            std::string(" (") + parser.context + " at " + where(to_mark(parser.context_mark)) + ")";
    throw Error(Status::config, message);
}

// ---- scalar typing (YAML 1.2 core schema) ----------------------------------

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

template <class Pred>
bool every_char(std::string_view s, Pred pred) {
    if (s.empty()) return false;
    for (const char c : s)
        if (!pred(c)) return false;
    return true;
}

bool is_null_text(std::string_view s) {
    return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool is_true_text(std::string_view s) { return s == "true" || s == "True" || s == "TRUE"; }
bool is_false_text(std::string_view s) { return s == "false" || s == "False" || s == "FALSE"; }

bool is_integer_text(std::string_view s) {
    if (s.starts_with("0o")) return every_char(s.substr(2), is_octal);
    if (s.starts_with("0x")) return every_char(s.substr(2), is_hex);
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
    return every_char(s, is_digit);
}

bool is_float_text(std::string_view s) {
    if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
    if (s == ".inf" || s == ".Inf" || s == ".INF") return true;
    // [0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)? with at least one mantissa digit
    std::size_t i = 0;
    std::size_t digits = 0;
    while (i < s.size() && is_digit(s[i]))
        ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && is_digit(s[i]))
            ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
        const std::size_t exponent_begin = i;
        while (i < s.size() && is_digit(s[i]))
            ++i;
        if (i == exponent_begin) return false;
    }
    return i == s.size();
}

Type resolve_plain(std::string_view s) {
    if (is_null_text(s)) return Type::null;
    if (is_true_text(s) || is_false_text(s)) return Type::boolean;
    if (is_integer_text(s)) return Type::integer;
    if (is_float_text(s)) return Type::floating;
    return Type::string;
}

// Explicit tags force a type; anything outside the core schema is refused
// rather than guessed at.
Type resolve_tagged(std::string_view tag, std::string_view text, Mark mark) {
    if (tag == "!") return Type::string;  // the non-specific tag of a quoted-like scalar
    if (!tag.starts_with(tag_prefix)) fail(mark, "unsupported tag " + quoted(tag, max_quoted));
    const auto name = tag.substr(tag_prefix.size());
    if (name == "str") return Type::string;
    if (name == "null") return Type::null;
    if (name == "bool") {
        if (!is_true_text(text) && !is_false_text(text))
            fail(mark, "invalid !!bool value " + quoted(text, max_quoted));
        return Type::boolean;
    }
    if (name == "int") {
        if (!is_integer_text(text)) fail(mark, "invalid !!int value " + quoted(text, max_quoted));
        return Type::integer;
    }
    if (name == "float") return Type::floating;
    fail(mark, "unsupported tag " + quoted(tag, max_quoted));
}

std::string_view as_view(const yaml_char_t* text) {
    return text ? std::string_view(reinterpret_cast<const char*>(text)) : std::string_view();
}

// ---- events -> tree ---------------------------------------------------------

struct Frame {
    std::shared_ptr<Node> node;
    std::string anchor;
    std::string path;  // "dugdales[0].lanes"; "" for the root

    // Mappings: the key waiting for its value, and what `<<` brought in.
    bool has_key = false;
    bool key_is_merge = false;
    std::string key;
    Mark key_mark;
    bool saw_merge = false;
    std::vector<NodePtr> merge_sources;
    std::unordered_set<std::string> keys;
};

class Builder {
public:
    NodePtr run(yaml_parser_t* parser) {
        Event event;
        for (;;) {
            if (!event.next(parser)) fail_from_parser(*parser);
            switch (event->type) {
            case YAML_STREAM_END_EVENT: return root_ ? root_ : null_scalar();
            case YAML_DOCUMENT_START_EVENT:
                if (++documents_ > 1)
                    fail(to_mark(event->start_mark),
                         "expected a single document, found a second one");
                break;
            case YAML_SCALAR_EVENT: on_scalar(*event); break;
            case YAML_ALIAS_EVENT: on_alias(*event); break;
            case YAML_SEQUENCE_START_EVENT:
                open(Kind::sequence, *event, as_view(event->data.sequence_start.anchor));
                break;
            case YAML_MAPPING_START_EVENT:
                open(Kind::mapping, *event, as_view(event->data.mapping_start.anchor));
                break;
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT: close(); break;
            default: break;  // stream start, document end, no-op events
            }
        }
    }

private:
    static NodePtr null_scalar() {
        auto node = std::make_shared<Node>();
        node->type = Type::null;
        return node;
    }

    void on_scalar(const yaml_event_t& event) {
        const auto& scalar = event.data.scalar;
        auto node = std::make_shared<Node>();
        node->kind = Kind::scalar;
        node->mark = to_mark(event.start_mark);
        node->text.assign(reinterpret_cast<const char*>(scalar.value), scalar.length);
        // A "\0" escape would cut every C string the value later becomes
        // (tokens in headers, JSON text, FFI strings).
        if (node->text.find('\0') != std::string::npos)
            fail(node->mark, "NUL characters are not supported in scalars");
        const auto tag = as_view(scalar.tag);
        const bool plain = scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (!tag.empty())
            node->type = resolve_tagged(tag, node->text, node->mark);
        else
            node->type = plain ? resolve_plain(node->text) : Type::string;
        const bool merge_key = plain && tag.empty() && node->text == "<<";
        remember(as_view(scalar.anchor), node);
        deliver(std::move(node), merge_key);
    }

    void on_alias(const yaml_event_t& event) {
        const auto name = as_view(event.data.alias.anchor);
        const Mark mark = to_mark(event.start_mark);
        for (const Frame& frame : stack_)
            if (frame.anchor == name)
                fail(mark, "alias *" + printable(name) + " refers to a node that contains it");
        const auto found = anchors_.find(name);
        if (found == anchors_.end()) fail(mark, "unknown anchor *" + printable(name));
        deliver(found->second, false);
    }

    void open(Kind kind, const yaml_event_t& event, std::string_view anchor) {
        const Mark mark = to_mark(event.start_mark);
        if (!stack_.empty()) {
            const Frame& parent = stack_.back();
            if (parent.node->kind == Kind::mapping && !parent.has_key)
                fail_at(parent.path, mark, "mapping keys must be scalars");
        }
        if (stack_.size() >= max_depth)
            fail(mark, "nesting deeper than " + std::to_string(max_depth) + " levels");
        Frame frame;
        frame.node = std::make_shared<Node>();
        frame.node->kind = kind;
        frame.node->mark = mark;
        frame.anchor = anchor;
        frame.path = child_path();
        stack_.push_back(std::move(frame));
    }

    void close() {
        Frame frame = std::move(stack_.back());
        stack_.pop_back();
        if (frame.node->kind == Kind::mapping) {
            // Explicit keys win; among merge sources the earlier one wins.
            for (const NodePtr& source : frame.merge_sources)
                for (const Entry& entry : source->entries)
                    if (frame.keys.insert(entry.key).second) frame.node->entries.push_back(entry);
        }
        NodePtr done = std::move(frame.node);
        remember(frame.anchor, done);
        deliver(std::move(done), false);
    }

    void remember(std::string_view anchor, const NodePtr& node) {
        if (!anchor.empty()) anchors_.insert_or_assign(std::string(anchor), node);
    }

    std::string child_path() const {
        if (stack_.empty()) return "";
        const Frame& parent = stack_.back();
        if (parent.node->kind == Kind::sequence)
            return parent.path + "[" + std::to_string(parent.node->items.size()) + "]";
        const std::string key = parent.key_is_merge ? "<<" : printable(parent.key);
        return parent.path.empty() ? key : parent.path + "." + key;
    }

    void deliver(NodePtr node, bool merge_key) {
        if (stack_.empty()) {
            root_ = std::move(node);
            return;
        }
        Frame& frame = stack_.back();
        if (frame.node->kind == Kind::sequence) {
            frame.node->items.push_back(std::move(node));
            return;
        }
        if (!frame.has_key) {
            // An alias can bring a collection into key position.
            if (node->kind != Kind::scalar)
                fail_at(frame.path, node->mark, "mapping keys must be scalars");
            if (merge_key) {
                if (frame.saw_merge) fail_at(frame.path, node->mark, "duplicate key: <<");
                frame.saw_merge = true;
            } else if (!frame.keys.insert(node->text).second) {
                fail_at(frame.path, node->mark, "duplicate key: " + printable(node->text));
            }
            frame.has_key = true;
            frame.key_is_merge = merge_key;
            frame.key = node->text;
            frame.key_mark = node->mark;
            return;
        }
        frame.has_key = false;
        if (frame.key_is_merge) {
            add_merge_source(frame, std::move(node));
            return;
        }
        frame.node->entries.push_back(Entry{std::move(frame.key), frame.key_mark, std::move(node)});
    }

    static void add_merge_source(Frame& frame, NodePtr source) {
        constexpr std::string_view problem =
            "the value of << must be a mapping or a list of mappings";
        if (source->kind == Kind::mapping) {
            frame.merge_sources.push_back(std::move(source));
            return;
        }
        if (source->kind != Kind::sequence) fail_at(frame.path, source->mark, problem);
        for (const NodePtr& item : source->items) {
            if (item->kind != Kind::mapping) fail_at(frame.path, item->mark, problem);
            frame.merge_sources.push_back(item);
        }
    }

    std::vector<Frame> stack_;
    std::map<std::string, NodePtr, std::less<>> anchors_;
    NodePtr root_;
    int documents_ = 0;
};

}  // namespace

std::string_view Node::describe() const {
    switch (kind) {
    case Kind::sequence: return "a sequence";
    case Kind::mapping: return "a mapping";
    case Kind::scalar: break;
    }
    switch (type) {
    case Type::null: return "null";
    case Type::boolean: return "a boolean";
    case Type::integer: return "an integer";
    case Type::floating: return "a number";
    case Type::string: break;
    }
    return "a string";
}

std::optional<std::int64_t> integer_value(const Node& scalar) {
    std::string_view s = scalar.text;
    unsigned base = 10;
    bool negative = false;
    if (s.starts_with("0o")) {
        base = 8;
        s.remove_prefix(2);
    } else if (s.starts_with("0x")) {
        base = 16;
        s.remove_prefix(2);
    } else if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return std::nullopt;
    // Accumulate the magnitude in unsigned arithmetic so INT64_MIN fits.
    constexpr std::uint64_t limit = std::uint64_t{std::numeric_limits<std::int64_t>::max()} + 1;
    std::uint64_t magnitude = 0;
    for (const char c : s) {
        unsigned digit = 0;
        if (is_digit(c))
            digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            digit = static_cast<unsigned>(c - 'A' + 10);
        else
            return std::nullopt;
        if (digit >= base) return std::nullopt;
        if (magnitude > (limit - digit) / base) return std::nullopt;
        magnitude = magnitude * base + digit;
    }
    if (negative) {
        if (magnitude == limit) return std::numeric_limits<std::int64_t>::min();
        return -static_cast<std::int64_t>(magnitude);
    }
    if (magnitude == limit) return std::nullopt;
    return static_cast<std::int64_t>(magnitude);
}

bool boolean_value(const Node& scalar) { return is_true_text(scalar.text); }

NodePtr parse(std::string_view text) {
    Parser parser(text);
    return Builder().run(parser.get());
}

}  // namespace letts::yaml
