/*
 * letts/exec.h end to end against an embedded devserver with exec enabled:
 * exec run (script, `in` file, stdin bytes, declared output, logs, exit
 * code) through a client whose letts.yaml holds no dispatch token at all,
 * so every read of the exec — its events, logs, the output download —
 * must have used the exec token; dispatch and get with group id and
 * display name as the daemon stored them; a failing exit; the admin calls
 * (list by kind and group, kill, restart, delete) on execs; kind isolation
 * seen from both sides; idempotency; and the configuration and argument
 * mistakes refused before anything is sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "letts/letts.h"

#define EXEC_YAML \
    DS_YAML_HEAD  \
    "exec:\n  enabled: true\n  tokens: [exec-token]\n"

static ds_server S;
static letts_client *EXEC;    /* exec_token + admin_token, no dispatch token */
static letts_client *MISSION; /* dispatch token + admin token, no exec token */
static char DIR_[300];        /* local files of the tests */

/* A client of S whose `auth:` block is `auth` (YAML flow mapping). */
static letts_client *client_with(const char *auth) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "auth: %s\ndugdales:\n  - id: dev\n    url: \"%s\"\n    lanes: {default: {concurrency: 4}}\n", auth,
             S.url);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    if (letts_config_load_string(&cfg, yaml, strlen(yaml), "client.yaml", &err) != LETTS_OK)
        fail_msg("client.yaml: %s", letts_error_message(err));
    letts_client *client = NULL;
    assert_int_equal(letts_client_new(&client, cfg, NULL, NULL), LETTS_OK);
    letts_config_free(cfg);
    return client;
}

static int setup(void **state) {
    (void)state;
    ds_start(&S, EXEC_YAML);
    ds_apply_lanes(&S, "{\"default\":{\"concurrency\":4}}");
    EXEC = client_with("{exec_token: exec-token, admin_token: admin-token}");
    MISSION = client_with("{token: dispatch-token, admin_token: admin-token}");
    snprintf(DIR_, sizeof DIR_, "%s/exec-client-files", S.mission_dir);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", DIR_);
    assert_int_equal(system(cmd), 0);
    ds_script(&S, "quick", "echo '{\"event\":\"success\"}' >&3");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    letts_client_free(EXEC);
    letts_client_free(MISSION);
    ds_stop(&S);
    return 0;
}

static void assert_contains(const char *text, const char *needle) {
    if (!text || !strstr(text, needle)) fail_msg("\"%s\" does not contain \"%s\"", text ? text : "(null)", needle);
}

