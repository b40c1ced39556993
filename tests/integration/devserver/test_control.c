/* Control and admin routes: kill (queued, running, TERM then KILL after the
 * grace), restart, delete (+force), lane pause/continue, apply (merge,
 * prune guard), state, /v1/dugdale and /v1/lanes (http-api.md §5.11–5.13,
 * §5.22–5.27, §12; mission-protocol.md §5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devserver_harness.h"

static ds_server S;

/* A short kill grace keeps the TERM→KILL test fast. */
static const char *YAML =
    DS_YAML_HEAD
    "limits:\n  default_kill_grace: 300ms\n";

static const char *LANES = "{\"default\":{\"concurrency\":4},\"one\":{\"concurrency\":1}}";

static int setup(void **state) {
    (void)state;
    ds_start(&S, YAML);
    ds_apply_lanes(&S, LANES);
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
    /* Runs until signalled; TERM ends it. */
    snprintf(body, sizeof body, "touch \"%s.started.$LETTS_MISSION_ID\"; while :; do sleep 0.02; done", gate);
    ds_script(&S, "spin", body);
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
    ds_apply_lanes(&S, "{\"one\":{\"concurrency\":1}}");
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

static cJSON *results_of(const ds_resp *r, int expected) {
    cJSON *j = ds_json(r);
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(j, "results");
    assert_true(cJSON_IsArray(results));
    assert_int_equal(cJSON_GetArraySize(results), expected);
    return j;
}

static const cJSON *item(const cJSON *j, int i) {
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "results"), i);
}

static void assert_item_error(const cJSON *it, const char *id, const char *code) {
    assert_string_equal(ds_str(it, "id"), id);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(it, "ok")));
    assert_string_equal(ds_str(it, "error"), code);
    assert_null(cJSON_GetObjectItemCaseSensitive(it, "message")); /* no message in items */
}

static void test_bulk_restart_and_delete(void **state) {
    (void)state;
    char done[37], running[37], unknown[37], body[1024];
    ds_dispatch(&S, "quick", "default", NULL, NULL, done);
    cJSON_Delete(ds_wait_outcome(&S, done, "success", "", 10000));
    ds_dispatch(&S, "spin", "default", NULL, NULL, running);
    wait_started(running);
    ds_uuidv7(unknown);

    /* Restart: one item per id, in order; duplicates processed twice. */
    ds_resp r;
    snprintf(body, sizeof body, "{\"ids\":[\"%s\",\"%s\",\"not-an-id\",\"%s\",\"%s\"],\"force\":true}", done,
             running, unknown, done);
    assert_int_equal(ds_http(&S, "POST", "/v1/missions/bulk-restart", S.admin_token, body, strlen(body), NULL, &r),
                     200);
    cJSON *j = results_of(&r, 5);
    ds_resp_free(&r);
    char first[37], second[37];
    for (int i = 0; i < 5; i += 4) {
        const cJSON *it = item(j, i);
        assert_string_equal(ds_str(it, "id"), done);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "ok")));
        assert_null(cJSON_GetObjectItemCaseSensitive(it, "error"));
        snprintf(i == 0 ? first : second, 37, "%s", ds_str(it, "mission_id"));
    }
    assert_string_not_equal(first, done);
    assert_string_not_equal(first, second);
    assert_item_error(item(j, 1), running, "mission_not_done");
    assert_string_equal(ds_str(cJSON_GetObjectItemCaseSensitive(item(j, 1), "details"), "status"), "running");
    assert_item_error(item(j, 2), "not-an-id", "bad_request");
    assert_item_error(item(j, 3), unknown, "not_found");
    cJSON_Delete(j);
    for (int i = 0; i < 2; ++i) {
        cJSON *m = ds_wait_outcome(&S, i == 0 ? first : second, "success", "", 10000);
        assert_string_equal(ds_str(m, "restarted_from"), done);
        cJSON_Delete(m);
    }

    /* Delete: a running job without force is an item error, not a batch failure. */
    snprintf(body, sizeof body, "{\"ids\":[\"%s\",\"%s\",\"%s\"]}", first, running, unknown);
    assert_int_equal(ds_http(&S, "POST", "/v1/missions/bulk-delete", S.admin_token, body, strlen(body), NULL, &r),
                     200);
    j = results_of(&r, 3);
    ds_resp_free(&r);
    assert_string_equal(ds_str(item(j, 0), "id"), first);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item(j, 0), "ok")));
    assert_string_equal(ds_str(item(j, 0), "status"), "deletion_pending");
    assert_item_error(item(j, 1), running, "mission_running");
    assert_string_equal(ds_str(cJSON_GetObjectItemCaseSensitive(item(j, 1), "details"), "hint"),
                        "POST /kill first, or use ?force=true");
    assert_item_error(item(j, 2), unknown, "not_found");
    cJSON_Delete(j);
    ds_admin(&S, "GET", "/v1/missions/%s", first, &r);
    ds_assert_error(&r, 404, "not_found");
    ds_resp_free(&r);
    ds_admin(&S, "GET", "/v1/missions/%s", running, &r);
    assert_int_equal(r.status, 200);
    ds_resp_free(&r);

    /* force applies to every id: the running job is killed, then marked. */
    snprintf(body, sizeof body, "{\"ids\":[\"%s\",\"%s\"],\"force\":true}", running, first);
    assert_int_equal(ds_http(&S, "POST", "/v1/missions/bulk-delete", S.admin_token, body, strlen(body), NULL, &r),
                     200);
    j = results_of(&r, 2);
    ds_resp_free(&r);
    for (int i = 0; i < 2; ++i) {
        assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item(j, i), "ok")));
        assert_string_equal(ds_str(item(j, i), "status"), "deletion_pending");
    }
    cJSON_Delete(j);
    ds_admin(&S, "GET", "/v1/missions/%s/events", running, &r);
    ds_assert_error(&r, 410, "mission_deleting");
    ds_resp_free(&r);

    /* Whole-request errors. */
    static const struct {
        const char *body;
        const char *needle;
    } bad[] = {
        {"{\"ids\":[]}", "ids must be a non-empty array"},
        {"{}", "ids must be a non-empty array"},
        {"{\"ids\":", NULL},
        {"{\"ids\":[1]}", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        for (int which = 0; which < 2; ++which) {
            const char *path = which ? "/v1/missions/bulk-delete" : "/v1/missions/bulk-restart";
            ds_http(&S, "POST", path, S.admin_token, bad[i].body, strlen(bad[i].body), NULL, &r);
            ds_assert_error(&r, 400, "bad_request");
            if (bad[i].needle) assert_non_null(strstr(r.body, bad[i].needle));
            ds_resp_free(&r);
        }
    }
    /* More than 1000 ids: details.count. */
    const size_t n = 1001, big_size = n * 40 + 16;
    char *big = malloc(big_size);
    assert_non_null(big);
    size_t used = (size_t)snprintf(big, big_size, "{\"ids\":[");
    for (size_t i = 0; i < n; ++i) used += (size_t)snprintf(big + used, big_size - used, "%s\"%s\"", i ? "," : "", unknown);
    snprintf(big + used, big_size - used, "]}");
    ds_http(&S, "POST", "/v1/missions/bulk-delete", S.admin_token, big, strlen(big), NULL, &r);
    ds_assert_error(&r, 400, "bad_request");
    j = ds_json(&r);
    assert_int_equal((int)ds_num(cJSON_GetObjectItemCaseSensitive(j, "details"), "count"), 1001);
    cJSON_Delete(j);
    ds_resp_free(&r);
    free(big);
    /* Admin only. */
    snprintf(body, sizeof body, "{\"ids\":[\"%s\"]}", unknown);
    ds_http(&S, "POST", "/v1/missions/bulk-restart", "dispatch-token", body, strlen(body), NULL, &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);
}

