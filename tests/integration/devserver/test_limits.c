/* Limits and back-pressure: 503 queue_full per lane and in total (with
 * Retry-After and details), 413 payload_too_large for dispatch, input and
 * admin bodies, and the brute-force backoff of protected routes
 * (http-api.md §4.6, §5.5 rows 1/5/19/23/24, §5.14, §5.22, §10.2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devserver_harness.h"

static ds_server S;

static const char *YAML =
    DS_YAML_HEAD
    "limits:\n"
    "  max_queue_per_lane: 2\n"
    "  max_queue_total: 3\n"
    "  max_dispatch_body_size: 2048\n"
    "  max_mission_input_size: 512\n"
    "  max_apply_body_size: 4096\n"
    "  default_kill_grace: 300ms\n";

static char GATE[400];

static int setup(void **state) {
    (void)state;
    ds_start_gated(&S, YAML, "{\"one\":{\"concurrency\":1},\"two\":{\"concurrency\":1}}", GATE, sizeof GATE);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static long post_dispatch(const char *body, size_t len, const char *const *more, ds_resp *r) {
    char id[37], key[96];
    ds_uuidv7(id);
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    const char *hdrs[4] = {key, NULL, NULL, NULL};
    for (int i = 0; more && i < 2 && more[i]; ++i) hdrs[1 + i] = more[i];
    return ds_http(&S, "POST", "/v1/dispatch", "dispatch-token", body, len, hdrs, r);
}

static void assert_retry_after(const ds_resp *r, const char *expected) {
    char v[32];
    assert_non_null(ds_header(r, "Retry-After", v, sizeof v));
    assert_string_equal(v, expected);
}

static void test_queue_full_per_lane_and_total(void **state) {
    (void)state;
    char ids[3][37];
    ds_dispatch(&S, "gated", "one", NULL, NULL, ids[0]);
    ds_dispatch(&S, "gated", "one", NULL, NULL, ids[1]);
    ds_resp r;
    const char *one = "{\"mission\":\"gated\",\"lane\":\"one\"}";
    post_dispatch(one, strlen(one), NULL, &r);
    ds_assert_error(&r, 503, "queue_full");
    assert_retry_after(&r, "5");
    cJSON *j = ds_json(&r);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "details");
    assert_string_equal(ds_str(d, "lane"), "one");
    assert_int_equal((int)ds_num(d, "queued"), 2);
    cJSON_Delete(j);
    ds_resp_free(&r);

    /* Lane "two" has room, the daemon has one slot left, then none. */
    ds_dispatch(&S, "gated", "two", NULL, NULL, ids[2]);
    const char *two = "{\"mission\":\"gated\",\"lane\":\"two\"}";
    post_dispatch(two, strlen(two), NULL, &r);
    ds_assert_error(&r, 503, "queue_full");
    assert_retry_after(&r, "5");
    j = ds_json(&r);
    assert_null(cJSON_GetObjectItemCaseSensitive(j, "details"));
    cJSON_Delete(j);
    ds_resp_free(&r);

    /* Finished jobs free their places. */
    FILE *g = fopen(GATE, "w");
    assert_non_null(g);
    fclose(g);
    for (int i = 0; i < 3; ++i) cJSON_Delete(ds_wait_outcome(&S, ids[i], "success", "", 10000));
    assert_int_equal(post_dispatch(two, strlen(two), NULL, &r), 202);
    ds_resp_free(&r);
}

static void assert_limit(const ds_resp *r, int limit) {
    ds_assert_error(r, 413, "payload_too_large");
    cJSON *j = ds_json(r);
    assert_int_equal((int)ds_num(cJSON_GetObjectItemCaseSensitive(j, "details"), "limit_bytes"), limit);
    cJSON_Delete(j);
}

