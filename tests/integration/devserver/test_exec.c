/* Exec jobs (http-api.md §5.6, §4.4–4.5, §6, §11.4): POST /v1/exec/dispatch
 * with argv, staged stdin, `in` and `out` files and a staged script run as
 * real processes; exit code and outcome of a failing command, a signal and
 * a timeout; kill; idempotency replay and conflict across kinds; kind
 * isolation of the read routes; feature_disabled; every validation error of
 * the dispatch table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "devserver_harness.h"

static ds_server S;
static const char *EXEC_TOKEN = "exec-token";

/* Small caps so the count, size and body limits are reachable. */
#define EXEC_YAML                                                                                          \
    DS_YAML_HEAD                                                                                           \
    "exec:\n  enabled: true\n  tokens: [exec-token]\n  max_inputs_per_exec: 2\n  max_outputs_per_exec: 2\n" \
    "  max_script_size: 200\n"                                                                             \
    "limits:\n  default_kill_grace: 300ms\n  max_exec_body_size: 4096\n"

static int setup(void **state) {
    (void)state;
    ds_start(&S, EXEC_YAML);
    ds_apply_lanes(&S, "{\"default\":{\"concurrency\":4}}");
    ds_script(&S, "quick", "echo '{\"event\":\"success\"}' >&3");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static void sha_hex(const char *data, size_t len, char out[65]) {
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)data, len, d);
    for (int i = 0; i < 32; ++i) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* PUT of `data` as a new staging file (exec token); writes its id. */
static void upload(const char *data, char sid[37]) {
    char path[96], h_sha[128], sha[65];
    ds_uuidv7(sid);
    sha_hex(data, strlen(data), sha);
    snprintf(path, sizeof path, "/v1/staging/%s", sid);
    snprintf(h_sha, sizeof h_sha, "X-Letts-Sha256: %s", sha);
    const char *hdrs[] = {h_sha, "Content-Type: application/octet-stream", NULL};
    ds_resp r;
    if (ds_http(&S, "PUT", path, EXEC_TOKEN, data, strlen(data), hdrs, &r) != 201) print_message("PUT %s: %s\n", data, r.body);
    assert_int_equal(r.status, 201);
    ds_resp_free(&r);
}

/* POST /v1/exec/dispatch with key `key` (NULL: no header) and `token`. */
static long exec_post(const ds_server *s, const char *key, const char *token, const char *body, ds_resp *r) {
    char h_key[80];
    snprintf(h_key, sizeof h_key, "Idempotency-Key: %s", key ? key : "");
    const char *hdrs[] = {"Content-Type: application/json", key ? h_key : NULL, NULL};
    return ds_http(s, "POST", "/v1/exec/dispatch", token, body, strlen(body), hdrs, r);
}

/* A new exec of `body`: asserts 202 {"exec_id": id, "status": "queued"}. */
static void exec_new(const char *body, char id[37]) {
    ds_uuidv7(id);
    ds_resp r;
    assert_int_equal(exec_post(&S, id, EXEC_TOKEN, body, &r), 202);
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(j, "exec_id"), id);
    assert_string_equal(ds_str(j, "status"), "queued");
    cJSON_Delete(j);
    ds_resp_free(&r);
}

/* GET of `before` + `id` + `after` with `token`: the status, the body in
 * `r`. */
static long get(const char *token, const char *before, const char *id, const char *after, ds_resp *r) {
    char path[200];
    snprintf(path, sizeof path, "%s%s%s", before, id, after);
    return ds_http(&S, "GET", path, token, NULL, 0, NULL, r);
}

/* The bytes of the committed output `key` of `m`, verified against its
 * recorded size and sha256 (caller frees). */
static char *output_bytes(const cJSON *m, const char *key) {
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "outputs"), key);
    assert_non_null(o);
    ds_resp r;
    assert_int_equal(get(EXEC_TOKEN, "/v1/staging/", ds_str(o, "staging_id"), "", &r), 200);
    char sha[65];
    sha_hex(r.body, r.len, sha);
    assert_string_equal(sha, ds_str(o, "sha256"));
    assert_int_equal((long)r.len, (long)ds_num(o, "size"));
    char *bytes = strdup(r.body);
    ds_resp_free(&r);
    return bytes;
}

