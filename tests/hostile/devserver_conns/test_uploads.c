/*
 * Staging uploads against an embedded devserver with a short
 * upload_idle_timeout and a small max_data_dir_size, and over-long request
 * heads: every answer is the JSON envelope of http-api.md.
 */
#include <openssl/sha.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "hostile.h"

static const char *YAML =
    DS_YAML_HEAD
    "limits:\n"
    "  upload_idle_timeout: 1s\n"
    "  max_data_dir_size: 64KiB\n";

static void sha_hex(const char *data, size_t len, char out[65]) {
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)data, len, d);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) sprintf(out + 2 * i, "%02x", d[i]);
}

static long put(ds_server *s, const char *id, const char *data, size_t len, ds_resp *r) {
    char sha[65], h1[100], path[100];
    sha_hex(data, len, sha);
    snprintf(h1, sizeof h1, "X-Letts-Sha256: %s", sha);
    const char *headers[] = {h1, "Content-Type: application/octet-stream", NULL};
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    return ds_http(s, "PUT", path, s->dispatch_token, data, len, headers, r);
}

/* The quota of YAML, a staging_ttl of 1 s and a sweep every 20 ms: an
 * abandoned upload expires within about a second. */
static const char *EXPIRY_YAML =
    DS_YAML_HEAD
    "cleanup:\n"
    "  staging_ttl: 1s\n"
    "  sweep_interval: 20ms\n"
    "limits:\n"
    "  upload_idle_timeout: 10s\n"
    "  max_data_dir_size: 64KiB\n";

/* The first `len` bytes of the `total` bytes of `data` (sha256 of all of
 * them), as a resumable chunk starting at 0: the body ends before the
 * declared total, so the server answers 400 incomplete_upload and keeps the
 * partial for a resume that never comes. */
static void put_first_chunk(ds_server *s, const char *id, const char *data, size_t total, size_t len) {
    char sha[65], h1[100], h2[100], path[100];
    sha_hex(data, total, sha);
    snprintf(h1, sizeof h1, "X-Letts-Sha256: %s", sha);
    snprintf(h2, sizeof h2, "Content-Range: bytes 0-%zu/%zu", len - 1, total);
    const char *headers[] = {h1, h2, "Content-Type: application/octet-stream", NULL};
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    ds_resp r;
    assert_int_equal(ds_http(s, "PUT", path, s->dispatch_token, data, len, headers, &r), 400);
    ds_assert_error(&r, 400, "incomplete_upload");
    ds_resp_free(&r);
}

static void part_path(ds_server *s, const char *id, char *out, size_t size) {
    snprintf(out, size, "%s/staging/%s.part", letts_devserver_data_dir(s->srv), id);
}

static const char *upload_status(ds_server *s, const char *id, char *out, size_t size) {
    char path[100];
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    ds_resp r;
    assert_int_equal(ds_http(s, "HEAD", path, s->dispatch_token, NULL, 0, NULL, &r), 200);
    assert_non_null(ds_header(&r, "X-Letts-Upload-Status", out, size));
    ds_resp_free(&r);
    return out;
}

/* Abandoned uploads whose partials (80,000 bytes) hold data_dir over the
 * 64 KiB quota: once they expire, the rows are `deleting`, the partial files
 * are deleted, and the quota is free again (a new upload is accepted). */
static void test_abandoned_partials_expire_and_free_the_quota(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, EXPIRY_YAML);
    static char data[60000];
    char ids[2][37], part[400], hdr[64];
    for (int i = 0; i < 2; ++i) {
        memset(data, 'a' + i, sizeof data);
        ds_uuidv7(ids[i]);
        put_first_chunk(&s, ids[i], data, sizeof data, 40000);
    }
    const long long deadline = ds_now_ms() + 5000;
    for (int i = 0; i < 2; ++i) {
        part_path(&s, ids[i], part, sizeof part);
        while (access(part, F_OK) == 0)
            if (ds_now_ms() > deadline) fail_msg("%s is still on disk 5 s after staging_ttl 1 s", part);
        assert_string_equal(upload_status(&s, ids[i], hdr, sizeof hdr), "deleting");
    }
    /* The usage is measured at most 1 s ago: poll until the upload is taken. */
    char id[37];
    ds_resp r;
    long status = 0;
    memset(data, 'n', sizeof data);
    const long long quota_deadline = ds_now_ms() + 5000;
    do {
        ds_uuidv7(id);
        status = put(&s, id, data, 1000, &r);
        ds_resp_free(&r);
    } while (status == 503 && ds_now_ms() < quota_deadline);
    assert_int_equal(status, 201);
    ds_stop(&s);
}

