// core/duration: Go ParseDuration (values checked against Go 1.19's own
// time.ParseDuration), the wire/config/waitTimeout variants, and Go's
// Duration.String() with the daemon's timeout text.
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "core/duration.hpp"

#include "support.hpp"

namespace duration = letts::duration;
using namespace std::string_literals;
using letts::Status;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

struct Valid {
    const char* text;
    std::int64_t ns;
};

// Every value below is what Go's time.ParseDuration returns for the text.
const Valid go_valid[] = {
    {"0", 0},
    {"+0", 0},
    {"-0", 0},
    {"0s", 0},
    {"-0s", 0},
    {"1ns", 1},
    {"1us", 1000},
    {"1\xC2\xB5s", 1000},  // U+00B5 MICRO SIGN
    {"1\xCE\xBCs", 1000},  // U+03BC GREEK SMALL LETTER MU
    {"1ms", 1000000},
    {"1s", 1000000000},
    {"1m", 60000000000},
    {"1h", 3600000000000},
    {"300ms", 300000000},
    {"-1.5h", -5400000000000},
    {"1.5h", 5400000000000},
    {"2h45m", 9900000000000},
    {"90s", 90000000000},
    {"1h30m", 5400000000000},
    {"250ms", 250000000},
    {"10m", 600000000000},
    {".5s", 500000000},
    {"5.s", 5000000000},
    {"1.0s", 1000000000},
    {"00001s", 1000000000},
    {"1m1.5s", 61500000000},
    {"1h1h", 7200000000000},
    {"1s1s1s", 3000000000},
    {"0.000000001s", 1},
    {"0.0000000001s", 0},
    {"1.000000001s", 1000000001},
    {"0.3333333333333333333333h", 1200000000000},
    {"1.99999999999999999999999s", 2000000000},
    {"12345.678901234us", 12345678},
    {"3.7\xC2\xB5s", 3700},
    {"1.00000000000000000000000000001h", 3600000000000},
    {"+5m", 300000000000},
    {"1h0m0s", 3600000000000},
    {"2562047h47m16.854775807s", int64_max},
    {"9223372036854775807ns", int64_max},
    {"-9223372036854775808ns", int64_min},
    {"-2562047h47m16.854775808s", int64_min},
};

// Go rejects every one of these.
const std::string go_invalid[] = {
    "",
    "+",
    "-",
    "1",            // missing unit
    "00",
    "1.5",
    "s",
    ".s",
    "-.s",
    ".",
    "1..5s",
    "1.2.3s",
    "1e3s",
    "1 s",
    " 1s",
    "1s ",
    "1s\n",
    "\n1s",
    "1s\t",
    "1S",
    "1H",
    "1Ms",
    "1sec",
    "1hh",
    "1d",           // days only in dugdale.yaml
    "1w",
    "+-1s",
    "--1s",
    "1h-1m",
    "1h+1m",
    "1s\0"s,
    "\xC2\xB5s",
    "1\xC2\xB5",
    "1\xB5s",       // a lone byte of the micro sign
    "100000000000000000000ns",
    "9223372036854775808ns",
    "2562048h",
    "2562047h47m16.854775808s",
    "9223372036854775807ns1ns",
    "18446744073709551616s",
};

void test_go_syntax_valid(void**) {
    for (const Valid& v : go_valid) {
        const nanoseconds d = duration::parse_go(v.text);
        if (d.count() != v.ns) {
            print_error("%s: got %lld want %lld\n", v.text, static_cast<long long>(d.count()),
                        static_cast<long long>(v.ns));
        }
        assert_true(d.count() == v.ns);
    }
}

void test_go_syntax_invalid(void**) {
    for (const std::string& text : go_invalid) {
        const std::string message =
            EXPECT_ERROR(Status::invalid_argument, (void)duration::parse_go(text));
        // The message names the offending text (quoted, control bytes escaped).
        assert_true(core_test::contains(message, "invalid duration \""));
    }
}

void test_error_messages_name_text_and_cause(void**) {
    auto message = [](const std::string& text) {
        return EXPECT_ERROR(Status::invalid_argument, (void)duration::parse_go(text));
    };
    assert_string_equal(message("1.5").c_str(), "invalid duration \"1.5\": missing unit at byte 3");
    assert_string_equal(message("5x").c_str(),
                        "invalid duration \"5x\": unknown unit \"x\" (valid units: ns, us, "
                        "\xC2\xB5s, ms, s, m, h)");
    assert_string_equal(message("").c_str(), "invalid duration \"\": empty");
    assert_string_equal(message("1h\n").c_str(),
                        "invalid duration \"1h\\n\": unknown unit \"h\\n\" (valid units: ns, us, "
                        "\xC2\xB5s, ms, s, m, h)");
    assert_string_equal(message("1h x").c_str(),
                        "invalid duration \"1h x\": unknown unit \"h x\" (valid units: ns, us, "
                        "\xC2\xB5s, ms, s, m, h)");
    assert_string_equal(message("3000000h").c_str(), "invalid duration \"3000000h\": out of range");
    assert_string_equal(message("1s.").c_str(),
                        "invalid duration \"1s.\": \".\" without digits at byte 2");
    assert_string_equal(message("x1s").c_str(),
                        "invalid duration \"x1s\": expected a number at byte 0");
    // Long junk is clipped in the message.
    const std::string long_text(10000, '9');
    assert_true(message(long_text).size() < 300);
}

