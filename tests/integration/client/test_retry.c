/*
 * Retries of finished missions and the completion observer (issue 20 §3,
 * §4) against an embedded letts-devserver running real shell missions. A
 * "flaky" mission counts its attempts in a file of the mission dir and
 * fails (reason "flaky") until its third attempt. Timings are checked as
 * lower bounds only; no sleeps as synchronisation.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "letts/letts.h"

static ds_server S;
static letts_client *C;

/* What the completion observer saw. */
typedef struct seen {
    int calls;
    int on_other_thread;
    pthread_t caller;
    size_t attempts[8];
    char outcome[8][16];
    char mission_id[8][40];
    char lane[8][32];
    char host[8][32];
} seen;

static void on_complete(const letts_run_result *result, void *user_data) {
    seen *s = user_data;
    if (!pthread_equal(pthread_self(), s->caller)) s->on_other_thread = 1;
    if (s->calls < 8) {
        s->attempts[s->calls] = letts_run_result_attempts(result);
        snprintf(s->outcome[s->calls], 16, "%s", letts_run_result_outcome(result));
        snprintf(s->mission_id[s->calls], 40, "%s", letts_run_result_mission_id(result));
        snprintf(s->lane[s->calls], 32, "%s", letts_run_result_lane(result));
        snprintf(s->host[s->calls], 32, "%s", letts_run_result_host(result));
    }
    s->calls++;
}

/* A mission `name` failing with reason "flaky" until its third attempt. */
static void flaky_script(const char *name) {
    char counter[512], body[2048];
    ds_path(&S, name, counter, sizeof counter);
    strncat(counter, ".count", sizeof counter - strlen(counter) - 1);
    snprintf(body, sizeof body,
             "n=$(cat '%s' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '%s'; "
             "if [ $n -lt 3 ]; then echo '{\"event\":\"fail\",\"message\":\"try again\",\"reason\":\"flaky\"}' >&3; "
             "exit 1; fi; echo '{\"event\":\"success\",\"return\":{\"attempt\":'$n'}}' >&3",
             counter, counter);
    ds_script(&S, name, body);
}

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    flaky_script("flaky_run");
    flaky_script("flaky_wait");
    flaky_script("flaky_fan");
    flaky_script("flaky_slow");
    ds_script(&S, "ok", "echo '{\"event\":\"success\"}' >&3");
    ds_script(&S, "fails", "echo '{\"event\":\"fail\",\"message\":\"no\",\"reason\":\"bad_input\"}' >&3; exit 1");
    C = ds_client(&(ds_client_spec){.url = S.url, .token = S.dispatch_token, .admin_token = S.admin_token,
                                    .retry_backoff_ms = 10});
    return 0;
}

static int teardown(void **state) {
    (void)state;
    letts_client_free(C);
    ds_stop(&S);
    return 0;
}

