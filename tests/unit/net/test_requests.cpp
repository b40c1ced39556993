// Request building without a server: escaping, query strings, the event
// stream targets of a reconnect, staging headers and probe interpretation,
// the dispatch body, and the token each scope presents.
#include <string>

#include "client/client.hpp"
#include "client/job.hpp"
#include "config/config.hpp"
#include "net/event_stream.hpp"
#include "net/staging_upload.hpp"
#include "net/url.hpp"
#include "core/support.hpp"

using letts::Status;

namespace {

const char* const yaml =
    "auth:\n"
    "  token: \"${T_DISPATCH}\"\n"
    "  admin_token: \"${T_ADMIN}\"\n"
    "dugdales:\n"
    "  - id: s1\n"
    "    host: 127.0.0.1\n"
    "    port: 1\n"
    "    lanes: {normal: {concurrency: 1}}\n";

letts::config::EnvLookup fake_env() {
    return [](const std::string& name) -> std::optional<std::string> {
        if (name == "T_DISPATCH") return "dispatch-secret-1";
        if (name == "T_ADMIN") return "admin-secret-2";
        return std::nullopt;
    };
}

letts::client::Client make_client(int attempts = 1) {
    letts::client::ClientOptions options;
    options.retry.attempts = attempts;
    options.retry.backoff_ms = {0};
    options.connect_timeout_ms = 2000;
    return letts::client::Client(letts::config::load_string(yaml, "test.yaml"), options, fake_env());
}

}  // namespace

static void test_escape_and_query(void**) {
    assert_string_equal(letts::net::escape("a/b c?d&e=f%").c_str(), "a%2Fb%20c%3Fd%26e%3Df%25");
    assert_string_equal(letts::net::escape("AZaz09-._~").c_str(), "AZaz09-._~");
    assert_string_equal(letts::net::query_string({}).c_str(), "");
    assert_string_equal(letts::net::query_string({{"status", "done"}, {"cursor", "a+b/="}}).c_str(),
                        "?status=done&cursor=a%2Bb%2F%3D");
}

static void test_events_targets(void**) {
    assert_string_equal(letts::net::events_target("id/1", true, std::nullopt).c_str(),
                        "/v1/missions/id%2F1/events?follow=true");
    assert_string_equal(letts::net::events_target("x", true, 0).c_str(),
                        "/v1/missions/x/events?follow=true&from=0");
    assert_string_equal(letts::net::events_target("x", false, 17).c_str(),
                        "/v1/missions/x/events?from=17");
}

static void test_reconnect_pauses(void**) {
    assert_int_equal(letts::net::reconnect_pause(0).count(), 100);  // after a productive connection
    assert_int_equal(letts::net::reconnect_pause(1).count(), 100);
    assert_int_equal(letts::net::reconnect_pause(2).count(), 500);
    assert_int_equal(letts::net::reconnect_pause(3).count(), 2000);
    // A schedule of the client's (reconnect_backoff): its last entry repeats.
    const std::int64_t schedule[] = {7, 40};
    assert_int_equal(letts::net::reconnect_pause(0, schedule).count(), 7);
    assert_int_equal(letts::net::reconnect_pause(1, schedule).count(), 7);
    assert_int_equal(letts::net::reconnect_pause(2, schedule).count(), 40);
    assert_int_equal(letts::net::reconnect_pause(3, schedule).count(), 40);
    const std::int64_t none[] = {0};
    assert_int_equal(letts::net::reconnect_pause(3, none).count(), 0);
}

static void test_content_range(void**) {
    assert_string_equal(letts::net::content_range_header(0, 100).c_str(), "");
    assert_string_equal(letts::net::content_range_header(60, 100).c_str(),
                        "Content-Range: bytes 60-99/100");
}

static void test_probe_interpretation(void**) {
    const letts::net::Endpoint endpoint{"s1", "http://x", "", std::nullopt};
    letts::net::Response response;
    response.status = 404;
    assert_true(letts::net::interpret_probe(response, endpoint).state ==
                letts::net::StagingProbe::State::not_found);
    response.status = 200;
    response.headers = {{"x-letts-upload-status", "incomplete"},
                        {"x-letts-bytes-received", "60"},
                        {"x-letts-total-size", "100"},
                        {"x-letts-sha256", "ab"}};
    const auto incomplete = letts::net::interpret_probe(response, endpoint);
    assert_true(incomplete.state == letts::net::StagingProbe::State::incomplete);
    assert_int_equal(incomplete.bytes_received, 60);
    assert_int_equal(incomplete.total_size, 100);
    response.headers = {{"x-letts-upload-status", "complete"}, {"content-length", "100"}};
    assert_true(letts::net::interpret_probe(response, endpoint).state ==
                letts::net::StagingProbe::State::complete);
    response.headers = {{"x-letts-upload-status", "committing"}};
    assert_true(letts::net::interpret_probe(response, endpoint).state ==
                letts::net::StagingProbe::State::other);
    response.status = 401;
    EXPECT_ERROR(Status::auth, letts::net::interpret_probe(response, endpoint));
    response.status = 500;
    EXPECT_ERROR(Status::dispatch, letts::net::interpret_probe(response, endpoint));
}

