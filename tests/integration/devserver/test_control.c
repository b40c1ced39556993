/* Control and admin routes: kill (queued, running, TERM then KILL after the
 * grace), restart, delete (+force), lane pause/continue, apply (merge,
 * prune guard), state, /v1/dugdale and /v1/lanes (http-api.md §5.11–5.13,
 * §5.22–5.27, §12; mission-protocol.md §5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static ds_server S;

/* A short kill grace keeps the TERM→KILL test fast. */
static const char *YAML =
    "listen: 127.0.0.1:0\n"
    "data_dir: %DATA%\n"
    "auth:\n  tokens: [dispatch-token]\n"
    "admin:\n  tokens: [admin-token]\n"
    "limits:\n  default_kill_grace: 300ms\n";

static const char *APPLY =
    "{\"mission_dir\":\"%MISSIONS%\",\"lanes\":{\"default\":{\"concurrency\":4},\"one\":{\"concurrency\":1}},"
    "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}";

static int setup(void **state) {
    (void)state;
    ds_start(&S, YAML);
    ds_apply(&S, APPLY);
    char gate[400], body[1024];
    ds_path(&S, "gate", gate, sizeof gate);
    /* Blocks until the test creates the gate file, then succeeds. */
    snprintf(body, sizeof body,
             "touch \"%s.started.$LETTS_MISSION_ID\"; while [ ! -e \"%s\" ]; do sleep 0.02; done; "
             "echo '{\"event\":\"success\"}' >&3",
             gate, gate);
    ds_script(&S, "gated", body);
    /* Ignores SIGTERM (so do its children) until killed. */
    snprintf(body, sizeof body,
             "trap '' TERM; touch \"%s.started.$LETTS_MISSION_ID\"; while :; do sleep 0.02; done", gate);
    ds_script(&S, "stubborn", body);
    ds_script(&S, "quick", "echo '{\"event\":\"success\"}' >&3");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static void wait_started(const char *id) {
    char name[128];
    snprintf(name, sizeof name, "gate.started.%s", id);
    ds_wait_file(&S, name, 10000);
}

static const char *resp_status(const ds_resp *r, char *buf, size_t size) {
    cJSON *j = ds_json(r);
    snprintf(buf, size, "%s", ds_str(j, "status"));
    cJSON_Delete(j);
    return buf;
}

static void test_kill_queued_and_running(void **state) {
    (void)state;
    char running[37], queued[37], buf[64];
    ds_dispatch(&S, "gated", "one", NULL, NULL, running);
    wait_started(running);
    ds_dispatch(&S, "gated", "one", NULL, NULL, queued);
    cJSON_Delete(ds_wait_status(&S, queued, "queued", 1000));

    ds_resp r;
    assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/kill", queued, &r), 200);
    assert_string_equal(resp_status(&r, buf, sizeof buf), "killed");
    ds_resp_free(&r);
    cJSON *m = ds_wait_outcome(&S, queued, "killed", "killed_by_api", 1000);
    assert_string_equal(ds_str(m, "fail_message"), "killed via the kill API before it started");
    assert_int_equal((int)ds_num(m, "exit_code"), 0);
    assert_null(cJSON_GetObjectItemCaseSensitive(m, "duration_ms"));
    cJSON_Delete(m);
    ds_admin(&S, "POST", "/v1/missions/%s/kill", queued, &r);
    ds_assert_error(&r, 409, "mission_done");
    ds_resp_free(&r);

    assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/kill", running, &r), 200);
    assert_string_equal(resp_status(&r, buf, sizeof buf), "kill_sent");
    ds_resp_free(&r);
    m = ds_wait_outcome(&S, running, "killed", "killed_by_api", 10000);
    assert_string_equal(ds_str(m, "fail_message"), "killed via the kill API");
    assert_string_equal(ds_str(m, "signal"), "TERM");
    assert_int_equal((int)ds_num(m, "exit_code"), -1);
    const long pid = (long)ds_num(m, "pid");
    assert_false(ds_pid_alive(pid));
    cJSON_Delete(m);

    ds_admin(&S, "POST", "/v1/missions/%s/kill", "not-an-id", &r);
    ds_assert_error(&r, 400, "bad_request");
    ds_resp_free(&r);
}

static void test_kill_escalates_to_sigkill_after_grace(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "stubborn", "default", NULL, NULL, id);
    wait_started(id);
    const long long t0 = ds_now_ms();
    ds_resp r;
    assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/kill", id, &r), 200);
    ds_resp_free(&r);
    cJSON *m = ds_wait_outcome(&S, id, "killed", "killed_by_api", 10000);
    assert_true(ds_now_ms() - t0 >= 300); /* the grace was honoured */
    assert_string_equal(ds_str(m, "signal"), "KILL");
    assert_int_equal((int)ds_num(m, "exit_code"), -1);
    assert_false(ds_pid_alive((long)ds_num(m, "pid")));
    cJSON_Delete(m);
}

