/* The devserver's memory bounded over time (issue 15): the cleanup TTLs of
 * dugdale.yaml remove finished jobs (404 on every route, work directory and
 * capture files gone) and unreferenced staging files (410 deleting, file
 * gone) while a failed job and the file it references stay; and the queue
 * limits hold among thousands of finished jobs, freed by kill, delete and
 * lane removal (http-api.md §9.11, §5.13, §5.5 rows 23/24).
 * Exact TTL boundaries are in tests/unit/devserver/test_sweeper.cpp. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "devserver_harness.h"

static const char *SWEEP_YAML =
    DS_YAML_HEAD
    "cleanup:\n"
    "  success_ttl: 1s\n"
    "  failed_ttl: 1h\n"
    "  staging_ttl: 1500ms\n"
    "  sweep_interval: 20ms\n";

static const char *LIMITS_YAML =
    DS_YAML_HEAD
    "limits:\n"
    "  max_queue_per_lane: 3\n"
    "  max_queue_total: 5\n";

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static void job_paths(const ds_server *s, const char *id, char *work, char *out, size_t size) {
    const char *data = letts_devserver_data_dir(s->srv);
    snprintf(work, size, "%s/work/%s", data, id);
    snprintf(out, size, "%s/output/%.2s/%.2s/%s-stdout", data, id, id + 2, id);
}

static long get_status(const ds_server *s, const char *fmt, const char *id) {
    ds_resp r;
    const long st = ds_admin(s, "GET", fmt, id, &r);
    ds_resp_free(&r);
    return st;
}

/* Polls GET fmt(id) until it answers `want`; asserts within timeout_ms. */
static void wait_http(const ds_server *s, const char *fmt, const char *id, long want, int timeout_ms) {
    const long long deadline = ds_now_ms() + timeout_ms;
    long st;
    while ((st = get_status(s, fmt, id)) != want) {
        if (ds_now_ms() > deadline) fail_msg("GET %s (%s): HTTP %ld, want %ld", fmt, id, st, want);
    }
}

static void put_file(const ds_server *s, const char *id, const char *data) {
    unsigned char d[SHA256_DIGEST_LENGTH];
    char sha[65], h_sha[128], path[96];
    SHA256((const unsigned char *)data, strlen(data), d);
    for (int i = 0; i < 32; ++i) snprintf(sha + 2 * i, 3, "%02x", d[i]);
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    snprintf(h_sha, sizeof h_sha, "X-Letts-Sha256: %s", sha);
    const char *hdrs[] = {h_sha, "Content-Type: application/octet-stream", NULL};
    ds_resp r;
    assert_int_equal(ds_http(s, "PUT", path, s->dispatch_token, data, strlen(data), hdrs, &r), 201);
    cJSON *j = ds_json(&r);
    assert_int_equal((int)ds_num(j, "ttl_seconds"), 1); /* whole seconds of staging_ttl */
    cJSON_Delete(j);
    ds_resp_free(&r);
}

static void test_ttls_remove_jobs_and_files(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, SWEEP_YAML);
    ds_apply(&s, "{\"mission_dir\":\"%MISSIONS%\",\"lanes\":{\"default\":{\"concurrency\":4}}}");
    ds_script(&s, "ok", "echo hello; echo '{\"event\":\"success\"}' >&3");
    ds_script(&s, "bad", "echo oops; exit 3");

    /* A file used by the failed job, and one nobody uses. */
    char kept[37], lone[37], kept_path[512], lone_path[512];
    ds_uuidv7(kept);
    ds_uuidv7(lone);
    put_file(&s, kept, "referenced by a failed job\n");
    put_file(&s, lone, "referenced by nobody\n");
    snprintf(kept_path, sizeof kept_path, "%s/staging/%s", letts_devserver_data_dir(s.srv), kept);
    snprintf(lone_path, sizeof lone_path, "%s/staging/%s", letts_devserver_data_dir(s.srv), lone);
    assert_true(exists(kept_path));
    assert_true(exists(lone_path));

    char ok[37], bad[37], extra[160];
    snprintf(extra, sizeof extra, "\"files\":[{\"role\":\"doc\",\"staging_id\":\"%s\"}]", kept);
    ds_dispatch(&s, "bad", "default", NULL, extra, bad);
    ds_dispatch(&s, "ok", "default", NULL, NULL, ok);
    cJSON_Delete(ds_wait_status(&s, ok, "done", 10000));
    cJSON_Delete(ds_wait_status(&s, bad, "done", 10000));

    /* Both left their files (checked well within the 1 s TTL). */
    char ok_work[512], ok_out[512], bad_work[512], bad_out[512];
    job_paths(&s, ok, ok_work, ok_out, sizeof ok_work);
    job_paths(&s, bad, bad_work, bad_out, sizeof bad_work);
    assert_true(exists(ok_work));
    assert_true(exists(ok_out));
    assert_true(exists(bad_work));
    assert_true(exists(bad_out));

    /* The success job goes after success_ttl: 404 everywhere, files gone. */
    wait_http(&s, "/v1/missions/%s", ok, 404, 10000);
    wait_http(&s, "/v1/missions/%s/events", ok, 404, 5000);
    assert_int_equal(get_status(&s, "/v1/missions/%s/output?stream=stdout", ok), 404);
    ds_resp r;
    ds_admin(&s, "POST", "/v1/missions/%s/kill", ok, &r);
    ds_assert_error(&r, 404, "not_found");
    ds_resp_free(&r);
    assert_false(exists(ok_work));
    assert_false(exists(ok_out));

    /* The failed job of the same age is under failed_ttl: all still there. */
    cJSON *m = ds_mission(&s, bad);
    assert_string_equal(ds_str(m, "status"), "done");
    cJSON_Delete(m);
    assert_int_equal(get_status(&s, "/v1/missions/%s/events", bad), 200);
    assert_true(exists(bad_work));
    assert_true(exists(bad_out));

    /* The unreferenced file goes after staging_ttl: 410 deleting, file gone;
     * the file the failed job references stays downloadable. */
    wait_http(&s, "/v1/staging/%s", lone, 410, 10000);
    ds_admin(&s, "GET", "/v1/staging/%s", lone, &r);
    ds_assert_error(&r, 410, "deleting");
    ds_resp_free(&r);
    assert_false(exists(lone_path));
    assert_int_equal(get_status(&s, "/v1/staging/%s", kept), 200);
    assert_true(exists(kept_path));

    /* Once removed, the id is unknown: its Idempotency-Key makes a new job. */
    char key[96];
    snprintf(key, sizeof key, "Idempotency-Key: %s", ok);
    const char *hdrs[] = {key, NULL};
    const char *body = "{\"mission\":\"ok\",\"lane\":\"default\"}";
    assert_int_equal(ds_http(&s, "POST", "/v1/dispatch", s.dispatch_token, body, strlen(body), hdrs, &r), 202);
    ds_resp_free(&r);
    ds_stop(&s);
}