static void test_argv_stdin_in_out_end_to_end(void **state) {
    (void)state;
    char in_id[37], stdin_id[37], group[37], id[37], body[1024];
    upload("b\n", in_id);
    upload("c\na\n", stdin_id);
    ds_uuidv7(group);
    /* sort reads in/doc and its stdin ("-") and writes the declared output:
     * its bytes prove that both staged files reached the process. */
    snprintf(body, sizeof body,
             "{\"lane\":\"default\",\"command\":[\"sort\",\"-o\",\"out/sorted\",\"in/doc\",\"-\"],"
             "\"in\":[{\"key\":\"doc\",\"staging_id\":\"%s\"}],\"out\":[{\"key\":\"sorted\"}],"
             "\"stdin\":\"single\",\"stdin_staging_id\":\"%s\",\"group_id\":\"%s\",\"display_name\":\"sort it\"}",
             in_id, stdin_id, group);
    exec_new(body, id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    assert_string_equal(ds_str(m, "kind"), "exec");
    assert_string_equal(ds_str(m, "mission_name"), "exec");
    assert_string_equal(ds_str(m, "display_name"), "sort it");
    assert_string_equal(ds_str(m, "group_id"), group);
    assert_int_equal((int)ds_num(m, "exit_code"), 0);
    char *sorted = output_bytes(m, "sorted");
    assert_string_equal(sorted, "a\nb\nc\n");
    free(sorted);
    /* inputs: the in entry and the staged stdin. */
    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(m, "inputs");
    assert_int_equal(cJSON_GetArraySize(inputs), 2);
    assert_string_equal(ds_str(cJSON_GetArrayItem(inputs, 0), "role"), "doc");
    assert_string_equal(ds_str(cJSON_GetArrayItem(inputs, 1), "role"), "__stdin__");
    /* input: the request re-serialised. */
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(m, "input");
    assert_string_equal(ds_str(input, "stdin_staging_id"), stdin_id);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(input, "command"), 0)->valuestring,
                        "sort");
    cJSON_Delete(m);

    /* The list filters by kind and group id (admin). */
    ds_resp r;
    char path[200];
    snprintf(path, sizeof path, "/v1/missions?kind=exec&group_id=%s", group);
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    cJSON *list = ds_json(&r);
    const cJSON *items = cJSON_IsArray(list) ? list : cJSON_GetObjectItemCaseSensitive(list, "missions");
    assert_int_equal(cJSON_GetArraySize(items), 1);
    assert_string_equal(ds_str(cJSON_GetArrayItem(items, 0), "mission_id"), id);
    cJSON_Delete(list);
    ds_resp_free(&r);
}

static void test_stdout_env_and_events(void **state) {
    (void)state;
    char doc[37], group[37], id[37], body[512], sha[65];
    upload("hello", doc);
    sha_hex("hello", 5, sha);
    ds_uuidv7(group);
    snprintf(body, sizeof body,
             "{\"lane\":\"default\",\"command\":[\"env\"],\"group_id\":\"%s\","
             "\"in\":[{\"key\":\"doc\",\"staging_id\":\"%s\"}]}",
             group, doc);
    exec_new(body, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
    /* The whole environment: built from scratch, nothing of the server's. */
    char work[400], want[2048];
    snprintf(work, sizeof work, "%s/work/%s", letts_devserver_data_dir(S.srv), id);
    snprintf(want, sizeof want,
             "LETTS_EXEC_ID=%s\nLETTS_KIND=exec\nLETTS_LANE=default\nLETTS_WORKDIR=%s\nLETTS_TMPDIR=%s/tmp\n"
             "LETTS_GROUP_ID=%s\nLETTS_IN_doc=%s/in/doc\nLETTS_IN_doc__SHA256=%s\nLETTS_IN_doc__SIZE=5\n"
             "PATH=/usr/local/bin:/usr/bin:/bin\n",
             id, work, work, group, work, sha);
    ds_resp r;
    assert_int_equal(get(EXEC_TOKEN, "/v1/missions/", id, "/output?stream=stdout", &r), 200);
    assert_string_equal(r.body, want);
    ds_resp_free(&r);
    assert_int_equal(get(EXEC_TOKEN, "/v1/missions/", id, "/events", &r), 200);
    /* queued (lane, no mission key), running, done. */
    assert_non_null(strstr(r.body, "\"event\":\"queued\""));
    assert_null(strstr(r.body, "\"mission\":"));
    assert_non_null(strstr(r.body, "\"event\":\"running\""));
    assert_non_null(strstr(r.body, "\"outcome\":\"success\""));
    ds_resp_free(&r);
}

static void test_script_exec_and_signal(void **state) {
    (void)state;
    char script[37], id[37], body[512];
    upload("#!/bin/sh\necho \"arg=$1 script=$LETTS_SCRIPT mode=$(stat -c %a \"$LETTS_SCRIPT\")\" > \"$LETTS_OUT_res\"\n",
           script);
    snprintf(body, sizeof body,
             "{\"lane\":\"default\",\"command\":[\"sh\",\"script/script\",\"x\"],\"script\":{\"staging_id\":\"%s\"},"
             "\"out\":[{\"key\":\"res\"}]}",
             script);
    exec_new(body, id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    char *res = output_bytes(m, "res");
    /* Materialised read-only at script/script of the work directory. */
    char want[600];
    snprintf(want, sizeof want, "arg=x script=%s/work/%s/script/script mode=555\n", letts_devserver_data_dir(S.srv),
             id);
    assert_string_equal(res, want);
    free(res);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m, "inputs")), 0);
    cJSON_Delete(m);

    /* A process killed by a signal dugdale did not send. */
    upload("#!/bin/sh\nkill -KILL $$\n", script);
    snprintf(body, sizeof body,
             "{\"lane\":\"default\",\"command\":[\"sh\",\"script/script\"],\"script\":{\"staging_id\":\"%s\"}}",
             script);
    exec_new(body, id);
    m = ds_wait_outcome(&S, id, "killed", "signal", 10000);
    assert_string_equal(ds_str(m, "fail_message"), "killed");
    assert_string_equal(ds_str(m, "signal"), "KILL");
    assert_int_equal((int)ds_num(m, "exit_code"), -1);
    cJSON_Delete(m);
}

