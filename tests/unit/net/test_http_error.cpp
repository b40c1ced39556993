// The error mapping table of client-behavior.md §11.2 and the retry and
// launch-retryable decisions of §6.3/§6.4, row by row.
#include <string>

#include "net/http_error.hpp"
#include "core/support.hpp"

using letts::Error;
using letts::Status;
using letts::net::http_error;

namespace {

struct Row {
    int status;
    const char* body;
    Status expected;
    const char* message;  // after the "[s1] dispatch: " prefix
    bool retryable;
    bool launch_retryable;
};

void check_row(const Row& row) {
    const Error error = http_error(row.status, row.body, "s1", "dispatch");
    if (error.status() != row.expected || error.message() != std::string("[s1] dispatch: ") + row.message ||
        letts::net::is_retryable(error) != row.retryable ||
        letts::net::is_launch_retryable(error) != row.launch_retryable ||
        error.http_status() != row.status || error.dugdale_id() != "s1") {
        print_error("row HTTP %d %s: got status %d message \"%s\" retryable %d launch %d http %d\n",
                    row.status, row.body, static_cast<int>(error.status()), error.message().c_str(),
                    letts::net::is_retryable(error), letts::net::is_launch_retryable(error),
                    error.http_status());
        fail();
    }
}

}  // namespace

static void test_mapping_table(void**) {
    const Row rows[] = {
        {400, R"({"error":"invalid_id","message":"bad id"})", Status::bad_request, "bad id", false, false},
        {400, "", Status::bad_request, "bad request", false, false},
        {401, R"({"error":"unauthorized"})", Status::auth, "unauthorized", false, false},
        {403, R"({"error":"forbidden_kind","message":"no"})", Status::auth, "no", false, false},
        {409, R"({"error":"conflict","message":"fingerprint differs"})", Status::conflict, "fingerprint differs", false, false},
        {409, "{}", Status::conflict, "conflict", false, false},
        {503, R"({"error":"queue_full","message":"lane full"})", Status::backpressure, "queue_full: lane full", false, false},
        {503, R"({"error":"disk_quota_exceeded","message":"disk"})", Status::backpressure, "disk_quota_exceeded: disk", false, false},
        {503, R"({"error":"disk_quota","message":"d"})", Status::backpressure, "disk_quota: d", false, false},
        // Deliberate refusals: not back-pressure, not retried, still
        // launch-retryable by the PHP classification (5xx).
        {503, R"({"error":"draining","message":"bye"})", Status::dispatch, "HTTP 503: bye", false, true},
        {503, R"({"error":"lane_removing","message":"x"})", Status::dispatch, "HTTP 503: x", false, true},
        {503, R"({"error":"no_lanes_configured","message":"x"})", Status::dispatch, "HTTP 503: x", false, true},
        {503, R"({"error":"awaiting_apply","message":"x"})", Status::dispatch, "HTTP 503: x", true, true},
        {500, R"({"error":"db_error","message":"oops"})", Status::dispatch, "HTTP 500: oops", true, true},
        {502, "Bad Gateway", Status::dispatch, "HTTP 502: Bad Gateway", true, true},
        {504, "", Status::dispatch, "HTTP 504: ", true, true},
        {404, R"({"error":"not_found","message":"no such mission"})", Status::dispatch, "HTTP 404: no such mission", false, false},
        {408, R"({"error":"upload_idle_timeout"})", Status::dispatch, "HTTP 408: ", false, false},
        {410, R"({"error":"mission_deleting","message":"gone"})", Status::dispatch, "HTTP 410: gone", false, false},
        {412, R"({"error":"no_lanes_configured","message":"x"})", Status::dispatch, "HTTP 412: x", false, false},
        {413, "{}", Status::dispatch, "HTTP 413: ", false, false},
        {416, "{}", Status::dispatch, "HTTP 416: ", false, false},
        {429, R"({"error":"rate_limited","message":"slow down"})", Status::dispatch, "HTTP 429: slow down", false, false},
    };
    for (const Row& row : rows) check_row(row);
}

static void test_envelope_code_and_details_are_carried(void**) {
    const Error error = http_error(
        409, R"({"error":"content_mismatch","message":"m","details":{"expected":"ab"}})", "web-1",
        "staging upload");
    assert_string_equal(error.error_code().c_str(), "content_mismatch");
    assert_string_equal(error.details_json().c_str(), R"({"expected":"ab"})");
    assert_string_equal(error.message().c_str(), "[web-1] staging upload: m");
}

