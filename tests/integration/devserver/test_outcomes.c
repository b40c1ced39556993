/* Outcome rules R1–R7 of mission-protocol.md §4.2, the signal table (§4.6),
 * the fd 3 violation catalogue (§3.4) and pre-spawn crashes (§1.4), with
 * real shell missions and the C mission. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "devserver_harness.h"

static ds_server S;

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    ds_c_mission(&S, "c_progress");
    ds_c_mission(&S, "c_segv");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

/* Runs `script` as a mission named `name` and checks its outcome; returns
 * the final resource. */
static cJSON *run(const char *name, const char *script, const char *extra, const char *outcome,
                  const char *reason) {
    if (script) ds_script(&S, name, script);
    char id[37];
    ds_dispatch(&S, name, "default", "{\"n\":1}", extra, id);
    return ds_wait_outcome(&S, id, outcome, reason, 15000);
}

static void assert_exit(const cJSON *m, int code, const char *signal) {
    assert_int_equal((int)ds_num(m, "exit_code"), code);
    const cJSON *sig = cJSON_GetObjectItemCaseSensitive(m, "signal");
    if (signal) {
        assert_true(cJSON_IsString(sig));
        assert_string_equal(sig->valuestring, signal);
    } else {
        assert_null(sig);
    }
}

static void test_r6a_success_with_return(void **state) {
    (void)state;
    cJSON *m = run("r6a", "cat >/dev/null; echo '{\"event\":\"success\",\"return\":{\"x\":1}}' >&3", NULL,
                   "success", "");
    assert_exit(m, 0, NULL);
    const cJSON *ret = cJSON_GetObjectItemCaseSensitive(m, "return");
    assert_int_equal((int)ds_num(ret, "x"), 1);
    assert_null(cJSON_GetObjectItemCaseSensitive(m, "fail_message"));
    assert_true(ds_num(m, "time_finished") >= ds_num(m, "time_started"));
    cJSON_Delete(m);
}

static void test_r6a_c_mission_gets_canonical_input(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "c_progress", "default", "{\"b\":2,\"a\":1.0}", NULL, id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 15000);
    char *ret = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(m, "return"));
    assert_string_equal(ret, "{\"input\":{\"a\":1,\"b\":2}}");
    cJSON_free(ret);
    cJSON_Delete(m);
}

static void test_r7a_no_event_exit_zero(void **state) {
    (void)state;
    cJSON *m = run("r7a", "exit 0", NULL, "success", "");
    assert_null(cJSON_GetObjectItemCaseSensitive(m, "return"));
    assert_exit(m, 0, NULL);
    cJSON_Delete(m);
}

static void test_r6d_explicit_fail(void **state) {
    (void)state;
    cJSON *m = run("r6d",
                   "echo '{\"event\":\"fail\",\"message\":\"boom\",\"reason\":\"bad_input\",\"details\":{\"k\":1}}' >&3; "
                   "exit 3",
                   NULL, "failed", "bad_input");
    assert_exit(m, 3, NULL);
    assert_string_equal(ds_str(m, "fail_message"), "boom");
    assert_int_equal((int)ds_num(cJSON_GetObjectItemCaseSensitive(m, "fail_details"), "k"), 1);
    assert_null(cJSON_GetObjectItemCaseSensitive(m, "return"));
    cJSON_Delete(m);
    m = run("r6d_plain", "echo '{\"event\":\"fail\",\"message\":\"plain\"}' >&3; exit 1", NULL, "failed",
            "explicit");
    cJSON_Delete(m);
}

static void test_r6c_fail_then_exit_zero(void **state) {
    (void)state;
    cJSON *m = run("r6c", "echo '{\"event\":\"fail\",\"message\":\"nope\",\"reason\":\"mine\"}' >&3; exit 0", NULL,
                   "failed", "fail_then_zero_exit");
    assert_string_equal(ds_str(m, "fail_message"), "nope");
    assert_exit(m, 0, NULL);
    cJSON_Delete(m);
    m = run("r6c_empty", "echo '{\"event\":\"fail\"}' >&3", NULL, "failed", "fail_then_zero_exit");
    assert_string_equal(ds_str(m, "fail_message"), "mission emitted fail but exited with code 0");
    cJSON_Delete(m);
}

static void test_r6b_success_then_nonzero(void **state) {
    (void)state;
    cJSON *m = run("r6b", "echo '{\"event\":\"success\",\"return\":{\"x\":1}}' >&3; exit 2", NULL, "failed",
                   "success_then_failed_exit");
    assert_string_equal(ds_str(m, "fail_message"), "mission emitted success but exited with code 2; return discarded");
    assert_null(cJSON_GetObjectItemCaseSensitive(m, "return"));
    cJSON_Delete(m);
}

static void test_r4_signals(void **state) {
    (void)state;
    cJSON *m = run("c_segv", NULL, NULL, "failed", "segfault");
    assert_exit(m, -1, "SEGV");
    assert_string_equal(ds_str(m, "fail_message"), "process terminated by signal SEGV without a final event");
    cJSON_Delete(m);
    m = run("r4_abrt", "kill -ABRT $$", NULL, "failed", "sigabrt");
    assert_exit(m, -1, "ABRT");
    cJSON_Delete(m);
    m = run("r4_usr1", "kill -USR1 $$", NULL, "failed", "signal_10");
    assert_exit(m, -1, "10");
    cJSON_Delete(m);
    /* A terminal event and a non-KILL signal: R6b. */
    m = run("r4_after_success", "echo '{\"event\":\"success\"}' >&3; kill -TERM $$", NULL, "failed",
            "success_then_failed_exit");
    assert_exit(m, -1, "TERM");
    cJSON_Delete(m);
}