static void test_failing_command_and_timeout(void **state) {
    (void)state;
    char id[37], out_missing[37];
    exec_new("{\"lane\":\"default\",\"command\":[\"sh\",\"-e\",\"/dev/null\",\"ignored\"],\"out\":[{\"key\":\"o\"}]}",
             out_missing);
    exec_new("{\"lane\":\"default\",\"command\":[\"false\"]}", id);
    cJSON *m = ds_wait_outcome(&S, id, "failed", "exit_nonzero", 10000);
    assert_string_equal(ds_str(m, "fail_message"), "exit code 1");
    assert_int_equal((int)ds_num(m, "exit_code"), 1);
    assert_null(cJSON_GetObjectItemCaseSensitive(m, "signal"));
    cJSON_Delete(m);
    /* Exit 0 but the declared output was never written. */
    cJSON_Delete(ds_wait_outcome(&S, out_missing, "failed", "missing_output", 10000));

    const long long t0 = ds_now_ms();
    exec_new("{\"lane\":\"default\",\"command\":[\"sleep\",\"30\"],\"timeout\":\"200ms\"}", id);
    m = ds_wait_outcome(&S, id, "timeout", "timeout", 10000);
    assert_true(ds_now_ms() - t0 < 10000);
    assert_int_equal((int)ds_num(cJSON_GetObjectItemCaseSensitive(m, "fail_details"), "timeout_ms"), 200);
    assert_int_equal((int)ds_num(m, "timeout_ms"), 200);
    assert_string_equal(ds_str(m, "signal"), "TERM");
    assert_false(ds_pid_alive((long)ds_num(m, "pid")));
    cJSON_Delete(m);

    /* A program that does not exist never starts. */
    exec_new("{\"lane\":\"default\",\"command\":[\"no-such-program-letts\"]}", id);
    cJSON_Delete(ds_wait_outcome(&S, id, "crashed", "spawn_failed", 10000));
}

static void test_kill_restart_delete(void **state) {
    (void)state;
    char id[37], buf[64];
    exec_new("{\"lane\":\"default\",\"command\":[\"sleep\",\"30\"]}", id);
    cJSON *m = ds_wait_status(&S, id, "running", 10000);
    cJSON_Delete(m);
    ds_resp r;
    assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/kill", id, &r), 200);
    cJSON *j = ds_json(&r);
    snprintf(buf, sizeof buf, "%s", ds_str(j, "status"));
    cJSON_Delete(j);
    ds_resp_free(&r);
    assert_true(strcmp(buf, "kill_sent") == 0 || strcmp(buf, "killed") == 0);
    m = ds_wait_outcome(&S, id, "killed", "killed_by_api", 10000);
    assert_string_equal(ds_str(m, "signal"), "TERM");
    assert_false(ds_pid_alive((long)ds_num(m, "pid")));
    cJSON_Delete(m);

    /* Restart runs the same exec again under a new id. */
    char done[37];
    exec_new("{\"lane\":\"default\",\"command\":[\"echo\",\"again\"]}", done);
    cJSON_Delete(ds_wait_outcome(&S, done, "success", "", 10000));
    assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/restart", done, &r), 201);
    j = ds_json(&r);
    char fresh[37];
    snprintf(fresh, sizeof fresh, "%s", ds_str(j, "mission_id"));
    cJSON_Delete(j);
    ds_resp_free(&r);
    m = ds_wait_outcome(&S, fresh, "success", "", 10000);
    assert_string_equal(ds_str(m, "kind"), "exec");
    assert_string_equal(ds_str(m, "restarted_from"), done);
    cJSON_Delete(m);
    assert_int_equal(get(EXEC_TOKEN, "/v1/missions/", fresh, "/output?stream=stdout", &r), 200);
    assert_string_equal(r.body, "again\n");
    ds_resp_free(&r);

    assert_int_equal(ds_admin(&S, "DELETE", "/v1/missions/%s", done, &r), 202);
    ds_resp_free(&r);
    assert_int_equal(get(EXEC_TOKEN, "/v1/missions/", done, "", &r), 404);
    ds_resp_free(&r);
    /* Its key, replayed while the job is being deleted (the sweeper runs
     * every 5 min by default): 410 naming the exec. */
    exec_post(&S, done, EXEC_TOKEN, "{\"lane\":\"default\",\"command\":[\"echo\",\"again\"]}", &r);
    ds_assert_error(&r, 410, "mission_deleting");
    char want[100];
    snprintf(want, sizeof want, "\"details\":{\"exec_id\":\"%s\"}", done);
    assert_non_null(strstr(r.body, want));
    ds_resp_free(&r);
}