static void test_json_non_object_body_is_text(void**) {
    const Error error = http_error(500, "[1,2]", "s1", "get mission");
    assert_string_equal(error.message().c_str(), "[s1] get mission: HTTP 500: [1,2]");
    assert_true(error.error_code().empty());
}

static void test_network_errors(void**) {
    const Error error = letts::net::network_error("Connection refused", "s2", "dispatch");
    assert_int_equal(static_cast<int>(error.status()), static_cast<int>(Status::network));
    assert_string_equal(error.message().c_str(), "[s2] dispatch: Connection refused");
    assert_string_equal(error.dugdale_id().c_str(), "s2");
    assert_int_equal(error.http_status(), 0);
    assert_true(letts::net::is_retryable(error));
    assert_true(letts::net::is_launch_retryable(error));
}

static void test_local_errors_are_not_retried(void**) {
    for (const Status status : {Status::staging, Status::config, Status::missing_env,
                                Status::no_matching_dugdale, Status::bad_request}) {
        const Error error(status, "x");
        assert_false(letts::net::is_retryable(error));
        assert_false(letts::net::is_launch_retryable(error));
    }
    // A dispatch error without an HTTP status (e.g. invalid JSON answer) is
    // launch-retryable (§6.3) but never repeated by the retry loop.
    const Error no_status(Status::dispatch, "x");
    assert_false(letts::net::is_retryable(no_status));
    assert_true(letts::net::is_launch_retryable(no_status));
}

// An envelope cut at the transport's error-body cap (issue 11) is not JSON
// any more; its leading members still give the code and the message.
static void test_cut_envelope_keeps_its_leading_members(void**) {
    const std::string whole =
        "{\"error\":\"queue_full\",\"message\":\"lane \\\"a\\\" full\",\"details\":{\"pad\":\"" +
        std::string(200, 'p') + "\"}}";
    for (std::size_t cut = whole.find("\"details\""); cut < whole.size(); cut += 7) {
        const Error error = http_error(503, whole.substr(0, cut), "s1", "dispatch");
        assert_int_equal(static_cast<int>(error.status()), static_cast<int>(Status::backpressure));
        assert_string_equal(error.error_code().c_str(), "queue_full");
        assert_string_equal(error.message().c_str(), "[s1] dispatch: queue_full: lane \"a\" full");
        assert_true(error.details_json().empty());
    }
    // Cut inside the message: the code survives alone.
    const Error code_only = http_error(500, whole.substr(0, whole.find("lane")), "s1", "dispatch");
    assert_string_equal(code_only.error_code().c_str(), "queue_full");
    // Members before the code (a number, an array, an object) are skipped.
    const Error later = http_error(
        500, "{\"n\":1,\"a\":[1,{\"x\":\"]\"}],\"o\":{\"k\":[]},\"error\":\"internal\",\"message\":\"m\",\"det",
        "s1", "dispatch");
    assert_string_equal(later.error_code().c_str(), "internal");
    assert_string_equal(later.message().c_str(), "[s1] dispatch: HTTP 500: m");
    // A cut text that never was an envelope stays text.
    const Error text = http_error(502, "{not json", "s1", "dispatch");
    assert_string_equal(text.message().c_str(), "[s1] dispatch: HTTP 502: {not json");
    assert_true(text.error_code().empty());
}

static void test_unexpected_status_names_it(void**) {
    const Error error = letts::net::unexpected_status(307, "202 or 200", "s1", "dispatch");
    assert_int_equal(static_cast<int>(error.status()), static_cast<int>(Status::dispatch));
    assert_int_equal(error.http_status(), 307);
    assert_string_equal(error.message().c_str(), "[s1] dispatch: unexpected HTTP 307 (expected 202 or 200)");
    assert_false(letts::net::is_retryable(error));
    assert_false(letts::net::is_launch_retryable(error));
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_envelope_keeps_its_leading_members),
        cmocka_unit_test(test_unexpected_status_names_it),
        cmocka_unit_test(test_mapping_table),
        cmocka_unit_test(test_envelope_code_and_details_are_carried),
        cmocka_unit_test(test_json_non_object_body_is_text),
        cmocka_unit_test(test_network_errors),
        cmocka_unit_test(test_local_errors_are_not_retried),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