static void test_r3_foreign_sigkill(void **state) {
    (void)state;
    cJSON *m = run("r3", "echo '{\"event\":\"success\"}' >&3; kill -KILL $$", NULL, "killed", "unknown_sigkill");
    assert_exit(m, -1, "KILL");
    cJSON_Delete(m);
}

static void test_r7b_nonzero_without_event(void **state) {
    (void)state;
    cJSON *m = run("r7b", "echo oops >&2; exit 5", NULL, "failed", "no_event_nonzero_exit");
    assert_string_equal(ds_str(m, "fail_message"),
                        "process exited with code 5 without a success/fail event; see stderr");
    assert_exit(m, 5, NULL);
    cJSON_Delete(m);
}

static void test_r2_oom_marker(void **state) {
    (void)state;
    cJSON *m = run("r2",
                   "echo 'PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted' >&2; "
                   "echo '{\"event\":\"success\"}' >&3; exit 255",
                   NULL, "oom", "php_memory_limit");
    assert_non_null(strstr(ds_str(m, "fail_message"), "Allowed memory size of"));
    cJSON_Delete(m);
}

static void test_r5_violations(void **state) {
    (void)state;
    cJSON *m = run("r5_json", "echo notjson >&3; echo '{\"event\":\"success\"}' >&3", NULL, "failed",
                   "event_protocol_error");
    assert_string_equal(ds_str(m, "fail_message"),
                        "fd3 line 1 is not valid JSON: invalid character 'o' in literal null (expecting 'u'); "
                        "line starts with \"notjson\"");
    assert_int_equal((int)ds_num(cJSON_GetObjectItemCaseSensitive(m, "fail_details"), "fd3_line"), 1);
    cJSON_Delete(m);

    m = run("r5_type", "echo '{\"event\":\"progress\",\"value\":\"half\"}' >&3", NULL, "failed",
            "event_protocol_error");
    assert_string_equal(ds_str(m, "fail_message"),
                        "fd3 progress event (line 1) does not match the schema: field \"value\" must be float64, "
                        "got string");
    cJSON_Delete(m);

    m = run("r5_unknown", "echo '' >&3; echo '{\"event\":\"log\"}' >&3", NULL, "failed", "event_protocol_error");
    assert_string_equal(ds_str(m, "fail_message"),
                        "fd3 line 2 has unknown event \"log\" (want progress, output_file, success or fail)");
    cJSON_Delete(m);

    m = run("r5_dup", "echo '{\"event\":\"success\"}' >&3; echo '{\"event\":\"fail\"}' >&3", NULL, "failed",
            "duplicate_final_event");
    assert_string_equal(ds_str(m, "fail_message"),
                        "fd3 fail event (line 2) is a second final event after the success event on line 1");
    cJSON_Delete(m);

    m = run("r5_key", "echo '{\"event\":\"output_file\",\"key\":\"__x\"}' >&3; echo '{\"event\":\"success\"}' >&3",
            NULL, "failed", "event_protocol_error");
    cJSON_Delete(m);

    m = run("r5_many",
            "i=0; while [ $i -lt 33 ]; do echo \"{\\\"event\\\":\\\"output_file\\\",\\\"key\\\":\\\"k$i\\\"}\" >&3; "
            "i=$((i+1)); done; echo '{\"event\":\"success\"}' >&3",
            NULL, "failed", "too_many_output_files");
    assert_int_equal((int)ds_num(cJSON_GetObjectItemCaseSensitive(m, "fail_details"), "max_output_files_per_mission"),
                     32);
    cJSON_Delete(m);

    /* A violation outranks R6a, but not R4 in the no-event column. */
    m = run("r5_vs_r4", "echo notjson >&3; kill -SEGV $$", NULL, "failed", "segfault");
    cJSON_Delete(m);
}

static void test_r1_timeout(void **state) {
    (void)state;
    const long long t0 = ds_now_ms();
    cJSON *m = run("r1_timeout", "exec sleep 30", "\"timeout\":\"200ms\"", "timeout", "");
    assert_true(ds_now_ms() - t0 < 10000);
    assert_string_equal(ds_str(m, "fail_message"), "mission exceeded its timeout of 200ms and was killed");
    assert_int_equal((int)ds_num(cJSON_GetObjectItemCaseSensitive(m, "fail_details"), "timeout_ms"), 200);
    assert_int_equal((int)ds_num(m, "timeout_ms"), 200);
    assert_exit(m, -1, "TERM");
    cJSON_Delete(m);
}

static void test_crashed_before_spawn(void **state) {
    (void)state;
    cJSON *m = run("does_not_exist", NULL, NULL, "crashed", "mission_not_found");
    assert_int_equal((int)ds_num(m, "exit_code"), 0);
    cJSON_Delete(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r6a_success_with_return),
        cmocka_unit_test(test_r6a_c_mission_gets_canonical_input),
        cmocka_unit_test(test_r7a_no_event_exit_zero),
        cmocka_unit_test(test_r6d_explicit_fail),
        cmocka_unit_test(test_r6c_fail_then_exit_zero),
        cmocka_unit_test(test_r6b_success_then_nonzero),
        cmocka_unit_test(test_r4_signals),
        cmocka_unit_test(test_r3_foreign_sigkill),
        cmocka_unit_test(test_r7b_nonzero_without_event),
        cmocka_unit_test(test_r2_oom_marker),
        cmocka_unit_test(test_r5_violations),
        cmocka_unit_test(test_r1_timeout),
        cmocka_unit_test(test_crashed_before_spawn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
