#include "core/json.hpp"

#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <system_error>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"

namespace letts::json {
namespace {

// Integers at or beyond this magnitude are kept as raw decimal text (see the
// header): below it a double is exact and cJSON prints plain digits.
constexpr std::int64_t raw_integer_threshold = 1'000'000'000'000'000;  // 10^15

Ptr checked(cJSON* node) {
    if (node == nullptr) throw std::bad_alloc();
    return Ptr(node);
}

// cJSON takes C strings; an embedded NUL would silently cut the text short.
std::string c_string(std::string_view text, const char* what) {
    if (text.find('\0') != std::string_view::npos) {
        throw Error(Status::invalid_argument, std::string(what) + " contains a NUL byte");
    }
    return std::string(text);
}

bool is_integer_text(std::string_view t) {
    return t.find_first_of(".eE") == std::string_view::npos;
}

// A number literal (already checked against RFC 8259 by the reader) as a
// cJSON node: integers a double cannot hold exactly keep their text (see
// the header), everything else is a double, read without regard to the
// process's locale (a binding's host may have set LC_NUMERIC).
cJSON* number_node(std::string_view literal) {
    if (is_integer_text(literal)) {
        const auto value = text::parse_int64(literal);
        // Beyond int64 the text is kept too: it prints unchanged, and as_int
        // refuses it instead of accepting a double that rounded into range.
        if (!value || *value >= raw_integer_threshold || *value <= -raw_integer_threshold) {
            return cJSON_CreateRaw(std::string(literal).c_str());
        }
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
    if (ec == std::errc::result_out_of_range) {
        // from_chars leaves `value` alone here; cJSON's strtod gave infinity
        // above the range of a double and zero (or a subnormal) below it.
        static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", nullptr);
        value = strtod_l(std::string(literal).c_str(), nullptr, c_locale);
    }
    return cJSON_CreateNumber(value);
}

// Builds the cJSON tree while the one strict reader (core/json_reader.hpp)
// walks the text: a single pass, no recursion, integers exact. Member order
// and duplicate names are kept as cJSON's own parser kept them (lookups
// find the first).
class TreeBuilder final : public ReadHandler {
public:
    void open(Kind container, std::size_t) override {
        cJSON* node = container == Kind::object ? cJSON_CreateObject() : cJSON_CreateArray();
        attach(node);
        open_.push_back(node);
    }
    void key(std::string name, std::string_view) override { key_ = std::move(name); }
    void scalar(Kind kind, std::string_view raw, std::string decoded, bool boolean) override {
        switch (kind) {
            case Kind::null: attach(cJSON_CreateNull()); break;
            case Kind::boolean: attach(cJSON_CreateBool(boolean ? 1 : 0)); break;
            case Kind::number: attach(number_node(raw)); break;
            default: attach(cJSON_CreateString(decoded.c_str())); break;
        }
    }
    void close() override { open_.pop_back(); }

    Ptr take() { return std::move(root_); }

private:
    // Hands `node` to its parent (or makes it the root) before anything can
    // throw, so a failure midway frees the whole partial tree.
    void attach(cJSON* node) {
        if (node == nullptr) throw std::bad_alloc();
        if (!root_) {
            root_.reset(node);
            return;
        }
        cJSON* parent = open_.back();
        const bool added = cJSON_IsObject(parent) ? cJSON_AddItemToObject(parent, key_.c_str(), node)
                                                  : cJSON_AddItemToArray(parent, node);
        if (!added) {
            cJSON_Delete(node);
            throw std::bad_alloc();
        }
    }

    Ptr root_;
    std::vector<cJSON*> open_;  // the containers being filled, innermost last
    std::string key_;
};

const cJSON* member(const cJSON* object, const char* key) {
    if (object == nullptr || key == nullptr || !cJSON_IsObject(object)) return nullptr;
    return cJSON_GetObjectItemCaseSensitive(object, key);
}

}  // namespace

Ptr object() { return checked(cJSON_CreateObject()); }
Ptr array() { return checked(cJSON_CreateArray()); }
Ptr string(std::string_view value) {
    return checked(cJSON_CreateString(c_string(value, "JSON string").c_str()));
}
Ptr number(double value) { return checked(cJSON_CreateNumber(value)); }

Ptr integer(std::int64_t value) {
    if (value < raw_integer_threshold && value > -raw_integer_threshold) {
        return checked(cJSON_CreateNumber(static_cast<double>(value)));
    }
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer - 1, value);
    (void)ec;  // 24 bytes always hold an int64
    *end = '\0';
    return checked(cJSON_CreateRaw(buffer));
}

Ptr boolean(bool value) { return checked(cJSON_CreateBool(value ? 1 : 0)); }
Ptr null() { return checked(cJSON_CreateNull()); }

void add(cJSON* parent, std::string_view key, Ptr value) {
    if (parent == nullptr || !cJSON_IsObject(parent)) {
        throw Error(Status::invalid_argument, "json::add: parent is not an object");
    }
    if (!value) throw Error(Status::invalid_argument, "json::add: value is null");
    const std::string k = c_string(key, "JSON object key");
    // Ownership moves to cJSON only once it has accepted the node.
    if (cJSON_GetObjectItemCaseSensitive(parent, k.c_str()) != nullptr) {
        if (!cJSON_ReplaceItemInObjectCaseSensitive(parent, k.c_str(), value.get())) {
            throw std::bad_alloc();
        }
    } else if (!cJSON_AddItemToObject(parent, k.c_str(), value.get())) {
        throw std::bad_alloc();
    }
    (void)value.release();
}

void append(cJSON* array, Ptr value) {
    if (array == nullptr || !cJSON_IsArray(array)) {
        throw Error(Status::invalid_argument, "json::append: target is not an array");
    }
    if (!value) throw Error(Status::invalid_argument, "json::append: value is null");
    if (!cJSON_AddItemToArray(array, value.get())) throw std::bad_alloc();
    (void)value.release();
}

Ptr parse(std::string_view text, std::size_t* error_offset) {
    // The nesting bound cJSON's own parser had (CJSON_NESTING_LIMIT), counted
    // the same way: the 1001st open container fails.
    ReadOptions options;
    options.max_depth = 1000;
    options.depth_rule = DepthRule::containers;
    TreeBuilder builder;
    if (const auto error = read(text, options, builder)) {
        if (error_offset != nullptr) *error_offset = error->offset;
        return nullptr;
    }
    return builder.take();
}

std::string print(const cJSON* node) {
    if (node == nullptr) throw Error(Status::invalid_argument, "json::print: node is null");
    struct Free {
        void operator()(char* p) const noexcept { cJSON_free(p); }
    };
    std::unique_ptr<char, Free> text(cJSON_PrintUnformatted(node));
    if (!text) throw std::bad_alloc();
    return std::string(text.get());
}

std::optional<std::string> get_string(const cJSON* object, const char* key) {
    const cJSON* item = member(object, key);
    if (!cJSON_IsString(item) || item->valuestring == nullptr) return std::nullopt;
    return std::string(item->valuestring);
}

std::optional<std::int64_t> as_int(const cJSON* node) {
    if (cJSON_IsRaw(node)) {
        if (node->valuestring == nullptr) return std::nullopt;
        return text::parse_int64(node->valuestring);
    }
    if (!cJSON_IsNumber(node)) return std::nullopt;
    const double d = node->valuedouble;
    // [-2^63, 2^63) is exactly the doubles that convert to int64 without UB.
    if (!std::isfinite(d) || d != std::trunc(d)) return std::nullopt;
    if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) return std::nullopt;
    return static_cast<std::int64_t>(d);
}

std::optional<std::int64_t> get_int(const cJSON* object, const char* key) {
    return as_int(member(object, key));
}

std::optional<bool> get_bool(const cJSON* object, const char* key) {
    const cJSON* item = member(object, key);
    if (!cJSON_IsBool(item)) return std::nullopt;
    return cJSON_IsTrue(item) != 0;
}

std::optional<double> get_number(const cJSON* object, const char* key) {
    const cJSON* item = member(object, key);
    if (cJSON_IsNumber(item)) return item->valuedouble;
    if (!cJSON_IsRaw(item) || item->valuestring == nullptr) return std::nullopt;
    // A raw integer node (possibly beyond int64): its nearest double.
    const std::string_view text(item->valuestring);
    if (text.empty() || !is_integer_text(text)) return std::nullopt;
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace letts::json