/* POST of `body` to `path` as admin; returns the parsed answer (asserts 200). */
static cJSON *admin_post(const char *path, const char *body) {
    ds_resp r;
    assert_int_equal(ds_http(&S, "POST", path, S.admin_token, body, strlen(body), NULL, &r), 200);
    cJSON *j = ds_json(&r);
    ds_resp_free(&r);
    return j;
}

static void test_bulk_prune_and_script_ref(void **state) {
    (void)state;
    char script[37], id[37], body[512], path[200];
    upload("#!/bin/sh\nexit 0\n", script);
    snprintf(body, sizeof body,
             "{\"lane\":\"default\",\"command\":[\"sh\",\"script/script\"],\"script\":{\"staging_id\":\"%s\"}}", script);
    exec_new(body, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
    /* The script is a reference of the job, of ref kind script and role "". */
    snprintf(path, sizeof path, "/v1/staging?mission_id=%s&ref_kind=script", id);
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    cJSON *j = ds_json(&r);
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(j, "staging");
    assert_int_equal(cJSON_GetArraySize(rows), 1);
    assert_string_equal(ds_str(cJSON_GetArrayItem(rows, 0), "staging_id"), script);
    assert_string_equal(ds_str(cJSON_GetArrayItem(rows, 0), "role"), "");
    cJSON_Delete(j);
    ds_resp_free(&r);

    /* bulk-restart runs it again. */
    snprintf(body, sizeof body, "{\"ids\":[\"%s\"]}", id);
    j = admin_post("/v1/missions/bulk-restart", body);
    const cJSON *item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "results"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "ok")));
    cJSON *m = ds_wait_outcome(&S, ds_str(item, "mission_id"), "success", "", 10000);
    assert_string_equal(ds_str(m, "kind"), "exec");
    cJSON_Delete(m);
    cJSON_Delete(j);

    /* bulk-delete refuses a running exec without force, stops it with. */
    exec_new("{\"lane\":\"default\",\"command\":[\"sleep\",\"30\"]}", id);
    m = ds_wait_status(&S, id, "running", 10000);
    const long pid = (long)ds_num(m, "pid");
    cJSON_Delete(m);
    snprintf(body, sizeof body, "{\"ids\":[\"%s\"]}", id);
    j = admin_post("/v1/missions/bulk-delete", body);
    item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "results"), 0);
    assert_string_equal(ds_str(item, "error"), "mission_running");
    cJSON_Delete(j);
    snprintf(body, sizeof body, "{\"ids\":[\"%s\"],\"force\":true}", id);
    j = admin_post("/v1/missions/bulk-delete", body);
    item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "results"), 0);
    assert_string_equal(ds_str(item, "status"), "deletion_pending");
    cJSON_Delete(j);
    assert_false(ds_pid_alive(pid));

    /* A force-prune apply kills the execs of the lanes it removes. */
    ds_apply_lanes(&S, "{\"temp\":{\"concurrency\":1}}");
    exec_new("{\"lane\":\"temp\",\"command\":[\"sleep\",\"30\"]}", id);
    cJSON_Delete(ds_wait_status(&S, id, "running", 10000));
    snprintf(body, sizeof body,
             "{\"mission_dir\":\"%s\",\"lanes\":{\"default\":{\"concurrency\":4}},"
             "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}",
             S.mission_dir);
    cJSON_Delete(admin_post("/v1/admin/apply?prune=true&force_prune=true", body));
    m = ds_wait_outcome(&S, id, "killed", "lane_removed", 10000);
    assert_false(ds_pid_alive((long)ds_num(m, "pid")));
    cJSON_Delete(m);
}

