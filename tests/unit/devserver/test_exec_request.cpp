// devserver/exec_request: the exec dispatch body as the daemon reads it —
// Go's decoding (case-insensitive keys, null as empty), the shell -c guard,
// the stored `input` and the fingerprint's equal/not-equal decisions
// (http-api.md §5.6, §11.4). The HTTP-level errors are in
// tests/integration/devserver/test_exec.c.
#include <string>
#include <vector>

#include "devserver/exec_request.hpp"
// Last: cmocka's macros break standard headers included after it.
#include "../core/support.hpp"

namespace ds = letts::devserver;

namespace {

const std::string kSid = "01900000-0000-7000-8000-000000000001";
const std::string kSid2 = "01900000-0000-7000-8000-000000000002";

// The request `body` decodes to, or the error code it is refused with.
std::string refusal(const std::string& body, bool allow_shell = false) {
    ds::ExecConfig config;
    config.allow_shell = allow_shell;
    ds::ExecRequest r;
    auto err = ds::parse_exec_request(body, config, r);
    if (!err) return "";
    const auto at = err->body.find("\"error\":\"");
    return err->body.substr(at + 9, err->body.find('"', at + 9) - at - 9);
}

ds::ExecRequest parse(const std::string& body) {
    ds::ExecRequest r;
    auto err = ds::parse_exec_request(body, ds::ExecConfig{}, r);
    if (err) print_error("refused: %s\n", err->body.c_str());
    assert_false(err.has_value());
    return r;
}

std::string command_body(const std::string& argv) { return "{\"lane\":\"l\",\"command\":" + argv + "}"; }

void test_shell_form_guard(void**) {
    const char* refused[] = {"[\"bash\",\"-c\",\"x\"]", "[\"/usr/bin/zsh\",\"-lc\",\"x\"]",
                             "[\"sh\",\"--command\",\"x\"]", "[\"dash\",\"-e\",\"x\",\"-c\"]", "[\"ash\",\"-xec\",\"x\"]"};
    for (const char* argv : refused) assert_string_equal(refusal(command_body(argv)).c_str(), "shell_form_disabled");
    const char* allowed[] = {"[\"sh\",\"script/script\"]", "[\"python3\",\"-c\",\"x\"]", "[\"sh\",\"--cx\"]",
                             "[\"bash\",\"-e\",\"run.sh\"]", "[\"shell\",\"-c\",\"x\"]"};
    for (const char* argv : allowed) assert_string_equal(refusal(command_body(argv)).c_str(), "");
    assert_string_equal(refusal(command_body("[\"bash\",\"-c\",\"x\"]"), true).c_str(), "");
}

void test_go_decoding(void**) {
    // Keys match case-insensitively; null keeps the zero value.
    const auto r = parse("{\"LANE\":\"l\",\"Command\":[\"echo\",null],\"stdin\":null,\"out\":[{\"key\":\"o\"}]}");
    assert_string_equal(r.lane.c_str(), "l");
    assert_int_equal(r.command.size(), 2);
    assert_string_equal(r.command[1].c_str(), "");
    assert_string_equal(r.out.at(0).c_str(), "o");
    assert_string_equal(refusal("{\"lane\":\"l\",\"command\":[1]}").c_str(), "bad_request");
    assert_string_equal(refusal("{\"lane\":\"l\",\"command\":[\"x\"],\"in\":{}}").c_str(), "bad_request");
    assert_string_equal(refusal("{\"lane\":\"l\",\"command\":[\"x\"],\"script\":\"s\"}").c_str(), "bad_request");
    assert_string_equal(refusal("{\"lane\":\"l\",\"command\":[\"x\"]").c_str(), "bad_request");
}

void test_stored_input_omits_empty_optionals(void**) {
    assert_string_equal(ds::exec_stored_input(parse(command_body("[\"true\"]"))).c_str(),
                        "{\"lane\":\"l\",\"command\":[\"true\"]}");
    const auto full = parse("{\"display_name\":\"d\",\"lane\":\"l\",\"command\":[\"a\\n\"],\"script\":{\"staging_id\":\"" +
                            kSid + "\"},\"in\":[{\"key\":\"k\",\"staging_id\":\"" + kSid2 +
                            "\"}],\"out\":[{\"key\":\"o\"}],\"stdin\":\"single\",\"stdin_staging_id\":\"" + kSid +
                            "\",\"timeout\":\"1s\"}");
    assert_string_equal(ds::exec_stored_input(full).c_str(),
                        ("{\"lane\":\"l\",\"command\":[\"a\\n\"],\"script\":{\"staging_id\":\"" + kSid +
                         "\"},\"in\":[{\"key\":\"k\",\"staging_id\":\"" + kSid2 +
                         "\"}],\"out\":[{\"key\":\"o\"}],\"stdin\":\"single\",\"stdin_staging_id\":\"" + kSid +
                         "\",\"timeout\":\"1s\",\"display_name\":\"d\"}")
                            .c_str());
}

std::string fingerprint(const std::string& body, const std::string& script_sha = {}) {
    const auto r = parse(body);
    std::vector<ds::InputRef> in;
    for (const auto& e : r.in) in.push_back(ds::InputRef{e.key, e.staging_id, "ab", 2});
    return ds::exec_fingerprint(r, in, script_sha);
}

void test_fingerprint_decisions(void**) {
    const std::string in2 = "[{\"key\":\"a\",\"staging_id\":\"" + kSid + "\"},{\"key\":\"b\",\"staging_id\":\"" +
                            kSid2 + "\"}]";
    const std::string in2_swapped = "[{\"key\":\"b\",\"staging_id\":\"" + kSid2 +
                                    "\"},{\"key\":\"a\",\"staging_id\":\"" + kSid + "\"}]";
    const std::string base = fingerprint("{\"lane\":\"l\",\"command\":[\"x\",\"y\"],\"timeout\":\"60s\",\"in\":" + in2 +
                                         ",\"out\":[{\"key\":\"p\"},{\"key\":\"q\"}]}");
    assert_int_equal(base.size(), 64);
    // Equal: other timeout spelling, other order of in/out, group and display name, stdin "" = none.
    assert_string_equal(fingerprint("{\"lane\":\"l\",\"command\":[\"x\",\"y\"],\"timeout\":\"1m\",\"in\":" +
                                    in2_swapped + ",\"out\":[{\"key\":\"q\"},{\"key\":\"p\"}],\"stdin\":\"none\","
                                    "\"display_name\":\"n\",\"group_id\":\"" + kSid + "\"}")
                            .c_str(),
                        base.c_str());
    // Not equal: argv order, lane, timeout, an out key, a script.
    const std::string others[] = {
        fingerprint("{\"lane\":\"l\",\"command\":[\"y\",\"x\"],\"timeout\":\"60s\",\"in\":" + in2 +
                    ",\"out\":[{\"key\":\"p\"},{\"key\":\"q\"}]}"),
        fingerprint("{\"lane\":\"m\",\"command\":[\"x\",\"y\"],\"timeout\":\"60s\",\"in\":" + in2 +
                    ",\"out\":[{\"key\":\"p\"},{\"key\":\"q\"}]}"),
        fingerprint("{\"lane\":\"l\",\"command\":[\"x\",\"y\"],\"in\":" + in2 + ",\"out\":[{\"key\":\"p\"},{\"key\":\"q\"}]}"),
        fingerprint("{\"lane\":\"l\",\"command\":[\"x\",\"y\"],\"timeout\":\"60s\",\"in\":" + in2 +
                    ",\"out\":[{\"key\":\"p\"}]}"),
        fingerprint("{\"lane\":\"l\",\"command\":[\"x\",\"y\"],\"timeout\":\"60s\",\"in\":" + in2 +
                    ",\"out\":[{\"key\":\"p\"},{\"key\":\"q\"}],\"script\":{\"staging_id\":\"" + kSid + "\"}}",
                    "cd"),
    };
    for (const auto& other : others) assert_string_not_equal(other.c_str(), base.c_str());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shell_form_guard),
        cmocka_unit_test(test_go_decoding),
        cmocka_unit_test(test_stored_input_omits_empty_optionals),
        cmocka_unit_test(test_fingerprint_decisions),
    };
    return cmocka_run_group_tests_name("devserver exec_request", tests, nullptr, nullptr);
}
