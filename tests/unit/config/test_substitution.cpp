// ${VAR} substitution (spec/client-config.md §9.1/§9.3) and plain-token
// classification (§9.4).
// Tested on the C++ internals (config/config.hpp); helpers in
// internal_support.hpp.
#include "internal_support.hpp"

namespace {

// ---- §9.1 / §9.3 substitute_env ---------------------------------------------

void test_substitute_every_placeholder(void**) {
    FakeEnv env{{"A", "1"}, {"B", "2"}};
    EXPECT_STR(sub("prefix-${A}-${B}-${A}", env), "prefix-1-2-1");
}

void test_substitute_no_recursion(void**) {
    FakeEnv env{{"A", "${B}"}, {"B", "x"}};
    EXPECT_STR(sub("${A}", env), "${B}");
}

void test_substitute_no_rescan_across_boundary(void**) {
    FakeEnv env{{"D", "$"}, {"B", "x"}};
    EXPECT_STR(sub("${D}{B}", env), "${B}");
}

void test_substitute_dollar_name_is_literal(void**) {
    FakeEnv env{{"NAME", "v"}};
    EXPECT_STR(sub("a$NAME-${NAME}", env), "a$NAME-v");
}

void test_substitute_empty_braces_literal(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("${}-${A}", env), "${}-1");
}

void test_substitute_digit_start_literal(void**) {
    FakeEnv env{{"A", "1"}, {"1X", "no"}};
    EXPECT_STR(sub("${1X}${A}", env), "${1X}1");
}

void test_substitute_dash_name_literal(void**) {
    FakeEnv env{{"A", "1"}, {"B", "2"}};
    EXPECT_STR(sub("${A-B}", env), "${A-B}");
}

void test_substitute_default_syntax_literal(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("${A:-default}", env), "${A:-default}");
    EXPECT_STR(sub("${UNSET:-default}", env), "${UNSET:-default}");
}

void test_substitute_no_escape_sequence(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("$${A}", env), "$1");
}

void test_substitute_nested_braces(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("${${A}}", env), "${1}");
}

void test_substitute_unterminated_literal(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("x-${A", env), "x-${A");
}

void test_substitute_name_forms(void**) {
    FakeEnv env{{"_a1", "u"}, {"lower", "l"}, {"A1_B2", "m"}};
    EXPECT_STR(sub("${_a1}|${lower}|${A1_B2}", env), "u|l|m");
}

void test_substitute_value_kept_verbatim(void**) {
    FakeEnv env{{"V", " sp\xc3\xa9\x63ial $ {} \\ "}};
    EXPECT_STR(sub("<${V}>", env), "< sp\xc3\xa9\x63ial $ {} \\ >");
}

void test_substitute_without_placeholder_skips_env(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("plain $A text {A}", env), "plain $A text {A}");
    assert_true(env.looked->empty());
}

void test_substitute_empty_value(void**) {
    FakeEnv env{{"E", ""}};
    EXPECT_STR(sub("a${E}b", env), "ab");
    EXPECT_STR(sub("${E}", env), "");
}

void test_substitute_unset_is_missing_env(void**) {
    FakeEnv env;
    auto e = EXPECT_THROW(cfg::substitute_env("x-${NOPE}", env.lookup()), Status::missing_env);
    EXPECT_MISSING(e, "NOPE");
}

void test_substitute_first_missing_reported(void**) {
    FakeEnv env{{"SET", "s"}};
    auto e = EXPECT_THROW(cfg::substitute_env("${X}${Y}", env.lookup()), Status::missing_env);
    EXPECT_MISSING(e, "X");
    auto e2 =
        EXPECT_THROW(cfg::substitute_env("${SET}-${Y}-${X}", env.lookup()), Status::missing_env);
    EXPECT_MISSING(e2, "Y");
}

// ---- §9.4 is_plain_token -----------------------------------------------------

void test_plain_token_table(void**) {
    assert_false(cfg::is_plain_token("${LETTS_TOKEN}"));
    assert_false(cfg::is_plain_token("${A}${B}"));
    assert_true(cfg::is_plain_token("tok-123"));
    assert_true(cfg::is_plain_token("prefix-${A}"));
    assert_true(cfg::is_plain_token("${A} "));
    assert_true(cfg::is_plain_token("${1X}"));
    assert_false(cfg::is_plain_token(""));
}

void test_plain_token_more_forms(void**) {
    assert_false(cfg::is_plain_token("${_x}"));
    assert_true(cfg::is_plain_token("$A"));
    assert_true(cfg::is_plain_token("${}"));
    assert_true(cfg::is_plain_token("${A"));
    assert_true(cfg::is_plain_token(" ${A}"));
    assert_true(cfg::is_plain_token("${A}-${B}"));
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_substitute_every_placeholder),
        cmocka_unit_test(test_substitute_no_recursion),
        cmocka_unit_test(test_substitute_no_rescan_across_boundary),
        cmocka_unit_test(test_substitute_dollar_name_is_literal),
        cmocka_unit_test(test_substitute_empty_braces_literal),
        cmocka_unit_test(test_substitute_digit_start_literal),
        cmocka_unit_test(test_substitute_dash_name_literal),
        cmocka_unit_test(test_substitute_default_syntax_literal),
        cmocka_unit_test(test_substitute_no_escape_sequence),
        cmocka_unit_test(test_substitute_nested_braces),
        cmocka_unit_test(test_substitute_unterminated_literal),
        cmocka_unit_test(test_substitute_name_forms),
        cmocka_unit_test(test_substitute_value_kept_verbatim),
        cmocka_unit_test(test_substitute_without_placeholder_skips_env),
        cmocka_unit_test(test_substitute_empty_value),
        cmocka_unit_test(test_substitute_unset_is_missing_env),
        cmocka_unit_test(test_substitute_first_missing_reported),
        cmocka_unit_test(test_plain_token_table),
        cmocka_unit_test(test_plain_token_more_forms),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
