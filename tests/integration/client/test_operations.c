/*
 * The client against a real letts-devserver (embedded through
 * letts_devserver_*) running real shell missions: every operation through
 * the public C API, the mapped errors, and the token each operation sends.
 * No sleeps as synchronisation: waits are the client's own (run follows the
 * event stream) or deadline-bounded polls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "letts/letts.h"


static ds_server S;
static letts_client *C;       /* right tokens */
static letts_client *NO_ADMIN; /* wrong admin token */
static letts_client *NO_DISPATCH; /* wrong dispatch token */

static letts_client *client_with(const char *dispatch_token, const char *admin_token) {
    return ds_client(&(ds_client_spec){.url = S.url,
                                       .token = dispatch_token,
                                       .admin_token = admin_token,
                                       .labels = "[local]",
                                       .retry_backoff_ms = 10});
}

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    ds_script(&S, "ok", "cat >/dev/null; echo '{\"event\":\"success\",\"return\":{\"ok\":true}}' >&3");
    ds_script(&S, "progress",
              "echo '{\"event\":\"progress\",\"value\":0.5,\"message\":\"half\"}' >&3; "
              "echo '{\"event\":\"progress\",\"message\":\"no value\"}' >&3; "
              "echo '{\"event\":\"progress\",\"value\":1}' >&3; "
              "echo '{\"event\":\"success\",\"return\":{\"done\":1}}' >&3");
    ds_script(&S, "fails",
              "echo '{\"event\":\"fail\",\"message\":\"boom\",\"reason\":\"bad_input\",\"details\":{\"k\":1}}' >&3; exit 1");
    ds_script(&S, "sleeper", "sleep 30; echo '{\"event\":\"success\"}' >&3");
    ds_script(&S, "logs", "echo out-line; echo err-line >&2; echo '{\"event\":\"success\"}' >&3");
    ds_script(&S, "writer",
              "printf 'report body\\n' > \"$LETTS_WORKDIR/out/report\"; "
              "echo '{\"event\":\"output_file\",\"key\":\"report\"}' >&3; echo '{\"event\":\"success\"}' >&3");
    ds_script(&S, "echo_input",
              "cp \"$LETTS_IN_data\" \"$LETTS_WORKDIR/out/copy\"; "
              "echo '{\"event\":\"output_file\",\"key\":\"copy\"}' >&3; echo '{\"event\":\"success\"}' >&3");
    C = client_with(S.dispatch_token, S.admin_token);
    NO_ADMIN = client_with(S.dispatch_token, "wrong-admin-token");
    NO_DISPATCH = client_with("wrong-dispatch-token", S.admin_token);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    letts_client_free(C);
    letts_client_free(NO_ADMIN);
    letts_client_free(NO_DISPATCH);
    ds_stop(&S);
    return 0;
}

static letts_job *job_on_dev(const char *mission) {
    return ds_job_on_dev(mission, "default");
}

static letts_run_result *run_ok(const letts_client *client, const letts_job *job,
                                const letts_run_options *opts) {
    letts_run_result *result = NULL;
    letts_error *err = NULL;
    letts_status st = letts_client_run(client, job, opts, &result, &err);
    if (st != LETTS_OK) fail_msg("run: %s", letts_error_message(err));
    return result;
}

/* Polls get_mission until `status` (deadline bounded). */
static letts_mission_info *wait_status(const char *id, const char *status) {
    long long deadline = ds_now_ms() + 15000;
    for (;;) {
        letts_mission_info *info = NULL;
        assert_int_equal(letts_client_get_mission(C, "dev", id, &info, NULL), LETTS_OK);
        if (info && strcmp(letts_mission_info_status(info), status) == 0) return info;
        letts_mission_info_free(info);
        if (ds_now_ms() > deadline) fail_msg("mission %s never reached %s", id, status);
        usleep(20000); /* polling interval of a deadline-bounded wait */
    }
}

