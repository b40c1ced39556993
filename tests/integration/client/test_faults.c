/*
 * The client through a fault-injecting proxy in front of letts-devserver:
 * an event stream cut mid-way (run completes, every event exactly once), an
 * upload cut half-way (resumed from the byte the server confirmed), and a
 * truncated download (error, nothing left on disk).
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

#include "devserver_harness.h"
#include "fault_proxy.h"
#include "letts/letts.h"

static ds_server S;
static fault_proxy *P;
static letts_client *C;

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    ds_script(&S, "ticker",
              "for i in 1 2 3 4 5 6; do echo \"{\\\"event\\\":\\\"progress\\\",\\\"value\\\":$i}\" >&3; "
              "sleep 0.2; done; echo '{\"event\":\"success\"}' >&3");
    ds_script(&S, "echo_input",
              "cp \"$LETTS_IN_data\" \"$LETTS_WORKDIR/out/copy\"; "
              "echo '{\"event\":\"output_file\",\"key\":\"copy\"}' >&3; echo '{\"event\":\"success\"}' >&3");
    ds_script(&S, "big_writer",
              "head -c 200000 /dev/urandom > \"$LETTS_WORKDIR/out/report\"; "
              "echo '{\"event\":\"output_file\",\"key\":\"report\"}' >&3; echo '{\"event\":\"success\"}' >&3");
    P = fault_proxy_start(letts_devserver_port(S.srv));
    assert_non_null(P);
    C = ds_client(&(ds_client_spec){.url = fault_proxy_url(P),
                                    .token = S.dispatch_token,
                                    .admin_token = S.admin_token,
                                    .retry_backoff_ms = 10});
    return 0;
}

static int teardown(void **state) {
    (void)state;
    letts_client_free(C);
    fault_proxy_stop(P);
    ds_stop(&S);
    return 0;
}

static letts_job *job_on_dev(const char *mission) {
    return ds_job_on_dev(mission, "default");
}

typedef struct seen {
    int count;
    double values[32];
} seen;

static int record(int has_value, double value, const char *message, void *user_data) {
    seen *s = user_data;
    (void)message;
    if (has_value && s->count < 32) s->values[s->count] = value;
    s->count++;
    return 0;
}

static void test_stream_cut_midway_run_completes_without_duplicates(void **state) {
    seen s = {0};
    letts_run_options *opts = NULL;
    letts_run_result *r = NULL;
    letts_error *err = NULL;
    letts_job *job = job_on_dev("ticker");
    (void)state;
    /* The first two event connections die after a few hundred bytes,
     * in the middle of a line. */
    fault_proxy_add_rule(P, "GET", "/events", 0, 333, 2);
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_progress(opts, record, &s, NULL), LETTS_OK);
    letts_status st = letts_client_run(C, job, opts, &r, &err);
    if (st != LETTS_OK) fail_msg("run: %s", letts_error_message(err));
    assert_string_equal(letts_run_result_outcome(r), "success");
    assert_int_equal(s.count, 6);
    for (int i = 0; i < 6; ++i) assert_true(s.values[i] == (double)(i + 1));
    assert_true(fault_proxy_count(P, "/events?") >= 3);
    assert_true(fault_proxy_count(P, "&from=") >= 2); /* reconnects resume from the last seq */
    letts_run_result_free(r);
    letts_run_options_free(opts);
    letts_job_free(job);
}

static void test_upload_cut_halfway_resumes(void **state) {
    char path[] = "/tmp/client-fault-in-XXXXXX";
    const size_t size = 4 * 1024 * 1024;
    char *bytes = malloc(size), *data = NULL, range[128] = {0};
    size_t len = 0;
    letts_run_result *r = NULL;
    letts_error *err = NULL;
    letts_job *job = job_on_dev("echo_input");
    (void)state;
    assert_non_null(bytes);
    for (size_t i = 0; i < size; ++i) bytes[i] = (char)(i * 131 + 3);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, size), (ssize_t)size);
    close(fd);
    fault_proxy_add_rule(P, "PUT", "/v1/staging/", 1024 * 1024, 0, 1);
    assert_int_equal(letts_job_add_file(job, "data", path, NULL), LETTS_OK);
    letts_status st = letts_client_run(C, job, NULL, &r, &err);
    if (st != LETTS_OK) fail_msg("run: %s", letts_error_message(err));

    assert_int_equal(fault_proxy_count(P, "PUT /v1/staging/"), 2);
    assert_false(fault_proxy_header(P, "PUT /v1/staging/", 0, "Content-Range", range, sizeof range));
    assert_true(fault_proxy_header(P, "PUT /v1/staging/", 1, "Content-Range", range, sizeof range));
    /* The resume starts where the server said it stopped: after some but
     * not all of the first megabyte. */
    unsigned long long from = 0, to = 0, total = 0;
    assert_int_equal(sscanf(range, "bytes %llu-%llu/%llu", &from, &to, &total), 3);
    assert_true(from > 0 && from < 1024 * 1024);
    assert_int_equal(to, size - 1);
    assert_int_equal(total, size);
    assert_int_equal(fault_proxy_count(P, "HEAD /v1/staging/"), 2);

    assert_int_equal(letts_client_download_output(C, r, "copy", &data, &len, NULL), LETTS_OK);
    assert_int_equal(len, size);
    assert_memory_equal(data, bytes, size);
    letts_free(data);
    letts_run_result_free(r);
    unlink(path);
    free(bytes);
    letts_job_free(job);
}

static void test_truncated_download_leaves_nothing(void **state) {
    char dir[] = "/tmp/client-fault-out-XXXXXX";
    char path[256];
    letts_run_options *opts = NULL;
    letts_run_result *r = NULL;
    letts_error *err = NULL;
    char *data = NULL;
    size_t len = 0;
    letts_job *job = job_on_dev("big_writer");
    (void)state;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_outputs_folder(opts, dir, NULL), LETTS_OK);
    fault_proxy_add_rule(P, "GET", "/v1/staging/", 0, 50000, 1);
    assert_int_equal(letts_client_run(C, job, opts, &r, &err), LETTS_ERR_STAGING);
    assert_non_null(strstr(letts_error_message(err), "download of staging"));
    letts_error_free(err);
    assert_null(r);
    snprintf(path, sizeof path, "%s/report", dir);
    assert_int_not_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/report.partial", dir);
    assert_int_not_equal(access(path, F_OK), 0);
    rmdir(dir);

    /* Same output into memory: a truncated body is an error, never data. */
    assert_int_equal(letts_run_options_set_outputs_folder(opts, NULL, NULL), LETTS_OK);
    r = NULL;
    assert_int_equal(letts_client_run(C, job, opts, &r, NULL), LETTS_OK);
    fault_proxy_add_rule(P, "GET", "/v1/staging/", 0, 50000, 1);
    err = NULL;
    assert_int_equal(letts_client_download_output(C, r, "report", &data, &len, &err), LETTS_ERR_STAGING);
    assert_null(data);
    letts_error_free(err);
    assert_int_equal(letts_client_download_output(C, r, "report", &data, &len, NULL), LETTS_OK);
    assert_int_equal(len, 200000);
    letts_free(data);
    letts_run_result_free(r);
    letts_run_options_free(opts);
    letts_job_free(job);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_cut_midway_run_completes_without_duplicates),
        cmocka_unit_test(test_upload_cut_halfway_resumes),
        cmocka_unit_test(test_truncated_download_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
