// core/json_value (the devserver's jv::): deep documents are parsed, serialised, copied and
// destroyed without recursion (they used to overflow a 256 KiB connection
// thread), the depth limit and its message are the daemon's decoder's, and
// invalid UTF-8 is replaced the way Go replaces it.
#include <pthread.h>

#include <string>
#include <string_view>

#include "core/json_reader.hpp"
#include "core/json_value.hpp"
#include "core/utf8.hpp"

#include "support.hpp"

namespace jv = letts::jv;
namespace utf8 = letts::utf8;

namespace {

std::string nested(std::size_t depth, char open, char close, std::string_view core = "") {
    std::string s;
    s.reserve(depth * 6 + core.size());
    for (std::size_t i = 0; i < depth; ++i) {
        if (open == '{') s += "{\"k\":";
        else s += open;
    }
    s += core.empty() ? (open == '{' ? std::string_view("1") : std::string_view("")) : core;
    for (std::size_t i = 0; i < depth; ++i) s += close;
    return s;
}

// Runs `fn(arg)` on a thread with the devserver's connection stack size, so
// that a recursion on document depth crashes the test instead of passing on
// the main thread's 8 MiB.
void on_small_stack(void* (*fn)(void*), void* arg) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_t t;
    assert_int_equal(pthread_create(&t, &attr, fn, arg), 0);
    pthread_attr_destroy(&attr);
    assert_int_equal(pthread_join(t, nullptr), 0);
}

struct DeepCase {
    char open, close;
    bool ok = false;
    std::string error;
};

// The deepest accepted documents round-trip through compact, canonical and
// a copy; everything is destroyed on the small stack too.
void* deep_roundtrip(void* p) {
    auto* c = static_cast<DeepCase*>(p);
    const std::string text = nested(jv::kMaxDepth, c->open, c->close);
    auto r = jv::parse(text);
    if (!r.value) {
        c->error = "parse: " + r.error;
        return nullptr;
    }
    jv::Value copy = *r.value;
    const std::string compact = jv::compact(copy);
    auto canonical = jv::canonical(*r.value);
    c->ok = compact == text && canonical && *canonical == text;
    if (!c->ok) c->error = "round trip differs";
    return nullptr;
}

void test_deepest_accepted_round_trips_on_small_stack(void**) {
    for (char open : {'[', '{'}) {
        DeepCase c{open, open == '[' ? ']' : '}', false, {}};
        on_small_stack(deep_roundtrip, &c);
        if (!c.ok) print_error("%c: %s\n", open, c.error.c_str());
        assert_true(c.ok);
    }
}

void* too_deep(void* p) {
    auto* c = static_cast<DeepCase*>(p);
    // 100000 levels: refused at level 10001, the partial tree destroyed.
    auto r = jv::parse(nested(100000, c->open, c->close));
    c->ok = !r.value;
    c->error = r.error;
    return nullptr;
}

void test_too_deep_is_refused_with_go_message(void**) {
    for (char open : {'[', '{'}) {
        DeepCase c{open, open == '[' ? ']' : '}', false, {}};
        on_small_stack(too_deep, &c);
        assert_true(c.ok);
        const std::string want = std::string("invalid character '") + open + "' exceeded max depth";
        assert_string_equal(c.error.c_str(), want.c_str());
    }
    // One level over the limit is refused, the limit itself accepted.
    assert_false(jv::parse(nested(jv::kMaxDepth + 1, '[', ']')).value.has_value());
    assert_true(jv::parse(nested(3, '[', ']'), 3).value.has_value());
    assert_false(jv::parse(nested(4, '[', ']'), 3).value.has_value());
}

void test_mixed_document_keeps_order_and_literals(void**) {
    const std::string text =
        R"({"b":[1,2.50,{"x":null,"a":true}],"a":"\u00e9\n","n":-0,"big":123456789012345678901})";
    auto r = jv::parse(" \n" + text + "\t");
    assert_true(r.value.has_value());
    assert_string_equal(jv::compact(*r.value).c_str(),
                        "{\"b\":[1,2.50,{\"x\":null,\"a\":true}],\"a\":\"\xC3\xA9\\n\",\"n\":-0,"
                        "\"big\":123456789012345678901}");
    auto c = jv::canonical(*r.value);
    assert_true(c.has_value());
    assert_string_equal(c->c_str(),
                        "{\"a\":\"\xC3\xA9\\n\",\"b\":[1,2.5,{\"a\":true,\"x\":null}],"
                        "\"big\":123456789012345680000,\"n\":0}");
    // Copy and assignment are deep.
    jv::Value copy = *r.value;
    jv::Value assigned;
    assigned = copy;
    copy.members.clear();
    assert_string_equal(jv::compact(assigned).c_str(), jv::compact(*r.value).c_str());
}

void test_canonical_refuses_duplicates_deep_inside(void**) {
    const std::string text = nested(5000, '[', ']', R"({"a":1,"a":2})");
    auto r = jv::parse(text);
    assert_true(r.value.has_value());
    assert_false(jv::canonical(*r.value).has_value());
    assert_string_equal(jv::compact(*r.value).c_str(), text.c_str());
}

