// core/json: parse/print round trips, strict parsing (trailing garbage and
// the lexical leniencies of cJSON), exact 64-bit integers, typed lookups and
// the builders.
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"

#include "support.hpp"

using namespace std::string_literals;
namespace json = letts::json;
using letts::Status;

namespace {

std::string roundtrip(std::string_view text) {
    json::Ptr doc = json::parse(text);
    assert_non_null(doc.get());
    return json::print(doc.get());
}

void assert_rejected(std::string_view text) {
    std::size_t offset = 12345;
    json::Ptr doc = json::parse(text, &offset);
    if (doc) print_error("accepted: \"%s\"\n", std::string(text).c_str());
    assert_null(doc.get());
    assert_true(offset <= text.size());
}

void test_roundtrip_compact_documents(void**) {
    const char* docs[] = {
        "{}",
        "[]",
        "null",
        "true",
        "false",
        "0",
        "-7",
        "1.5",
        "\"\"",
        "\"plain text\"",
        "\"quote \\\" backslash \\\\ newline \\n tab \\t ctl \\u0001\"",
        "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"",
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":-2.5,\"e\":[]},\"f\":\"x\"}",
        "[[[[[1]]]],{\"k\":[{},{}]}]",
        "{\"time_created\":1727001000000,\"time_expires\":9223372036854775807}",
        "[-9223372036854775808,9223372036854775807,1000000000000000,-1000000000000000]",
        "[99999999999999999999999,-99999999999999999999999]",
    };
    for (const char* doc : docs) {
        const std::string out = roundtrip(doc);
        if (out != doc) print_error("in:  %s\nout: %s\n", doc, out.c_str());
        assert_string_equal(out.c_str(), doc);
    }
}

void test_roundtrip_built_tree(void**) {
    json::Ptr root = json::object();
    json::add(root.get(), "mission", json::string("report"));
    json::add(root.get(), "count", json::integer(42));
    json::add(root.get(), "ratio", json::number(0.25));
    json::add(root.get(), "ok", json::boolean(true));
    json::add(root.get(), "none", json::null());
    json::Ptr list = json::array();
    json::append(list.get(), json::integer(std::numeric_limits<std::int64_t>::max()));
    json::append(list.get(), json::string("x"));
    json::add(root.get(), "list", std::move(list));

    const std::string text = json::print(root.get());
    assert_string_equal(text.c_str(),
                        "{\"mission\":\"report\",\"count\":42,\"ratio\":0.25,\"ok\":true,"
                        "\"none\":null,\"list\":[9223372036854775807,\"x\"]}");
    json::Ptr again = json::parse(text);
    assert_non_null(again.get());
    assert_true(cJSON_Compare(root.get(), again.get(), 1));
    assert_string_equal(json::print(again.get()).c_str(), text.c_str());
}

void test_whitespace_around_the_value_is_accepted(void**) {
    assert_string_equal(roundtrip(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n\n").c_str(), "{\"a\":[1,2]}");
    assert_string_equal(roundtrip("1 ").c_str(), "1");
}

void test_trailing_garbage_is_rejected(void**) {
    const std::string cases[] = {
        "{}x",        "{} {}",     "1 2",          "[1]]",     "{}}",        "true false",
        "\"a\"\"b\"", "nullx",     "{\"a\":1}, ",  "[] // c",  "{}\n#",      "0 0",
        "{}\0"s,      "{}\0{}"s,   "[1]\0garbage"s, "1\0"s,
    };
    for (const std::string& text : cases) assert_rejected(text);
}

void test_error_offsets(void**) {
    std::size_t offset = 999;
    assert_null(json::parse("{}x", &offset).get());
    assert_int_equal(offset, 2);
    assert_null(json::parse("{} {}", &offset).get());
    assert_int_equal(offset, 3);
    assert_null(json::parse("{}\0x"s, &offset).get());
    assert_int_equal(offset, 2);
    // "0" is a whole number; the "1" after it is the byte that cannot follow.
    assert_null(json::parse("[1,01]", &offset).get());
    assert_int_equal(offset, 4);
    assert_null(json::parse("[\"ab\x01\"]", &offset).get());
    assert_int_equal(offset, 4);
    assert_null(json::parse("", &offset).get());
    assert_int_equal(offset, 0);
    // Without an offset pointer a failure is still just nullptr.
    assert_null(json::parse("{").get());
}

void test_lexical_strictness(void**) {
    // cJSON alone accepts every one of these.
    const std::string rejected[] = {
        "01",       "-01",          "1.",        "1.e5",        "[00]",       "[-0.]",
        "\x01{}",   "{}\x0b",       "[1,\x0c 2]", "[\"a\x01\"]", "[\"tab\there\"]",
        "\xEF\xBB\xBF{}",  // BOM
    };
    for (const std::string& text : rejected) assert_rejected(text);
    // And cJSON already rejects these; they must stay rejected.
    const std::string also_rejected[] = {
        ".5",  "+1",  "[1e]", "[-]", "NaN", "Infinity", "-Infinity", "[1,]", "{\"a\":1,}",
        "'a'", "{a:1}", "\"\\x41\"", "[", "\"open",
    };
    for (const std::string& text : also_rejected) assert_rejected(text);

    const char* accepted[] = {"0", "-0", "1e5", "1E+5", "-1.5e-3", "0.000", "[\"\\u0001\"]",
                              "\"\\/\"", "[1,-2,3.25e2]"};
    for (const char* text : accepted) assert_non_null(json::parse(text).get());
}

void test_deep_nesting_fails_cleanly(void**) {
    const std::string deep = std::string(5000, '[') + std::string(5000, ']');
    assert_rejected(deep);
    // The bound is cJSON's own: 1000 nested containers pass, the 1001st fails
    // at its bracket.
    assert_non_null(json::parse(std::string(1000, '[') + std::string(1000, ']')).get());
    std::size_t offset = 0;
    assert_null(json::parse(std::string(1001, '[') + std::string(1001, ']'), &offset).get());
    assert_int_equal(offset, 1000);
}

void test_numbers_beyond_a_double(void**) {
    // As strtod reads them: infinity above the range, zero below it.
    const json::Ptr doc = json::parse("[1e400,-1e400,1e-400]");
    assert_non_null(doc.get());
    assert_true(std::isinf(cJSON_GetArrayItem(doc.get(), 0)->valuedouble));
    assert_true(cJSON_GetArrayItem(doc.get(), 1)->valuedouble < 0);
    assert_true(cJSON_GetArrayItem(doc.get(), 2)->valuedouble == 0.0);
    // Duplicate names are kept in order; a lookup finds the first.
    const json::Ptr dup = json::parse(R"({"a":1,"a":2})");
    assert_int_equal(cJSON_GetArraySize(dup.get()), 2);
    assert_int_equal(*json::get_int(dup.get(), "a"), 1);
}

void test_integer_is_exact_over_int64(void**) {
    const std::int64_t values[] = {
        0,
        1,
        -1,
        2147483647,
        2147483648,
        1727001000000,                        // a timestamp in ms
        (std::int64_t{1} << 53),
        (std::int64_t{1} << 53) + 1,          // first integer a double cannot hold
        999999999999999,                      // largest plain cJSON number
        1000000000000000,                     // cJSON alone would print 1e+15
        -1000000000000000,
        4611686018427387905,
        std::numeric_limits<std::int64_t>::max(),
        std::numeric_limits<std::int64_t>::min(),
    };
    for (std::int64_t v : values) {
        const std::string expected = std::to_string(v);
        json::Ptr node = json::integer(v);
        assert_string_equal(json::print(node.get()).c_str(), expected.c_str());
        assert_true(json::as_int(node.get()) == v);

        json::Ptr parsed = json::parse(expected);
        assert_non_null(parsed.get());
        assert_true(json::as_int(parsed.get()) == v);
        assert_string_equal(json::print(parsed.get()).c_str(), expected.c_str());
    }
}

void test_wire_int64_sentinel(void**) {
    // http-api.md §2.4: a pinned staging row has time_expires = INT64_MAX.
    const char* text = "{\"staging_id\":\"x\",\"time_expires\":9223372036854775807,\"size\":5}";
    json::Ptr doc = json::parse(text);
    assert_non_null(doc.get());
    assert_true(json::get_int(doc.get(), "time_expires") == std::numeric_limits<std::int64_t>::max());
    assert_true(json::get_int(doc.get(), "size") == 5);
    assert_string_equal(json::print(doc.get()).c_str(), text);
    const auto approx = json::get_number(doc.get(), "time_expires");
    assert_true(approx.has_value());
    assert_true(*approx == 9223372036854775807.0);
}

void test_get_int_only_for_integral_in_range(void**) {
    json::Ptr doc = json::parse(
        "{\"frac\":1.5,\"str\":\"1\",\"huge\":1e300,\"two63\":9223372036854775808,"
        "\"below\":-9223372036854775809,\"exp\":1e3,\"negzero\":-0,\"bool\":true,"
        "\"nul\":null,\"arr\":[1],\"obj\":{},\"big\":4611686018427387904,\"neg\":-42,"
        "\"float_int\":2.0,\"tiny\":1e-300}");
    assert_non_null(doc.get());
    const cJSON* d = doc.get();
    assert_false(json::get_int(d, "frac").has_value());
    assert_false(json::get_int(d, "str").has_value());
    assert_false(json::get_int(d, "huge").has_value());
    assert_false(json::get_int(d, "two63").has_value());
    assert_false(json::get_int(d, "below").has_value());
    assert_true(json::get_int(d, "exp") == 1000);
    assert_true(json::get_int(d, "negzero") == 0);
    assert_false(json::get_int(d, "bool").has_value());
    assert_false(json::get_int(d, "nul").has_value());
    assert_false(json::get_int(d, "arr").has_value());
    assert_false(json::get_int(d, "obj").has_value());
    assert_true(json::get_int(d, "big") == (std::int64_t{1} << 62));
    assert_true(json::get_int(d, "neg") == -42);
    assert_true(json::get_int(d, "float_int") == 2);
    assert_false(json::get_int(d, "tiny").has_value());
    assert_false(json::get_int(d, "missing").has_value());
    assert_false(json::get_int(d, "Neg").has_value());  // keys are case-sensitive
    assert_false(json::get_int(nullptr, "neg").has_value());
    assert_false(json::get_int(cJSON_GetObjectItemCaseSensitive(d, "arr"), "neg").has_value());
    // Out-of-int64 literals keep their text and stay numbers for get_number.
    assert_true(json::get_number(d, "two63") == 9223372036854775808.0);
    assert_true(json::get_number(d, "frac") == 1.5);
    assert_false(json::get_number(d, "str").has_value());
}

void test_get_string_and_bool(void**) {
    json::Ptr doc = json::parse(
        "{\"s\":\"caf\\u00e9 \\\"q\\\"\",\"e\":\"\",\"n\":1,\"t\":true,\"f\":false,\"z\":null}");
    assert_non_null(doc.get());
    assert_true(json::get_string(doc.get(), "s") == "caf\xC3\xA9 \"q\"");
    assert_true(json::get_string(doc.get(), "e") == "");
    assert_false(json::get_string(doc.get(), "n").has_value());
    assert_false(json::get_string(doc.get(), "z").has_value());
    assert_false(json::get_string(doc.get(), "missing").has_value());
    assert_true(json::get_bool(doc.get(), "t") == true);
    assert_true(json::get_bool(doc.get(), "f") == false);
    assert_false(json::get_bool(doc.get(), "n").has_value());
    assert_false(json::get_bool(doc.get(), "z").has_value());
}

void test_add_replaces_existing_key(void**) {
    json::Ptr root = json::object();
    json::add(root.get(), "k", json::integer(1));
    json::add(root.get(), "other", json::integer(2));
    json::add(root.get(), "k", json::string("v"));
    assert_string_equal(json::print(root.get()).c_str(), "{\"k\":\"v\",\"other\":2}");
}

void test_builder_misuse_throws(void**) {
    json::Ptr arr = json::array();
    json::Ptr obj = json::object();
    EXPECT_ERROR(Status::invalid_argument, json::add(arr.get(), "k", json::null()));
    EXPECT_ERROR(Status::invalid_argument, json::add(nullptr, "k", json::null()));
    EXPECT_ERROR(Status::invalid_argument, json::append(obj.get(), json::null()));
    EXPECT_ERROR(Status::invalid_argument, json::add(obj.get(), "k", json::Ptr()));
    EXPECT_ERROR(Status::invalid_argument, (void)json::string("a\0b"s));
    EXPECT_ERROR(Status::invalid_argument, json::add(obj.get(), "a\0b"s, json::null()));
    // Nothing half-added.
    assert_string_equal(json::print(obj.get()).c_str(), "{}");
    assert_string_equal(json::print(arr.get()).c_str(), "[]");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_compact_documents),
        cmocka_unit_test(test_roundtrip_built_tree),
        cmocka_unit_test(test_whitespace_around_the_value_is_accepted),
        cmocka_unit_test(test_trailing_garbage_is_rejected),
        cmocka_unit_test(test_error_offsets),
        cmocka_unit_test(test_numbers_beyond_a_double),
        cmocka_unit_test(test_lexical_strictness),
        cmocka_unit_test(test_deep_nesting_fails_cleanly),
        cmocka_unit_test(test_integer_is_exact_over_int64),
        cmocka_unit_test(test_wire_int64_sentinel),
        cmocka_unit_test(test_get_int_only_for_integral_in_range),
        cmocka_unit_test(test_get_string_and_bool),
        cmocka_unit_test(test_add_replaces_existing_key),
        cmocka_unit_test(test_builder_misuse_throws),
    };
    return cmocka_run_group_tests_name("core_json", tests, nullptr, nullptr);
}