/* DELETE /v1/staging/{id} of an unfinished upload deletes its partial. */
static void test_deleting_a_partial_upload_removes_its_file(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, YAML);
    static char data[3000];
    memset(data, 'd', sizeof data);
    char id[37], part[400], hdr[64];
    ds_uuidv7(id);
    put_first_chunk(&s, id, data, sizeof data, 1000);
    part_path(&s, id, part, sizeof part);
    assert_int_equal(access(part, F_OK), 0);
    ds_resp r;
    assert_int_equal(ds_admin(&s, "DELETE", "/v1/staging/%s", id, &r), 202);
    ds_resp_free(&r);
    assert_string_equal(upload_status(&s, id, hdr, sizeof hdr), "deleting");
    assert_int_not_equal(access(part, F_OK), 0);
    ds_stop(&s);
}

/* A PUT whose body stops arriving is answered 408 upload_idle_timeout after
 * upload_idle_timeout; the partial is gone and the row is `deleting`, so the
 * id is burnt (409 conflict) instead of locked (409 upload_in_progress). */
static void test_stalled_upload_408_and_id_burnt(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, YAML);
    char id[37], req[600], sha[65];
    ds_uuidv7(id);
    char data[1000];
    memset(data, 'u', sizeof data);
    sha_hex(data, sizeof data, sha);
    const int fd = hs_connect(s.url);
    snprintf(req, sizeof req,
             "PUT /v1/staging/%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nX-Letts-Sha256: %s\r\n"
             "Content-Length: 1000\r\n\r\n",
             id, s.dispatch_token, sha);
    hs_send(fd, req);
    char part[101];
    memcpy(part, data, 100);
    part[100] = '\0';
    hs_send(fd, part);
    const long long t0 = ds_now_ms();
    int closed = 0;
    char *got = hs_read_until_close(fd, 5000, &closed);
    const long long elapsed = ds_now_ms() - t0;
    printf("# stalled upload answered after %lld ms (upload_idle_timeout 1s)\n", elapsed);
    assert_true(closed);
    assert_true(elapsed >= 900 && elapsed < 3000);
    assert_non_null(strstr(got, "HTTP/1.1 408"));
    cJSON *j = hs_body_json(got);
    assert_string_equal(ds_str(j, "error"), "upload_idle_timeout");
    cJSON_Delete(j);
    free(got);
    close(fd);

    /* The row is deleting, its partial gone, the id not reusable. */
    char path[100], hdr[64];
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    ds_resp r;
    assert_int_equal(ds_http(&s, "HEAD", path, s.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_string_equal(ds_header(&r, "X-Letts-Upload-Status", hdr, sizeof hdr), "deleting");
    ds_resp_free(&r);
    char partial[400];
    snprintf(partial, sizeof partial, "%s/staging/%s.part", letts_devserver_data_dir(s.srv), id);
    assert_int_not_equal(access(partial, F_OK), 0);
    assert_int_equal(put(&s, id, data, sizeof data, &r), 409);
    ds_assert_error(&r, 409, "conflict");
    ds_resp_free(&r);
    /* A new id uploads normally. */
    ds_uuidv7(id);
    assert_int_equal(put(&s, id, data, sizeof data, &r), 201);
    ds_resp_free(&r);
    ds_stop(&s);
}

/* An upload that keeps sending (slower than the idle timeout in total, but
 * never idle that long) is not cut. */
static void test_slow_but_steady_upload_completes(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, YAML);
    char id[37], req[600], sha[65], data[2001];
    ds_uuidv7(id);
    memset(data, 'v', 2000);
    data[2000] = '\0';
    sha_hex(data, 2000, sha);
    const int fd = hs_connect(s.url);
    snprintf(req, sizeof req,
             "PUT /v1/staging/%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nX-Letts-Sha256: %s\r\n"
             "Content-Length: 2000\r\n\r\n",
             id, s.dispatch_token, sha);
    hs_send(fd, req);
    for (int i = 0; i < 8; ++i) {  /* 8 × 250 bytes, one every 300 ms: 2.4 s in all */
        char chunk[251];
        memcpy(chunk, data + i * 250, 250);
        chunk[250] = '\0';
        hs_send(fd, chunk);
        if (i < 7) {  /* no answer (and no close) while the body moves */
            struct pollfd p = {fd, POLLIN, 0};
            assert_int_equal(poll(&p, 1, 300), 0);
        }
    }
    int closed = 0;
    char *got = hs_read_until_close(fd, 1000, &closed);
    assert_non_null(strstr(got, "HTTP/1.1 201"));
    free(got);
    close(fd);
    ds_stop(&s);
}

