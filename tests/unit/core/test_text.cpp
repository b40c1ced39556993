// core/text: the trim, lower, integer and errno helpers every layer shares,
// and core/utf8's clip (which never splits a character).
#include <cerrno>
#include <string>

#include "core/text.hpp"
#include "core/utf8.hpp"

#include "support.hpp"

namespace text = letts::text;

namespace {

void test_trim_takes_the_given_spaces(void**) {
    assert_string_equal(std::string(text::trim(" \t\v\fa b\r\n")).c_str(), "a b");
    assert_string_equal(std::string(text::trim("\va\f", " \t\r\n")).c_str(), "\va\f");
    assert_true(text::trim("  \t ").empty());
    assert_true(text::trim("").empty());
}

void test_lower_is_ascii_only(void**) {
    assert_string_equal(text::lower("IdEnTiTy-09_\xC3\x89").c_str(), "identity-09_\xC3\x89");
}

void test_equal_fold_maps_ascii_letters_only(void** /*state*/) {
    assert_true(text::equal_fold("Content-Length", "content-LENGTH"));
    assert_true(text::equal_fold("", ""));
    assert_false(text::equal_fold("abc", "abd"));
    assert_false(text::equal_fold("abc", "ab"));
    // Only A-Z fold: '@' (0x40) and '`' (0x60) differ by the same bit but are not letters.
    assert_false(text::equal_fold("@", "`"));
    assert_false(text::equal_fold("\xC3\x89", "\xC3\xA9"));
}

void test_parse_int64_takes_whole_decimal_text(void**) {
    assert_true(text::parse_int64("0") == 0);
    assert_true(text::parse_int64("-9223372036854775808") == INT64_MIN);
    assert_true(text::parse_int64("9223372036854775807") == INT64_MAX);
    for (const char* bad : {"", "+1", " 1", "1 ", "1.0", "1e3", "9223372036854775808", "0x10", "-"})
        assert_false(text::parse_int64(bad).has_value());
    std::int64_t out = 42;
    assert_false(text::parse_int64("x", out));
    assert_int_equal(out, 42);
    assert_true(text::parse_int64("-7", out));
    assert_int_equal(out, -7);
}

void test_os_error_reads_like_go(void**) {
    assert_string_equal(text::os_error(ENOENT).c_str(), "no such file or directory");
}

void test_clip_keeps_whole_characters(void**) {
    assert_string_equal(letts::utf8::clip("ab\xC3\xA9", 3).c_str(), "ab");
    assert_string_equal(letts::utf8::clip("ab\xC3\xA9", 4).c_str(), "ab\xC3\xA9");
    assert_string_equal(letts::utf8::clip("abc", 2).c_str(), "ab");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim_takes_the_given_spaces),
        cmocka_unit_test(test_lower_is_ascii_only),
        cmocka_unit_test(test_equal_fold_maps_ascii_letters_only),
        cmocka_unit_test(test_parse_int64_takes_whole_decimal_text),
        cmocka_unit_test(test_os_error_reads_like_go),
        cmocka_unit_test(test_clip_keeps_whole_characters),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