static void test_payload_limits(void **state) {
    (void)state;
    ds_resp r;
    /* Body of 3000 bytes: refused from Content-Length, and while streaming
     * when no length is declared. */
    char big[3000 + 64];
    int n = snprintf(big, sizeof big, "{\"mission\":\"gated\",\"lane\":\"one\",\"input\":\"");
    memset(big + n, 'x', 3000);
    snprintf(big + n + 3000, sizeof big - (size_t)n - 3000, "\"}");
    post_dispatch(big, strlen(big), NULL, &r);
    assert_limit(&r, 2048);
    ds_resp_free(&r);
    const char *chunked[] = {"Transfer-Encoding: chunked", NULL};
    post_dispatch(big, strlen(big), chunked, &r);
    assert_limit(&r, 2048);
    ds_resp_free(&r);

    /* Canonical input over max_mission_input_size (the body is within its limit). */
    char input[1024];
    n = snprintf(input, sizeof input, "{\"mission\":\"gated\",\"lane\":\"one\",\"input\":\"");
    memset(input + n, 'y', 600);
    snprintf(input + n + 600, sizeof input - (size_t)n - 600, "\"}");
    post_dispatch(input, strlen(input), NULL, &r);
    ds_assert_error(&r, 413, "payload_too_large");
    ds_resp_free(&r);

    /* Admin bodies: apply, kill and bulk share max_apply_body_size. */
    char admin[5000];
    n = snprintf(admin, sizeof admin, "{\"ids\":[\"");
    memset(admin + n, 'z', 4500);
    snprintf(admin + n + 4500, sizeof admin - (size_t)n - 4500, "\"]}");
    static const char *paths[] = {"/v1/admin/apply", "/v1/missions/bulk-restart", "/v1/missions/bulk-delete"};
    for (size_t i = 0; i < 3; ++i) {
        ds_http(&S, "POST", paths[i], "admin-token", admin, strlen(admin), NULL, &r);
        assert_limit(&r, 4096);
        ds_resp_free(&r);
    }
}

static long get_missions(const char *token, ds_resp *r) {
    return ds_http(&S, "GET", "/v1/missions", token, NULL, 0, NULL, r);
}

/* Sends bad tokens until the peer has `failures` recorded failures; every
 * failure after the 4th blocks the peer, so each new one waits out the
 * previous block. */
static void fail_auth_until(int failures) {
    const long long deadline = ds_now_ms() + 10000;
    for (int recorded = 0; recorded < failures;) {
        ds_resp r;
        const long st = get_missions("wrong-token", &r);
        if (st == 401) {
            ds_assert_error(&r, 401, "unauthorized");
            recorded++;
        } else {
            ds_assert_error(&r, 429, "rate_limited");
        }
        ds_resp_free(&r);
        assert_true(ds_now_ms() < deadline);
    }
}

static void test_brute_force_backoff(void **state) {
    (void)state;
    ds_resp r;
    /* Four failures: not blocked yet. */
    fail_auth_until(4);
    assert_int_equal(get_missions("admin-token", &r), 200); /* success resets */
    ds_resp_free(&r);
    fail_auth_until(4);
    get_missions("wrong-token", &r);
    ds_assert_error(&r, 401, "unauthorized");
    ds_resp_free(&r);
    /* 5th failure blocked 100 ms, 6th 200, 7th 400, 8th 800 ms: now blocked,
     * even for a valid token. */
    fail_auth_until(3);
    get_missions("admin-token", &r);
    ds_assert_error(&r, 429, "rate_limited");
    assert_retry_after(&r, "1");
    assert_non_null(strstr(r.body, "too many auth failures from this source"));
    ds_resp_free(&r);
    /* Other protected routes share the key; a 403 is not a failure. */
    ds_http(&S, "GET", "/v1/lanes", "dispatch-token", NULL, 0, NULL, &r);
    ds_assert_error(&r, 429, "rate_limited");
    ds_resp_free(&r);
    /* POST /v1/dispatch is not protected. */
    const char *body = "{\"mission\":\"gated\",\"lane\":\"two\"}";
    char id[37], key[96];
    ds_uuidv7(id);
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    const char *hdrs[] = {key, NULL};
    ds_http(&S, "POST", "/v1/dispatch", "wrong-token", body, strlen(body), hdrs, &r);
    ds_assert_error(&r, 401, "unauthorized");
    ds_resp_free(&r);

    /* Once the block is over a valid token passes and clears the counter. */
    const long long deadline = ds_now_ms() + 5000;
    while (get_missions("admin-token", &r) == 429) {
        ds_resp_free(&r);
        assert_true(ds_now_ms() < deadline);
    }
    assert_int_equal(r.status, 200);
    ds_resp_free(&r);
    get_missions("wrong-token", &r);
    ds_assert_error(&r, 401, "unauthorized");
    ds_resp_free(&r);
    assert_int_equal(get_missions("admin-token", &r), 200);
    ds_resp_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_full_per_lane_and_total),
        cmocka_unit_test(test_payload_limits),
        cmocka_unit_test(test_brute_force_backoff),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