static void test_restart(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "quick", "default", "{\"v\":1}", NULL, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
    ds_resp r;
    assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/restart", id, &r), 201);
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(j, "restarted_from"), id);
    assert_string_equal(ds_str(j, "status"), "queued");
    char new_id[37];
    snprintf(new_id, sizeof new_id, "%s", ds_str(j, "mission_id"));
    assert_string_not_equal(new_id, id);
    cJSON_Delete(j);
    ds_resp_free(&r);
    cJSON *m = ds_wait_outcome(&S, new_id, "success", "", 10000);
    assert_string_equal(ds_str(m, "restarted_from"), id);
    char *input = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(m, "input"));
    assert_string_equal(input, "{\"v\":1}");
    cJSON_free(input);
    cJSON_Delete(m);

    char running[37];
    ds_dispatch(&S, "stubborn", "default", NULL, NULL, running);
    wait_started(running);
    ds_admin(&S, "POST", "/v1/missions/%s/restart", running, &r);
    ds_assert_error(&r, 409, "mission_not_done");
    ds_resp_free(&r);
    ds_admin(&S, "POST", "/v1/missions/%s/kill", running, &r);
    ds_resp_free(&r);
    cJSON_Delete(ds_wait_outcome(&S, running, "killed", "killed_by_api", 10000));
}

static void test_delete_and_force_delete(void **state) {
    (void)state;
    char done[37];
    ds_dispatch(&S, "quick", "default", NULL, NULL, done);
    cJSON_Delete(ds_wait_outcome(&S, done, "success", "", 10000));
    ds_resp r;
    assert_int_equal(ds_admin(&S, "DELETE", "/v1/missions/%s", done, &r), 202);
    assert_non_null(strstr(r.body, "deletion_pending"));
    ds_resp_free(&r);
    ds_admin(&S, "GET", "/v1/missions/%s", done, &r);
    ds_assert_error(&r, 404, "not_found");
    ds_resp_free(&r);
    ds_admin(&S, "GET", "/v1/missions/%s/events", done, &r);
    ds_assert_error(&r, 410, "mission_deleting");
    ds_resp_free(&r);
    /* Idempotent. */
    assert_int_equal(ds_admin(&S, "DELETE", "/v1/missions/%s", done, &r), 202);
    ds_resp_free(&r);

    char running[37];
    ds_dispatch(&S, "stubborn", "default", NULL, NULL, running);
    wait_started(running);
    ds_admin(&S, "DELETE", "/v1/missions/%s", running, &r);
    ds_assert_error(&r, 409, "mission_running");
    ds_resp_free(&r);
    assert_int_equal(ds_admin(&S, "DELETE", "/v1/missions/%s?force=true", running, &r), 202);
    ds_resp_free(&r);
    /* The deleted job is listed only with status=deleting, finalised as force_delete. */
    assert_int_equal(ds_http(&S, "GET", "/v1/missions?status=deleting", S.admin_token, NULL, 0, NULL, &r), 200);
    cJSON *j = ds_json(&r);
    int found = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(j, "missions")) {
        if (strcmp(ds_str(m, "mission_id"), running) == 0) {
            found = 1;
            assert_string_equal(ds_str(m, "outcome"), "killed");
            assert_string_equal(ds_str(m, "fail_reason"), "force_delete");
            assert_false(ds_pid_alive((long)ds_num(m, "pid")));
        }
    }
    assert_true(found);
    cJSON_Delete(j);
    ds_resp_free(&r);
}

