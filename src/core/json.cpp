#include "core/json.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <new>
#include <system_error>
#include <utility>
#include <vector>

#include "core/error.hpp"
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

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A number token as RFC 8259 writes it:
//   -? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view t) {
    std::size_t i = 0;
    if (i < t.size() && t[i] == '-') ++i;
    if (i >= t.size()) return false;
    if (t[i] == '0') {
        ++i;
    } else if (t[i] >= '1' && t[i] <= '9') {
        while (i < t.size() && is_digit(t[i])) ++i;
    } else {
        return false;
    }
    if (i < t.size() && t[i] == '.') {
        ++i;
        if (i >= t.size() || !is_digit(t[i])) return false;
        while (i < t.size() && is_digit(t[i])) ++i;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        if (i >= t.size() || !is_digit(t[i])) return false;
        while (i < t.size() && is_digit(t[i])) ++i;
    }
    return i == t.size();
}

struct Token {
    std::size_t offset;
    std::size_t length;
};

// Second, lexical pass over text cJSON has already accepted. cJSON checks the
// structure but is lenient about lexemes (any byte <= 0x20 counts as
// whitespace, strtod decides what a number is, raw control bytes pass inside
// strings, a BOM is skipped); this pass rejects those. It also returns the
// number tokens in document order, which is the order in which a depth-first
// walk of the tree meets the number nodes, so exact integer text can be
// recovered for values a double cannot hold.
bool lex_strictly(std::string_view text, std::vector<Token>& numbers, std::size_t& error_offset) {
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '{' || c == '}' ||
            c == '[' || c == ']' || c == ':' || c == ',') {
            ++i;
        } else if (c == '"') {
            ++i;
            while (i < n && text[i] != '"') {
                const auto s = static_cast<unsigned char>(text[i]);
                if (s < 0x20) {
                    error_offset = i;
                    return false;
                }
                // Escapes were validated by cJSON; only skip the escaped byte
                // so an escaped quote does not end the string here.
                i += (s == '\\') ? 2 : 1;
            }
            ++i;  // closing quote
        } else if (c == '-' || is_digit(static_cast<char>(c))) {
            const std::size_t start = i;
            while (i < n && (is_digit(text[i]) || text[i] == '-' || text[i] == '+' ||
                             text[i] == '.' || text[i] == 'e' || text[i] == 'E')) {
                ++i;
            }
            if (!is_json_number(text.substr(start, i - start))) {
                error_offset = start;
                return false;
            }
            numbers.push_back({start, i - start});
        } else if (c >= 'a' && c <= 'z') {
            while (i < n && text[i] >= 'a' && text[i] <= 'z') ++i;  // true/false/null
        } else {
            error_offset = i;
            return false;
        }
    }
    return true;
}

// Turns number node `node` into a raw node holding `digits`, in place, so its
// position and key in the parent stay as they are.
void make_raw(cJSON* node, std::string_view digits) {
    auto* copy = static_cast<char*>(cJSON_malloc(digits.size() + 1));
    if (copy == nullptr) throw std::bad_alloc();
    std::memcpy(copy, digits.data(), digits.size());
    copy[digits.size()] = '\0';
    node->type = cJSON_Raw;
    node->valuestring = copy;  // freed by cJSON_Delete with cJSON's own allocator
}

bool is_integer_text(std::string_view t) {
    for (char c : t) {
        if (c == '.' || c == 'e' || c == 'E') return false;
    }
    return true;
}

// Walks the tree depth-first, pairing number nodes with their tokens.
// Returns false if the pairing does not line up (it always should).
bool restore_exact_integers(cJSON* node, std::string_view text, const std::vector<Token>& numbers,
                            std::size_t& next) {
    if (cJSON_IsNumber(node)) {
        if (next >= numbers.size()) return false;
        const Token token = numbers[next++];
        const std::string_view digits = text.substr(token.offset, token.length);
        if (!is_integer_text(digits)) return true;
        const auto value = text::parse_int64(digits);
        // Beyond int64 the text is kept too: it prints unchanged, and as_int
        // refuses it instead of accepting a double that rounded into range.
        if (!value || *value >= raw_integer_threshold || *value <= -raw_integer_threshold) {
            make_raw(node, digits);
        }
        return true;
    }
    for (cJSON* child = node->child; child != nullptr; child = child->next) {
        if (!restore_exact_integers(child, text, numbers, next)) return false;
    }
    return true;
}

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
    std::size_t offset = 0;
    auto fail = [&](std::size_t at) -> Ptr {
        if (error_offset != nullptr) *error_offset = at;
        return nullptr;
    };

    // cJSON stops at the first NUL; anything after it would go unseen.
    if (const auto nul = text.find('\0'); nul != std::string_view::npos) return fail(nul);

    // require_null_terminated makes cJSON reject anything but whitespace after
    // the value, but it looks for the terminator inside the given length, so
    // the buffer handed over must include the NUL: std::string provides it.
    const std::string buffer(text);
    const char* end = nullptr;
    Ptr root(cJSON_ParseWithLengthOpts(buffer.c_str(), buffer.size() + 1, &end, 1));
    if (!root) {
        // cJSON returns nullptr both for bad syntax and for allocation
        // failure; both end the parse, and the position is the best report.
        const std::size_t at = end != nullptr ? static_cast<std::size_t>(end - buffer.c_str()) : 0;
        return fail(at < text.size() ? at : text.size());
    }

    std::vector<Token> numbers;
    if (!lex_strictly(text, numbers, offset)) return fail(offset);
    std::size_t next = 0;
    if (!restore_exact_integers(root.get(), text, numbers, next) || next != numbers.size()) {
        // Cannot happen for text both passes accepted; refuse rather than
        // hand out a tree whose integers might be rounded.
        return fail(0);
    }
    return root;
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
