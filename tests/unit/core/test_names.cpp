// core/names: valid/invalid tables per rule, including the maximum lengths
// and a trailing "\n" (Go's `$` does not match before one), checked against
// an independent std::regex oracle, and the explanatory messages.
#include <regex>
#include <string>
#include <vector>

#include "core/names.hpp"

#include "support.hpp"

namespace names = letts::names;
using names::Rule;
using namespace std::string_literals;

namespace {

std::string repeat(char c, std::size_t n) { return std::string(n, c); }

struct Table {
    Rule rule;
    bool (*predicate)(std::string_view);
    const char* oracle;  // ECMAScript regex equivalent to the daemon's, or nullptr
    std::vector<std::string> valid;
    std::vector<std::string> invalid;
};

std::vector<Table> tables() {
    // Inputs every rule must reject: trailing/leading newline and NUL variants
    // of an otherwise valid value are added per table below.
    return {
        {Rule::lane_name, names::is_lane_name, "^[a-z][a-z0-9_-]{0,31}$",
         {"a", "default", "batch-2", "io_bound", "z9", "a-", "a_", "a" + repeat('0', 31)},
         {"", "A", "Default", "1lane", "-lane", "_lane", "lane.x", "lane x", "lane/x",
          "l\xC3\xA4ne", "a" + repeat('0', 32), repeat('a', 33)}},
        {Rule::label, names::is_label, "^[a-z][a-z0-9_-]{0,31}$",
         {"gpu", "eu-west_1", "x", "x" + repeat('-', 31)},
         {"", "GPU", "9x", "x" + repeat('-', 32), "a:b", "a=b"}},
        {Rule::mission_name, names::is_mission_name, "^[A-Za-z0-9_][A-Za-z0-9_.-]*$",
         {"report", "Report.v2", "0", "_private", "a-b_c.d", "count_lines", "x..y",
          "A" + repeat('.', 127)},
         {"", ".hidden", "-dash", "a/b", "../x", "a b", "a{b}", "r\xC3\xA9port", "a:b",
          "A" + repeat('a', 128)}},
        {Rule::role_key, names::is_role_key, "^[A-Za-z_][A-Za-z0-9_]{0,63}$",
         {"doc", "Template", "_x", "_", "a1", "result_2", "a" + repeat('b', 63), "_a_"},
         {"", "1doc", "__", "__meta", "___", "do-c", "do.c", "a b", "a" + repeat('b', 64),
          "\xC3\xA9"}},
        {Rule::sha256, names::is_sha256_hex, "^[a-f0-9]{64}$",
         {repeat('0', 64), repeat('f', 64),
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
         {"", repeat('0', 63), repeat('0', 65), repeat('F', 64), repeat('g', 64),
          "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"}},
        {Rule::sha256_any_case, names::is_sha256_hex_any_case, "^[a-fA-F0-9]{64}$",
         {repeat('0', 64), "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852B855"},
         {"", repeat('0', 63), repeat('G', 64), repeat('0', 65)}},
        {Rule::uuidv7, names::is_uuidv7,
         "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
         {"01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0d"},
         {"", "01923B6E-8F10-7C2A-A4D1-5E6F7A8B9C0D", "01923b6e-8f10-4c2a-a4d1-5e6f7a8b9c0d",
          "01923b6e-8f10-7c2a-c4d1-5e6f7a8b9c0d"}},
    };
}

void test_tables(void**) {
    for (const Table& t : tables()) {
        const std::regex oracle(t.oracle);
        auto check = [&](const std::string& text, bool expected) {
            const bool got = t.predicate(text);
            if (got != expected) {
                print_error("%s: %s -> %d, want %d\n", names::describe(t.rule).c_str(),
                            text.c_str(), got, expected);
            }
            assert_true(got == expected);
            assert_true(names::check(t.rule, text) == expected);
            // The oracle knows the pattern only; the mission name length cap
            // and the role/key "__" reservation are extra clauses.
            bool by_oracle = std::regex_match(text, oracle);
            if (t.rule == Rule::mission_name && text.size() > 128) by_oracle = false;
            if (t.rule == Rule::role_key && text.rfind("__", 0) == 0) by_oracle = false;
            assert_true(by_oracle == expected);
        };
        for (const std::string& v : t.valid) {
            check(v, true);
            check(v + "\n", false);  // Go's `$` does not match before a final newline
            check("\n" + v, false);
            check(v + "\r", false);
            check(v + " ", false);
            check(v + '\0', false);
        }
        for (const std::string& v : t.invalid) check(v, false);
    }
}

void test_mission_name_length_is_in_bytes(void**) {
    assert_true(names::is_mission_name(repeat('m', 128)));
    assert_false(names::is_mission_name(repeat('m', 129)));
    assert_true(names::is_mission_name(repeat('_', 1)));
}

void test_role_key_reserved_prefix(void**) {
    assert_true(names::is_role_key("_"));
    assert_true(names::is_role_key("_a"));
    assert_true(names::is_role_key("a__b"));
    assert_false(names::is_role_key("__"));
    assert_false(names::is_role_key("__a"));
}

void test_display_name(void**) {
    assert_true(names::is_display_name(""));
    assert_true(names::is_display_name("Nightly report \xE2\x80\x94 EU"));
    assert_true(names::is_display_name(repeat('x', 256)));
    assert_true(names::is_display_name("\x80\xFF"));  // only bytes < 0x20 and 0x7f are banned
    assert_false(names::is_display_name(repeat('x', 257)));
    assert_false(names::is_display_name("line\n"));
    assert_false(names::is_display_name("tab\there"));
    assert_false(names::is_display_name("del\x7f"));
    assert_false(names::is_display_name("nul\0"s));
    assert_true(names::check(Rule::display_name, "ok"));
}

void test_explanations(void**) {
    assert_string_equal(names::describe(Rule::lane_name).c_str(),
                        "lane name must match ^[a-z][a-z0-9_-]{0,31}$");
    assert_string_equal(names::explain(Rule::lane_name, "Batch").c_str(),
                        "invalid lane name \"Batch\": must match ^[a-z][a-z0-9_-]{0,31}$");
    assert_string_equal(names::explain(Rule::lane_name, "batch\n").c_str(),
                        "invalid lane name \"batch\\n\": must match ^[a-z][a-z0-9_-]{0,31}$");
    assert_string_equal(names::explain(Rule::role_key, "__meta").c_str(),
                        "invalid role/key \"__meta\": the \"__\" prefix is reserved");
    assert_string_equal(
        names::explain(Rule::role_key, "1doc").c_str(),
        "invalid role/key \"1doc\": must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$ and not start with \"__\"");
    assert_string_equal(names::explain(Rule::mission_name, "").c_str(),
                        "invalid mission name \"\": must be 1 to 128 bytes long (is 0)");
    assert_string_equal(names::explain(Rule::mission_name, ".x").c_str(),
                        "invalid mission name \".x\": must match ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ "
                        "and be 1 to 128 bytes long");
    assert_string_equal(names::explain(Rule::display_name, "a\x01"s).c_str(),
                        "invalid display_name \"a\\x01\": contains a control byte at offset 1");
    assert_string_equal(names::explain(Rule::display_name, repeat('x', 300)).substr(0, 24).c_str(),
                        "invalid display_name \"xx");
    assert_true(core_test::contains(names::explain(Rule::display_name, repeat('x', 300)),
                                    "must be at most 256 bytes (is 300)"));
    assert_true(core_test::contains(names::explain(Rule::uuidv7, "nope"), "invalid UUIDv7 \"nope\""));
    assert_true(core_test::contains(names::explain(Rule::sha256, "ABC"), "invalid sha256 \"ABC\""));
    // A valid value gets the rule itself.
    assert_string_equal(names::explain(Rule::label, "gpu").c_str(),
                        names::describe(Rule::label).c_str());
    // Every rule has a description that names it.
    for (Rule r : {Rule::lane_name, Rule::label, Rule::mission_name, Rule::role_key, Rule::sha256,
                   Rule::sha256_any_case, Rule::uuidv7, Rule::display_name}) {
        assert_true(names::describe(r).size() > 10);
    }
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_mission_name_length_is_in_bytes),
        cmocka_unit_test(test_role_key_reserved_prefix),
        cmocka_unit_test(test_display_name),
        cmocka_unit_test(test_explanations),
    };
    return cmocka_run_group_tests_name("core_names", tests, nullptr, nullptr);
}