static void test_dispatch_replay_and_conflict(void **state) {
    char id[37];
    char *got = NULL, *again = NULL;
    letts_error *err = NULL;
    letts_job *job = job_on_dev("ok");
    (void)state;
    ds_uuidv7(id);
    assert_int_equal(letts_job_set_mission_id(job, id, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_input_json(job, "{\"n\":1}", NULL), LETTS_OK);
    assert_int_equal(letts_client_dispatch(C, job, &got, &err), LETTS_OK);
    assert_string_equal(got, id);
    assert_int_equal(letts_client_dispatch(C, job, &again, &err), LETTS_OK); /* replay */
    assert_string_equal(again, id);
    assert_int_equal(letts_job_set_input_json(job, "{\"n\":2}", NULL), LETTS_OK);
    char *third = NULL;
    assert_int_equal(letts_client_dispatch(C, job, &third, &err), LETTS_ERR_CONFLICT);
    assert_null(third);
    assert_int_equal(letts_error_http_status(err), 409);
    assert_non_null(strstr(letts_error_message(err), "[dev] dispatch: "));
    assert_string_equal(letts_error_dugdale(err), "dev");
    letts_error_free(err);
    letts_free(got);
    letts_free(again);
    got = NULL;
    /* A malformed caller id is the daemon's 400. */
    err = NULL;
    assert_int_equal(letts_job_set_mission_id(job, "not-a-uuid", NULL), LETTS_OK);
    assert_int_equal(letts_client_dispatch(C, job, &got, &err), LETTS_ERR_BAD_REQUEST);
    assert_null(got);
    letts_error_free(err);
    letts_job_free(job);
}

static void test_job_timeout_in_milliseconds(void **state) {
    char id[37];
    char *got = NULL;
    letts_mission_info *info = NULL;
    letts_job *job = job_on_dev("ok");
    (void)state;
    /* 1500 ms travel as a Go duration the daemon reads back as 1500 ms. */
    ds_uuidv7(id);
    assert_int_equal(letts_job_set_mission_id(job, id, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_timeout_ms(job, 1500, NULL), LETTS_OK);
    assert_int_equal(letts_client_dispatch(C, job, &got, NULL), LETTS_OK);
    assert_int_equal(letts_client_get_mission(C, "dev", got, &info, NULL), LETTS_OK);
    assert_non_null(info);
    assert_int_equal(letts_mission_info_timeout_ms(info), 1500);
    letts_mission_info_free(info);
    letts_free(got);
    /* 0 clears it: no timeout is sent. */
    ds_uuidv7(id);
    assert_int_equal(letts_job_set_mission_id(job, id, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_timeout_ms(job, 0, NULL), LETTS_OK);
    assert_int_equal(letts_client_dispatch(C, job, &got, NULL), LETTS_OK);
    assert_int_equal(letts_client_get_mission(C, "dev", got, &info, NULL), LETTS_OK);
    assert_non_null(info);
    assert_int_equal(letts_mission_info_timeout_ms(info), 0);
    assert_null(strstr(letts_mission_info_json(info), "\"timeout_ms\":1500"));
    letts_mission_info_free(info);
    letts_free(got);
    letts_job_free(job);
}

typedef struct progress_log {
    int calls;
    int with_value;
    double last_value;
    char first_message[32];
} progress_log;

static int on_progress(int has_value, double value, const char *message, void *user_data) {
    progress_log *log = user_data;
    if (log->calls == 0 && message) snprintf(log->first_message, sizeof log->first_message, "%s", message);
    log->calls++;
    if (has_value) {
        log->with_value++;
        log->last_value = value;
    }
    return 0;
}

static void test_run_happy_path_with_progress(void **state) {
    progress_log log = {0};
    letts_run_options *opts = NULL;
    letts_job *job = job_on_dev("progress");
    int64_t exit_code = -1;
    (void)state;
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_progress(opts, on_progress, &log, NULL), LETTS_OK);
    letts_run_result *r = run_ok(C, job, opts);
    assert_int_equal(log.calls, 3);
    assert_int_equal(log.with_value, 2);
    assert_true(log.last_value == 1.0);
    assert_string_equal(log.first_message, "half");
    assert_string_equal(letts_run_result_outcome(r), "success");
    assert_true(letts_run_result_is_success(r));
    assert_string_equal(letts_run_result_host(r), "dev");
    assert_string_equal(letts_run_result_return_json(r), "{\"done\":1}");
    assert_true(letts_run_result_exit_code(r, &exit_code));
    assert_int_equal(exit_code, 0);
    assert_null(letts_run_result_fail_reason(r));
    assert_true(letts_run_result_time_finished_ms(r) > 0);
    assert_int_equal(letts_run_result_output_count(r), 0);
    size_t len = 99;
    assert_string_equal(letts_run_result_stdout(r, &len), ""); /* logs are opt-in */
    assert_int_equal(len, 0);
    letts_run_result_free(r);
    letts_run_options_free(opts);
    letts_job_free(job);
}

static int stop_at_first(int has_value, double value, const char *message, void *user_data) {
    (void)has_value; (void)value; (void)message;
    ++*(int *)user_data;
    return 1;
}

static void test_progress_callback_can_stop_the_wait(void **state) {
    int calls = 0;
    letts_run_options *opts = NULL;
    letts_run_result *r = NULL;
    letts_error *err = NULL;
    letts_job *job = job_on_dev("progress");
    (void)state;
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_progress(opts, stop_at_first, &calls, NULL), LETTS_OK);
    assert_int_equal(letts_client_run(C, job, opts, &r, &err), LETTS_ERR_INTERRUPTED);
    assert_int_equal(calls, 1);
    assert_null(r);
    letts_error_free(err);
    letts_run_options_free(opts);
    letts_job_free(job);
}

static void test_run_failure_as_error(void **state) {
    letts_run_result *r = NULL;
    letts_error *err = NULL;
    letts_run_options *opts = NULL;
    letts_job *job = job_on_dev("fails");
    (void)state;
    assert_int_equal(letts_client_run(C, job, NULL, &r, &err), LETTS_ERR_MISSION_FAILED);
    assert_string_equal(letts_error_message(err), "mission failed: boom");
    assert_string_equal(letts_error_code(err), "bad_input");
    const letts_run_result *carried = letts_error_run_result(err);
    assert_non_null(carried);
    assert_string_equal(letts_run_result_outcome(carried), "failed");
    assert_string_equal(letts_run_result_fail_details_json(carried), "{\"k\":1}");
    assert_non_null(r);
    /* error.h: a failed mission's error names it. */
    assert_non_null(letts_error_mission_id(err));
    assert_string_equal(letts_error_mission_id(err), letts_run_result_mission_id(r));
    assert_string_equal(letts_run_result_fail_message(r), "boom");
    letts_error_free(err); /* the result handle outlives the error */
    assert_string_equal(letts_run_result_fail_reason(r), "bad_input");
    letts_run_result_free(r);

    /* An error already in *err on entry is the caller's: left exactly as it
       was (errors are immutable), while the result still reaches *result. */
    letts_error *earlier = NULL;
    assert_int_equal(letts_job_set_input_json(job, "[1]", &earlier), LETTS_ERR_INVALID_ARGUMENT);
    assert_non_null(earlier);
    err = earlier;
    assert_int_equal(letts_client_run(C, job, NULL, &r, &err), LETTS_ERR_MISSION_FAILED);
    assert_ptr_equal(err, earlier);
    assert_int_equal(letts_error_status(err), LETTS_ERR_INVALID_ARGUMENT);
    assert_string_equal(letts_error_message(err), "letts_job_set_input_json: input must be a JSON object");
    assert_null(letts_error_run_result(err));
    assert_null(letts_error_code(err));
    assert_non_null(r);
    assert_string_equal(letts_run_result_outcome(r), "failed");
    letts_run_result_free(r);
    letts_error_free(err);
    err = NULL;

    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_failure_as_error(opts, 0, NULL), LETTS_OK);
    r = run_ok(C, job, opts);
    assert_string_equal(letts_run_result_outcome(r), "failed");
    assert_false(letts_run_result_is_success(r));
    letts_run_result_free(r);
    letts_run_options_free(opts);
    letts_job_free(job);
}