/* max_data_dir_size: a file larger than the quota is refused before any
 * byte is written (503, Retry-After 30), and once data_dir exceeds it,
 * dispatches and new uploads are refused with 503 disk_quota_exceeded. */
static void test_data_dir_quota(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, YAML);
    char id[37], hdr[32];
    ds_resp r;
    static char big[70 * 1024];
    memset(big, 'q', sizeof big);
    ds_uuidv7(id);
    assert_int_equal(put(&s, id, big, sizeof big, &r), 503);
    ds_assert_error(&r, 503, "disk_quota_exceeded");
    assert_string_equal(ds_header(&r, "Retry-After", hdr, sizeof hdr), "30");
    ds_resp_free(&r);
    /* Two files of 40 KiB: the second one crosses the quota. */
    for (int i = 0; i < 2; ++i) {
        big[0] = (char)('a' + i);
        ds_uuidv7(id);
        assert_int_equal(put(&s, id, big, 40 * 1024, &r), 201);
        ds_resp_free(&r);
    }
    /* The usage is measured at most 1 s ago: poll until it is seen. */
    char key[37], hk[64];
    const char *dispatch_headers[] = {hk, "Content-Type: application/json", NULL};
    long status = 0;
    const long long deadline = ds_now_ms() + 5000;
    do {
        ds_uuidv7(key);
        snprintf(hk, sizeof hk, "Idempotency-Key: %s", key);
        const char *body = "{\"mission\":\"m\",\"lane\":\"default\"}";
        status = ds_http(&s, "POST", "/v1/dispatch", s.dispatch_token, body, strlen(body), dispatch_headers, &r);
        if (status != 503) ds_resp_free(&r);
    } while (status != 503 && ds_now_ms() < deadline);
    assert_int_equal(status, 503);
    ds_assert_error(&r, 503, "disk_quota_exceeded");
    assert_string_equal(ds_header(&r, "Retry-After", hdr, sizeof hdr), "30");
    ds_resp_free(&r);
    ds_uuidv7(id);
    assert_int_equal(put(&s, id, "x", 1, &r), 503);
    ds_assert_error(&r, 503, "disk_quota_exceeded");
    assert_string_equal(ds_header(&r, "Retry-After", hdr, sizeof hdr), "30");
    ds_resp_free(&r);
    ds_stop(&s);
}

/* The quota covers outputs: a mission that fills data_dir past
 * max_data_dir_size before its outputs are collected fails with
 * disk_quota_exceeded, and nothing is committed. */
/* §5.16 row 19: an upload that streams data_dir past max_data_dir_size is
 * cut at the next 16 MiB check: 503 disk_quota_exceeded with
 * details.max_data_dir_size and no Retry-After; the partial is discarded and
 * the row is `deleting`. */
static void test_quota_crossed_mid_upload(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, DS_YAML_HEAD
                 "limits:\n"
                 "  max_data_dir_size: 20MiB\n");
    enum { kMiB = 1024 * 1024 };
    char *data = malloc(18 * kMiB);
    assert_non_null(data);
    memset(data, 'm', 18 * kMiB);
    char first[37], id[37], hdr[64], part[400];
    ds_resp r;
    /* 8 MiB stored, then 18 MiB declared (under the quota alone): at the
     * 16 MiB check data_dir holds 24 MiB. */
    ds_uuidv7(first);
    assert_int_equal(put(&s, first, data, 8 * kMiB, &r), 201);
    ds_resp_free(&r);
    data[0] = 'n';
    ds_uuidv7(id);
    assert_int_equal(put(&s, id, data, 18 * kMiB, &r), 503);
    ds_assert_error(&r, 503, "disk_quota_exceeded");
    assert_null(ds_header(&r, "Retry-After", hdr, sizeof hdr));
    cJSON *j = ds_json(&r);
    const cJSON *details = cJSON_GetObjectItem(j, "details");
    assert_true(cJSON_IsObject(details));
    assert_int_equal((long long)ds_num(details, "max_data_dir_size"), 20LL * kMiB);
    cJSON_Delete(j);
    ds_resp_free(&r);
    assert_string_equal(upload_status(&s, id, hdr, sizeof hdr), "deleting");
    part_path(&s, id, part, sizeof part);
    assert_int_not_equal(access(part, F_OK), 0);
    free(data);
    ds_stop(&s);
}

