/* Health, version, dispatch (new/replay/conflict and its error rows) and
 * authentication (http-api.md §4, §5.1–5.5, §11). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "devserver_harness.h"

static ds_server S;

static const char *CONFIG_YAML =
    DS_YAML_HEAD
    "exec:\n  tokens: [exec-token]\n";

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    ds_script(&S, "ok", "cat >/dev/null; echo '{\"event\":\"success\"}' >&3");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static long post_dispatch(const ds_server *s, const char *token, const char *key, const char *body, ds_resp *r) {
    char hdr[96];
    snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", key ? key : "");
    const char *hdrs[] = {hdr, NULL};
    return ds_http(s, "POST", "/v1/dispatch", token, body, strlen(body), key ? hdrs : NULL, r);
}

static void test_health_ready_version(void **state) {
    (void)state;
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", "/v1/healthz", NULL, NULL, 0, NULL, &r), 200);
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(j, "status"), "ok");
    cJSON_Delete(j);
    ds_resp_free(&r);

    assert_int_equal(ds_http(&S, "GET", "/v1/readyz", NULL, NULL, 0, NULL, &r), 200);
    j = ds_json(&r);
    assert_string_equal(ds_str(j, "status"), "ok");
    assert_true(ds_num(j, "applied_at") > 0);
    cJSON_Delete(j);
    ds_resp_free(&r);

    assert_int_equal(ds_http(&S, "GET", "/v1/version", NULL, NULL, 0, NULL, &r), 200);
    j = ds_json(&r);
    assert_true(strlen(ds_str(j, "version")) > 0);
    cJSON_Delete(j);
    ds_resp_free(&r);

    ds_http(&S, "GET", "/v1/nothing-here", NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 404);
    ds_resp_free(&r);
}

static void test_readyz_awaits_apply(void **state) {
    (void)state;
    ds_server c;
    ds_start(&c, CONFIG_YAML);
    ds_resp r;
    ds_http(&c, "GET", "/v1/readyz", NULL, NULL, 0, NULL, &r);
    ds_assert_error(&r, 503, "awaiting_apply");
    ds_resp_free(&r);
    char id[37];
    ds_uuidv7(id);
    post_dispatch(&c, "dispatch-token", id, "{\"mission\":\"ok\",\"lane\":\"default\"}", &r);
    ds_assert_error(&r, 412, "no_lanes_configured");
    ds_resp_free(&r);
    ds_stop(&c);
}

static void test_dispatch_new_replay_conflict(void **state) {
    (void)state;
    char id[37];
    ds_uuidv7(id);
    const char *body = "{\"mission\":\"ok\",\"lane\":\"default\",\"input\":{\"b\":1,\"a\":[1,2]}}";
    ds_resp r;
    assert_int_equal(post_dispatch(&S, S.dispatch_token, id, body, &r), 202);
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(j, "mission_id"), id);
    assert_string_equal(ds_str(j, "status"), "queued");
    cJSON_Delete(j);
    ds_resp_free(&r);

    /* Same key, same fingerprint (key order differs, canonical input is the same). */
    const char *same = "{\"input\":{\"a\":[1,2],\"b\":1},\"lane\":\"default\",\"mission\":\"ok\"}";
    assert_int_equal(post_dispatch(&S, S.dispatch_token, id, same, &r), 200);
    j = ds_json(&r);
    assert_string_equal(ds_str(j, "mission_id"), id);
    cJSON_Delete(j);
    ds_resp_free(&r);

    /* Same key, different input. */
    post_dispatch(&S, S.dispatch_token, id, "{\"mission\":\"ok\",\"lane\":\"default\",\"input\":2}", &r);
    ds_assert_error(&r, 409, "idempotency_conflict");
    j = ds_json(&r);
    const cJSON *existing = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "details"), "existing");
    assert_non_null(existing);
    assert_string_equal(ds_str(existing, "mission_id"), id);
    assert_string_equal(ds_str(existing, "mission"), "ok");
    cJSON_Delete(j);
    ds_resp_free(&r);

    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
    assert_int_equal(post_dispatch(&S, S.dispatch_token, id, same, &r), 200);
    j = ds_json(&r);
    assert_string_equal(ds_str(j, "status"), "done");
    cJSON_Delete(j);
    ds_resp_free(&r);
}