static void test_wait_timeout_leaves_mission_running_then_kill(void **state) {
    letts_run_options *opts = NULL;
    letts_run_result *r = NULL;
    letts_error *err = NULL;
    char id[37];
    letts_job *job = job_on_dev("sleeper");
    (void)state;
    ds_uuidv7(id);
    assert_int_equal(letts_job_set_mission_id(job, id, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_wait_timeout_ms(opts, 1000, NULL), LETTS_OK);
    const long long started = ds_now_ms();
    assert_int_equal(letts_client_run(C, job, opts, &r, &err), LETTS_ERR_WAIT_TIMEOUT);
    assert_true(ds_now_ms() - started < 4000);
    assert_string_equal(letts_error_message(err), "wait-timeout exceeded before a terminal event");
    letts_error_free(err);
    assert_null(r);
    letts_mission_info *info = wait_status(id, "running");
    letts_mission_info_free(info);

    /* Kill is never retried and is an admin operation. */
    err = NULL;
    assert_int_equal(letts_client_kill(NO_ADMIN, "dev", id, NULL, &err), LETTS_ERR_AUTH);
    letts_error_free(err);
    assert_int_equal(letts_client_kill(C, "dev", id, "TERM", NULL), LETTS_OK);
    info = wait_status(id, "done");
    assert_string_equal(letts_mission_info_outcome(info), "killed");
    letts_mission_info_free(info);
    err = NULL;
    assert_int_equal(letts_client_kill(C, "dev", id, NULL, &err), LETTS_ERR_CONFLICT);
    assert_int_equal(letts_error_http_status(err), 409);
    letts_error_free(err);

    /* Restart makes a new mission; delete (forced) removes it. */
    char *new_id = NULL;
    assert_int_equal(letts_client_restart(C, "dev", id, &new_id, NULL), LETTS_OK);
    assert_non_null(new_id);
    assert_string_not_equal(new_id, id);
    info = wait_status(new_id, "running");
    assert_string_equal(letts_mission_info_restarted_from(info), id);
    letts_mission_info_free(info);
    err = NULL;
    assert_int_equal(letts_client_delete(C, "dev", new_id, 0, &err), LETTS_ERR_CONFLICT);
    letts_error_free(err);
    assert_int_equal(letts_client_delete(C, "dev", new_id, 1, NULL), LETTS_OK);
    long long deadline = ds_now_ms() + 15000;
    for (;;) {
        assert_int_equal(letts_client_get_mission(C, "dev", new_id, &info, NULL), LETTS_OK);
        if (!info) break; /* deleting and deleted both read as not found */
        letts_mission_info_free(info);
        assert_true(ds_now_ms() < deadline);
        usleep(20000);
    }
    letts_free(new_id);
    letts_run_options_free(opts);
    letts_job_free(job);
}

static void test_logs_are_opt_in(void **state) {
    letts_run_options *opts = NULL;
    letts_job *job = job_on_dev("logs");
    size_t len = 0;
    (void)state;
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_fetch_logs(opts, 1, NULL), LETTS_OK);
    letts_run_result *r = run_ok(C, job, opts);
    assert_string_equal(letts_run_result_stdout(r, &len), "out-line\n");
    assert_int_equal(len, 9);
    assert_string_equal(letts_run_result_stderr(r, NULL), "err-line\n");
    assert_false(letts_run_result_stdout_truncated(r));
    letts_run_result_free(r);
    letts_run_options_free(opts);
    letts_job_free(job);
}