static void test_idempotency_replay_and_conflict(void **state) {
    (void)state;
    char id[37];
    const char *body = "{\"lane\":\"default\",\"command\":[\"true\"],\"timeout\":\"60s\",\"display_name\":\"a\"}";
    exec_new(body, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
    ds_resp r;
    /* Same request (timeout in other units, other display name): replay. */
    assert_int_equal(exec_post(&S, id, EXEC_TOKEN,
                               "{\"lane\":\"default\",\"command\":[\"true\"],\"timeout\":\"1m\",\"display_name\":\"b\"}",
                               &r),
                     200);
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(j, "exec_id"), id);
    assert_string_equal(ds_str(j, "status"), "done");
    cJSON_Delete(j);
    ds_resp_free(&r);
    /* Another command with the key: 409 describing the existing exec. */
    assert_int_equal(exec_post(&S, id, EXEC_TOKEN, "{\"lane\":\"default\",\"command\":[\"false\"]}", &r), 409);
    ds_assert_error(&r, 409, "idempotency_conflict");
    j = ds_json(&r);
    const cJSON *existing = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "details"), "existing");
    assert_string_equal(ds_str(existing, "exec_id"), id);
    assert_string_equal(ds_str(existing, "kind"), "exec");
    assert_string_equal(ds_str(existing, "lane"), "default");
    assert_string_equal(ds_str(existing, "status"), "done");
    cJSON_Delete(j);
    ds_resp_free(&r);
    /* A mission dispatch with the exec's key, and the other way round. */
    char key[80], mission[37];
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    const char *hdrs[] = {key, NULL};
    const char *mbody = "{\"mission\":\"quick\",\"lane\":\"default\"}";
    ds_http(&S, "POST", "/v1/dispatch", S.dispatch_token, mbody, strlen(mbody), hdrs, &r);
    ds_assert_error(&r, 409, "idempotency_conflict");
    ds_resp_free(&r);
    ds_dispatch(&S, "quick", "default", NULL, NULL, mission);
    assert_int_equal(exec_post(&S, mission, EXEC_TOKEN, body, &r), 409);
    j = ds_json(&r);
    existing = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "details"), "existing");
    assert_string_equal(ds_str(existing, "kind"), "mission");
    cJSON_Delete(j);
    ds_resp_free(&r);
}

/* Kind isolation on GET /v1/missions/{id}`after`: each scope sees its own
 * kind, admin sees both. */
static void route_isolation(const char *exec_id, const char *mission_id, const char *after) {
    ds_resp r;
    get(S.dispatch_token, "/v1/missions/", exec_id, after, &r);
    ds_assert_error(&r, 403, "forbidden_kind");
    ds_resp_free(&r);
    get(EXEC_TOKEN, "/v1/missions/", mission_id, after, &r);
    ds_assert_error(&r, 403, "forbidden_kind");
    ds_resp_free(&r);
    assert_int_equal(get(EXEC_TOKEN, "/v1/missions/", exec_id, after, &r), 200);
    ds_resp_free(&r);
    assert_int_equal(get(S.dispatch_token, "/v1/missions/", mission_id, after, &r), 200);
    ds_resp_free(&r);
    assert_int_equal(get(S.admin_token, "/v1/missions/", exec_id, after, &r), 200);
    ds_resp_free(&r);
}

static void test_kind_isolation(void **state) {
    (void)state;
    char exec_id[37], mission_id[37];
    exec_new("{\"lane\":\"default\",\"command\":[\"echo\",\"hi\"]}", exec_id);
    ds_dispatch(&S, "quick", "default", NULL, NULL, mission_id);
    cJSON_Delete(ds_wait_outcome(&S, exec_id, "success", "", 10000));
    cJSON_Delete(ds_wait_outcome(&S, mission_id, "success", "", 10000));
    /* The mission resource, its events and its output: one call each (a
     * table of suffixes makes GCC's sanitizer build see a null one). */
    route_isolation(exec_id, mission_id, "");
    route_isolation(exec_id, mission_id, "/events");
    route_isolation(exec_id, mission_id, "/output?stream=stdout");
    ds_resp r;
    /* The dispatch routes belong to their scopes; admin may do both. */
    char key[37];
    ds_uuidv7(key);
    exec_post(&S, key, S.dispatch_token, "{\"lane\":\"default\",\"command\":[\"true\"]}", &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);
    assert_int_equal(exec_post(&S, key, S.admin_token, "{\"lane\":\"default\",\"command\":[\"true\"]}", &r), 202);
    ds_resp_free(&r);
    char h_key[80];
    ds_uuidv7(key);
    snprintf(h_key, sizeof h_key, "Idempotency-Key: %s", key);
    const char *hdrs[] = {h_key, NULL};
    const char *mbody = "{\"mission\":\"quick\",\"lane\":\"default\"}";
    ds_http(&S, "POST", "/v1/dispatch", EXEC_TOKEN, mbody, strlen(mbody), hdrs, &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);
    /* Control routes are admin-only. */
    char path[120];
    snprintf(path, sizeof path, "/v1/missions/%s/kill", exec_id);
    ds_http(&S, "POST", path, EXEC_TOKEN, NULL, 0, NULL, &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);
    get(EXEC_TOKEN, "/v1/missions", "", "", &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);
}