static void test_dispatch_body(void**) {
    letts::client::Job job;
    job.mission = "report";
    const std::string plain = letts::client::dispatch_body(job, "id-1", "normal", {});
    assert_string_equal(plain.c_str(),
                        R"({"mission_id":"id-1","mission":"report","lane":"normal","input":{},"files":[]})");
    job.input_json = R"({"n":1})";
    job.timeout = "30s";
    const std::string full =
        letts::client::dispatch_body(job, "id-2", "bulk", {{"data", "st-1"}, {"cfg", "st-2"}});
    assert_string_equal(full.c_str(),
                        R"({"mission_id":"id-2","mission":"report","lane":"bulk","input":{"n":1},)"
                        R"("files":[{"role":"data","staging_id":"st-1"},{"role":"cfg","staging_id":"st-2"}],"timeout":"30s"})");
    job.input_json = "[1]";
    EXPECT_ERROR(Status::invalid_argument, letts::client::dispatch_body(job, "id", "l", {}));
}

// POST /v1/exec/dispatch: the Go client's keys, empty optional ones left
// out, stdin always "single" with its staging id (http-api.md §5.6).
static void test_exec_body(void**) {
    letts::client::ExecSpec spec;
    spec.lane = "default";
    spec.command = {"echo", "a b"};
    assert_string_equal(letts::client::exec_body(spec, {}).c_str(),
                        R"({"lane":"default","command":["echo","a b"]})");
    spec.out = {"o1", "o2"};
    spec.timeout = "1500ms";
    spec.group_id = "g";
    spec.display_name = "shown";
    letts::client::ExecStaged staged;
    staged.script = "st-s";
    staged.in = {{"k1", "st-1"}};
    staged.stdin_id = "st-in";
    assert_string_equal(letts::client::exec_body(spec, staged).c_str(),
                        R"({"lane":"default","command":["echo","a b"],"script":{"staging_id":"st-s"},)"
                        R"("in":[{"key":"k1","staging_id":"st-1"}],"out":[{"key":"o1"},{"key":"o2"}],)"
                        R"("stdin":"single","stdin_staging_id":"st-in","timeout":"1500ms","group_id":"g",)"
                        R"("display_name":"shown"})");
    spec.exec_id = "not-a-uuid";
    EXPECT_ERROR(Status::invalid_argument, letts::client::check_exec_spec(spec));
    spec.exec_id.clear();
    spec.command.clear();
    EXPECT_ERROR(Status::invalid_argument, letts::client::check_exec_spec(spec));
}

namespace letts::client {
// The endpoint resolution is private plumbing of the client; this test
// reaches it through the one friend the class grants.
struct ClientTestAccess {
    static net::Endpoint endpoint(const Client& client, std::string_view id, config::Scope scope) {
        return client.endpoint(id, scope);
    }
    static net::Endpoint anonymous(const Client& client, std::string_view id) {
        return client.anonymous_endpoint(id);
    }
};
}  // namespace letts::client

static void test_scope_selects_the_token(void**) {
    const auto client = make_client();
    using letts::config::Scope;
    using Access = letts::client::ClientTestAccess;
    assert_string_equal(Access::endpoint(client, "s1", Scope::dispatch).token.c_str(), "dispatch-secret-1");
    assert_string_equal(Access::endpoint(client, "s1", Scope::admin).token.c_str(), "admin-secret-2");
    assert_string_equal(Access::endpoint(client, "s1", Scope::dispatch).base_url.c_str(), "http://127.0.0.1:1");
    assert_true(Access::anonymous(client, "s1").token.empty());
}