static long post_dispatch(const char *key, const char *body, ds_resp *r) {
    char h[96];
    snprintf(h, sizeof h, "Idempotency-Key: %s", key);
    const char *hdrs[] = {h, NULL};
    return ds_http(&S, "POST", "/v1/dispatch", "dispatch-token", body, strlen(body), hdrs, r);
}

static void test_dispatch_replay_of_deleted_job_is_410(void **state) {
    (void)state;
    char key[37], missing[37], body[512];
    ds_uuidv7(key);
    ds_uuidv7(missing);
    const char *same = "{\"mission\":\"quick\",\"lane\":\"default\",\"input\":{\"a\":1}}";
    ds_resp r;
    assert_int_equal(post_dispatch(key, same, &r), 202);
    ds_resp_free(&r);
    cJSON_Delete(ds_wait_outcome(&S, key, "success", "", 10000));
    assert_int_equal(ds_admin(&S, "DELETE", "/v1/missions/%s", key, &r), 202);
    ds_resp_free(&r);

    /* Same fingerprint (row 17). */
    post_dispatch(key, same, &r);
    ds_assert_error(&r, 410, "mission_deleting");
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(cJSON_GetObjectItemCaseSensitive(j, "details"), "mission_id"), key);
    cJSON_Delete(j);
    ds_resp_free(&r);
    /* An unavailable staging reference cannot be fingerprinted (row 12). */
    snprintf(body, sizeof body,
             "{\"mission\":\"quick\",\"lane\":\"default\",\"files\":[{\"role\":\"doc\",\"staging_id\":\"%s\"}]}",
             missing);
    post_dispatch(key, body, &r);
    ds_assert_error(&r, 410, "mission_deleting");
    j = ds_json(&r);
    assert_string_equal(ds_str(cJSON_GetObjectItemCaseSensitive(j, "details"), "mission_id"), key);
    cJSON_Delete(j);
    ds_resp_free(&r);
    /* A different request with that key still conflicts (row 18). */
    post_dispatch(key, "{\"mission\":\"spin\",\"lane\":\"default\"}", &r);
    ds_assert_error(&r, 409, "idempotency_conflict");
    j = ds_json(&r);
    const cJSON *existing = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "details"), "existing");
    assert_string_equal(ds_str(existing, "mission_id"), key);
    assert_string_equal(ds_str(existing, "mission"), "quick");
    cJSON_Delete(j);
    ds_resp_free(&r);
}