static void expect_bad_dispatch(const char *key, const char *body, long status, const char *code) {
    ds_resp r;
    post_dispatch(&S, S.dispatch_token, key, body, &r);
    ds_assert_error(&r, status, code);
    ds_resp_free(&r);
}

static void test_dispatch_error_rows(void **state) {
    (void)state;
    char id[37];
    ds_uuidv7(id);
    const char *good = "{\"mission\":\"ok\",\"lane\":\"default\"}";
    expect_bad_dispatch(NULL, good, 400, "bad_request");
    expect_bad_dispatch("not-a-uuid", good, 400, "bad_request");
    /* A UUIDv4 is not a UUIDv7. */
    expect_bad_dispatch("0b9b2f8e-6f1a-4c0e-9d3a-2c1e5f6a7b8c", good, 400, "bad_request");
    expect_bad_dispatch(id, "{not json", 400, "bad_request");
    expect_bad_dispatch(id, "{\"mission\":5,\"lane\":\"default\"}", 400, "bad_request");
    expect_bad_dispatch(id, "{\"mission\":\"../etc\",\"lane\":\"default\"}", 400, "bad_request");
    expect_bad_dispatch(id, "{\"mission\":\"ok\",\"lane\":\"bad lane\"}", 400, "bad_request");
    expect_bad_dispatch(id, "{\"mission\":\"ok\",\"lane\":\"default\",\"input\":{\"a\":1,\"a\":2}}", 400,
                        "bad_request");
    expect_bad_dispatch(id, "{\"mission\":\"ok\",\"lane\":\"default\",\"timeout\":\"-1s\"}", 400, "bad_request");
    expect_bad_dispatch(id, "{\"mission\":\"ok\",\"lane\":\"default\",\"timeout\":\"soon\"}", 400, "bad_request");
    char body[256];
    snprintf(body, sizeof body,
             "{\"mission\":\"ok\",\"lane\":\"default\",\"files\":[{\"role\":\"in\",\"staging_id\":\"%s\"}]}", id);
    expect_bad_dispatch(id, body, 400, "unknown_staging_ref");
    expect_bad_dispatch(id, "{\"mission\":\"ok\",\"lane\":\"nolane\"}", 400, "unknown_lane");

    /* None of the refused requests created a job. */
    char path[96];
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    ds_resp r;
    ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 404, "not_found");
    ds_resp_free(&r);
}