static void test_host_required_for_host_operations(void**) {
    const auto client = make_client();
    const std::string kill = EXPECT_ERROR(Status::bad_request, client.kill("", "x", "TERM"));
    assert_string_equal(kill.c_str(), "host is required for kill");
    const std::string restart = EXPECT_ERROR(Status::bad_request, client.restart("", "x"));
    assert_string_equal(restart.c_str(), "host is required for restart");
    const std::string remove = EXPECT_ERROR(Status::bad_request, client.remove("", "x", false));
    assert_string_equal(remove.c_str(), "host is required for delete");
    const std::string list = EXPECT_ERROR(Status::bad_request, client.list_missions("", {}));
    assert_string_equal(list.c_str(), "host is required for listMissions");
}

static void test_network_message_names_dugdale_and_operation_never_token(void**) {
    // Port 1 on loopback refuses connections: a real transport failure.
    const auto client = make_client(2);
    letts::client::Job job;
    job.mission = "m";
    job.target.host = "s1";
    job.target.lane = "normal";
    const std::string message = EXPECT_ERROR(Status::network, client.dispatch(job));
    assert_true(core_test::contains(message, "[s1] dispatch: "));
    assert_false(core_test::contains(message, "secret"));
    const std::string admin = EXPECT_ERROR(Status::network, client.list_missions("s1", {}));
    assert_true(core_test::contains(admin, "[s1] list missions: "));
    assert_false(core_test::contains(admin, "secret"));
}

static void test_addressing_errors_before_network(void**) {
    const auto client = make_client();
    letts::client::Job job;
    job.mission = "m";
    job.target.host = "s1";
    const std::string no_lane = EXPECT_ERROR(Status::bad_request, client.dispatch(job));
    assert_string_equal(no_lane.c_str(), "lane is required when route is not used");
    job.target.route = "r";
    EXPECT_ERROR(Status::bad_request, client.dispatch(job));
    // runParallel applies no default filter: a lane-only job fails on its own.
    letts::client::Job lane_only;
    lane_only.mission = "m";
    lane_only.target.lane = "normal";
    const auto results = client.run_parallel({lane_only}, {});
    assert_int_equal(results.size(), 1);
    assert_true(results[0].error.has_value());
    assert_string_equal(results[0].error->kind.c_str(), "bad_request");
    assert_string_equal(results[0].error->message.c_str(),
                        "must specify exactly one of: route, host, match");
}

static void test_run_on_all_needs_lane_and_filter(void**) {
    const auto client = make_client();
    letts::client::Job job;
    job.mission = "m";
    const std::string lane = EXPECT_ERROR(Status::bad_request, client.run_on_all(job, {}));
    assert_string_equal(lane.c_str(), "lane is required for runOnAll");
    job.target.lane = "normal";
    const std::string filter = EXPECT_ERROR(Status::no_matching_dugdale, client.run_on_all(job, {}));
    assert_string_equal(filter.c_str(),
                        "runOnAll needs a label filter: pass match: [...] or set selector.match in letts.yaml");
    job.target.match = {"gpu"};
    const std::string none = EXPECT_ERROR(Status::no_matching_dugdale, client.run_on_all(job, {}));
    assert_string_equal(none.c_str(), "runOnAll: no dugdale matches labels: gpu (lane: normal)");
}

static void test_download_output_key_checks(void**) {
    const auto client = make_client();
    letts::client::RunResult result;
    result.host = "s1";
    const std::string none = EXPECT_ERROR(Status::bad_request, client.download_output(result, "x"));
    assert_string_equal(none.c_str(), "no output file with key \"x\"");
    result.outputs.push_back({"a", {"", "", 0}});
    result.outputs.push_back({"b", {"st", "", 1}});
    const std::string have = EXPECT_ERROR(Status::bad_request, client.download_output(result, "x"));
    assert_string_equal(have.c_str(), "no output file with key \"x\" (have: a, b)");
    const std::string no_id = EXPECT_ERROR(Status::staging, client.download_output(result, "a"));
    assert_string_equal(no_id.c_str(), "output \"a\" has no staging id");
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_and_query),
        cmocka_unit_test(test_events_targets),
        cmocka_unit_test(test_reconnect_pauses),
        cmocka_unit_test(test_content_range),
        cmocka_unit_test(test_probe_interpretation),
        cmocka_unit_test(test_dispatch_body),
        cmocka_unit_test(test_exec_body),
        cmocka_unit_test(test_scope_selects_the_token),
        cmocka_unit_test(test_host_required_for_host_operations),
        cmocka_unit_test(test_network_message_names_dugdale_and_operation_never_token),
                cmocka_unit_test(test_addressing_errors_before_network),
        cmocka_unit_test(test_run_on_all_needs_lane_and_filter),
        cmocka_unit_test(test_download_output_key_checks),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