static void test_outputs_over_quota_fail(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, YAML);
    ds_apply_lanes(&s, "{\"default\":{\"concurrency\":1}}");
    ds_script(&s, "fill",
              "head -c 70000 /dev/zero > out/big; echo '{\"event\":\"output_file\",\"key\":\"big\"}' >&3; "
              "echo '{\"event\":\"success\"}' >&3");
    char id[37];
    ds_dispatch(&s, "fill", "default", NULL, NULL, id);
    cJSON *m = ds_wait_outcome(&s, id, "failed", "disk_quota_exceeded", 10000);
    assert_non_null(strstr(ds_str(m, "fail_message"), "data_dir_quota_exceeded"));
    const cJSON *outputs = cJSON_GetObjectItem(m, "outputs");
    assert_true(cJSON_IsObject(outputs) && cJSON_GetArraySize(outputs) == 0);
    cJSON_Delete(m);
    ds_stop(&s);
}

/* Request heads over the limit (8 KiB) get a JSON 431, not libmicrohttpd's
 * HTML; a head beyond the connection's memory pool gets libmicrohttpd's own
 * 431; the server stays up after both. */
/* Sends `request` on a fresh connection and asserts libmicrohttpd's own
 * refusal: the status line `status`, its HTML body (not our JSON) and the
 * connection closed after it. */
static void expect_mhd_refusal(const char *url, const char *request, const char *status) {
    const int fd = hs_connect(url);
    hs_send(fd, request);
    int closed = 0;
    char *got = hs_read_until_close(fd, 5000, &closed);
    assert_true(closed);
    assert_memory_equal(got, status, strlen(status));
    const char *body = strstr(got, "\r\n\r\n");
    assert_non_null(body);
    assert_non_null(strstr(got, "\r\nConnection: close\r\n"));
    assert_string_equal(body + 4, "<html><head><title>Request too big</title></head><body>Your HTTP header was too "
                                  "big for the memory constraints of this webserver.</body></html>");
    free(got);
    close(fd);
}

static void test_long_head_json_431(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, NULL);
    enum { kOver = 10 * 1024, kHuge = 40 * 1024 };
    static char header[kHuge + 16];
    strcpy(header, "X-Big: ");
    memset(header + 7, 'h', kOver);
    header[7 + kOver] = '\0';
    const char *headers[] = {header, NULL};
    ds_resp r;
    assert_int_equal(ds_http(&s, "GET", "/v1/healthz", NULL, NULL, 0, headers, &r), 431);
    ds_assert_error(&r, 431, "request_header_too_large");
    ds_resp_free(&r);
    /* A long URI alike (a query of 10 KiB), on a raw socket. */
    static char req[kHuge + 64];
    strcpy(req, "GET /v1/healthz?q=");
    memset(req + 18, 'u', kOver);
    strcpy(req + 18 + kOver, " HTTP/1.1\r\nHost: x\r\n\r\n");
    const int fd = hs_connect(s.url);
    hs_send(fd, req);
    int closed = 0;
    char *got = hs_read_until_close(fd, 5000, &closed);
    assert_non_null(strstr(got, "HTTP/1.1 431"));
    cJSON *j = hs_body_json(got);
    assert_string_equal(ds_str(j, "error"), "request_header_too_large");
    cJSON_Delete(j);
    free(got);
    close(fd);
    /* 40 KiB: more than the connection's memory pool holds, so
     * libmicrohttpd refuses the head itself, before any callback of ours
     * runs, with its built-in HTML page (README.md, section
     * letts-devserver, says why this cannot be the JSON envelope): 431 for
     * a header, 414 for the request line, and the connection closed.
     * Asserted as it is. */
    static char huge[kHuge + 64];
    strcpy(huge, "GET /v1/healthz HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(huge + strlen(huge), 'h', kHuge);
    strcpy(huge + strlen(huge), "\r\n\r\n");
    expect_mhd_refusal(s.url, huge, "HTTP/1.1 431 ");
    strcpy(huge, "GET /v1/healthz?q=");
    memset(huge + 18, 'u', kHuge);
    strcpy(huge + 18 + kHuge, " HTTP/1.1\r\nHost: x\r\n\r\n");
    expect_mhd_refusal(s.url, huge, "HTTP/1.1 414 ");
    assert_int_equal(ds_http(&s, "GET", "/v1/healthz", NULL, NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);
    ds_stop(&s);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stalled_upload_408_and_id_burnt),
        cmocka_unit_test(test_slow_but_steady_upload_completes),
        cmocka_unit_test(test_data_dir_quota),
        cmocka_unit_test(test_abandoned_partials_expire_and_free_the_quota),
        cmocka_unit_test(test_deleting_a_partial_upload_removes_its_file),
        cmocka_unit_test(test_quota_crossed_mid_upload),
        cmocka_unit_test(test_outputs_over_quota_fail),
        cmocka_unit_test(test_long_head_json_431),
    };
    const int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
