/*
 * The fixtures of the cancellation tests do what those tests rely on,
 * checked with the calls that existed before cancellation: a connect to the
 * black-hole port blocks until the client's connect timeout; the sleeper
 * keeps running; the chatter streams progress until stopped; the big
 * mission's output is 200 MiB; the big local file is staged whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixtures.h"


static void kill_mission(const char *id) {
    letts_error *err = NULL;
    if (letts_client_kill(cx_env_client, "dev", id, "KILL", &err) != LETTS_OK)
        fail_msg("kill %s: %s", id, letts_error_message(err));
    cJSON_Delete(ds_wait_outcome(&cx_env_server, id, "killed", NULL, 15000));
}

static void test_blackhole_connect_blocks_until_the_connect_timeout(void **state) {
    cx_blackhole hole;
    (void)state;
    cx_blackhole_open(&hole);
    letts_client *client = cx_client_at_port(hole.port, "token", 300);
    char id[37];
    letts_job *job = cx_job("sleeper", id);
    char *got = NULL;
    letts_error *err = NULL;
    const long long started = cx_now_us();
    assert_int_equal(letts_client_dispatch(client, job, &got, &err), LETTS_ERR_NETWORK);
    const long long elapsed_ms = (cx_now_us() - started) / 1000;
    /* At least one whole connect timeout: not refused, not answered. */
    if (elapsed_ms < 290) fail_msg("dispatch failed after %lld ms: %s", elapsed_ms, letts_error_message(err));
    assert_null(got);
    letts_error_free(err);
    letts_job_free(job);
    letts_client_free(client);
    cx_blackhole_close(&hole);
}

static void test_sleeper_keeps_running(void **state) {
    char id[37];
    char *got = NULL;
    (void)state;
    letts_job *job = cx_job("sleeper", id);
    assert_int_equal(letts_client_dispatch(cx_env_client, job, &got, NULL), LETTS_OK);
    cJSON_Delete(ds_wait_status(&cx_env_server, id, "running", 15000));
    letts_mission_info *info = NULL;
    assert_int_equal(letts_client_get_mission(cx_env_client, "dev", id, &info, NULL), LETTS_OK);
    assert_string_equal(letts_mission_info_status(info), "running");
    letts_mission_info_free(info);
    kill_mission(id);
    letts_free(got);
    letts_job_free(job);
}

static int stop_after_25(int has_value, double value, const char *message, void *user_data) {
    int *n = user_data;
    (void)has_value; (void)value;
    assert_non_null(message);
    assert_memory_equal(message, "tick ", 5);
    return ++*n >= 25;
}

/* Runs `mission` (its id written to `id`) with `on_progress` given `n`. */
static letts_status run_with_progress(const char *mission, char id[37], letts_progress_fn on_progress, int *n,
                                      letts_run_result **result, letts_error **err) {
    letts_job *job = cx_job(mission, id);
    letts_run_options *opts = NULL;
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_progress(opts, on_progress, n, NULL), LETTS_OK);
    const letts_status rc = letts_client_run(cx_env_client, job, opts, result, err);
    letts_run_options_free(opts);
    letts_job_free(job);
    return rc;
}

static void test_chatter_streams_progress_until_stopped(void **state) {
    char id[37];
    int n = 0;
    letts_run_result *result = NULL;
    letts_error *err = NULL;
    (void)state;
    assert_int_equal(run_with_progress("chatter", id, stop_after_25, &n, &result, &err), LETTS_ERR_INTERRUPTED);
    assert_int_equal(n, 25);
    assert_null(result);
    letts_error_free(err);
    cJSON *m = ds_mission(&cx_env_server, id);
    assert_string_equal(ds_str(m, "status"), "running");
    cJSON_Delete(m);
    kill_mission(id);
}

static int count_progress(int has_value, double value, const char *message, void *user_data) {
    (void)has_value; (void)value; (void)message;
    ++*(int *)user_data;
    return 0;
}

static void test_ticks_reports_three_progress_events(void **state) {
    char id[37];
    int n = 0;
    letts_run_result *result = NULL;
    letts_error *err = NULL;
    (void)state;
    if (run_with_progress("ticks", id, count_progress, &n, &result, &err) != LETTS_OK)
        fail_msg("run: %s", letts_error_message(err));
    assert_int_equal(n, 3);
    assert_string_equal(letts_run_result_return_json(result), "{\"ticks\":3}");
    letts_run_result_free(result);
}

static void test_big_output_is_200_mib(void **state) {
    char id[37], dir[64], path[128];
    letts_run_options *opts = NULL;
    letts_run_result *result = NULL;
    letts_error *err = NULL;
    (void)state;
    cx_tempdir(dir, sizeof dir);
    letts_job *job = cx_job("big", id);
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_outputs_folder(opts, dir, NULL), LETTS_OK);
    if (letts_client_run(cx_env_client, job, opts, &result, &err) != LETTS_OK)
        fail_msg("run: %s", letts_error_message(err));
    assert_int_equal(letts_run_result_output_count(result), 1);
    assert_int_equal(letts_run_result_output_size(result, 0), CX_BIG_BYTES);
    snprintf(path, sizeof path, "%s/big", dir);
    assert_int_equal(cx_file_size(path), CX_BIG_BYTES);
    assert_int_equal(cx_count_entries(dir), 1); /* no .partial left */
    letts_run_result_free(result);
    letts_run_options_free(opts);
    letts_job_free(job);
    cx_remove_tree(dir);
}

static void test_big_input_file_is_staged_whole(void **state) {
    char id[37], dir[64], path[128], want[64];
    letts_run_result *result = NULL;
    letts_error *err = NULL;
    (void)state;
    cx_tempdir(dir, sizeof dir);
    cx_make_file(dir, "input.bin", CX_BIG_BYTES, path, sizeof path);
    assert_int_equal(cx_file_size(path), CX_BIG_BYTES);
    letts_job *job = cx_job("consume", id);
    assert_int_equal(letts_job_add_file(job, "data", path, NULL), LETTS_OK);
    if (letts_client_run(cx_env_client, job, NULL, &result, &err) != LETTS_OK)
        fail_msg("run: %s", letts_error_message(err));
    snprintf(want, sizeof want, "{\"size\":%lld}", (long long)CX_BIG_BYTES);
    assert_string_equal(letts_run_result_return_json(result), want);
    letts_run_result_free(result);
    letts_job_free(job);
    cx_remove_tree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blackhole_connect_blocks_until_the_connect_timeout),
        cmocka_unit_test(test_sleeper_keeps_running),
        cmocka_unit_test(test_chatter_streams_progress_until_stopped),
        cmocka_unit_test(test_ticks_reports_three_progress_events),
        cmocka_unit_test(test_big_output_is_200_mib),
        cmocka_unit_test(test_big_input_file_is_staged_whole),
    };
    return cmocka_run_group_tests(tests, cx_env_setup, cx_env_teardown);
}
