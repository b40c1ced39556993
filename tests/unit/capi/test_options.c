/*
 * Option objects of the public API: defaults accepted, every invalid value
 * refused (never clamped) with a message that names the setter and the
 * value, durations in milliseconds, NULL handling, and the destructors
 * accepting NULL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <letts/letts.h>

/* `err` is read only after the call returned: the call is evaluated first. */
#define EXPECT_REFUSAL(call, expected, message) \
    do {                                        \
        letts_status status_ = (call);          \
        check_refusal(status_, err, (expected), (message)); \
        err = NULL;                             \
    } while (0)

static void check_refusal(letts_status status, letts_error *err, letts_status expected,
                          const char *message) {
    assert_int_equal(status, expected);
    assert_non_null(err);
    assert_int_equal(letts_error_status(err), expected);
    assert_string_equal(letts_error_message(err), message);
    letts_error_free(err);
}

static void test_client_options_validation(void **state) {
    letts_client_options *opts = NULL;
    letts_error *err = NULL;
    int64_t negative[] = {100, -1};
    (void)state;
    assert_int_equal(letts_client_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_request_timeout_ms(opts, 5000, NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_client_options_set_request_timeout_ms(opts, 10, &err), LETTS_ERR_INVALID_ARGUMENT, "letts_client_options_set_request_timeout_ms: request_timeout must be at least 1000 ms, got 10");
    EXPECT_REFUSAL(letts_client_options_set_connect_timeout_ms(opts, 0, &err), LETTS_ERR_INVALID_ARGUMENT, "letts_client_options_set_connect_timeout_ms: connect_timeout must be at least 1 ms, got 0");
    EXPECT_REFUSAL(letts_client_options_set_max_connections_per_host(opts, 0, &err), LETTS_ERR_INVALID_ARGUMENT, "letts_client_options_set_max_connections_per_host: max_connections_per_host must be at least 1, got 0");
    EXPECT_REFUSAL(letts_client_options_set_retry_backoff(opts, negative, 2, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_retry_backoff: retry_backoff must be a list of non-negative milliseconds, got -1");
    EXPECT_REFUSAL(letts_client_options_set_retry_backoff(opts, NULL, 2, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_retry_backoff: ms is NULL but count is 2");
    EXPECT_REFUSAL(letts_client_options_set_user_agent(opts, "a\r\nX-Evil: 1", &err), LETTS_ERR_INVALID_ARGUMENT, "letts_client_options_set_user_agent: user_agent must not contain a line break");
    assert_int_equal(letts_client_options_set_retry_backoff(opts, negative, 1, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_retry_backoff(opts, NULL, 0, NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_client_options_set_retry_attempts(opts, 0, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_retry_attempts: retry_attempts must be at least 1, got 0");
    EXPECT_REFUSAL(letts_client_options_set_retry_attempts(opts, -5, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_retry_attempts: retry_attempts must be at least 1, got -5");
    assert_int_equal(letts_client_options_set_retry_attempts(opts, 1, NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_client_options_set_max_response_bytes(opts, 1023, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_max_response_bytes: max_response_bytes must be at least 1024 bytes, got 1023");
    EXPECT_REFUSAL(letts_client_options_set_max_event_line_bytes(opts, 0, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_max_event_line_bytes: max_event_line_bytes must be at least 1024 bytes, got 0");
    EXPECT_REFUSAL(letts_client_options_set_retry_attempts(NULL, 3, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_retry_attempts: opts is NULL");
    /* Issue 17: total_timeout (0 = none) and the stream reconnect back-off. */
    assert_int_equal(letts_client_options_set_total_timeout_ms(opts, 0, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_total_timeout_ms(opts, 1, NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_client_options_set_total_timeout_ms(opts, -1, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_total_timeout_ms: total_timeout must be 0 (none) or a positive number of ms, got -1");
    EXPECT_REFUSAL(letts_client_options_set_total_timeout_ms(NULL, 1, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_total_timeout_ms: opts is NULL");
    EXPECT_REFUSAL(letts_client_options_set_reconnect_backoff(opts, negative, 2, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_reconnect_backoff: reconnect_backoff must be a list of non-negative milliseconds, got -1");
    EXPECT_REFUSAL(letts_client_options_set_reconnect_backoff(opts, NULL, 2, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_reconnect_backoff: ms is NULL but count is 2");
    EXPECT_REFUSAL(letts_client_options_set_reconnect_backoff(NULL, negative, 1, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_client_options_set_reconnect_backoff: opts is NULL");
    assert_int_equal(letts_client_options_set_reconnect_backoff(opts, negative, 1, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_reconnect_backoff(opts, NULL, 0, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_ignore_proxy(opts, 1, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_stream_fresh_connection(opts, 1, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_user_agent(opts, "my-app/1", NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_request_timeout_ms(NULL, 5000, NULL),
                     LETTS_ERR_INVALID_ARGUMENT);
    letts_client_options_free(opts);
}

static void test_run_options_validation(void **state) {
    letts_run_options *opts = NULL;
    letts_error *err = NULL;
    (void)state;
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_wait_timeout_ms(opts, 250, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_wait_timeout_ms(opts, INT64_MAX, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_wait_timeout_ms(opts, 0, NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_run_options_set_wait_timeout_ms(opts, -1, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_run_options_set_wait_timeout_ms: ms must not be negative, got -1");
    EXPECT_REFUSAL(letts_run_options_set_wait_timeout_ms(NULL, 5, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_run_options_set_wait_timeout_ms: opts is NULL");
    assert_int_equal(letts_run_options_set_failure_as_error(opts, 0, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_fetch_logs(opts, 1, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_outputs_folder(opts, "/tmp/x", NULL), LETTS_OK);
    letts_run_options_free(opts);
}

static void test_job_validation(void **state) {
    letts_job *job = NULL;
    letts_error *err = NULL;
    (void)state;
    EXPECT_REFUSAL(letts_job_new(&job, "", &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_job_new: mission is NULL or empty");
    assert_null(job);
    assert_int_equal(letts_job_new(&job, "report", NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_job_set_input_json(job, "[1]", &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_job_set_input_json: input must be a JSON object");
    assert_int_equal(letts_job_set_input_json(job, "{\"a\":1}", NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_job_add_file(job, "data", "", &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_job_add_file: path is NULL or empty");
    assert_int_equal(letts_job_add_file(job, "data", "/tmp/a", NULL), LETTS_OK);
    assert_int_equal(letts_job_set_timeout_ms(job, 1500, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_timeout_ms(job, 0, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_timeout_ms(job, INT64_MAX / 1000000, NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_job_set_timeout_ms(job, -1, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_job_set_timeout_ms: ms must be between 0 and 9223372036854, got -1");
    EXPECT_REFUSAL(letts_job_set_timeout_ms(job, INT64_MAX / 1000000 + 1, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_job_set_timeout_ms: ms must be between 0 and 9223372036854, got 9223372036855");
    letts_job_free(job);
}

static void expect_ms(const char *text, int64_t expected) {
    int64_t ms = -42;
    letts_error *err = NULL;
    assert_int_equal(letts_duration_parse_ms(text, &ms, &err), LETTS_OK);
    assert_null(err);
    assert_true(ms == expected);
}

static void test_duration_parse_ms(void **state) {
    letts_error *err = NULL;
    int64_t ms = 7;
    (void)state;
    expect_ms("1h30m", 5400000);
    expect_ms("500ms", 500);
    expect_ms("2.5s", 2500);
    expect_ms("1.5ms", 2);  /* a fraction of a millisecond counts as a whole one */
    expect_ms("1us", 1);
    expect_ms("-1us", -1);
    expect_ms("-2m", -120000);
    expect_ms("0", 0);
    expect_ms("2562047h", INT64_C(9223369200000));
    EXPECT_REFUSAL(letts_duration_parse_ms("abc", &ms, &err), LETTS_ERR_INVALID_ARGUMENT, "invalid duration: abc");
    EXPECT_REFUSAL(letts_duration_parse_ms("1m30", &ms, &err), LETTS_ERR_INVALID_ARGUMENT, "invalid duration: 1m30");
    EXPECT_REFUSAL(letts_duration_parse_ms("", &ms, &err), LETTS_ERR_INVALID_ARGUMENT, "invalid duration: ");
    EXPECT_REFUSAL(letts_duration_parse_ms("3000000h", &ms, &err), LETTS_ERR_INVALID_ARGUMENT, "invalid duration: 3000000h");
    EXPECT_REFUSAL(letts_duration_parse_ms(" 1s", &ms, &err), LETTS_ERR_INVALID_ARGUMENT, "invalid duration:  1s");
    assert_true(ms == 7); /* untouched on failure */
    EXPECT_REFUSAL(letts_duration_parse_ms(NULL, &ms, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_duration_parse_ms: text and ms must not be NULL");
    EXPECT_REFUSAL(letts_duration_parse_ms("1s", NULL, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_duration_parse_ms: text and ms must not be NULL");
}

/* The library's UUIDv7 as handed to bindings: canonical form, version 7,
 * variant 10, never going down within the process. */
static void test_uuidv7_generate(void **state) {
    char *prev = NULL;
    letts_error *err = NULL;
    (void)state;
    for (int i = 0; i < 100; i++) {
        char *id = NULL;
        assert_int_equal(letts_uuidv7_generate(&id, &err), LETTS_OK);
        assert_null(err);
        assert_int_equal(strlen(id), 36);
        assert_int_equal(id[8], '-');
        assert_int_equal(id[13], '-');
        assert_int_equal(id[14], '7');
        assert_non_null(strchr("89ab", id[19]));
        for (const char *c = id; *c; c++) assert_non_null(strchr("0123456789abcdef-", *c));
        if (prev) assert_true(strcmp(prev, id) < 0);
        letts_free(prev);
        prev = id;
    }
    letts_free(prev);
    EXPECT_REFUSAL(letts_uuidv7_generate(NULL, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_uuidv7_generate: out is NULL");
}

static void test_list_filter_keys(void **state) {
    letts_list_filter *filter = NULL;
    letts_error *err = NULL;
    (void)state;
    assert_int_equal(letts_list_filter_new(&filter, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_status(filter, "done", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_outcome(filter, "failed", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_lane(filter, "normal", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_mission(filter, "report", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_mission_prefix(filter, "rep", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_kind(filter, "exec", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_group_id(filter, "g1", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_cursor(filter, "abc", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_cursor(filter, NULL, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_order(filter, "created", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_order(filter, "finished", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_order(filter, "", NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_list_filter_set_order(filter, "newest", &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_list_filter_set_order: order must be \"created\" or \"finished\", got \"newest\"");
    assert_int_equal(letts_list_filter_set_since_ms(filter, INT64_C(1727001000000), NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_until_ms(filter, 0, NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_list_filter_set_since_ms(filter, -1, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_list_filter_set_since_ms: since must not be negative, got -1");
    EXPECT_REFUSAL(letts_list_filter_set_until_ms(filter, -5, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_list_filter_set_until_ms: until must not be negative, got -5");
    assert_int_equal(letts_list_filter_set_limit(filter, 1000, NULL), LETTS_OK);
    EXPECT_REFUSAL(letts_list_filter_set_limit(filter, -3, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_list_filter_set_limit: limit must not be negative, got -3");
    EXPECT_REFUSAL(letts_list_filter_set_status(NULL, "done", &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_list_filter_set_status: filter is NULL");
    EXPECT_REFUSAL(letts_list_filter_set_limit(NULL, 5, &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_list_filter_set_limit: filter is NULL");
    letts_list_filter_free(filter);
}

static void test_run_result_from_json(void **state) {
    letts_error *err = NULL;
    letts_run_result *r = NULL;
    int64_t exit_code = 0;
    size_t len = 0;
    (void)state;
    assert_int_equal(
        letts_run_result_from_json(
            &r, "s1",
            "{\"mission_id\":\"m-1\",\"outcome\":\"failed\",\"fail_reason\":\"explicit\","
            "\"fail_message\":\"no\",\"fail_details\":{\"a\":1},\"exit_code\":3,"
            "\"duration_ms\":12,\"outputs\":{\"report\":{\"staging_id\":\"st\","
            "\"sha256\":\"ab\",\"size\":5}},\"logs\":{\"stdout\":\"out\","
            "\"stderr_truncated\":true}}",
            &err),
        LETTS_OK);
    assert_null(err);
    assert_string_equal(letts_run_result_host(r), "s1");
    assert_string_equal(letts_run_result_mission_id(r), "m-1");
    assert_string_equal(letts_run_result_outcome(r), "failed");
    assert_int_equal(letts_run_result_is_success(r), 0);
    assert_string_equal(letts_run_result_fail_reason(r), "explicit");
    assert_string_equal(letts_run_result_fail_details_json(r), "{\"a\":1}");
    assert_null(letts_run_result_return_json(r));
    assert_int_equal(letts_run_result_exit_code(r, &exit_code), 1);
    assert_int_equal(exit_code, 3);
    assert_int_equal(letts_run_result_duration_ms(r), 12);
    assert_int_equal(letts_run_result_output_count(r), 1);
    assert_string_equal(letts_run_result_output_role(r, 0), "report");
    assert_string_equal(letts_run_result_output_staging_id(r, 0), "st");
    assert_int_equal(letts_run_result_output_size(r, 0), 5);
    assert_string_equal(letts_run_result_stdout(r, &len), "out");
    assert_int_equal(len, 3);
    assert_int_equal(letts_run_result_stdout_truncated(r), 0);
    assert_int_equal(letts_run_result_stderr_truncated(r), 1);
    letts_run_result_free(r);

    r = (letts_run_result *)&len; /* must be reset on failure */
    EXPECT_REFUSAL(letts_run_result_from_json(&r, "s1", "[1]", &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_run_result_from_json: json must be a JSON object");
    assert_null(r);
    EXPECT_REFUSAL(letts_run_result_from_json(&r, NULL, "{}", &err), LETTS_ERR_INVALID_ARGUMENT,
                   "letts_run_result_from_json: no argument may be NULL");
}

static void test_null_handling(void **state) {
    letts_client *client = NULL;
    (void)state;
    assert_int_equal(letts_client_new(&client, NULL, NULL, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_null(client);
    {
        char *id = (char *)&client; /* must be reset */
        letts_error *err = NULL;
        EXPECT_REFUSAL(letts_client_try_dispatch(NULL, NULL, &id, &err), LETTS_ERR_INVALID_ARGUMENT,
                       "letts_client_try_dispatch: client, job and mission_id must not be NULL");
        assert_null(id);
    }
    assert_null(letts_client_config_json(NULL));
    assert_null(letts_run_result_outcome(NULL));
    assert_int_equal(letts_host_results_count(NULL), 0);
    assert_null(letts_error_run_result(NULL));
    letts_client_free(NULL);
    letts_client_options_free(NULL);
    letts_job_free(NULL);
    letts_run_options_free(NULL);
    letts_run_result_free(NULL);
    letts_mission_info_free(NULL);
    letts_mission_list_free(NULL);
    letts_list_filter_free(NULL);
    letts_host_results_free(NULL);
}

static void test_client_from_config_and_scoped_copies(void **state) {
    static const char yaml[] =
        "selector: {match: [prod]}\n"
        "dugdales:\n"
        "  - {id: a, host: 127.0.0.1, labels: [prod], lanes: {normal: {concurrency: 1}}}\n"
        "  - {id: b, host: 127.0.0.1, labels: [dev], lanes: {normal: {concurrency: 1}}}\n";
    const char *dev[] = {"dev"};
    letts_config *cfg = NULL;
    letts_client *client = NULL, *scoped = NULL;
    letts_string_list *ids = NULL;
    (void)state;
    assert_int_equal(letts_config_load_string(&cfg, yaml, sizeof yaml - 1, NULL, NULL), LETTS_OK);
    assert_int_equal(letts_client_new(&client, cfg, NULL, NULL), LETTS_OK);
    letts_config_free(cfg); /* the client keeps its own copy */
    assert_non_null(strstr(letts_client_config_json(client), "\"dugdales\""));
    assert_int_equal(letts_client_with_match(client, dev, 1, &scoped, NULL), LETTS_OK);
    letts_client_free(client); /* the copy outlives the original */
    assert_int_equal(letts_client_dugdales(scoped, dev, 1, &ids, NULL), LETTS_OK);
    assert_int_equal(letts_string_list_count(ids), 1);
    assert_string_equal(letts_string_list_get(ids, 0), "b");
    letts_string_list_free(ids);
    assert_int_equal(letts_client_dugdales(scoped, NULL, 0, &ids, NULL), LETTS_OK);
    assert_int_equal(letts_string_list_count(ids), 2);
    letts_string_list_free(ids);
    letts_client_free(scoped);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_options_validation),
        cmocka_unit_test(test_run_options_validation),
        cmocka_unit_test(test_job_validation),
        cmocka_unit_test(test_duration_parse_ms),
        cmocka_unit_test(test_uuidv7_generate),
        cmocka_unit_test(test_list_filter_keys),
        cmocka_unit_test(test_run_result_from_json),
        cmocka_unit_test(test_null_handling),
        cmocka_unit_test(test_client_from_config_and_scoped_copies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
