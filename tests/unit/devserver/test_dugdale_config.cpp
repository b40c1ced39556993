// devserver/dugdale_config: dugdale.yaml decodes through core's yaml::Fields
// with the daemon's wording. Each refusal is checked with its exact message
// (the Go decoder's "unmarshal errors" with the line, or the size/duration
// text), and sizes whose sum overflows int64 wrap as Go's ints do instead of
// being undefined behaviour (the sanitizer build runs this test too).
#include <string>

#include "../core/support.hpp"
#include "devserver/dugdale_config.hpp"

namespace ds = letts::devserver;
using letts::Status;

namespace {

constexpr const char* unmarshal = "parse dugdale config: yaml: unmarshal errors:\n  ";

struct Refusal {
    const char* yaml;
    std::string message;
};

void test_refusals_carry_the_daemon_wording(void**) {
    const Refusal cases[] = {
        {"listen: 127.0.0.1:1\ndata_dir: /d\nmystery: 1\n",
         std::string(unmarshal) + "line 3: field mystery not found in type config.DugdaleConfig"},
        {"listen: 127.0.0.1:1\nlimits:\n  max_queue_total: 3\n  max_queues: 4\n",
         std::string(unmarshal) + "line 4: field max_queues not found in type config.LimitsConfig"},
        {"log:\n  <<: {level: debug, colour: red}\n",
         std::string(unmarshal) + "line 2: field colour not found in type config.LogConfig"},
        {"network:\n  behind_tls_proxy: maybe\n",
         std::string(unmarshal) + "line 2: cannot unmarshal !!str `maybe` into bool"},
        {"auth:\n  tokens: {a: b}\n",
         std::string(unmarshal) + "line 2: cannot unmarshal !!map into []string"},
        {"exec: [1]\n",
         std::string(unmarshal) + "line 1: cannot unmarshal !!seq into config.ExecConfig"},
        {"limits: {max_queue_total: \"3\"}\n",
         std::string(unmarshal) + "line 1: cannot unmarshal !!str `3` into int"},
        {"mission_env:\n  set: [a]\n",
         std::string(unmarshal) + "line 2: cannot unmarshal !!seq into map[string]string"},
        {"limits: {max_output_buffer: 2 MB}\n", "invalid byte size \"2 MB\""},
        {"cleanup: {success_ttl: -1s}\n", "invalid duration \"-1s\""},
        {"listen: a\nlisten: b\n", "<t>: root: duplicate key: listen (line 2:1)"},
    };
    for (const Refusal& c : cases) {
        const std::string message =
            EXPECT_ERROR(Status::config, ds::parse_dugdale_config(c.yaml, "<t>"));
        if (message != c.message) print_error("for %s", c.yaml);
        assert_string_equal(message.c_str(), c.message.c_str());
    }
}

void test_known_keys_decode(void**) {
    const ds::DugdaleConfig c = ds::parse_dugdale_config(
        "listen: 127.0.0.1:1\ndata_dir: /d\nnetwork: {behind_tls_proxy: yes}\n"
        "limits: {max_output_buffer: 2MiB, max_queue_total: 0x10, cache_size: 0}\n"
        "mission_env: {set: {A: 1}}\nlog: {level: ~}\n",
        "<t>");
    assert_true(c.network.behind_tls_proxy);
    assert_int_equal(c.limits.max_output_buffer, 2 * 1024 * 1024);
    assert_int_equal(c.limits.max_queue_total, 16);
    assert_int_equal(c.limits.cache_size, -16000);
    assert_string_equal(c.mission_env.set.at("A").c_str(), "1");
    assert_string_equal(c.log.level.c_str(), "info");
}

// max_return_value_size + envelope wraps negative, as in Go, so only the
// failed-event check (which does not overflow here) refuses.
void test_size_sums_wrap_like_go(void**) {
    const std::string message = EXPECT_ERROR(
        Status::config,
        ds::parse_dugdale_config("listen: 127.0.0.1:1\ndata_dir: /d\n"
                                 "limits: {max_return_value_size: \"9223372036854775807\","
                                 " max_event_line_size: 1KiB}\n",
                                 "<t>"));
    assert_string_equal(message.c_str(),
                        "refuse to start: max_fail_message_size (65536) + max_fail_details_size "
                        "(262144) + done-event envelope (65536) exceeds max_event_line_size "
                        "(1024); a failed done event could not be written");
    ds::parse_dugdale_config(
        "listen: 127.0.0.1:1\ndata_dir: /d\n"
        "limits: {max_fail_message_size: \"9223372036854775807\","
        " max_fail_details_size: 1GiB, max_event_line_size: 8GiB}\n",
        "<t>");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals_carry_the_daemon_wording),
        cmocka_unit_test(test_known_keys_decode),
        cmocka_unit_test(test_size_sums_wrap_like_go),
    };
    return cmocka_run_group_tests_name("devserver dugdale_config", tests, nullptr, nullptr);
}