static void test_outputs_to_folder_and_memory(void **state) {
    char dir[] = "/tmp/client-out-XXXXXX";
    char path[256], body[64] = {0};
    letts_run_options *opts = NULL;
    letts_job *job = job_on_dev("writer");
    char *data = NULL;
    size_t len = 0;
    letts_error *err = NULL;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/nested/deeper", dir);
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_outputs_folder(opts, path, NULL), LETTS_OK);
    letts_run_result *r = run_ok(C, job, opts);
    assert_int_equal(letts_run_result_output_count(r), 1);
    assert_string_equal(letts_run_result_output_role(r, 0), "report");
    assert_int_equal(letts_run_result_output_size(r, 0), 12);
    assert_int_equal(strlen(letts_run_result_output_sha256(r, 0)), 64);

    snprintf(path, sizeof path, "%s/nested/deeper/report", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(body, 1, sizeof body - 1, f), 12);
    fclose(f);
    assert_string_equal(body, "report body\n");
    snprintf(path, sizeof path, "%s/nested/deeper/report.partial", dir);
    assert_int_not_equal(access(path, F_OK), 0);

    assert_int_equal(letts_client_download_output(C, r, "report", &data, &len, NULL), LETTS_OK);
    assert_int_equal(len, 12);
    assert_memory_equal(data, "report body\n", 12);
    letts_free(data);
    assert_int_equal(letts_client_download_output(C, r, "nope", &data, &len, &err), LETTS_ERR_BAD_REQUEST);
    assert_string_equal(letts_error_message(err), "no output file with key \"nope\" (have: report)");
    letts_error_free(err);
    /* The download is a dispatch-scope operation. */
    assert_int_equal(letts_client_download_output(NO_ADMIN, r, "report", &data, &len, NULL), LETTS_OK);
    letts_free(data);
    letts_run_result_free(r);

    /* An unwritable folder fails the run with a staging error. */
    err = NULL;
    assert_int_equal(letts_run_options_set_outputs_folder(opts, "/proc/no-such/dir", NULL), LETTS_OK);
    r = NULL;
    assert_int_equal(letts_client_run(C, job, opts, &r, &err), LETTS_ERR_STAGING);
    assert_non_null(strstr(letts_error_message(err), "cannot create download dir"));
    letts_error_free(err);
    letts_run_options_free(opts);
    letts_job_free(job);
}

static void test_input_file_is_staged_and_echoed(void **state) {
    char path[] = "/tmp/client-in-XXXXXX";
    const size_t size = 3 * 1024 * 1024 + 17;
    char *bytes = malloc(size), *data = NULL;
    size_t len = 0;
    letts_job *job = job_on_dev("echo_input");
    (void)state;
    assert_non_null(bytes);
    for (size_t i = 0; i < size; ++i) bytes[i] = (char)(i * 31 + 7);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, size), (ssize_t)size);
    close(fd);
    assert_int_equal(letts_job_add_file(job, "data", path, NULL), LETTS_OK);
    letts_run_result *r = run_ok(C, job, NULL);
    assert_int_equal(letts_client_download_output(C, r, "copy", &data, &len, NULL), LETTS_OK);
    assert_int_equal(len, size);
    assert_memory_equal(data, bytes, size);
    letts_free(data);

    letts_mission_info *info = NULL;
    assert_int_equal(letts_client_get_mission(C, "dev", letts_run_result_mission_id(r), &info, NULL), LETTS_OK);
    assert_int_equal(letts_mission_info_input_count(info), 1);
    assert_string_equal(letts_mission_info_input_role(info, 0), "data");
    assert_int_equal(letts_mission_info_input_size(info, 0), (int64_t)size);
    letts_mission_info_free(info);
    letts_run_result_free(r);

    /* A missing file fails before anything is sent. */
    letts_error *err = NULL;
    char *id = NULL;
    assert_int_equal(letts_job_add_file(job, "data", "/nonexistent/file", NULL), LETTS_OK);
    assert_int_equal(letts_client_dispatch(C, job, &id, &err), LETTS_ERR_STAGING);
    assert_string_equal(letts_error_message(err), "file not found: /nonexistent/file");
    letts_error_free(err);
    unlink(path);
    free(bytes);
    letts_job_free(job);
}

