// core/yaml_decode: the strict table decoder shared by letts.yaml and
// dugdale.yaml. Each failure is checked with its exact message: the
// decoder's own (unknown key, not a mapping, through a Wording this test
// supplies) and the tree's that it relies on (duplicate key, nesting bound).
#include <string>
#include <vector>

#include "core/yaml_decode.hpp"
#include "core/yaml_tree.hpp"
#include "support.hpp"

namespace yaml = letts::yaml;
using letts::Status;

namespace {

// Words failures with everything the decoder hands over: the label, the key,
// the positions.
class TestWording final : public yaml::Wording {
public:
    [[noreturn]] void unknown_key(std::string_view label, const yaml::Entry& entry) const override {
        throw letts::Error(Status::config, "unknown key " + entry.key + " in " +
                                               std::string(label) + " at " +
                                               std::to_string(entry.key_mark.line) + ":" +
                                               std::to_string(entry.key_mark.column));
    }
    [[noreturn]] void not_a_mapping(std::string_view label, const yaml::Node& node) const override {
        throw letts::Error(Status::config, std::string(label) + " is " +
                                               std::string(node.describe()) + " at " +
                                               std::to_string(node.mark.line) + ":" +
                                               std::to_string(node.mark.column));
    }
};

const TestWording wording;

// Each handled value as "label=text", in the order the handlers ran.
struct Log {
    std::vector<std::string> lines;
    yaml::Handler into() {
        return [this](const yaml::Node& value, const std::string& label) {
            lines.push_back(label + "=" + (value.kind == yaml::Kind::scalar ? value.text : "{}"));
        };
    }
};

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines)
        out += line + ";";
    return out;
}

void decode_auth(const std::string& text, Log& log) {
    yaml::Fields("auth", wording)
        .field("token", log.into())
        .field("admin_token", log.into())
        .decode(*yaml::parse(text));
}

void test_known_keys_in_document_order(void**) {
    Log log;
    decode_auth("admin_token: b\ntoken: a\n", log);
    assert_string_equal(joined(log.lines).c_str(), "auth.admin_token=b;auth.token=a;");
}

void test_root_members_are_labelled_by_key(void**) {
    Log log;
    const bool present =
        yaml::Fields("", wording).field("auth", log.into()).decode(*yaml::parse("auth: x\n"));
    assert_true(present);
    assert_string_equal(joined(log.lines).c_str(), "auth=x;");
}

void test_unknown_key_fails_after_the_keys_before_it(void**) {
    Log log;
    const std::string message =
        EXPECT_ERROR(Status::config, decode_auth("token: a\nmystery: 1\nadmin_token: b\n", log));
    assert_string_equal(message.c_str(), "unknown key mystery in auth at 2:1");
    assert_string_equal(joined(log.lines).c_str(), "auth.token=a;");
}

void test_not_a_mapping_fails(void**) {
    Log log;
    assert_string_equal(EXPECT_ERROR(Status::config, decode_auth("[token]\n", log)).c_str(),
                        "auth is a sequence at 1:1");
    assert_string_equal(EXPECT_ERROR(Status::config, decode_auth("\"7180\"\n", log)).c_str(),
                        "auth is a string at 1:1");
    assert_true(log.lines.empty());
}

void test_null_is_an_absent_mapping(void**) {
    Log log;
    for (const char* text : {"", "~\n", "null\n"}) {
        const bool present =
            yaml::Fields("auth", wording).field("token", log.into()).decode(*yaml::parse(text));
        assert_false(present);
    }
    assert_true(log.lines.empty());
    assert_true(yaml::Fields("auth", wording).decode(*yaml::parse("{}\n")));
}

void test_merge_keys_reach_the_table(void**) {
    Log log;
    decode_auth("<<: {token: merged, admin_token: lost}\nadmin_token: explicit\n", log);
    assert_string_equal(joined(log.lines).c_str(), "auth.admin_token=explicit;auth.token=merged;");
    const std::string message =
        EXPECT_ERROR(Status::config, decode_auth("<<: {mystery: 1}\n", log));
    assert_string_equal(message.c_str(), "unknown key mystery in auth at 1:6");
}

void test_entries_of_a_mapping_of_names(void**) {
    std::vector<std::string> names;
    auto each = [&](const yaml::Entry& entry) {
        names.push_back(entry.key + "=" + entry.value->text);
    };
    assert_true(yaml::decode_entries(*yaml::parse("b: 2\na: 1\n"), "routes", wording, each));
    assert_string_equal(joined(names).c_str(), "b=2;a=1;");
    assert_false(yaml::decode_entries(*yaml::parse("~\n"), "routes", wording, each));
    const std::string message = EXPECT_ERROR(
        Status::config, yaml::decode_entries(*yaml::parse("\n- a\n"), "routes", wording, each));
    assert_string_equal(message.c_str(), "routes is a sequence at 2:1");
}

// Duplicate keys never reach a table: the tree refuses them, at any depth.
void test_duplicate_key_is_refused_by_the_tree(void**) {
    assert_string_equal(EXPECT_ERROR(Status::config, yaml::parse("token: a\ntoken: b\n")).c_str(),
                        "root: duplicate key: token (line 2:1)");
    assert_string_equal(
        EXPECT_ERROR(Status::config, yaml::parse("auth:\n  token: a\n  token: b\n")).c_str(),
        "auth: duplicate key: token (line 3:3)");
}

// The tree bounds nesting at 64 levels, so no input makes decoding deep.
void test_nesting_is_bounded(void**) {
    const std::string deep_ok = std::string(64, '[') + std::string(64, ']');
    yaml::parse(deep_ok);
    const std::string too_deep = std::string(65, '[') + std::string(65, ']');
    assert_string_equal(EXPECT_ERROR(Status::config, yaml::parse(too_deep)).c_str(),
                        "yaml parse: line 1:65: nesting deeper than 64 levels");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_keys_in_document_order),
        cmocka_unit_test(test_root_members_are_labelled_by_key),
        cmocka_unit_test(test_unknown_key_fails_after_the_keys_before_it),
        cmocka_unit_test(test_not_a_mapping_fails),
        cmocka_unit_test(test_null_is_an_absent_mapping),
        cmocka_unit_test(test_merge_keys_reach_the_table),
        cmocka_unit_test(test_entries_of_a_mapping_of_names),
        cmocka_unit_test(test_duplicate_key_is_refused_by_the_tree),
        cmocka_unit_test(test_nesting_is_bounded),
    };
    return cmocka_run_group_tests_name("core yaml_decode", tests, nullptr, nullptr);
}