static void test_feature_disabled_and_no_lanes(void **state) {
    (void)state;
    ds_server off;
    ds_start(&off, NULL);
    char key[37];
    ds_uuidv7(key);
    const char *tokens[] = {NULL, "dispatch-token", "admin-token", "exec-token"};
    ds_resp r;
    for (size_t i = 0; i < 4; ++i) {
        exec_post(&off, key, tokens[i], "{\"lane\":\"default\",\"command\":[\"true\"]}", &r);
        ds_assert_error(&r, 404, "feature_disabled");
        cJSON *j = ds_json(&r);
        assert_string_equal(ds_str(j, "message"), "exec is disabled in dugdale.yaml");
        cJSON_Delete(j);
        ds_resp_free(&r);
    }
    ds_stop(&off);

    ds_server fresh;
    ds_start(&fresh, EXEC_YAML);  /* nothing applied */
    exec_post(&fresh, key, EXEC_TOKEN, "{\"lane\":\"default\",\"command\":[\"true\"]}", &r);
    ds_assert_error(&r, 412, "no_lanes_configured");
    ds_resp_free(&r);
    /* Lanes come from admin apply: once applied, exec runs there. */
    ds_apply_lanes(&fresh, "{\"solo\":{\"concurrency\":1}}");
    assert_int_equal(exec_post(&fresh, key, EXEC_TOKEN, "{\"lane\":\"solo\",\"command\":[\"true\"]}", &r), 202);
    ds_resp_free(&r);
    cJSON_Delete(ds_wait_outcome(&fresh, key, "success", "", 10000));
    ds_stop(&fresh);
}

/* Exec jobs are kept exec.exec_success_ttl, missions cleanup.success_ttl. */
static void test_exec_retention_ttl(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, DS_YAML_HEAD
                 "exec:\n  enabled: true\n  tokens: [exec-token]\n  exec_success_ttl: 300ms\n"
                 "cleanup:\n  success_ttl: 1h\n  sweep_interval: 20ms\n");
    ds_apply_lanes(&s, "{\"default\":{\"concurrency\":4}}");
    ds_script(&s, "quick", "echo '{\"event\":\"success\"}' >&3");
    char exec_id[37], mission_id[37];
    ds_dispatch(&s, "quick", "default", NULL, NULL, mission_id);
    ds_uuidv7(exec_id);
    ds_resp r;
    assert_int_equal(exec_post(&s, exec_id, EXEC_TOKEN, "{\"lane\":\"default\",\"command\":[\"true\"]}", &r), 202);
    ds_resp_free(&r);
    cJSON_Delete(ds_wait_outcome(&s, mission_id, "success", "", 10000));
    cJSON_Delete(ds_wait_outcome(&s, exec_id, "success", "", 10000));
    char path[120];
    snprintf(path, sizeof path, "/v1/missions/%s", exec_id);
    const long long deadline = ds_now_ms() + 10000;
    long status = 200;
    while (status == 200 && ds_now_ms() < deadline) {
        status = ds_http(&s, "GET", path, EXEC_TOKEN, NULL, 0, NULL, &r);
        ds_resp_free(&r);
        if (status == 200) usleep(20 * 1000); /* polling with a deadline, as ds_wait_status */
    }
    assert_int_equal(status, 404);
    /* The mission finished first and is still there. */
    cJSON *m = ds_mission(&s, mission_id);
    assert_string_equal(ds_str(m, "status"), "done");
    cJSON_Delete(m);
    ds_stop(&s);
}

typedef struct refusal {
    const char *body;   /* "%S" is replaced by a complete staging id, "%B" by a too large script's */
    long status;
    const char *code;
    const char *in_message; /* the field the message names */
    const char *details;    /* a substring of the details' JSON, or NULL */
} refusal;

/* An exec body at the default limit (max_exec_body_size, 1 MiB) whose in[]
 * holds distinct keys but for the last entry, which repeats the first. The
 * duplicate row comes before the count cap (max_inputs_per_exec, default
 * 32), so the whole list is searched and the repeat named exactly. The
 * request is refused before any state is read: the staging id only has to
 * be a UUIDv7. */
