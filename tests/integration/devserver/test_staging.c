/* Resumable staging (http-api.md §5.16–5.18, §9): PUT (new, replay,
 * resume with Content-Range), HEAD, GET with Range, sha256 verification,
 * 416/409 rules, and staged files materialised as mission inputs. */
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

/* The largest dispatch body the default limit (max_dispatch_body_size, 2 MiB)
 * accepts, made of distinct roles but for the last entry, which repeats the
 * first: the whole list is searched and the repeat named exactly. */
static void test_duplicate_role_at_the_end_of_a_full_body(void **state) {
    (void)state;
    enum { LIMIT = 2 * 1024 * 1024 };
    char sid[37], id[37], entry[96], last[96], key[80];
    ds_uuidv7(sid);
    ds_resp r;
    assert_int_equal(put(sid, SHA, DATA, strlen(DATA), NULL, &r), 201);
    ds_resp_free(&r);

    char *body = malloc(LIMIT + 1);
    assert_non_null(body);
    size_t len = (size_t)snprintf(body, LIMIT, "{\"mission\":\"reader\",\"lane\":\"default\",\"files\":[");
    const int last_len = snprintf(last, sizeof last, "{\"role\":\"r000000\",\"staging_id\":\"%s\"}]}", sid);
    size_t entries = 0;
    for (;;) {
        const int n = snprintf(entry, sizeof entry, "{\"role\":\"r%06zu\",\"staging_id\":\"%s\"},", entries, sid);
        if (len + (size_t)n + (size_t)last_len > LIMIT) break;
        memcpy(body + len, entry, (size_t)n);
        len += (size_t)n;
        ++entries;
    }
    memcpy(body + len, last, (size_t)last_len + 1);
    len += (size_t)last_len;
    assert_true(entries > 25000);
    assert_true(len > LIMIT - 80); /* no room for one more entry */

    ds_uuidv7(id);
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    const char *hdrs[] = {key, NULL};
    ds_http(&S, "POST", "/v1/dispatch", S.dispatch_token, body, len, hdrs, &r);
    free(body);
    ds_assert_error(&r, 400, "duplicate_role");
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(j, "message"), "duplicate file role \"r000000\"");
    char *details = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(j, "details"));
    assert_string_equal(details, "{\"role\":\"r000000\"}");
    free(details);
    cJSON_Delete(j);
    ds_resp_free(&r);
}

static void upload(char sid[37], const char *data, const char *sha) {
    ds_uuidv7(sid);
    ds_resp r;
    assert_int_equal(put(sid, sha, data, strlen(data), NULL, &r), 201);
    ds_resp_free(&r);
}

static void test_by_content(void **state) {
    (void)state;
    char sid[37], path[200], upper[65];
    upload(sid, DATA, SHA);
    ds_resp r;
    snprintf(path, sizeof path, "/v1/staging/by-content/%s?size=%zu", SHA, strlen(DATA));
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    cJSON *j = ds_json(&r);
    assert_string_equal(ds_str(j, "sha256"), SHA);
    assert_int_equal((int)ds_num(j, "size"), (int)strlen(DATA));
    char found[37];
    snprintf(found, sizeof found, "%s", ds_str(j, "staging_id"));
    cJSON_Delete(j);
    ds_resp_free(&r);
    /* The id found holds that content. */
    snprintf(path, sizeof path, "/v1/staging/%s", found);
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_string_equal(r.body, DATA);
    ds_resp_free(&r);
    /* The sha is lower-cased by the server. */
    for (int i = 0; i < 64; ++i) upper[i] = (char)(SHA[i] >= 'a' && SHA[i] <= 'f' ? SHA[i] - 32 : SHA[i]);
    upper[64] = '\0';
    snprintf(path, sizeof path, "/v1/staging/by-content/%s?size=%zu", upper, strlen(DATA));
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);

    static const struct {
        const char *query;
        long status;
        const char *code;
    } rows[] = {
        {"/v1/staging/by-content/abc?size=3", 400, "bad_request"},
        {"/v1/staging/by-content/%s", 400, "bad_request"},
        {"/v1/staging/by-content/%s?size=0", 400, "bad_request"},
        {"/v1/staging/by-content/%s?size=x", 400, "bad_request"},
        {"/v1/staging/by-content/%s?size=37", 404, "not_found"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; ++i) {
        snprintf(path, sizeof path, rows[i].query, SHA);
        ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r);
        ds_assert_error(&r, rows[i].status, rows[i].code);
        ds_resp_free(&r);
    }
    /* exec (or admin) scope: a dispatch token is refused. */
    snprintf(path, sizeof path, "/v1/staging/by-content/%s?size=%zu", SHA, strlen(DATA));
    ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);
}