static void test_pause_continue_and_state(void **state) {
    (void)state;
    ds_resp r;
    assert_int_equal(ds_http(&S, "POST", "/v1/admin/lanes/one/pause", S.admin_token, NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);
    assert_int_equal(ds_http(&S, "GET", "/v1/admin/state", S.admin_token, NULL, 0, NULL, &r), 200);
    cJSON *j = ds_json(&r);
    const cJSON *lane =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "state"), "lanes"), "one");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(lane, "paused")));
    assert_string_equal(ds_str(lane, "paused_by"), "ctl");
    cJSON_Delete(j);
    ds_resp_free(&r);

    char held[37], other[37];
    ds_dispatch(&S, "quick", "one", NULL, NULL, held);
    ds_dispatch(&S, "quick", "default", NULL, NULL, other);
    cJSON_Delete(ds_wait_outcome(&S, other, "success", "", 10000));
    cJSON *m = ds_mission(&S, held);
    assert_string_equal(ds_str(m, "status"), "queued");
    cJSON_Delete(m);

    /* An apply asking paused:false keeps a ctl pause (§12.2). */
    ds_apply(&S, "{\"mission_dir\":\"%MISSIONS%\",\"lanes\":{\"one\":{\"concurrency\":1}},"
                 "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}");
    m = ds_mission(&S, held);
    assert_string_equal(ds_str(m, "status"), "queued");
    cJSON_Delete(m);

    assert_int_equal(ds_http(&S, "POST", "/v1/admin/lanes/one/continue", S.admin_token, NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);
    cJSON_Delete(ds_wait_outcome(&S, held, "success", "", 10000));

    ds_http(&S, "POST", "/v1/admin/lanes/nope/pause", S.admin_token, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 404);
    ds_resp_free(&r);
}

static void test_apply_merge_prune_guard(void **state) {
    (void)state;
    ds_resp r;
    const char *add = "{\"mission_dir\":\"%MISSIONS%\",\"lanes\":{\"extra\":{\"concurrency\":2}},"
                      "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}";
    ds_apply(&S, add);
    /* Merge kept the other lanes. */
    assert_int_equal(ds_http(&S, "GET", "/v1/lanes", "dispatch-token", NULL, 0, NULL, &r), 200);
    assert_non_null(strstr(r.body, "\"default\""));
    assert_non_null(strstr(r.body, "\"extra\""));
    ds_resp_free(&r);

    char busy[37];
    ds_dispatch(&S, "stubborn", "default", NULL, NULL, busy);
    wait_started(busy);
    const char *prune = "{\"mission_dir\":\"%s\",\"lanes\":{\"extra\":{\"concurrency\":2}},"
                        "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}";
    char body[1024];
    snprintf(body, sizeof body, prune, S.mission_dir);
    ds_http(&S, "POST", "/v1/admin/apply?prune=true", S.admin_token, body, strlen(body), NULL, &r);
    ds_assert_error(&r, 409, "conflict");
    assert_non_null(strstr(r.body, "lanes_with_active_missions"));
    ds_resp_free(&r);

    assert_int_equal(ds_http(&S, "GET", "/v1/dugdale", "dispatch-token", NULL, 0, NULL, &r), 200);
    cJSON *j = ds_json(&r);
    assert_true(strlen(ds_str(j, "version")) > 0);
    assert_true(ds_num(cJSON_GetObjectItemCaseSensitive(j, "queue_summary"), "running") >= 1);
    cJSON_Delete(j);
    ds_resp_free(&r);

    ds_admin(&S, "POST", "/v1/missions/%s/kill", busy, &r);
    ds_resp_free(&r);
    cJSON_Delete(ds_wait_outcome(&S, busy, "killed", "killed_by_api", 10000));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_queued_and_running),
        cmocka_unit_test(test_kill_escalates_to_sigkill_after_grace),
        cmocka_unit_test(test_restart),
        cmocka_unit_test(test_delete_and_force_delete),
        cmocka_unit_test(test_pause_continue_and_state),
        cmocka_unit_test(test_apply_merge_prune_guard),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