static long dispatch_to(const ds_server *s, const char *lane, char id[37], ds_resp *r) {
    char key[96], body[128];
    ds_uuidv7(id);
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    snprintf(body, sizeof body, "{\"mission\":\"m\",\"lane\":\"%s\"}", lane);
    const char *hdrs[] = {key, NULL};
    return ds_http(s, "POST", "/v1/dispatch", s->dispatch_token, body, strlen(body), hdrs, r);
}

static void dispatch_ok(const ds_server *s, const char *lane, char id[37]) {
    ds_resp r;
    if (dispatch_to(s, lane, id, &r) != 202) fail_msg("dispatch on %s: HTTP %ld %s", lane, r.status, r.body);
    ds_resp_free(&r);
}

static void expect_full(const ds_server *s, const char *lane, int lane_queued) {
    char id[37];
    ds_resp r;
    dispatch_to(s, lane, id, &r);
    ds_assert_error(&r, 503, "queue_full");
    cJSON *j = ds_json(&r);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "details");
    if (lane_queued >= 0) {
        assert_string_equal(ds_str(d, "lane"), lane);
        assert_int_equal((int)ds_num(d, "queued"), lane_queued);
    } else {
        assert_null(d); /* the total limit names no lane */
    }
    cJSON_Delete(j);
    ds_resp_free(&r);
}

static void kill_job(const ds_server *s, const char *id) {
    ds_resp r;
    assert_int_equal(ds_admin(s, "POST", "/v1/missions/%s/kill", id, &r), 200);
    ds_resp_free(&r);
}

static void test_queue_limits_among_many_finished_jobs(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, LIMITS_YAML);
    /* Paused lanes: nothing runs, so the counts only move when the test says. */
    ds_apply(&s, "{\"mission_dir\":\"%MISSIONS%\",\"lanes\":{"
                 "\"p\":{\"concurrency\":1,\"paused\":true},\"q\":{\"concurrency\":1,\"paused\":true}}}");

    /* 5,000 finished jobs (killed while queued) count for nothing. */
    char id[37];
    for (int i = 0; i < 5000; ++i) {
        dispatch_ok(&s, i % 2 ? "p" : "q", id);
        kill_job(&s, id);
    }

    char p[3][37], q[2][37];
    for (int i = 0; i < 3; ++i) dispatch_ok(&s, "p", p[i]);
    expect_full(&s, "p", 3);

    /* A kill frees a place in the lane. */
    kill_job(&s, p[0]);
    dispatch_ok(&s, "p", p[0]);
    expect_full(&s, "p", 3);

    /* So does an admin delete of a queued job. */
    ds_resp r;
    assert_int_equal(ds_admin(&s, "DELETE", "/v1/missions/%s", p[1], &r), 202);
    ds_resp_free(&r);
    dispatch_ok(&s, "p", p[1]);
    expect_full(&s, "p", 3);

    /* The total: 3 on p + 2 on q, then q is refused though it has room. */
    dispatch_ok(&s, "q", q[0]);
    dispatch_ok(&s, "q", q[1]);
    expect_full(&s, "q", -1);

    /* Removing lane p (force_prune) ends its three jobs: room again. */
    char doc_text[512];
    snprintf(doc_text, sizeof doc_text, "{\"mission_dir\":\"%s\",\"lanes\":{\"q\":{\"concurrency\":1,\"paused\":true}}}",
             s.mission_dir);
    assert_int_equal(ds_http(&s, "POST", "/v1/admin/apply?prune=true&force_prune=true", s.admin_token, doc_text,
                             strlen(doc_text), NULL, &r),
                     200);
    ds_resp_free(&r);
    char q3[37];
    dispatch_ok(&s, "q", q3);
    expect_full(&s, "q", 3);
    ds_stop(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ttls_remove_jobs_and_files),
        cmocka_unit_test(test_queue_limits_among_many_finished_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
