/* Resumable staging (http-api.md §5.16–5.18, §9): PUT (new, replay,
 * resume with Content-Range), HEAD, GET with Range, sha256 verification,
 * 416/409 rules, and staged files materialised as mission inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "harness.h"

static ds_server S;
static const char DATA[] = "0123456789abcdefghijklmnopqrstuvwxyz";
static char SHA[65];

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)DATA, strlen(DATA), d);
    for (int i = 0; i < 32; ++i) snprintf(SHA + 2 * i, 3, "%02x", d[i]);
    /* Returns the size and first line of its input file, proving it was materialised. */
    ds_script(&S, "reader",
              "n=$(wc -c < \"$LETTS_IN_doc\" | tr -d ' '); "
              "echo \"{\\\"event\\\":\\\"success\\\",\\\"return\\\":{\\\"size\\\":$n,\\\"sha\\\":\\\"$LETTS_IN_doc__SHA256\\\"}}\" >&3");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static long put(const char *id, const char *sha, const char *body, size_t len, const char *range, ds_resp *r) {
    char path[96], h_sha[128], h_range[128];
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    snprintf(h_sha, sizeof h_sha, "X-Letts-Sha256: %s", sha);
    const char *hdrs[4] = {h_sha, "Content-Type: application/octet-stream", NULL, NULL};
    if (range) {
        snprintf(h_range, sizeof h_range, "Content-Range: %s", range);
        hdrs[2] = h_range;
    }
    return ds_http(&S, "PUT", path, S.dispatch_token, body, len, hdrs, r);
}

static void test_put_head_get(void **state) {
    (void)state;
    char id[37], path[96], h[128];
    ds_uuidv7(id);
    ds_resp r;
    assert_int_equal(put(id, SHA, DATA, strlen(DATA), NULL, &r), 201);
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(j, "staging_id"), id);
    assert_string_equal(ds_str(j, "sha256"), SHA);
    assert_int_equal((int)ds_num(j, "size"), (int)strlen(DATA));
    assert_true(ds_num(j, "ttl_seconds") > 0);
    cJSON_Delete(j);
    ds_resp_free(&r);
    /* Replay of a complete file. */
    assert_int_equal(put(id, SHA, DATA, strlen(DATA), NULL, &r), 200);
    ds_resp_free(&r);

    snprintf(path, sizeof path, "/v1/staging/%s", id);
    assert_int_equal(ds_http(&S, "HEAD", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_string_equal(ds_header(&r, "X-Letts-Upload-Status", h, sizeof h), "complete");
    assert_string_equal(ds_header(&r, "X-Letts-Sha256", h, sizeof h), SHA);
    ds_resp_free(&r);

    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_string_equal(r.body, DATA);
    ds_resp_free(&r);
    const char *range[] = {"Range: bytes=10-15", NULL};
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, range, &r), 206);
    assert_string_equal(r.body, "abcdef");
    char expect[64];
    snprintf(expect, sizeof expect, "bytes 10-15/%zu", strlen(DATA));
    assert_string_equal(ds_header(&r, "Content-Range", h, sizeof h), expect);
    ds_resp_free(&r);
    const char *suffix[] = {"Range: bytes=-3", NULL};
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, suffix, &r), 206);
    assert_string_equal(r.body, "xyz");
    ds_resp_free(&r);
    const char *beyond[] = {"Range: bytes=100-200", NULL};
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, beyond, &r), 416);
    ds_resp_free(&r);

    /* Same id, other content. */
    char other[65];
    memset(other, 'a', 64);
    other[64] = '\0';
    put(id, other, "zz", 2, NULL, &r);
    ds_assert_error(&r, 409, "content_mismatch");
    ds_resp_free(&r);
}

