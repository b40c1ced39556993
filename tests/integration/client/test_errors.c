/*
 * The client's error mapping seen end to end (client-behavior.md §11.2):
 * a devserver with small limits answers 503 queue_full and 413, and a
 * dugdale nobody listens on gives a transport failure. Each must reach the
 * caller as its own status, with the HTTP status, the server's error code,
 * the dugdale id, and a message naming the dugdale and the operation.
 */
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
static char GATE[400];

static const char *YAML =
    DS_YAML_HEAD
    "limits:\n"
    "  max_queue_per_lane: 1\n"
    "  max_mission_input_size: 512\n"
    "  default_kill_grace: 300ms\n";

static letts_client *client_for(const char *url) {
    return ds_client(&(ds_client_spec){.url = url, .lane = "one", .concurrency = 1, .retry_backoff_ms = 10});
}

static letts_job *job_for(const char *mission, const char *input) {
    letts_job *job = NULL;
    assert_int_equal(letts_job_new(&job, mission, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_host(job, "dev", NULL), LETTS_OK);
    assert_int_equal(letts_job_set_lane(job, "one", NULL), LETTS_OK);
    if (input) assert_int_equal(letts_job_set_input_json(job, input, NULL), LETTS_OK);
    return job;
}

static void assert_message_names(const letts_error *err, const char *needle) {
    const char *message = letts_error_message(err);
    if (!strstr(message, needle)) fail_msg("expected \"%s\" in the message \"%s\"", needle, message);
}

static int setup(void **state) {
    (void)state;
    ds_start_gated(&S, YAML, "{\"one\":{\"concurrency\":1}}", GATE, sizeof GATE);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static void test_queue_full_is_backpressure(void **state) {
    (void)state;
    letts_client *client = client_for(S.url);
    letts_job *job = job_for("gated", NULL);
    char *running = NULL;
    /* max_queue_per_lane: 1 counts the lane's unfinished missions: while the
     * first one runs, the next is refused. */
    assert_int_equal(letts_client_dispatch(client, job, &running, NULL), LETTS_OK);
    cJSON_Delete(ds_wait_status(&S, running, "running", 10000));

    char *refused = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_dispatch(client, job, &refused, &err), LETTS_ERR_BACKPRESSURE);
    assert_null(refused);
    assert_int_equal(letts_error_status(err), LETTS_ERR_BACKPRESSURE);
    assert_int_equal(letts_error_http_status(err), 503);
    assert_string_equal(letts_error_code(err), "queue_full");
    assert_string_equal(letts_error_dugdale(err), "dev");
    assert_message_names(err, "dev");
    assert_message_names(err, "dispatch");
    letts_error_free(err);

    /* Open the gate so it ends, and the lane is free for the next test. */
    FILE *gate = fopen(GATE, "w");
    assert_non_null(gate);
    fclose(gate);
    cJSON_Delete(ds_wait_outcome(&S, running, "success", "", 10000));
    remove(GATE);
    letts_free(running);
    letts_job_free(job);
    letts_client_free(client);
}

static void test_payload_too_large_is_a_dispatch_error(void **state) {
    (void)state;
    letts_client *client = client_for(S.url);
    char input[1024];
    memset(input, 0, sizeof input);
    strcpy(input, "{\"blob\":\"");
    memset(input + strlen(input), 'x', 700);
    strcat(input, "\"}");
    letts_job *job = job_for("gated", input);
    char *id = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_dispatch(client, job, &id, &err), LETTS_ERR_DISPATCH);
    assert_null(id);
    assert_int_equal(letts_error_http_status(err), 413);
    assert_non_null(letts_error_code(err));
    assert_message_names(err, "dev");
    letts_error_free(err);
    letts_job_free(job);
    letts_client_free(client);
}

static void test_nobody_listening_is_a_network_error(void **state) {
    (void)state;
    /* A port that was just free: bind-and-close finds one nobody listens on. */
    letts_devserver *probe = NULL;
    assert_int_equal(letts_devserver_start(&probe, NULL, NULL), LETTS_OK);
    char url[128];
    snprintf(url, sizeof url, "%s", letts_devserver_url(probe));
    letts_devserver_free(probe);

    letts_client *client = client_for(url);
    letts_job *job = job_for("gated", NULL);
    char *id = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_dispatch(client, job, &id, &err), LETTS_ERR_NETWORK);
    assert_null(id);
    assert_int_equal(letts_error_http_status(err), 0);
    assert_string_equal(letts_error_dugdale(err), "dev");
    assert_message_names(err, "dev");
    assert_null(strstr(letts_error_message(err), "dispatch-token"));
    letts_error_free(err);
    letts_job_free(job);
    letts_client_free(client);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_full_is_backpressure),
        cmocka_unit_test(test_payload_too_large_is_a_dispatch_error),
        cmocka_unit_test(test_nobody_listening_is_a_network_error),
    };
    return cmocka_run_group_tests_name("client error mapping against letts-devserver", tests, setup, teardown);
}