static void test_duplicate_key_at_the_end_of_a_full_body(void **state) {
    (void)state;
    enum { LIMIT = 1024 * 1024 };
    static const char sid[] = "01900000-0000-7000-8000-000000000000";
    ds_server s;
    ds_start(&s, DS_YAML_HEAD "exec:\n  enabled: true\n  tokens: [exec-token]\n");
    char key[37], entry[96], last[96];
    char *body = malloc(LIMIT + 1);
    assert_non_null(body);
    size_t len = (size_t)snprintf(body, LIMIT, "{\"lane\":\"default\",\"command\":[\"true\"],\"in\":[");
    const int last_len = snprintf(last, sizeof last, "{\"key\":\"k000000\",\"staging_id\":\"%s\"}]}", sid);
    size_t entries = 0;
    for (;;) {
        const int n = snprintf(entry, sizeof entry, "{\"key\":\"k%06zu\",\"staging_id\":\"%s\"},", entries, sid);
        if (len + (size_t)n + (size_t)last_len > LIMIT) break;
        memcpy(body + len, entry, (size_t)n);
        len += (size_t)n;
        ++entries;
    }
    memcpy(body + len, last, (size_t)last_len + 1);
    len += (size_t)last_len;
    assert_true(entries > 12000);
    assert_true(len > LIMIT - 80); /* no room for one more entry */

    ds_uuidv7(key);
    ds_resp r;
    exec_post(&s, key, EXEC_TOKEN, body, &r);
    free(body);
    ds_assert_error(&r, 400, "duplicate_key");
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(j, "message"), "duplicate key in in[]: \"k000000\"");
    char *details = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(j, "details"));
    assert_string_equal(details, "{\"key\":\"k000000\"}");
    free(details);
    cJSON_Delete(j);
    ds_resp_free(&r);
    ds_stop(&s);
}

static void test_validation_errors(void **state) {
    (void)state;
    char sid[37], big[37];
    upload("x", sid);
    char script[300];
    memset(script, '#', 250);
    script[250] = '\0';
    upload(script, big);
    static const refusal cases[] = {
        {"[1]", 400, "bad_request", "invalid JSON body", NULL},
        {"{\"lane\":1,\"command\":[\"true\"]}", 400, "bad_request", "lane", NULL},
        {"{\"lane\":\"default\",\"command\":\"true\"}", 400, "bad_request", "command", NULL},
        {"{\"command\":[\"true\"]}", 400, "bad_request", "lane", NULL},
        {"{\"lane\":\"default\",\"command\":[]}", 400, "bad_request", "command", NULL},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"in\":[{\"key\":\"1x\",\"staging_id\":\"%S\"}]}", 400,
         "invalid_key", "in[].key", "\"slot\":\"in\""},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"out\":[{\"key\":\"__res\"}]}", 400, "invalid_key",
         "out[].key", "\"slot\":\"out\""},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"out\":[{\"key\":\"a\"},{\"key\":\"a\"}]}", 400,
         "duplicate_key", "out[]", "{\"key\":\"a\"}"},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"in\":[{\"key\":\"a\",\"staging_id\":\"%S\"},"
         "{\"key\":\"b\",\"staging_id\":\"%S\"},{\"key\":\"c\",\"staging_id\":\"%S\"}]}",
         400, "too_many_files", "max_inputs_per_exec", "{\"count\":3,\"max\":2}"},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"out\":[{\"key\":\"a\"},{\"key\":\"b\"},{\"key\":\"c\"}]}",
         400, "too_many_files", "max_outputs_per_exec", "{\"count\":3,\"max\":2}"},
        {"{\"lane\":\"default\",\"command\":[\"/bin/bash\",\"-xc\",\"echo\"]}", 400, "shell_form_disabled",
         "allow_shell", NULL},
        {"{\"lane\":\"default\",\"command\":[\"sh\",\"--command\",\"echo\"]}", 400, "shell_form_disabled",
         "allow_shell", NULL},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"stdin\":\"pipe\"}", 400, "bad_request", "stdin",
         "{\"stdin\":\"pipe\"}"},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"stdin_staging_id\":\"%S\"}", 400, "bad_request",
         "stdin_staging_id", NULL},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"stdin\":\"broadcast\"}", 400, "bad_request",
         "stdin_staging_id", NULL},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"stdin\":\"single\",\"stdin_staging_id\":\"nope\"}", 400,
         "invalid_staging_id", "stdin_staging_id", "{\"staging_id\":\"nope\"}"},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"script\":{\"staging_id\":\"nope\"}}", 400,
         "invalid_staging_id", "script.staging_id", "{\"staging_id\":\"nope\"}"},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"in\":[{\"key\":\"k\",\"staging_id\":\"nope\"}]}", 400,
         "invalid_staging_id", "in[].staging_id", "{\"key\":\"k\",\"staging_id\":\"nope\"}"},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"timeout\":\"-1s\"}", 400, "bad_request", "timeout", NULL},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"group_id\":\"g\"}", 400, "bad_request", "group_id", NULL},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"display_name\":\"tab\\there\"}", 400, "bad_request",
         "display_name", NULL},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"in\":[{\"key\":\"k\","
         "\"staging_id\":\"01900000-0000-7000-8000-000000000000\"}]}",
         400, "unknown_staging_ref", "01900000-0000-7000-8000-000000000000",
         "{\"staging_id\":\"01900000-0000-7000-8000-000000000000\"}"},
        {"{\"lane\":\"default\",\"command\":[\"true\"],\"script\":{\"staging_id\":\"%B\"}}", 400, "script_too_large",
         "max_script_size", "{\"max\":200,\"size\":250}"},
        {"{\"lane\":\"nope\",\"command\":[\"true\"]}", 400, "unknown_lane", "nope", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        char body[1024] = "";
        for (const char *p = cases[i].body; *p; ++p) {
            if (p[0] == '%' && (p[1] == 'S' || p[1] == 'B')) {
                strcat(body, p[1] == 'S' ? sid : big);
                ++p;
            } else {
                strncat(body, p, 1);
            }
        }
        char key[37];
        ds_uuidv7(key);
        ds_resp r;
        exec_post(&S, key, EXEC_TOKEN, body, &r);
        if (r.status != cases[i].status || !strstr(r.body, cases[i].code))
            print_message("case %zu: %ld %s\n", i, r.status, r.body);
        ds_assert_error(&r, cases[i].status, cases[i].code);
        cJSON *j = ds_json(&r);
        assert_non_null(strstr(ds_str(j, "message"), cases[i].in_message));
        if (cases[i].details) {
            char *details = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(j, "details"));
            assert_non_null(details);
            assert_non_null(strstr(details, cases[i].details));
            free(details);
        }
        cJSON_Delete(j);
        ds_resp_free(&r);
    }
    /* display_name over 256 bytes, with its length. */
    char body[600], name[300], key[37];
    memset(name, 'n', 257);
    name[257] = '\0';
    snprintf(body, sizeof body, "{\"lane\":\"default\",\"command\":[\"true\"],\"display_name\":\"%s\"}", name);
    ds_uuidv7(key);
    ds_resp r;
    exec_post(&S, key, EXEC_TOKEN, body, &r);
    ds_assert_error(&r, 400, "bad_request");
    assert_non_null(strstr(r.body, "\"details\":{\"length\":257,\"max\":256}"));
    ds_resp_free(&r);
    /* Idempotency-Key missing or not a UUIDv7. */
    exec_post(&S, NULL, EXEC_TOKEN, "{\"lane\":\"default\",\"command\":[\"true\"]}", &r);
    ds_assert_error(&r, 400, "bad_request");
    assert_non_null(strstr(r.body, "Idempotency-Key"));
    ds_resp_free(&r);
    exec_post(&S, "k", EXEC_TOKEN, "{\"lane\":\"default\",\"command\":[\"true\"]}", &r);
    ds_assert_error(&r, 400, "bad_request");
    ds_resp_free(&r);
    /* The body cap, limits.max_exec_body_size. */
    char *huge = malloc(5000);
    memset(huge, ' ', 4999);
    huge[4999] = '\0';
    memcpy(huge, "{\"lane\":\"default\",\"command\":[\"true\"]}", 37);
    ds_uuidv7(key);
    exec_post(&S, key, EXEC_TOKEN, huge, &r);
    free(huge);
    ds_assert_error(&r, 413, "payload_too_large");
    assert_non_null(strstr(r.body, "\"limit_bytes\":4096"));
    ds_resp_free(&r);
    /* Unknown token: 401 before anything else. */
    exec_post(&S, key, "who", "{}", &r);
    ds_assert_error(&r, 401, "unauthorized");
    ds_resp_free(&r);
}