static void test_list_and_delete(void **state) {
    (void)state;
    char sid[37], id[37], files[160], path[256];
    upload(sid, DATA, SHA);
    snprintf(files, sizeof files, "\"files\":[{\"role\":\"doc\",\"staging_id\":\"%s\"}]", sid);
    /* While the job is live its input is pinned: time_expires is the largest
     * int64, sent as a plain JSON integer (http-api.md §2.4, §13.1 item 11). */
    ds_resp r;
    assert_int_equal(ds_http(&S, "POST", "/v1/admin/lanes/default/pause", S.admin_token, NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);
    ds_dispatch(&S, "reader", "default", NULL, files, id);
    snprintf(path, sizeof path, "/v1/staging?mission_id=%s", id);
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    assert_non_null(strstr(r.body, "\"time_expires\":9223372036854775807"));
    ds_resp_free(&r);
    assert_int_equal(ds_http(&S, "POST", "/v1/admin/lanes/default/continue", S.admin_token, NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    const double finished = ds_num(m, "time_finished");
    cJSON_Delete(m);

    snprintf(path, sizeof path, "/v1/staging?mission_id=%s", id);
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    cJSON *j = ds_json(&r);
    ds_resp_free(&r);
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(j, "staging");
    assert_int_equal(cJSON_GetArraySize(rows), 1);
    const cJSON *row = cJSON_GetArrayItem(rows, 0);
    assert_string_equal(ds_str(row, "staging_id"), sid);
    assert_string_equal(ds_str(row, "state"), "complete");
    assert_string_equal(ds_str(row, "sha256"), SHA);
    assert_int_equal((int)ds_num(row, "size"), (int)strlen(DATA));
    assert_int_equal((int)ds_num(row, "bytes_received"), (int)strlen(DATA));
    assert_string_equal(ds_str(row, "ref_kind"), "input");
    assert_string_equal(ds_str(row, "role"), "doc");
    assert_true(ds_num(row, "time_created") > 0);
    assert_true(ds_num(row, "time_updated") >= ds_num(row, "time_created"));
    /* A successful job keeps its files for success_ttl (24 h) after it finished. */
    assert_true(ds_num(row, "time_expires") == finished + 24.0 * 3600 * 1000);
    assert_null(cJSON_GetObjectItemCaseSensitive(j, "next_cursor"));
    cJSON_Delete(j);
    snprintf(path, sizeof path, "/v1/staging?mission_id=%s&ref_kind=output", id);
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    j = ds_json(&r);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "staging")), 0);
    cJSON_Delete(j);
    ds_resp_free(&r);
    static const char *bad[] = {"/v1/staging", "/v1/staging?mission_id=nope", "/v1/staging?mission_id=%s&ref_kind=x",
                                "/v1/staging?mission_id=%s&limit=0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        snprintf(path, sizeof path, bad[i], id);
        ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r);
        ds_assert_error(&r, 400, "bad_request");
        ds_resp_free(&r);
    }
    snprintf(path, sizeof path, "/v1/staging?mission_id=%s", id);
    ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);

    /* Delete: refused while a job references the file, unless forced. */
    snprintf(path, sizeof path, "/v1/staging/%s", sid);
    ds_http(&S, "DELETE", path, S.admin_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 409, "staging_in_use");
    j = ds_json(&r);
    const cJSON *missions = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "details"), "missions");
    assert_int_equal(cJSON_GetArraySize(missions), 1);
    assert_string_equal(cJSON_GetArrayItem(missions, 0)->valuestring, id);
    cJSON_Delete(j);
    ds_resp_free(&r);
    ds_http(&S, "DELETE", path, S.dispatch_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 403, "forbidden");
    ds_resp_free(&r);
    snprintf(path, sizeof path, "/v1/staging/%s?force=true", sid);
    assert_int_equal(ds_http(&S, "DELETE", path, S.admin_token, NULL, 0, NULL, &r), 202);
    j = ds_json(&r);
    assert_string_equal(ds_str(j, "status"), "deletion_pending");
    cJSON_Delete(j);
    ds_resp_free(&r);
    /* The referencing job goes with it; a repeat is still 202. */
    ds_admin(&S, "GET", "/v1/missions/%s", id, &r);
    ds_assert_error(&r, 404, "not_found");
    ds_resp_free(&r);
    snprintf(path, sizeof path, "/v1/staging/%s", sid);
    assert_int_equal(ds_http(&S, "DELETE", path, S.admin_token, NULL, 0, NULL, &r), 202);
    ds_resp_free(&r);
    /* A file being deleted can no longer be used by a new job. */
    char again[37], body[300], key[80];
    ds_uuidv7(again);
    snprintf(body, sizeof body, "{\"mission\":\"reader\",\"lane\":\"default\",%s}", files);
    snprintf(key, sizeof key, "Idempotency-Key: %s", again);
    const char *hdrs[] = {key, NULL};
    ds_http(&S, "POST", "/v1/dispatch", S.dispatch_token, body, strlen(body), hdrs, &r);
    ds_assert_error(&r, 400, "unknown_staging_ref");
    ds_resp_free(&r);

    /* An unreferenced file is deleted without force. */
    char lone[37];
    upload(lone, DATA, SHA);
    snprintf(path, sizeof path, "/v1/staging/%s", lone);
    assert_int_equal(ds_http(&S, "DELETE", path, S.admin_token, NULL, 0, NULL, &r), 202);
    ds_resp_free(&r);
    char unknown[37];
    ds_uuidv7(unknown);
    snprintf(path, sizeof path, "/v1/staging/%s", unknown);
    ds_http(&S, "DELETE", path, S.admin_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 404, "not_found");
    ds_resp_free(&r);
    ds_http(&S, "DELETE", "/v1/staging/not-an-id", S.admin_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 400, "bad_request");
    ds_resp_free(&r);
}