/* Writes `content` to the local file `name`; its path goes to `path`. */
static void local_file(const char *name, const char *content, char *path, size_t size) {
    snprintf(path, size, "%s/%s", DIR_, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static letts_exec_spec *spec_of(const char *const *argv, size_t argc) {
    letts_exec_spec *spec = NULL;
    assert_int_equal(letts_exec_spec_new(&spec, NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_host(spec, "dev", NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_lane(spec, "default", NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_command(spec, argv, argc, NULL), LETTS_OK);
    return spec;
}

static char *dispatched(const letts_exec_spec *spec) {
    char *id = NULL;
    letts_error *err = NULL;
    if (letts_client_exec_dispatch(EXEC, spec, &id, &err) != LETTS_OK)
        fail_msg("exec dispatch: %s", letts_error_message(err));
    return id;
}

/* ---- run ------------------------------------------------------------------ */

static void test_exec_run_stages_script_in_and_stdin_and_downloads_the_output(void **state) {
    (void)state;
    char script[400], data[400];
    local_file("script.sh",
               "tr a-z A-Z < \"$LETTS_IN_data\" > \"$LETTS_OUT_res\"\n"
               "cat\necho to-stderr >&2\nexit 0\n",
               script, sizeof script);
    local_file("data.txt", "hello exec\n", data, sizeof data);
    const char *argv[] = {"sh", "-e", "script/script"};
    letts_exec_spec *spec = spec_of(argv, 3);
    assert_int_equal(letts_exec_spec_set_script_file(spec, script, NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_add_input_file(spec, "data", data, NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_add_output(spec, "res", NULL), LETTS_OK);
    static const char in_bytes[] = "line one\0binary\nline two\n";
    assert_int_equal(letts_exec_spec_set_stdin(spec, in_bytes, sizeof in_bytes - 1, NULL), LETTS_OK);
    letts_run_options *opts = NULL;
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_fetch_logs(opts, 1, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_wait_timeout_ms(opts, 20000, NULL), LETTS_OK);

    letts_run_result *result = NULL;
    letts_error *err = NULL;
    if (letts_client_exec_run(EXEC, spec, opts, &result, &err) != LETTS_OK)
        fail_msg("exec run: %s", letts_error_message(err));
    assert_string_equal(letts_run_result_outcome(result), "success");
    assert_string_equal(letts_run_result_kind(result), "exec");
    int64_t code = -5;
    assert_int_equal(letts_run_result_exit_code(result, &code), 1);
    assert_int_equal(code, 0);
    size_t len = 0;
    const char *out = letts_run_result_stdout(result, &len);
    assert_int_equal(len, sizeof in_bytes - 1); /* stdin bytes, NUL included, came back */
    assert_memory_equal(out, in_bytes, len);
    assert_string_equal(letts_run_result_stderr(result, NULL), "to-stderr\n");
    assert_int_equal(letts_run_result_output_count(result), 1);
    assert_string_equal(letts_run_result_output_role(result, 0), "res");
    char *bytes = NULL;
    if (letts_client_download_output(EXEC, result, "res", &bytes, &len, &err) != LETTS_OK)
        fail_msg("download: %s", letts_error_message(err));
    assert_string_equal(bytes, "HELLO EXEC\n");
    letts_free(bytes);
    /* A result rebuilt from JSON (as the bindings do) downloads with the
     * exec token when it says kind "exec"; as a mission's it would need the
     * dispatch token this client does not have. */
    char doc[1024];
    snprintf(doc, sizeof doc,
             "{\"mission_id\":\"%s\",\"outcome\":\"success\",\"kind\":\"%s\",\"outputs\":{\"res\":"
             "{\"staging_id\":\"%s\",\"sha256\":\"%s\",\"size\":%lld}}}",
             letts_run_result_mission_id(result), "exec", letts_run_result_output_staging_id(result, 0),
             letts_run_result_output_sha256(result, 0), (long long)letts_run_result_output_size(result, 0));
    letts_run_result *rebuilt = NULL;
    assert_int_equal(letts_run_result_from_json(&rebuilt, "dev", doc, NULL), LETTS_OK);
    assert_string_equal(letts_run_result_kind(rebuilt), "exec");
    assert_int_equal(letts_client_download_output(EXEC, rebuilt, "res", &bytes, &len, NULL), LETTS_OK);
    assert_string_equal(bytes, "HELLO EXEC\n");
    letts_free(bytes);
    letts_run_result_free(rebuilt);
    char *kind = strstr(doc, "\"exec\"");
    memcpy(kind, "\"miss\"", 6); /* kind "miss": refused */
    assert_int_equal(letts_run_result_from_json(&rebuilt, "dev", doc, NULL), LETTS_ERR_INVALID_ARGUMENT);

    /* What the daemon stored: the script and the in file as staged inputs. */
    letts_mission_info *info = NULL;
    assert_int_equal(letts_client_exec_get(EXEC, "dev", letts_run_result_mission_id(result), &info, NULL), LETTS_OK);
    assert_non_null(info);
    assert_string_equal(letts_mission_info_kind(info), "exec");
    assert_contains(letts_mission_info_input_json(info), "\"stdin\":\"single\"");
    assert_contains(letts_mission_info_input_json(info), "\"command\":[\"sh\",\"-e\",\"script/script\"]");
    letts_mission_info_free(info);
    letts_run_result_free(result);
    letts_run_options_free(opts);
    letts_exec_spec_free(spec);
}

static void test_a_failing_exit_is_mission_failed_with_its_exit_code(void **state) {
    (void)state;
    const char *argv[] = {"sh", "-e", "script/script"};
    char script[400];
    local_file("exit3.sh", "echo before\nexit 3\n", script, sizeof script);
    letts_exec_spec *spec = spec_of(argv, 3);
    assert_int_equal(letts_exec_spec_set_script_file(spec, script, NULL), LETTS_OK);
    letts_run_result *result = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_exec_run(EXEC, spec, NULL, &result, &err), LETTS_ERR_MISSION_FAILED);
    assert_non_null(result);
    assert_string_equal(letts_run_result_outcome(result), "failed");
    int64_t code = 0;
    assert_int_equal(letts_run_result_exit_code(result, &code), 1);
    assert_int_equal(code, 3);
    letts_run_result_free(result);
    letts_error_free(err);
    letts_exec_spec_free(spec);
}

/* Steps `h` from a poll loop on its descriptor until it is done. */
static void drive(letts_run_handle *h) {
    const long long deadline = ds_now_ms() + 20000;
    while (letts_run_handle_state(h) != LETTS_RUN_DONE) {
        assert_true(ds_now_ms() < deadline);
        struct pollfd p = {letts_run_handle_fd(h), POLLIN, 0};
        assert_true(poll(&p, 1, 1000) >= 0);
        assert_int_equal(letts_run_handle_step(h, NULL), LETTS_OK);
    }
}

static void test_exec_runs_and_waits_from_an_event_loop(void **state) {
    (void)state;
    const char *argv[] = {"echo", "stepped"};
    letts_exec_spec *spec = spec_of(argv, 2);
    letts_run_options *opts = NULL;
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_fetch_logs(opts, 1, NULL), LETTS_OK);
    letts_run_handle *h = NULL;
    assert_int_equal(letts_client_exec_run_start(EXEC, spec, opts, &h, NULL), LETTS_OK);
    letts_exec_spec_free(spec); /* the handle holds a copy */
    drive(h);
    letts_run_result *result = NULL;
    assert_int_equal(letts_run_handle_result(h, &result, NULL), LETTS_OK);
    assert_string_equal(letts_run_result_stdout(result, NULL), "stepped\n");
    assert_string_equal(letts_run_result_kind(result), "exec");
    letts_run_handle_free(h);

    assert_int_equal(letts_client_exec_wait_start(EXEC, "dev", letts_run_result_mission_id(result), opts, &h, NULL),
                     LETTS_OK);
    drive(h);
    letts_run_result *again = NULL;
    assert_int_equal(letts_run_handle_result(h, &again, NULL), LETTS_OK);
    assert_string_equal(letts_run_result_stdout(again, NULL), "stepped\n");
    assert_string_equal(letts_run_result_mission_id(again), letts_run_result_mission_id(result));
    letts_run_result_free(again);
    letts_run_result_free(result);
    letts_run_handle_free(h);
    letts_run_options_free(opts);
}

/* ---- dispatch, get, list, streams --------------------------------------- */

static int collect(const char *data, size_t len, void *user_data) {
    strncat((char *)user_data, data, len < 4000 ? len : 4000);
    return 0;
}

static int collect_line(const char *line, size_t len, void *user_data) {
    (void)len;
    strncat((char *)user_data, line, 2000);
    strcat((char *)user_data, "\n");
    return 0;
}

static void test_dispatch_get_list_and_streams_with_the_exec_token(void **state) {
    (void)state;
    char group[37];
    ds_uuidv7(group);
    const char *argv[] = {"printenv", "LETTS_KIND", "LETTS_GROUP_ID"};
    letts_exec_spec *spec = spec_of(argv, 3);
    assert_int_equal(letts_exec_spec_set_group_id(spec, group, NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_display_name(spec, "env of exec", NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_timeout_ms(spec, 60000, NULL), LETTS_OK);
    char *id = dispatched(spec);

    letts_run_result *result = NULL;
    assert_int_equal(letts_client_exec_wait(EXEC, "dev", id, NULL, &result, NULL), LETTS_OK);
    assert_string_equal(letts_run_result_outcome(result), "success");
    letts_run_result_free(result);

    letts_mission_info *info = NULL;
    assert_int_equal(letts_client_exec_get(EXEC, "dev", id, &info, NULL), LETTS_OK);
    assert_string_equal(letts_mission_info_mission_id(info), id);
    assert_string_equal(letts_mission_info_group_id(info), group);
    assert_string_equal(letts_mission_info_display_name(info), "env of exec");
    assert_int_equal(letts_mission_info_timeout_ms(info), 60000);
    letts_mission_info_free(info);

    static char text[4096];
    text[0] = '\0';
    assert_int_equal(letts_client_exec_stream_output(EXEC, "dev", id, "stdout", 0, collect, text, NULL), LETTS_OK);
    char want[128];
    snprintf(want, sizeof want, "exec\n%s\n", group);
    assert_string_equal(text, want);
    text[0] = '\0';
    assert_int_equal(letts_client_exec_follow_events(EXEC, "dev", id, 0, 1, collect_line, text, NULL), LETTS_OK);
    assert_contains(text, "\"event\":\"queued\"");
    assert_contains(text, "\"event\":\"done\"");

    /* The admin listing serves execs by kind and group id. */
    letts_list_filter *filter = NULL;
    assert_int_equal(letts_list_filter_new(&filter, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_kind(filter, "exec", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_group_id(filter, group, NULL), LETTS_OK);
    letts_mission_list *list = NULL;
    assert_int_equal(letts_client_list_missions(EXEC, "dev", filter, &list, NULL), LETTS_OK);
    assert_int_equal(letts_mission_list_count(list), 1);
    assert_string_equal(letts_mission_info_mission_id(letts_mission_list_get(list, 0)), id);
    letts_mission_list_free(list);
    letts_list_filter_free(filter);

    /* Kind isolation: the dispatch token cannot read it. */
    letts_error *err = NULL;
    assert_int_equal(letts_client_get_mission(MISSION, "dev", id, &info, &err), LETTS_ERR_AUTH);
    assert_int_equal(letts_error_http_status(err), 403);
    assert_string_equal(letts_error_code(err), "forbidden_kind");
    letts_error_free(err);
    letts_free(id);
    letts_exec_spec_free(spec);
}

static void test_a_mission_is_not_an_exec(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "quick", "default", NULL, NULL, id);
    letts_mission_info *info = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_exec_get(EXEC, "dev", id, &info, &err), LETTS_ERR_AUTH);
    assert_null(info);
    assert_string_equal(letts_error_code(err), "forbidden_kind");
    letts_error_free(err);
}

/* ---- control through the admin calls ------------------------------------ */

static void test_kill_restart_and_delete_of_an_exec(void **state) {
    (void)state;
    const char *argv[] = {"sleep", "30"};
    letts_exec_spec *spec = spec_of(argv, 2);
    char *id = dispatched(spec);
    cJSON_Delete(ds_wait_status(&S, id, "running", 10000));
    assert_int_equal(letts_client_kill(EXEC, "dev", id, "KILL", NULL), LETTS_OK);
    letts_run_result *result = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_exec_wait(EXEC, "dev", id, NULL, &result, &err), LETTS_ERR_MISSION_FAILED);
    assert_string_equal(letts_run_result_outcome(result), "killed");
    letts_run_result_free(result);
    letts_error_free(err);
    err = NULL;

    letts_restart_result *restarted = NULL;
    assert_int_equal(letts_client_restart_mission(EXEC, "dev", id, &restarted, NULL), LETTS_OK);
    assert_string_equal(letts_restart_result_restarted_from(restarted), id);
    letts_mission_info *info = NULL;
    assert_int_equal(letts_client_exec_get(EXEC, "dev", letts_restart_result_mission_id(restarted), &info, NULL),
                     LETTS_OK);
    assert_string_equal(letts_mission_info_kind(info), "exec");
    letts_mission_info_free(info);
    assert_int_equal(letts_client_delete(EXEC, "dev", letts_restart_result_mission_id(restarted), 1, NULL),
                     LETTS_OK);
    letts_restart_result_free(restarted);

    assert_int_equal(letts_client_delete(EXEC, "dev", id, 0, NULL), LETTS_OK);
    /* Deleted: gone (404) or still being deleted (410). */
    long status = 0;
    const long long deadline = ds_now_ms() + 10000;
    do {
        ds_resp r;
        status = ds_admin(&S, "GET", "/v1/missions/%s", id, &r);
        ds_resp_free(&r);
    } while (status != 404 && ds_now_ms() < deadline);
    assert_int_equal(status, 404);
    letts_free(id);
    letts_exec_spec_free(spec);
}

/* ---- idempotency -------------------------------------------------------- */

static void test_the_exec_id_is_the_idempotency_key(void **state) {
    (void)state;
    char key[37];
    ds_uuidv7(key);
    const char *argv[] = {"true"};
    letts_exec_spec *spec = spec_of(argv, 1);
    assert_int_equal(letts_exec_spec_set_exec_id(spec, key, NULL), LETTS_OK);
    char *first = dispatched(spec);
    assert_string_equal(first, key);
    char *again = dispatched(spec);
    assert_string_equal(again, key);
    const char *other[] = {"false"};
    assert_int_equal(letts_exec_spec_set_command(spec, other, 1, NULL), LETTS_OK);
    char *id = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_exec_dispatch(EXEC, spec, &id, &err), LETTS_ERR_CONFLICT);
    assert_null(id);
    assert_string_equal(letts_error_code(err), "idempotency_conflict");
    assert_string_equal(letts_error_mission_id(err), key);
    letts_error_free(err);
    letts_free(first);
    letts_free(again);
    letts_exec_spec_free(spec);
}

/* ---- refused ------------------------------------------------------------ */

static void test_without_an_exec_token_the_error_names_the_keys(void **state) {
    (void)state;
    const char *argv[] = {"true"};
    letts_exec_spec *spec = spec_of(argv, 1);
    char *id = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_exec_dispatch(MISSION, spec, &id, &err), LETTS_ERR_CONFIG);
    assert_contains(letts_error_message(err), "no exec token configured for dugdale \"dev\"");
    assert_contains(letts_error_message(err), "auth.exec_token");
    letts_error_free(err);
    err = NULL;
    letts_mission_info *info = NULL;
    assert_int_equal(letts_client_exec_get(MISSION, "dev", "0190a6b4-0000-7000-8000-000000000000", &info, &err),
                     LETTS_ERR_CONFIG);
    letts_error_free(err);
    letts_exec_spec_free(spec);
}

static void test_a_dispatch_token_is_forbidden_on_exec_dispatch(void **state) {
    (void)state;
    letts_client *wrong = client_with("{exec_token: dispatch-token}");
    const char *argv[] = {"true"};
    letts_exec_spec *spec = spec_of(argv, 1);
    char *id = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_exec_dispatch(wrong, spec, &id, &err), LETTS_ERR_AUTH);
    assert_int_equal(letts_error_http_status(err), 403);
    letts_error_free(err);
    letts_exec_spec_free(spec);
    letts_client_free(wrong);
}

/* ---- launch-failure observer ------------------------------------------------ */

typedef struct observed {
    int calls;
    letts_status status;
    int retryable;
    char method[32], phase[32], mission_id[37], mission[32], json[1024];
} observed;

static void observe(const letts_launch_failure *failure, void *user_data) {
    observed *o = user_data;
    o->calls++;
    o->status = letts_error_status(letts_launch_failure_error(failure));
    o->retryable = letts_launch_failure_retryable(failure);
    snprintf(o->method, sizeof o->method, "%s", letts_launch_failure_method(failure));
    snprintf(o->phase, sizeof o->phase, "%s", letts_launch_failure_phase(failure));
    snprintf(o->mission_id, sizeof o->mission_id, "%s", letts_launch_failure_mission_id(failure));
    snprintf(o->mission, sizeof o->mission, "%s", letts_launch_failure_mission(failure));
    snprintf(o->json, sizeof o->json, "%s", letts_launch_failure_json(failure));
}

static void assert_reported(const observed *o, int calls, letts_status status, const char *method,
                            const char *exec_id) {
    assert_int_equal(o->calls, calls);
    assert_int_equal(o->status, status);
    assert_int_equal(o->retryable, 0);
    assert_string_equal(o->method, method);
    assert_string_equal(o->phase, "dispatch");
    assert_string_equal(o->mission_id, exec_id); /* the Idempotency-Key sent */
    assert_string_equal(o->mission, "exec");
}

static void test_exec_launch_failures_reach_the_observer(void **state) {
    (void)state;
    observed o = {0};
    letts_client *watched = NULL, *no_token = NULL;
    assert_int_equal(letts_client_with_failure_observer(EXEC, observe, &o, &watched, NULL), LETTS_OK);
    assert_int_equal(letts_client_with_failure_observer(MISSION, observe, &o, &no_token, NULL), LETTS_OK);
    char data[400], exec_id[37], expected[1024];
    local_file("observed.txt", "observed\n", data, sizeof data);
    const char *argv[] = {"cat", "in/data"};
    letts_exec_spec *spec = spec_of(argv, 2);
    ds_uuidv7(exec_id);
    assert_int_equal(letts_exec_spec_set_exec_id(spec, exec_id, NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_lane(spec, "nope", NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_add_input_file(spec, "data", data, NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_add_output(spec, "res", NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_timeout_ms(spec, 1500, NULL), LETTS_OK);
    snprintf(expected, sizeof expected,
             "{\"route\":null,\"host\":\"dev\",\"match\":[],\"lane\":\"nope\",\"input\":null,"
             "\"files\":{\"data\":\"%s\"},\"timeout\":\"1500ms\","
             "\"exec\":{\"command\":[\"cat\",\"in/data\"],\"script\":null,\"out\":[\"res\"],\"stdin\":null,"
             "\"stdin_bytes\":0,\"group_id\":null,\"display_name\":null}}",
             data);

    /* Refused by the daemon (unknown lane), from a dispatch and from a run. */
    char *id = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_exec_dispatch(watched, spec, &id, &err), LETTS_ERR_BAD_REQUEST);
    assert_null(id);
    assert_reported(&o, 1, LETTS_ERR_BAD_REQUEST, "execDispatch", exec_id);
    assert_string_equal(o.json, expected);
    assert_string_equal(letts_error_mission_id(err), exec_id);
    letts_error_free(err);

    letts_run_result *result = NULL;
    err = NULL;
    assert_int_equal(letts_client_exec_run(watched, spec, NULL, &result, &err), LETTS_ERR_BAD_REQUEST);
    assert_null(result);
    assert_reported(&o, 2, LETTS_ERR_BAD_REQUEST, "execRun", exec_id);
    assert_string_equal(o.json, expected);
    letts_error_free(err);

    /* A client without an exec token: a configuration failure. */
    err = NULL;
    assert_int_equal(letts_client_exec_dispatch(no_token, spec, &id, &err), LETTS_ERR_CONFIG);
    assert_reported(&o, 3, LETTS_ERR_CONFIG, "execDispatch", exec_id);
    letts_error_free(err);

    /* The caller's own mistake is not a launch failure. */
    assert_int_equal(letts_exec_spec_set_lane(spec, NULL, NULL), LETTS_OK);
    err = NULL;
    assert_int_equal(letts_client_exec_dispatch(watched, spec, &id, &err), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(o.calls, 3);
    letts_error_free(err);
    letts_exec_spec_free(spec);

    /* A command the daemon cannot start ran as far as the daemon goes: its
     * outcome says so, and a result is not a launch failure. */
    const char *missing[] = {"/nonexistent/letts-command"};
    spec = spec_of(missing, 1);
    err = NULL;
    assert_int_equal(letts_client_exec_run(watched, spec, NULL, &result, &err), LETTS_ERR_MISSION_FAILED);
    assert_non_null(result);
    /* Which unsuccessful outcome is the devserver's business (devserver_exec
     * pins "crashed"/"spawn_failed"); under memcheck the embedded server's
     * spawn is valgrind's fork+exec, where the failed exec ends as exit 127
     * ("failed"). Here: a result, and no launch failure reported. */
    assert_string_not_equal(letts_run_result_outcome(result), "success");
    assert_int_equal(o.calls, 3);
    letts_run_result_free(result);
    letts_error_free(err);
    letts_exec_spec_free(spec);

    letts_client_free(watched);
    letts_client_free(no_token);
}

static void test_spec_mistakes_are_refused_before_sending(void **state) {
    (void)state;
    letts_exec_spec *spec = NULL;
    assert_int_equal(letts_exec_spec_new(&spec, NULL), LETTS_OK);
    letts_error *err = NULL;
    assert_int_equal(letts_exec_spec_set_exec_id(spec, "not-a-uuid", &err), LETTS_ERR_INVALID_ARGUMENT);
    assert_contains(letts_error_message(err), "UUIDv7");
    letts_error_free(err);
    err = NULL;
    char *id = NULL;
    assert_int_equal(letts_exec_spec_set_host(spec, "dev", NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_lane(spec, "default", NULL), LETTS_OK);
    assert_int_equal(letts_client_exec_dispatch(EXEC, spec, &id, &err), LETTS_ERR_INVALID_ARGUMENT);
    assert_contains(letts_error_message(err), "command");
    letts_error_free(err);
    err = NULL;
    const char *argv[] = {"true"};
    assert_int_equal(letts_exec_spec_set_command(spec, argv, 1, NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_host(spec, NULL, NULL), LETTS_OK);
    assert_int_equal(letts_client_exec_dispatch(EXEC, spec, &id, &err), LETTS_ERR_BAD_REQUEST);
    assert_contains(letts_error_message(err), "host is required for execDispatch");
    letts_error_free(err);
    assert_int_equal(letts_exec_spec_set_timeout_ms(spec, -1, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_exec_spec_set_stdin(spec, NULL, 3, NULL), LETTS_ERR_INVALID_ARGUMENT);
    letts_exec_spec_free(spec);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exec_run_stages_script_in_and_stdin_and_downloads_the_output),
        cmocka_unit_test(test_a_failing_exit_is_mission_failed_with_its_exit_code),
        cmocka_unit_test(test_exec_runs_and_waits_from_an_event_loop),
        cmocka_unit_test(test_dispatch_get_list_and_streams_with_the_exec_token),
        cmocka_unit_test(test_a_mission_is_not_an_exec),
        cmocka_unit_test(test_kill_restart_and_delete_of_an_exec),
        cmocka_unit_test(test_the_exec_id_is_the_idempotency_key),
        cmocka_unit_test(test_without_an_exec_token_the_error_names_the_keys),
        cmocka_unit_test(test_a_dispatch_token_is_forbidden_on_exec_dispatch),
        cmocka_unit_test(test_spec_mistakes_are_refused_before_sending),
        cmocka_unit_test(test_exec_launch_failures_reach_the_observer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