static void test_auth_and_scopes(void **state) {
    (void)state;
    ds_server c;
    ds_start(&c, CONFIG_YAML);
    ds_resp r;
    char id[37];
    ds_uuidv7(id);
    const char *body = "{\"mission\":\"ok\",\"lane\":\"default\"}";

    char key[96];
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    const char *hdrs[] = {key, NULL};
    ds_http(&c, "POST", "/v1/dispatch", NULL, body, strlen(body), hdrs, &r);
    ds_assert_error(&r, 401, "unauthorized");
    assert_non_null(strstr(r.body, "missing Authorization header"));
    ds_resp_free(&r);

    const char *basic[] = {key, "Authorization: Basic abc", NULL};
    ds_http(&c, "POST", "/v1/dispatch", NULL, body, strlen(body), basic, &r);
    ds_assert_error(&r, 401, "unauthorized");
    ds_resp_free(&r);

    post_dispatch(&c, "wrong-token", id, body, &r);
    ds_assert_error(&r, 401, "unauthorized");
    assert_non_null(strstr(r.body, "unknown token"));
    ds_resp_free(&r);

    post_dispatch(&c, "exec-token", id, body, &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);

    /* Admin-only routes refuse the dispatch scope. */
    ds_http(&c, "GET", "/v1/missions", "dispatch-token", NULL, 0, NULL, &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);
    ds_http(&c, "GET", "/v1/admin/state", "dispatch-token", NULL, 0, NULL, &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);
    ds_http(&c, "GET", "/v1/missions", "admin-token", NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    ds_resp_free(&r);

    /* Apply a lane, dispatch, and check kind isolation on the job. */
    char apply[512];
    snprintf(apply, sizeof apply,
             "{\"mission_dir\":\"%s\",\"lanes\":{\"default\":{\"concurrency\":2}},"
             "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}",
             c.mission_dir);
    ds_http(&c, "POST", "/v1/admin/apply", "admin-token", apply, strlen(apply), NULL, &r);
    assert_int_equal(r.status, 200);
    ds_resp_free(&r);
    ds_script(&c, "ok", "echo '{\"event\":\"success\"}' >&3");
    assert_int_equal(post_dispatch(&c, "dispatch-token", id, body, &r), 202);
    ds_resp_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    assert_int_equal(ds_http(&c, "GET", path, "dispatch-token", NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);
    ds_http(&c, "GET", path, "exec-token", NULL, 0, NULL, &r);
    ds_assert_error(&r, 403, "forbidden_kind");
    ds_resp_free(&r);
    /* Health stays open. */
    assert_int_equal(ds_http(&c, "GET", "/v1/healthz", NULL, NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);
    ds_stop(&c);
}

static void test_exec_disabled(void **state) {
    (void)state;
    ds_resp r;
    ds_http(&S, "POST", "/v1/exec/dispatch", NULL, "{}", 2, NULL, &r);
    ds_assert_error(&r, 404, "feature_disabled");
    ds_resp_free(&r);
}

/* Settled from upstream (docs/settled-http-and-client.md): an unstamped
 * build says "unknown" for what it does not know, never ""; apply reports
 * a bad lane name with the daemon's message and reason; state carries
 * "source" as null. */
static void test_settled_version_apply_state(void **state) {
    (void)state;
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", "/v1/version", NULL, NULL, 0, NULL, &r), 200);
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(j, "commit"), "unknown");
    assert_string_equal(ds_str(j, "built_at"), "unknown");
    cJSON_Delete(j);
    ds_resp_free(&r);

    const char *bad = "{\"lanes\":{\"Bad\":{\"concurrency\":1}}}";
    ds_http(&S, "POST", "/v1/admin/apply", S.admin_token, bad, strlen(bad), NULL, &r);
    ds_assert_error(&r, 400, "invalid_lane_name");
    j = ds_json(&r);
    assert_string_equal(ds_str(j, "message"), "lane name validation failed");
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(j, "details");
    assert_string_equal(ds_str(details, "lane"), "Bad");
    assert_string_equal(ds_str(details, "reason"),
                        "invalid lane name \"Bad\" (must match ^[a-z][a-z0-9_-]{0,31}$)");
    cJSON_Delete(j);
    ds_resp_free(&r);
    /* Go's %q escapes a newline inside the name. */
    bad = "{\"lanes\":{\"a\\nb\":{\"concurrency\":1}}}";
    ds_http(&S, "POST", "/v1/admin/apply", S.admin_token, bad, strlen(bad), NULL, &r);
    ds_assert_error(&r, 400, "invalid_lane_name");
    j = ds_json(&r);
    assert_string_equal(ds_str(cJSON_GetObjectItemCaseSensitive(j, "details"), "reason"),
                        "invalid lane name \"a\\nb\" (must match ^[a-z][a-z0-9_-]{0,31}$)");
    cJSON_Delete(j);
    ds_resp_free(&r);

    assert_int_equal(ds_http(&S, "GET", "/v1/admin/state", S.admin_token, NULL, 0, NULL, &r), 200);
    j = ds_json(&r);
    const cJSON *source = cJSON_GetObjectItemCaseSensitive(j, "source");
    assert_non_null(source);
    assert_true(cJSON_IsNull(source));
    cJSON_Delete(j);
    ds_resp_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_ready_version),
        cmocka_unit_test(test_readyz_awaits_apply),
        cmocka_unit_test(test_dispatch_new_replay_conflict),
        cmocka_unit_test(test_dispatch_error_rows),
        cmocka_unit_test(test_auth_and_scopes),
        cmocka_unit_test(test_exec_disabled),
        cmocka_unit_test(test_settled_version_apply_state),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