/* Value of `name=` among the NAME=value lines of `text`, or NULL. */
static const char *line_value(const char *text, const char *name, char *out, size_t size) {
    const size_t n = strlen(name);
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        if (!end) end = line + strlen(line);
        if ((size_t)(end - line) > n && strncmp(line, name, n) == 0 && line[n] == '=') {
            snprintf(out, size, "%.*s", (int)(end - line - (long)n - 1), line + n + 1);
            return out;
        }
        line = *end ? end + 1 : end;
    }
    return NULL;
}

static void assert_line(const char *text, const char *name, const char *expected) {
    char v[1024];
    if (!line_value(text, name, v, sizeof v)) fail_msg("no %s= in:\n%s", name, text);
    assert_string_equal(v, expected);
}

static void test_environment_and_workdir(void **state) {
    (void)state;
    umask(022); /* the modes of the layout are those requested, less the umask */
    ds_script(&S, "inspect",
              "env; echo \"cwd=$(pwd)\"; "
              "for p in \"$LETTS_WORKDIR\" \"$LETTS_WORKDIR/input.json\" \"$LETTS_WORKDIR/in\" \"$LETTS_IN_doc\" "
              "\"$LETTS_WORKDIR/out\" \"$LETTS_WORKDIR/tmp\"; do echo \"mode_${p##*/}=$(stat -c %a \"$p\")\"; done; "
              "echo \"out_entries=$(ls -A \"$LETTS_WORKDIR/out\" | wc -l)\"; "
              "echo \"tmp_entries=$(ls -A \"$LETTS_TMPDIR\" | wc -l)\"; "
              "echo \"stdin=$(cat)\"; echo \"in_content=$(cat \"$LETTS_IN_doc\")\"; "
              "echo '{\"event\":\"success\"}' >&3");
    char sid[37], id[37], files[160], path[200];
    upload(sid, DATA, SHA);
    snprintf(files, sizeof files, "\"files\":[{\"role\":\"doc\",\"staging_id\":\"%s\"}]", sid);
    ds_dispatch(&S, "inspect", "default", "{\"b\":[1,2],\"a\":\"x\"}", files, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
    ds_resp r;
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stdout", id);
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    const char *out = r.body;

    char wd[512], v[600], size[16];
    snprintf(wd, sizeof wd, "%s/work/%s", letts_devserver_data_dir(S.srv), id);
    assert_line(out, "PATH", "/usr/local/bin:/usr/bin:/bin");
    assert_line(out, "HOME", getenv("HOME") ? getenv("HOME") : "");
    assert_line(out, "TZ", "UTC");
    assert_line(out, "LETTS_MISSION_ID", id);
    assert_line(out, "LETTS_KIND", "mission");
    assert_line(out, "LETTS_LANE", "default");
    assert_line(out, "LETTS_WORKDIR", wd);
    snprintf(v, sizeof v, "%s/tmp", wd);
    assert_line(out, "LETTS_TMPDIR", v);
    snprintf(v, sizeof v, "%s/in/doc", wd);
    assert_line(out, "LETTS_IN_doc", v);
    assert_line(out, "LETTS_IN_doc__SHA256", SHA);
    snprintf(size, sizeof size, "%zu", strlen(DATA));
    assert_line(out, "LETTS_IN_doc__SIZE", size);
    /* Nothing else of ours: the environment is built from scratch. */
    static const char *absent[] = {"TMPDIR", "USER", "LOGNAME", "LANG", "LC_ALL", "DS_C_MISSION", "DS_BINARY"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; ++i) assert_null(line_value(out, absent[i], v, sizeof v));
    int letts_vars = 0;
    for (const char *p = out; (p = strstr(p, "LETTS_")) != NULL; ++p)
        if (p == out || p[-1] == '\n') letts_vars++;
    assert_int_equal(letts_vars, 8);
    /* Layout: cwd = workdir, modes, empty out/ and tmp/, stdin = canonical input, read-only copy of the input. */
    assert_line(out, "cwd", wd);
    assert_line(out, "mode_" "input.json", "400");
    snprintf(v, sizeof v, "mode_%s", id);
    assert_line(out, v, "755");
    assert_line(out, "mode_in", "755");
    assert_line(out, "mode_doc", "444");
    assert_line(out, "mode_out", "755");
    assert_line(out, "mode_tmp", "755");
    assert_line(out, "out_entries", "0");
    assert_line(out, "tmp_entries", "0");
    assert_line(out, "stdin", "{\"a\":\"x\",\"b\":[1,2]}");
    assert_line(out, "in_content", DATA);
    ds_resp_free(&r);
}

/* mission_env: inherited names copied when set, `set` values expanded from
 * the server's environment at every spawn (an undefined name makes the
 * spawn fail), PATH/HOME/TZ overridable. The file uses an anchor and an
 * alias, as dugdale.yaml may. */
static void test_mission_env_inherit_and_set(void **state) {
    (void)state;
    ds_server c;
    ds_start(&c, "listen: 127.0.0.1:0\n"
                 "data_dir: %DATA%\n"
                 "auth:\n  tokens: [&tok dispatch-token]\n"
                 "admin:\n  tokens: [admin-token]\n"
                 "mission_env:\n"
                 "  inherit: [DS_INHERITED, DS_NEVER_SET]\n"
                 "  set:\n"
                 "    DS_SET: pre-${DS_INHERITED}-post\n"
                 "    DS_MAYBE_COPY: ${DS_MAYBE}\n"
                 "    DS_ALIAS: *tok\n"
                 "    TZ: Europe/Paris\n");
    ds_apply_lanes(&c, "{\"default\":{\"concurrency\":1}}");
    ds_script(&c, "envdump", "env; echo '{\"event\":\"success\"}' >&3");
    setenv("DS_INHERITED", "hello", 1);
    setenv("DS_MAYBE", "here", 1);
    unsetenv("DS_NEVER_SET");
    char id[37], path[160], v[64];
    ds_dispatch(&c, "envdump", "default", NULL, NULL, id);
    cJSON_Delete(ds_wait_outcome(&c, id, "success", "", 10000));
    ds_resp r;
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stdout", id);
    assert_int_equal(ds_http(&c, "GET", path, "dispatch-token", NULL, 0, NULL, &r), 200);
    assert_line(r.body, "DS_INHERITED", "hello");
    assert_null(line_value(r.body, "DS_NEVER_SET", v, sizeof v));
    assert_line(r.body, "DS_SET", "pre-hello-post");
    assert_line(r.body, "DS_MAYBE_COPY", "here");
    assert_line(r.body, "DS_ALIAS", "dispatch-token");
    assert_line(r.body, "TZ", "Europe/Paris");
    assert_line(r.body, "LETTS_LANE", "default");
    ds_resp_free(&r);

    /* Expanded again at the next spawn: now DS_MAYBE is undefined. */
    unsetenv("DS_MAYBE");
    ds_dispatch(&c, "envdump", "default", NULL, NULL, id);
    cJSON *m = ds_wait_outcome(&c, id, "crashed", "spawn_failed", 10000);
    assert_string_equal(ds_str(m, "fail_message"), "env: undefined env vars: DS_MAYBE");
    assert_int_equal((int)ds_num(m, "exit_code"), 0);
    cJSON_Delete(m);
    unsetenv("DS_INHERITED");
    ds_stop(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_head_get),
        cmocka_unit_test(test_resume_with_content_range),
        cmocka_unit_test(test_put_error_rows),
        cmocka_unit_test(test_staged_file_as_mission_input),
        cmocka_unit_test(test_duplicate_role_at_the_end_of_a_full_body),
        cmocka_unit_test(test_by_content),
        cmocka_unit_test(test_list_and_delete),
        cmocka_unit_test(test_environment_and_workdir),
        cmocka_unit_test(test_mission_env_inherit_and_set),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