void test_syntax_errors_keep_go_messages(void**) {
    struct Case {
        const char* text;
        const char* error;
    } cases[] = {
        {"", "unexpected end of JSON input"},
        {"[1,]", "invalid character ']' looking for beginning of value"},
        {"[1 2]", "invalid character '2' after array element"},
        {"{\"a\" 1}", "invalid character '1' after object key"},
        {"{\"a\":1 \"b\"}", "invalid character '\"' after object key:value pair"},
        {"{1:2}", "invalid character '1' looking for beginning of object key string"},
        {"[[[", "unexpected end of JSON input"},
        {"{} x", "invalid character 'x' after top-level value"},
        {"tru", "unexpected end of JSON input"},
    };
    for (const auto& c : cases) {
        auto r = jv::parse(c.text);
        assert_false(r.value.has_value());
        if (r.error != c.error) print_error("%s: %s\n", c.text, r.error.c_str());
        assert_string_equal(r.error.c_str(), c.error);
    }
}

void test_replace_invalid_utf8_like_go(void**) {
    // One U+FFFD per byte that starts no valid sequence (Go's DecodeRune).
    const std::string fffd = "\xEF\xBF\xBD";
    assert_string_equal(utf8::replace_invalid("a\xC3\xA9z").c_str(), "a\xC3\xA9z");
    assert_string_equal(utf8::replace_invalid("a\xFFz").c_str(), ("a" + fffd + "z").c_str());
    assert_string_equal(utf8::replace_invalid("\xE2\x82").c_str(), (fffd + fffd).c_str());
    assert_string_equal(utf8::replace_invalid("\xED\xA0\x80").c_str(), (fffd + fffd + fffd).c_str());
    assert_string_equal(utf8::replace_invalid("\xC0\xAF").c_str(), (fffd + fffd).c_str());
    assert_true(utf8::valid(utf8::replace_invalid("\x80\xBF\xF4\x90\x80\x80 ok")));
    // NUL is valid UTF-8 and quoted as \u0000.
    assert_string_equal(jv::quote(std::string_view("a\0b", 3)).c_str(), "\"a\\u0000b\"");
}

// A reader handler for tests that look at errors only.
struct Ignore final : letts::json::ReadHandler {
    void open(letts::json::Kind, std::size_t) override {}
    void key(std::string, std::string_view) override {}
    void scalar(letts::json::Kind, std::string_view, std::string, bool) override {}
    void close() override {}
};

// The reader's two wordings of the same errors: Go's (the devserver echoes
// the daemon's decoder) and the runtime's own, with the byte offset.
void test_reader_words_errors_both_ways(void**) {
    struct Case {
        const char* text;
        const char* go;
        const char* plain;
    } cases[] = {
        {"[1,x]", "invalid character 'x' looking for beginning of value", "unexpected character 'x' at byte 3"},
        {"tRue", "invalid character 'R' in literal true (expecting 'r')", "unexpected character 't' at byte 0"},
        {"\"\\u12\"", "invalid character '\"' in \\u hexadecimal character escape", "truncated \\u escape at byte 3"},
        {"\"\\u12zz\"", "invalid character 'z' in \\u hexadecimal character escape", "invalid \\u escape at byte 3"},
        {"\"\\q\"", "invalid character 'q' in string escape code", "invalid escape '\\q' at byte 2"},
        {"\"ab", "unexpected end of JSON input", "unterminated string at byte 3"},
        {"\"a\tb\"", "invalid character '\\t' in string literal", "control character in string at byte 2"},
        {"{} x", "invalid character 'x' after top-level value", "unexpected data after the value at byte 3"},
        {"", "unexpected end of JSON input", "unexpected end of input at byte 0"},
    };
    Ignore ignore;
    for (const auto& c : cases) {
        const auto error = letts::json::read(c.text, {}, ignore);
        assert_true(error.has_value());
        assert_string_equal(letts::json::go_message(*error, c.text).c_str(), c.go);
        assert_string_equal(letts::json::plain_message(*error, c.text).c_str(), c.plain);
    }
}

// The two depth rules differ on an empty container one level too deep.
void test_reader_depth_rules(void**) {
    Ignore ignore;
    letts::json::ReadOptions containers;
    containers.max_depth = 2;
    letts::json::ReadOptions enclosed = containers;
    enclosed.depth_rule = letts::json::DepthRule::enclosed_values;
    assert_false(letts::json::read("[[]]", containers, ignore).has_value());
    assert_false(letts::json::read("[[[]]]", enclosed, ignore).has_value());
    const auto go = letts::json::read("[[[]]]", containers, ignore);
    assert_true(go.has_value());
    assert_string_equal(letts::json::go_message(*go, "[[[]]]").c_str(), "invalid character '[' exceeded max depth");
    const auto plain = letts::json::read("[[[1]]]", enclosed, ignore);
    assert_true(plain.has_value());
    assert_string_equal(letts::json::plain_message(*plain, "[[[1]]]").c_str(),
                        "nesting deeper than 2 levels at byte 3");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deepest_accepted_round_trips_on_small_stack),
        cmocka_unit_test(test_too_deep_is_refused_with_go_message),
        cmocka_unit_test(test_mixed_document_keeps_order_and_literals),
        cmocka_unit_test(test_canonical_refuses_duplicates_deep_inside),
        cmocka_unit_test(test_syntax_errors_keep_go_messages),
        cmocka_unit_test(test_replace_invalid_utf8_like_go),
        cmocka_unit_test(test_reader_words_errors_both_ways),
        cmocka_unit_test(test_reader_depth_rules),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