static void test_get_and_list(void **state) {
    char id[37];
    letts_mission_info *info = NULL;
    letts_mission_list *page = NULL, *next = NULL;
    letts_list_filter *filter = NULL;
    letts_job *job = job_on_dev("ok");
    letts_error *err = NULL;
    (void)state;
    ds_uuidv7(id);
    assert_int_equal(letts_job_set_mission_id(job, id, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_input_json(job, "{\"who\":\"list\"}", NULL), LETTS_OK);
    letts_run_result *r = run_ok(C, job, NULL);
    letts_run_result_free(r);
    letts_job *second = job_on_dev("ok"); /* a second page for the cursor */
    letts_run_result_free(run_ok(C, second, NULL));
    letts_job_free(second);

    assert_int_equal(letts_client_get_mission(C, "dev", id, &info, NULL), LETTS_OK);
    assert_non_null(info);
    assert_string_equal(letts_mission_info_mission_id(info), id);
    assert_string_equal(letts_mission_info_kind(info), "mission");
    assert_string_equal(letts_mission_info_lane(info), "default");
    assert_string_equal(letts_mission_info_mission_name(info), "ok");
    assert_string_equal(letts_mission_info_status(info), "done");
    assert_string_equal(letts_mission_info_input_json(info), "{\"who\":\"list\"}");
    assert_string_equal(letts_mission_info_return_json(info), "{\"ok\":true}");
    assert_true(letts_mission_info_time_created_ms(info) > 0);
    letts_mission_info_free(info);
    /* Without a host every dugdale is asked. */
    assert_int_equal(letts_client_get_mission(C, NULL, id, &info, NULL), LETTS_OK);
    assert_non_null(info);
    letts_mission_info_free(info);
    /* Not found is not an error. */
    char unknown[37];
    ds_uuidv7(unknown);
    assert_int_equal(letts_client_get_mission(C, "dev", unknown, &info, NULL), LETTS_OK);
    assert_null(info);
    assert_int_equal(letts_client_get_mission(C, NULL, unknown, &info, NULL), LETTS_OK);
    assert_null(info);

    assert_int_equal(letts_list_filter_new(&filter, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_limit(filter, 1, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_mission(filter, "ok", NULL), LETTS_OK);
    assert_int_equal(letts_client_list_missions(C, "dev", filter, &page, NULL), LETTS_OK);
    assert_int_equal(letts_mission_list_count(page), 1);
    assert_non_null(letts_mission_list_next_cursor(page));
    assert_int_equal(letts_list_filter_set_cursor(filter, letts_mission_list_next_cursor(page), NULL), LETTS_OK);
    assert_int_equal(letts_client_list_missions(C, "dev", filter, &next, NULL), LETTS_OK);
    assert_int_equal(letts_mission_list_count(next), 1);
    assert_string_not_equal(letts_mission_info_mission_id(letts_mission_list_get(page, 0)),
                            letts_mission_info_mission_id(letts_mission_list_get(next, 0)));
    letts_mission_list_free(page);
    letts_mission_list_free(next);
    assert_int_equal(letts_client_list_missions(C, NULL, filter, &page, &err), LETTS_ERR_BAD_REQUEST);
    assert_string_equal(letts_error_message(err), "host is required for listMissions");
    letts_error_free(err);
    letts_list_filter_free(filter);

    /* The typed filters reach the daemon in its encoding (integer ms for
       since/until): a window of one millisecond at the first mission's
       creation finds it, the next millisecond's window does not. */
    assert_int_equal(letts_client_get_mission(C, "dev", id, &info, NULL), LETTS_OK);
    const int64_t created = letts_mission_info_time_created_ms(info);
    letts_mission_info_free(info);
    assert_int_equal(letts_list_filter_new(&filter, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_since_ms(filter, created, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_until_ms(filter, created + 1, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_order(filter, "finished", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_status(filter, "done", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_kind(filter, "mission", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_mission_prefix(filter, "o", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_lane(filter, "default", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_limit(filter, 1000, NULL), LETTS_OK);
    assert_int_equal(letts_client_list_missions(C, "dev", filter, &page, NULL), LETTS_OK);
    int found = 0;
    for (size_t i = 0; i < letts_mission_list_count(page); ++i) {
        const letts_mission_info *m = letts_mission_list_get(page, i);
        assert_true(letts_mission_info_time_created_ms(m) == created);
        if (strcmp(letts_mission_info_mission_id(m), id) == 0) found = 1;
    }
    assert_true(found);
    letts_mission_list_free(page);
    assert_int_equal(letts_list_filter_set_since_ms(filter, created + 1, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_until_ms(filter, created + 2, NULL), LETTS_OK);
    assert_int_equal(letts_client_list_missions(C, "dev", filter, &page, NULL), LETTS_OK);
    for (size_t i = 0; i < letts_mission_list_count(page); ++i) {
        const letts_mission_info *m = letts_mission_list_get(page, i);
        assert_true(letts_mission_info_time_created_ms(m) == created + 1);
        assert_string_not_equal(letts_mission_info_mission_id(m), id);
    }
    letts_mission_list_free(page);
    letts_list_filter_free(filter);
    letts_job_free(job);
}

/*
 * With a wrong admin token, every dispatch-scope operation still succeeds
 * (so the admin token is not what they send) and every admin operation is
 * refused (so they do send it); with a wrong dispatch token the reverse.
 */
static void test_token_scope_per_operation(void **state) {
    letts_job *job = job_on_dev("ok");
    letts_mission_list *page = NULL;
    letts_mission_info *info = NULL;
    letts_error *err = NULL;
    char *id = NULL, *json = NULL;
    (void)state;
    /* dispatch scope with a wrong admin token */
    assert_int_equal(letts_client_dispatch(NO_ADMIN, job, &id, NULL), LETTS_OK);
    letts_run_result *r = run_ok(NO_ADMIN, job, NULL);
    letts_run_result_free(r);
    assert_int_equal(letts_client_get_mission(NO_ADMIN, "dev", id, &info, NULL), LETTS_OK);
    assert_non_null(info);
    letts_mission_info_free(info);
    assert_int_equal(letts_client_lanes(NO_ADMIN, "dev", &json, NULL), LETTS_OK);
    assert_non_null(strstr(json, "\"default\""));
    letts_free(json);
    /* admin scope with a wrong admin token */
    assert_int_equal(letts_client_list_missions(NO_ADMIN, "dev", NULL, &page, &err), LETTS_ERR_AUTH);
    assert_int_equal(letts_error_http_status(err), 401);
    assert_null(strstr(letts_error_message(err), "wrong-admin-token"));
    letts_error_free(err);
    err = NULL;
    assert_int_equal(letts_client_admin_state(NO_ADMIN, "dev", &json, &err), LETTS_ERR_AUTH);
    letts_error_free(err);

    /* admin scope with a wrong dispatch token */
    assert_int_equal(letts_client_list_missions(NO_DISPATCH, "dev", NULL, &page, NULL), LETTS_OK);
    letts_mission_list_free(page);
    assert_int_equal(letts_client_admin_state(NO_DISPATCH, "dev", &json, NULL), LETTS_OK);
    letts_free(json);
    assert_int_equal(letts_client_delete(NO_DISPATCH, "dev", id, 1, NULL), LETTS_OK);
    /* dispatch scope with a wrong dispatch token */
    char *other = NULL;
    err = NULL;
    assert_int_equal(letts_client_dispatch(NO_DISPATCH, job, &other, &err), LETTS_ERR_AUTH);
    assert_null(other);
    assert_null(strstr(letts_error_message(err), "wrong-dispatch-token"));
    letts_error_free(err);
    err = NULL;
    assert_int_equal(letts_client_get_mission(NO_DISPATCH, "dev", id, &info, &err), LETTS_ERR_AUTH);
    letts_error_free(err);
    letts_free(id);
    letts_job_free(job);
}

typedef struct observed {
    int calls;
    letts_status status;
    char method[32], phase[32], mission_id[37];
} observed;

static void observer(const letts_launch_failure *failure, void *user_data) {
    observed *o = user_data;
    o->calls++;
    o->status = letts_error_status(letts_launch_failure_error(failure));
    snprintf(o->method, sizeof o->method, "%s", letts_launch_failure_method(failure));
    snprintf(o->phase, sizeof o->phase, "%s", letts_launch_failure_phase(failure));
    snprintf(o->mission_id, sizeof o->mission_id, "%s", letts_launch_failure_mission_id(failure));
}

static void test_try_dispatch_and_observer(void **state) {
    observed o = {0};
    letts_client *watched = NULL;
    letts_job *job = job_on_dev("ok");
    char id[37];
    (void)state;
    ds_uuidv7(id);
    assert_int_equal(letts_job_set_mission_id(job, id, NULL), LETTS_OK);
    assert_int_equal(letts_client_with_failure_observer(NO_DISPATCH, observer, &o, &watched, NULL), LETTS_OK);
    char *refused = (char *)&o; /* must be reset */
    letts_error *err = NULL;
    /* A swallowed launch failure is LETTS_OK with no id, after the observer. */
    assert_int_equal(letts_client_try_dispatch(watched, job, &refused, &err), LETTS_OK);
    assert_null(refused);
    assert_null(err);
    assert_int_equal(o.calls, 1);
    assert_int_equal(o.status, LETTS_ERR_AUTH);
    assert_string_equal(o.method, "tryDispatch");
    assert_string_equal(o.phase, "dispatch");
    assert_string_equal(o.mission_id, id); /* the key that was sent */
    letts_client_free(watched);

    char *ok = NULL;
    assert_int_equal(letts_client_try_dispatch(C, job, &ok, NULL), LETTS_OK);
    assert_non_null(ok);
    assert_string_equal(ok, id);
    letts_free(ok);
    letts_job_free(job);
}

static void test_fan_out_results_in_input_order(void **state) {
    letts_job *first = job_on_dev("progress");
    letts_job *no_lane = NULL;
    letts_job *failing = job_on_dev("fails");
    letts_host_results *results = NULL;
    const char *labels[] = {"local"};
    (void)state;
    assert_int_equal(letts_job_new(&no_lane, "ok", NULL), LETTS_OK);
    assert_int_equal(letts_job_set_host(no_lane, "dev", NULL), LETTS_OK);
    const letts_job *jobs[] = {first, no_lane, failing};
    letts_run_options *twenty_s = NULL, *one_s = NULL;
    assert_int_equal(letts_run_options_new(&twenty_s, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_wait_timeout_ms(twenty_s, 20000, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_new(&one_s, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_wait_timeout_ms(one_s, 1000, NULL), LETTS_OK);
    assert_int_equal(letts_client_run_parallel(C, jobs, 3, twenty_s, &results, NULL), LETTS_OK);
    assert_int_equal(letts_host_results_count(results), 3);
    assert_true(letts_host_results_is_success(results, 0));
    assert_string_equal(letts_host_results_host(results, 0), "dev");
    assert_string_equal(letts_run_result_return_json(letts_host_results_result(results, 0)), "{\"done\":1}");
    assert_false(letts_host_results_is_reachable(results, 1));
    assert_string_equal(letts_host_results_error_kind(results, 1), "bad_request");
    assert_true(letts_host_results_is_reachable(results, 2));
    assert_false(letts_host_results_is_success(results, 2));
    assert_string_equal(letts_run_result_outcome(letts_host_results_result(results, 2)), "failed");
    letts_host_results_free(results);

    /* runOnAll over the labelled dugdales. */
    letts_job *everywhere = NULL;
    assert_int_equal(letts_job_new(&everywhere, "ok", NULL), LETTS_OK);
    assert_int_equal(letts_job_set_lane(everywhere, "default", NULL), LETTS_OK);
    assert_int_equal(letts_job_set_match(everywhere, labels, 1, NULL), LETTS_OK);
    assert_int_equal(letts_client_run_on_all(C, everywhere, NULL, &results, NULL), LETTS_OK);
    assert_int_equal(letts_host_results_count(results), 1);
    assert_true(letts_host_results_is_success(results, 0));
    letts_host_results_free(results);

    /* Auth failures are per-job host errors with the real status. */
    assert_int_equal(letts_client_run_parallel(NO_DISPATCH, jobs, 1, NULL, &results, NULL), LETTS_OK);
    assert_string_equal(letts_host_results_error_kind(results, 0), "auth");
    assert_int_equal(letts_host_results_error_http_status(results, 0), 401);
    letts_host_results_free(results);

    /* A shared deadline ends silent jobs as timeouts. */
    letts_job *sleeper = job_on_dev("sleeper");
    const letts_job *slow[] = {sleeper};
    const long long started = ds_now_ms();
    assert_int_equal(letts_client_run_parallel(C, slow, 1, one_s, &results, NULL), LETTS_OK);
    assert_true(ds_now_ms() - started < 4000);
    assert_string_equal(letts_host_results_error_kind(results, 0), "timeout");
    letts_host_results_free(results);
    /* runOnAll shares the run options' deadline the same way. */
    letts_job *sleep_everywhere = NULL;
    assert_int_equal(letts_job_new(&sleep_everywhere, "sleeper", NULL), LETTS_OK);
    assert_int_equal(letts_job_set_lane(sleep_everywhere, "default", NULL), LETTS_OK);
    assert_int_equal(letts_job_set_match(sleep_everywhere, labels, 1, NULL), LETTS_OK);
    const long long started_all = ds_now_ms();
    assert_int_equal(letts_client_run_on_all(C, sleep_everywhere, one_s, &results, NULL), LETTS_OK);
    assert_true(ds_now_ms() - started_all < 4000);
    assert_int_equal(letts_host_results_count(results), 1);
    assert_string_equal(letts_host_results_error_kind(results, 0), "timeout");
    letts_host_results_free(results);
    letts_job_free(sleep_everywhere);
    letts_run_options_free(twenty_s);
    letts_run_options_free(one_s);
    letts_job_free(sleeper);
    letts_job_free(everywhere);
    letts_job_free(first);
    letts_job_free(no_lane);
    letts_job_free(failing);
}

/* Settled (docs/settled-http-and-client.md): a job whose target cannot be
 * resolved aborts the whole fan-out, and no earlier job has been sent — the
 * PHP client would already have dispatched them, leaving missions whose ids
 * the caller never learns. */
static void test_fan_out_config_error_sends_nothing(void **state) {
    (void)state;
    char id[37];
    ds_uuidv7(id);
    letts_job *first = job_on_dev("ok");
    assert_int_equal(letts_job_set_mission_id(first, id, NULL), LETTS_OK);
    letts_job *unknown = NULL;
    assert_int_equal(letts_job_new(&unknown, "ok", NULL), LETTS_OK);
    assert_int_equal(letts_job_set_host(unknown, "nowhere", NULL), LETTS_OK);
    assert_int_equal(letts_job_set_lane(unknown, "default", NULL), LETTS_OK);
    const letts_job *jobs[] = {first, unknown};
    letts_host_results *results = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_run_parallel(C, jobs, 2, NULL, &results, &err), LETTS_ERR_CONFIG);
    assert_null(results);
    assert_non_null(strstr(letts_error_message(err), "nowhere"));
    letts_error_free(err);
    char path[96];
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 404);
    ds_resp_free(&r);
    letts_job_free(first);
    letts_job_free(unknown);
}

typedef struct collected {
    int events;
    char last[256];
    char bytes[256];
    size_t len;
} collected;

static int on_event(const char *line, size_t len, void *user_data) {
    collected *c = user_data;
    c->events++;
    snprintf(c->last, sizeof c->last, "%.*s", (int)len, line);
    return 0;
}

static int on_bytes(const char *data, size_t len, void *user_data) {
    collected *c = user_data;
    if (c->len + len < sizeof c->bytes) {
        memcpy(c->bytes + c->len, data, len);
        c->len += len;
    }
    return 0;
}

static void test_streams_and_inspection(void **state) {
    letts_job *job = job_on_dev("logs");
    collected events = {0}, output = {0};
    char *json = NULL;
    (void)state;
    letts_run_result *r = run_ok(C, job, NULL);
    const char *id = letts_run_result_mission_id(r);
    assert_int_equal(letts_client_follow_events(C, "dev", id, 0, 0, on_event, &events, NULL), LETTS_OK);
    assert_true(events.events >= 3); /* queued, running, done */
    assert_non_null(strstr(events.last, "\"done\""));
    collected from = {0};
    assert_int_equal(letts_client_follow_events(C, "dev", id, 1, 1, on_event, &from, NULL), LETTS_OK);
    assert_int_equal(from.events, events.events - 1); /* from is exclusive */
    assert_int_equal(letts_client_stream_output(C, "dev", id, "stdout", 0, on_bytes, &output, NULL), LETTS_OK);
    assert_int_equal(output.len, 9);
    assert_memory_equal(output.bytes, "out-line\n", 9);
    letts_error *err = NULL;
    assert_int_equal(letts_client_stream_output(C, "dev", id, "STDOUT", 0, on_bytes, &output, &err),
                     LETTS_ERR_INVALID_ARGUMENT);
    letts_error_free(err);
    assert_int_equal(letts_client_healthz(C, "dev", &json, NULL), LETTS_OK);
    assert_non_null(strstr(json, "ok"));
    letts_free(json);
    assert_int_equal(letts_client_readyz(C, "dev", NULL, NULL), LETTS_OK);
    assert_int_equal(letts_client_dugdale_info(C, "dev", &json, NULL), LETTS_OK);
    assert_non_null(strstr(json, "queue_summary"));
    letts_free(json);
    assert_int_equal(letts_client_pause_lane(C, "dev", "default", NULL), LETTS_OK);
    assert_int_equal(letts_client_lanes(C, "dev", &json, NULL), LETTS_OK);
    assert_non_null(strstr(json, "\"paused\":true"));
    letts_free(json);
    assert_int_equal(letts_client_continue_lane(C, "dev", "default", NULL), LETTS_OK);
    letts_run_result_free(r);
    letts_job_free(job);
}

/* Admin apply and state through the client: a merge apply adds a lane the
 * state then reports; a malformed document is the server's 400 mapped to
 * LETTS_ERR_BAD_REQUEST with its error code; the dispatch token cannot apply. */
static void test_admin_apply_and_state(void **state) {
    (void)state;
    char body[1024];
    snprintf(body, sizeof body,
             "{\"mission_dir\":\"%s\",\"lanes\":{\"batch\":{\"concurrency\":2}},"
             "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}",
             S.mission_dir);
    char *json = NULL;
    assert_int_equal(letts_client_admin_apply(C, "dev", body, &json, NULL), LETTS_OK);
    assert_non_null(json);
    letts_free(json);
    json = NULL;
    assert_int_equal(letts_client_admin_state(C, "dev", &json, NULL), LETTS_OK);
    assert_non_null(strstr(json, "\"batch\""));
    assert_non_null(strstr(json, "\"default\"")); /* merge kept the lane applied at start */
    letts_free(json);
    json = NULL;
    assert_int_equal(letts_client_lanes(C, "dev", &json, NULL), LETTS_OK);
    assert_non_null(strstr(json, "\"batch\""));
    letts_free(json);
    json = NULL;

    letts_error *err = NULL;
    assert_int_equal(letts_client_admin_apply(C, "dev", "{\"lanes\":[1]}", &json, &err), LETTS_ERR_BAD_REQUEST);
    assert_null(json);
    assert_int_equal(letts_error_http_status(err), 400);
    assert_non_null(letts_error_code(err));
    assert_non_null(strstr(letts_error_message(err), "dev"));
    letts_error_free(err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispatch_replay_and_conflict),
        cmocka_unit_test(test_job_timeout_in_milliseconds),
        cmocka_unit_test(test_run_happy_path_with_progress),
        cmocka_unit_test(test_progress_callback_can_stop_the_wait),
        cmocka_unit_test(test_run_failure_as_error),
        cmocka_unit_test(test_wait_timeout_leaves_mission_running_then_kill),
        cmocka_unit_test(test_logs_are_opt_in),
        cmocka_unit_test(test_outputs_to_folder_and_memory),
        cmocka_unit_test(test_input_file_is_staged_and_echoed),
        cmocka_unit_test(test_get_and_list),
        cmocka_unit_test(test_token_scope_per_operation),
        cmocka_unit_test(test_try_dispatch_and_observer),
        cmocka_unit_test(test_fan_out_results_in_input_order),
        cmocka_unit_test(test_fan_out_config_error_sends_nothing),
        cmocka_unit_test(test_streams_and_inspection),
        cmocka_unit_test(test_admin_apply_and_state),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