/* Retry "flaky" failures and crashes, up to 5 attempts, pauses >= 100, 200 ms. */
static letts_run_options *retry_options(int64_t base_ms, int64_t wait_ms) {
    letts_run_options *o = NULL;
    assert_int_equal(letts_run_options_new(&o, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_add_retry_fail_reason(o, "flaky", NULL), LETTS_OK);
    assert_int_equal(letts_run_options_add_retry_outcome(o, "crashed", NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_retry_attempts(o, 5, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_retry_backoff(o, base_ms, 10 * base_ms, 2.0, 0.5, NULL), LETTS_OK);
    if (wait_ms) assert_int_equal(letts_run_options_set_wait_timeout_ms(o, wait_ms, NULL), LETTS_OK);
    return o;
}

static letts_client *observed(seen *s) {
    letts_client *c = NULL;
    memset(s, 0, sizeof *s);
    s->caller = pthread_self();
    assert_int_equal(letts_client_with_completion_observer(C, on_complete, s, &c, NULL), LETTS_OK);
    return c;
}

/* Every attempt's restarted_from names the attempt before, on the server. */
static void assert_chained(const letts_run_result *r) {
    for (size_t i = 0; i < letts_run_result_attempts(r); i++) {
        cJSON *m = ds_mission(&S, letts_run_result_attempt_id(r, i));
        const cJSON *from = cJSON_GetObjectItemCaseSensitive(m, "restarted_from");
        if (i == 0) {
            assert_true(from == NULL || cJSON_IsNull(from));
        } else {
            assert_true(cJSON_IsString(from));
            assert_string_equal(from->valuestring, letts_run_result_attempt_id(r, i - 1));
        }
        cJSON_Delete(m);
    }
    assert_string_equal(letts_run_result_attempt_id(r, letts_run_result_attempts(r) - 1),
                        letts_run_result_mission_id(r));
    assert_null(letts_run_result_attempt_id(r, letts_run_result_attempts(r)));
}

static void test_run_fails_twice_then_succeeds(void **state) {
    seen s;
    letts_client *c = observed(&s);
    letts_run_options *o = retry_options(200, 60000);
    letts_job *job = ds_job_on_dev("flaky_run", "default");
    letts_run_result *r = NULL;
    letts_error *err = NULL;
    (void)state;
    const long long start = ds_now_ms();
    assert_int_equal(letts_client_run(c, job, o, &r, &err), LETTS_OK);
    /* Pauses of at least 200*(1-0.5) and 400*(1-0.5) ms. */
    assert_true(ds_now_ms() - start >= 300);
    assert_string_equal(letts_run_result_outcome(r), "success");
    assert_string_equal(letts_run_result_return_json(r), "{\"attempt\":3}");
    assert_int_equal(letts_run_result_attempts(r), 3);
    assert_chained(r);
    assert_int_equal(s.calls, 1);
    assert_false(s.on_other_thread);
    assert_int_equal(s.attempts[0], 3);
    assert_string_equal(s.outcome[0], "success");
    assert_string_equal(s.mission_id[0], letts_run_result_mission_id(r));
    assert_string_equal(s.lane[0], "default");
    assert_string_equal(s.host[0], "dev");
    letts_run_result_free(r);
    letts_job_free(job);
    letts_run_options_free(o);
    letts_client_free(c);
}

static void test_unlisted_failure_is_not_retried(void **state) {
    seen s;
    letts_client *c = observed(&s);
    letts_run_options *o = retry_options(10, 0);
    letts_job *job = ds_job_on_dev("fails", "default");
    letts_run_result *r = NULL;
    letts_error *err = NULL;
    (void)state;
    assert_int_equal(letts_client_run(c, job, o, &r, &err), LETTS_ERR_MISSION_FAILED);
    assert_int_equal(letts_run_result_attempts(r), 1);
    assert_int_equal(letts_run_result_attempts(letts_error_run_result(err)), 1);
    assert_string_equal(letts_run_result_fail_reason(r), "bad_input");
    assert_int_equal(s.calls, 1);
    assert_string_equal(s.outcome[0], "failed");
    letts_error_free(err);
    letts_run_result_free(r);
    /* A success is never retried either. */
    letts_job *ok = ds_job_on_dev("ok", "default");
    assert_int_equal(letts_client_run(c, ok, o, &r, NULL), LETTS_OK);
    assert_int_equal(letts_run_result_attempts(r), 1);
    assert_int_equal(s.calls, 2);
    letts_run_result_free(r);
    letts_job_free(ok);
    letts_job_free(job);
    letts_run_options_free(o);
    letts_client_free(c);
}

static void test_wait_retries_from_the_mission_waited_for(void **state) {
    seen s;
    letts_client *c = observed(&s);
    letts_run_options *o = retry_options(50, 60000);
    letts_run_result *r = NULL;
    char id[37];
    (void)state;
    ds_dispatch(&S, "flaky_wait", "default", NULL, NULL, id);
    assert_int_equal(letts_client_wait(c, "dev", id, o, &r, NULL), LETTS_OK);
    assert_int_equal(letts_run_result_attempts(r), 3);
    assert_string_equal(letts_run_result_attempt_id(r, 0), id);
    assert_chained(r);
    assert_int_equal(s.calls, 1);
    letts_run_result_free(r);
    letts_run_options_free(o);
    letts_client_free(c);
}

static void test_fan_out_with_retries_reports_each_job_once(void **state) {
    seen s;
    letts_client *c = observed(&s);
    letts_run_options *o = retry_options(50, 60000);
    letts_job *flaky = ds_job_on_dev("flaky_fan", "default");
    letts_job *ok = ds_job_on_dev("ok", "default");
    letts_host_results *results = NULL;
    const letts_job *jobs[] = {flaky, ok};
    (void)state;
    assert_int_equal(letts_client_run_parallel(c, jobs, 2, o, &results, NULL), LETTS_OK);
    assert_int_equal(letts_host_results_count(results), 2);
    const letts_run_result *first = letts_host_results_result(results, 0);
    assert_string_equal(letts_run_result_outcome(first), "success");
    assert_int_equal(letts_run_result_attempts(first), 3);
    assert_chained(first);
    assert_int_equal(letts_run_result_attempts(letts_host_results_result(results, 1)), 1);
    assert_int_equal(s.calls, 2);
    assert_false(s.on_other_thread);
    /* Each job once, in some order: one with 3 attempts, one with 1. */
    assert_int_equal(s.attempts[0] + s.attempts[1], 4);
    letts_host_results_free(results);
    letts_job_free(flaky);
    letts_job_free(ok);
    letts_run_options_free(o);
    letts_client_free(c);
}

static void test_pause_counts_against_the_wait_timeout(void **state) {
    seen s;
    letts_client *c = observed(&s);
    letts_run_options *o = retry_options(20000, 1500);
    letts_job *job = ds_job_on_dev("flaky_slow", "default");
    letts_run_result *r = NULL;
    letts_error *err = NULL;
    (void)state;
    const long long start = ds_now_ms();
    assert_int_equal(letts_client_run(c, job, o, &r, &err), LETTS_ERR_WAIT_TIMEOUT);
    assert_true(ds_now_ms() - start >= 1500);
    assert_null(r);
    assert_non_null(letts_error_mission_id(err));
    assert_int_equal(s.calls, 0); /* no result, no completion */
    letts_error_free(err);
    letts_job_free(job);
    letts_run_options_free(o);
    letts_client_free(c);
}

static void test_policy_refuses_what_is_never_retried(void **state) {
    letts_run_options *o = NULL;
    (void)state;
    assert_int_equal(letts_run_options_new(&o, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_add_retry_outcome(o, "success", NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_run_options_add_retry_outcome(o, "killed", NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_run_options_add_retry_outcome(o, "failed", NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_run_options_add_retry_outcome(o, "oom", NULL), LETTS_OK);
    assert_int_equal(letts_run_options_add_retry_fail_reason(o, "", NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_run_options_set_retry_attempts(o, 0, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_run_options_set_retry_backoff(o, 100, 50, 2.0, 0.5, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_run_options_set_retry_backoff(o, 10, 50, 0.5, 0.5, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_run_options_set_retry_backoff(o, 10, 50, 2.0, 1.5, NULL), LETTS_ERR_INVALID_ARGUMENT);
    letts_run_options_free(o);
}

static void test_version_and_metrics(void **state) {
    char *json = NULL, *text = NULL;
    size_t len = 99;
    (void)state;
    assert_int_equal(letts_client_version(C, "dev", &json, NULL), LETTS_OK);
    cJSON *v = cJSON_Parse(json);
    assert_non_null(v);
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(v, "version")));
    cJSON_Delete(v);
    letts_free(json);
    assert_int_equal(letts_client_metrics(C, "dev", &text, &len, NULL), LETTS_OK);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    letts_free(text);
    assert_int_equal(letts_client_version(C, "nowhere", &json, NULL), LETTS_ERR_CONFIG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_fails_twice_then_succeeds),
        cmocka_unit_test(test_unlisted_failure_is_not_retried),
        cmocka_unit_test(test_wait_retries_from_the_mission_waited_for),
        cmocka_unit_test(test_fan_out_with_retries_reports_each_job_once),
        cmocka_unit_test(test_pause_counts_against_the_wait_timeout),
        cmocka_unit_test(test_policy_refuses_what_is_never_retried),
        cmocka_unit_test(test_version_and_metrics),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