/* The letts.yaml the server writes for its clients carries the exec token
 * when exec is enabled, so a client of it reaches the exec routes. */
static void test_client_config_names_the_exec_token(void **state) {
    (void)state;
    const char *yaml = letts_devserver_client_config(S.srv);
    assert_non_null(strstr(yaml, "\n    exec_token: \"exec-token\"\n"));
    assert_non_null(strstr(yaml, "\n    token: \"dispatch-token\"\n"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_argv_stdin_in_out_end_to_end),
        cmocka_unit_test(test_stdout_env_and_events),
        cmocka_unit_test(test_script_exec_and_signal),
        cmocka_unit_test(test_failing_command_and_timeout),
        cmocka_unit_test(test_kill_restart_delete),
        cmocka_unit_test(test_bulk_prune_and_script_ref),
        cmocka_unit_test(test_idempotency_replay_and_conflict),
        cmocka_unit_test(test_kind_isolation),
        cmocka_unit_test(test_validation_errors),
        cmocka_unit_test(test_duplicate_key_at_the_end_of_a_full_body),
        cmocka_unit_test(test_client_config_names_the_exec_token),
    };
    /* Alone: it starts servers of its own, and ds_stop removes the data
     * directories of every server started so far. */
    const struct CMUnitTest alone[] = {
        cmocka_unit_test(test_feature_disabled_and_no_lanes),
        cmocka_unit_test(test_exec_retention_ttl),
    };
    const int failed = cmocka_run_group_tests(tests, setup, teardown);
    return failed + cmocka_run_group_tests(alone, NULL, NULL);
}