static void test_force_prune_kills_lane_jobs(void **state) {
    (void)state;
    ds_apply_lanes(&S, "{\"doomed\":{\"concurrency\":1}}");
    char running[37], queued[37];
    ds_dispatch(&S, "spin", "doomed", NULL, NULL, running);
    wait_started(running);
    ds_dispatch(&S, "quick", "doomed", NULL, NULL, queued);
    cJSON_Delete(ds_wait_status(&S, queued, "queued", 1000));

    char body[1024];
    snprintf(body, sizeof body,
             "{\"mission_dir\":\"%s\",\"lanes\":{\"default\":{\"concurrency\":4},\"one\":{\"concurrency\":1},"
             "\"extra\":{\"concurrency\":2}},"
             "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}",
             S.mission_dir);
    ds_resp r;
    ds_http(&S, "POST", "/v1/admin/apply?prune=true", S.admin_token, body, strlen(body), NULL, &r);
    ds_assert_error(&r, 409, "conflict");
    cJSON *j = ds_json(&r);
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(j, "details");
    assert_string_equal(ds_str(details, "reason"), "lanes_with_active_missions");
    const cJSON *blocked = cJSON_GetObjectItemCaseSensitive(details, "blocked_lanes");
    assert_int_equal(cJSON_GetArraySize(blocked), 1);
    assert_string_equal(cJSON_GetArrayItem(blocked, 0)->valuestring, "doomed");
    cJSON_Delete(j);
    ds_resp_free(&r);

    assert_int_equal(
        ds_http(&S, "POST", "/v1/admin/apply?force_prune=TRUE", S.admin_token, body, strlen(body), NULL, &r), 200);
    j = ds_json(&r);
    const cJSON *removed = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "diff"), "LanesRemoved");
    assert_int_equal(cJSON_GetArraySize(removed), 1);
    assert_string_equal(cJSON_GetArrayItem(removed, 0)->valuestring, "doomed");
    const cJSON *stopped = cJSON_GetObjectItemCaseSensitive(j, "stopped");
    assert_int_equal(cJSON_GetArraySize(stopped), 1);
    assert_string_equal(cJSON_GetArrayItem(stopped, 0)->valuestring, "doomed");
    cJSON_Delete(j);
    ds_resp_free(&r);

    /* The queued job ends at once with a done event; the running one is signalled. */
    cJSON *m = ds_wait_outcome(&S, queued, "killed", "lane_removed", 5000);
    assert_string_equal(ds_str(m, "fail_message"),
                        "killed because lane \"doomed\" was removed from the config before it started");
    assert_int_equal((int)ds_num(m, "exit_code"), 0);
    cJSON_Delete(m);
    ds_admin(&S, "GET", "/v1/missions/%s/events", queued, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"event\":\"done\""));
    assert_non_null(strstr(r.body, "\"fail_reason\":\"lane_removed\""));
    ds_resp_free(&r);
    m = ds_wait_outcome(&S, running, "killed", "lane_removed", 10000);
    assert_string_equal(ds_str(m, "signal"), "TERM");
    assert_int_equal((int)ds_num(m, "exit_code"), -1);
    assert_false(ds_pid_alive((long)ds_num(m, "pid")));
    cJSON_Delete(m);

    /* The lane is gone. */
    char key[37];
    ds_uuidv7(key);
    post_dispatch(key, "{\"mission\":\"quick\",\"lane\":\"doomed\"}", &r);
    ds_assert_error(&r, 400, "unknown_lane");
    ds_resp_free(&r);
    assert_int_equal(ds_http(&S, "GET", "/v1/lanes", "dispatch-token", NULL, 0, NULL, &r), 200);
    assert_null(strstr(r.body, "\"doomed\""));
    ds_resp_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_queued_and_running),
        cmocka_unit_test(test_kill_escalates_to_sigkill_after_grace),
        cmocka_unit_test(test_restart),
        cmocka_unit_test(test_delete_and_force_delete),
        cmocka_unit_test(test_pause_continue_and_state),
        cmocka_unit_test(test_apply_merge_prune_guard),
        cmocka_unit_test(test_bulk_restart_and_delete),
        cmocka_unit_test(test_dispatch_replay_of_deleted_job_is_410),
        cmocka_unit_test(test_force_prune_kills_lane_jobs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