void test_wire_timeout_rejects_negative(void**) {
    assert_true(duration::parse_timeout("10m") == nanoseconds(600000000000));
    assert_true(duration::parse_timeout("0s") == nanoseconds(0));
    assert_true(duration::parse_timeout("-0") == nanoseconds(0));
    assert_true(duration::parse_timeout("1.5s") == nanoseconds(1500000000));
    const std::string message =
        EXPECT_ERROR(Status::invalid_argument, (void)duration::parse_timeout("-1s"));
    assert_string_equal(message.c_str(),
                        "invalid duration \"-1s\": negative durations are not allowed");
    EXPECT_ERROR(Status::invalid_argument, (void)duration::parse_timeout("-1ns"));
    EXPECT_ERROR(Status::invalid_argument, (void)duration::parse_timeout("1d"));
    EXPECT_ERROR(Status::invalid_argument, (void)duration::parse_timeout(""));
}

void test_config_durations_accept_days(void**) {
    const struct {
        const char* text;
        std::int64_t ns;
    } valid[] = {
        {"7d", 7 * 86400000000000},
        {"1d", 86400000000000},
        {"0d", 0},
        {"+2d", 2 * 86400000000000},
        {"-0d", 0},
        {"007d", 7 * 86400000000000},
        {"106751d", 106751 * 86400000000000},  // the largest day count that fits
        {"24h", 86400000000000},
        {"30s", 30000000000},
        {"1h30m", 5400000000000},
        {"0", 0},
    };
    for (const auto& v : valid) assert_true(duration::parse_config(v.text).count() == v.ns);

    const char* invalid[] = {
        "",      "d",      "1.5d",   "1dd",    "1h1d",  "d1",    " 1d",   "1d ",
        "1D",    "-1d",    "-1s",    "1e2d",   "0x1d",  "1_0d",  "106752d",
        "9223372036854775808d",
    };
    for (const char* text : invalid) {
        const std::string message =
            EXPECT_ERROR(Status::invalid_argument, (void)duration::parse_config(text));
        assert_true(core_test::contains(message, "invalid duration \""));
    }
}

void test_wait_timeout_grammar(void**) {
    const struct {
        const char* text;
        std::int64_t ms;
    } valid[] = {
        {"0s", 0},       {"1ms", 1},         {"250ms", 250},        {"30s", 30000},
        {"5m", 300000},  {"2h", 7200000},    {"007s", 7000},        {"0h", 0},
        {"9223372036854775807ms", int64_max}, {"2562047788015h", 2562047788015 * 3600000},
    };
    for (const auto& v : valid) assert_true(duration::parse_wait_timeout(v.text).count() == v.ms);

    const std::string invalid[] = {
        "",     "s",     "10",    "1.5s",  "1h30m", "-1s",  "+1s",  " 1s",  "1s ",
        "1s\n", "1S",    "1us",   "1ns",   "1d",    "1sec", "1 s",  "ms",   "1mss",
        "\xD9\xA1s",  // ARABIC-INDIC DIGIT ONE: not an ASCII digit
        "9223372036854775808ms", "2562047788016h", "99999999999999999999s",
    };
    for (const std::string& text : invalid) {
        const std::string message =
            EXPECT_ERROR(Status::invalid_argument, (void)duration::parse_wait_timeout(text));
        // The PHP client's exact message.
        assert_string_equal(message.c_str(), ("invalid duration: " + text).c_str());
    }
}

void test_format_go(void**) {
    const struct {
        std::int64_t ns;
        const char* text;
    } cases[] = {
        {0, "0s"},
        {1, "1ns"},
        {999, "999ns"},
        {1000, "1\xC2\xB5s"},
        {1500, "1.5\xC2\xB5s"},
        {1000000, "1ms"},
        {1200000, "1.2ms"},
        {999999999, "999.999999ms"},
        {1000000000, "1s"},
        {1500000000, "1.5s"},
        {60000000000, "1m0s"},
        {90000000000, "1m30s"},
        {3600000000000, "1h0m0s"},
        {3723000000000, "1h2m3s"},
        {3723500000000, "1h2m3.5s"},
        {-1, "-1ns"},
        {-120000000000, "-2m0s"},
        {int64_max, "2562047h47m16.854775807s"},
        {int64_min, "-2562047h47m16.854775808s"},
    };
    for (const auto& c : cases) {
        assert_string_equal(duration::format_go(nanoseconds(c.ns)).c_str(), c.text);
        // What Go prints, Go parses back to the same value.
        assert_true(duration::parse_go(duration::format_go(nanoseconds(c.ns))).count() == c.ns);
    }
}

void test_format_timeout_ms(void**) {
    // mission-protocol.md §4.2 lists these exact renderings.
    const struct {
        std::int64_t ms;
        const char* text;
    } cases[] = {
        {200, "200ms"},     {1500, "1.5s"},      {30000, "30s"},     {90000, "1m30s"},
        {600000, "10m"},    {3600000, "1h"},     {5400000, "1h30m"}, {3661000, "1h1m1s"},
        {3601000, "1h0m1s"}, {3600500, "1h0m0.5s"}, {1, "1ms"},       {0, "0s"},
        {86400000, "24h"},  {60000, "1m"},
    };
    for (const auto& c : cases) {
        assert_string_equal(duration::format_timeout_ms(c.ms).c_str(), c.text);
    }
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_go_syntax_valid),
        cmocka_unit_test(test_go_syntax_invalid),
        cmocka_unit_test(test_error_messages_name_text_and_cause),
        cmocka_unit_test(test_wire_timeout_rejects_negative),
        cmocka_unit_test(test_config_durations_accept_days),
        cmocka_unit_test(test_wait_timeout_grammar),
        cmocka_unit_test(test_format_go),
        cmocka_unit_test(test_format_timeout_ms),
    };
    return cmocka_run_group_tests_name("core_duration", tests, nullptr, nullptr);
}