static void test_resume_with_content_range(void **state) {
    (void)state;
    char id[37], path[96], h[128], range[64];
    ds_uuidv7(id);
    const size_t total = strlen(DATA);
    ds_resp r;
    /* A first chunk: the upload stays incomplete. */
    snprintf(range, sizeof range, "bytes 0-9/%zu", total);
    put(id, SHA, DATA, 10, range, &r);
    ds_assert_error(&r, 400, "incomplete_upload");
    ds_resp_free(&r);
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    assert_int_equal(ds_http(&S, "HEAD", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_string_equal(ds_header(&r, "X-Letts-Upload-Status", h, sizeof h), "incomplete");
    assert_string_equal(ds_header(&r, "X-Letts-Bytes-Received", h, sizeof h), "10");
    ds_resp_free(&r);
    ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 409, "staging_uploading");
    ds_resp_free(&r);
    /* Resuming from the wrong offset. */
    snprintf(range, sizeof range, "bytes 5-%zu/%zu", total - 1, total);
    put(id, SHA, DATA + 5, total - 5, range, &r);
    ds_assert_error(&r, 416, "range_not_satisfiable");
    ds_resp_free(&r);
    /* Resuming at bytes_received completes the file. */
    snprintf(range, sizeof range, "bytes 10-%zu/%zu", total - 1, total);
    assert_int_equal(put(id, SHA, DATA + 10, total - 10, range, &r), 201);
    ds_resp_free(&r);
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_string_equal(r.body, DATA);
    ds_resp_free(&r);
}

static void test_put_error_rows(void **state) {
    (void)state;
    char id[37], path[96];
    ds_uuidv7(id);
    ds_resp r;
    /* Hash mismatch burns the id. */
    char wrong[65];
    memset(wrong, 'b', 64);
    wrong[64] = '\0';
    put(id, wrong, DATA, strlen(DATA), NULL, &r);
    ds_assert_error(&r, 409, "content_mismatch");
    ds_resp_free(&r);
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 410);
    ds_resp_free(&r);

    ds_uuidv7(id);
    put(id, "xyz", DATA, strlen(DATA), NULL, &r);
    ds_assert_error(&r, 400, "bad_request");
    ds_resp_free(&r);
    put(id, SHA, DATA, strlen(DATA), "bytes 5-2/10", &r);
    ds_assert_error(&r, 400, "bad_request");
    ds_resp_free(&r);
    put(id, SHA, "", 0, NULL, &r); /* zero-byte files cannot be staged */
    ds_assert_error(&r, 400, "bad_request");
    ds_resp_free(&r);
    char range[64];
    snprintf(range, sizeof range, "bytes 3-9/%zu", strlen(DATA));
    put(id, SHA, DATA + 3, 7, range, &r); /* no upload started */
    ds_assert_error(&r, 416, "range_not_satisfiable");
    ds_resp_free(&r);
    put("not-a-uuid", SHA, DATA, strlen(DATA), NULL, &r);
    ds_assert_error(&r, 400, "bad_request");
    ds_resp_free(&r);
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    assert_int_equal(ds_http(&S, "HEAD", path, S.dispatch_token, NULL, 0, NULL, &r), 404);
    ds_resp_free(&r);
}

static void test_staged_file_as_mission_input(void **state) {
    (void)state;
    char sid[37], id[37], files[160];
    ds_uuidv7(sid);
    ds_resp r;
    assert_int_equal(put(sid, SHA, DATA, strlen(DATA), NULL, &r), 201);
    ds_resp_free(&r);
    snprintf(files, sizeof files, "\"files\":[{\"role\":\"doc\",\"staging_id\":\"%s\"}]", sid);
    ds_dispatch(&S, "reader", "default", NULL, files, id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    const cJSON *ret = cJSON_GetObjectItemCaseSensitive(m, "return");
    assert_int_equal((int)ds_num(ret, "size"), (int)strlen(DATA));
    assert_string_equal(ds_str(ret, "sha"), SHA);
    const cJSON *in = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(m, "inputs"), 0);
    assert_non_null(in);
    assert_string_equal(ds_str(in, "staging_id"), sid);
    cJSON_Delete(m);

    /* Two entries with one role. */
    char dup[300], key[80];
    ds_uuidv7(id);
    snprintf(dup, sizeof dup,
             "{\"mission\":\"reader\",\"lane\":\"default\",\"files\":[{\"role\":\"doc\",\"staging_id\":\"%s\"},"
             "{\"role\":\"doc\",\"staging_id\":\"%s\"}]}",
             sid, sid);
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    const char *hdrs[] = {key, NULL};
    ds_http(&S, "POST", "/v1/dispatch", S.dispatch_token, dup, strlen(dup), hdrs, &r);
    ds_assert_error(&r, 400, "duplicate_role");
    ds_resp_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_head_get),
        cmocka_unit_test(test_resume_with_content_range),
        cmocka_unit_test(test_put_error_rows),
        cmocka_unit_test(test_staged_file_as_mission_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
