/* Reading jobs back: the mission resource, the list with filters and cursor
 * pagination, the events stream (`from`, `follow`, `done` exactly once and
 * last), the output endpoint (stdout, stderr, combined) and committed
 * output files downloadable from staging (http-api.md §5.7–5.10, §6–8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <openssl/sha.h>

#include "devserver_harness.h"

static ds_server S;
static char GATE[400];

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    ds_gated_script(&S, "gated", "gate", "echo '{\"event\":\"progress\",\"value\":0.5,\"message\":\"half\"}' >&3; ",
                    "echo '{\"event\":\"success\",\"return\":{\"ok\":true}}' >&3", GATE, sizeof GATE);
    ds_script(&S, "talk", "printf 'out-1\\n'; printf 'err-1\\n' >&2; printf 'out-2\\n'; "
                          "echo '{\"event\":\"success\"}' >&3");
    ds_script(&S, "quick", "echo '{\"event\":\"success\"}' >&3");
    ds_c_mission(&S, "c_output");
    ds_c_mission(&S, "c_progress");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

/* Parses an NDJSON body into an array of objects. */
static cJSON *lines(const char *body) {
    cJSON *arr = cJSON_CreateArray();
    const char *p = body;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl); /* every line is terminated */
        cJSON *o = cJSON_ParseWithLength(p, (size_t)(nl - p));
        assert_non_null(o);
        cJSON_AddItemToArray(arr, o);
        p = nl + 1;
    }
    return arr;
}

static int count_event(const cJSON *arr, const char *event) {
    int n = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, arr) if (strcmp(ds_str(o, "event"), event) == 0) n++;
    return n;
}

static void test_resource_fields(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "c_progress", "default", "{\"z\":1,\"a\":\"x\"}", "\"timeout\":\"1m\"", id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    assert_string_equal(ds_str(m, "mission_id"), id);
    assert_string_equal(ds_str(m, "kind"), "mission");
    assert_string_equal(ds_str(m, "lane"), "default");
    assert_string_equal(ds_str(m, "mission_name"), "c_progress");
    assert_int_equal(strlen(ds_str(m, "input_fingerprint")), 64);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(m, "truncated_stdout")));
    assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(m, "inputs")));
    assert_true(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(m, "outputs")));
    assert_int_equal((long)ds_num(m, "timeout_ms"), 60000);
    assert_true(ds_num(m, "pid") > 0);
    assert_true(ds_num(m, "duration_ms") >= 0);
    char *input = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(m, "input"));
    assert_string_equal(input, "{\"a\":\"x\",\"z\":1}");
    cJSON_free(input);
    cJSON_Delete(m);

    ds_resp r;
    ds_http(&S, "GET", "/v1/missions/nope", S.dispatch_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 400, "invalid_id");
    ds_resp_free(&r);
}

static void test_events_from_and_done(void **state) {
    (void)state;
    char id[37], path[128];
    ds_dispatch(&S, "c_progress", "default", NULL, NULL, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
    snprintf(path, sizeof path, "/v1/missions/%s/events", id);
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    char ct[128];
    assert_non_null(ds_header(&r, "Content-Type", ct, sizeof ct));
    assert_string_equal(ct, "application/x-ndjson");
    cJSON *ev = lines(r.body);
    ds_resp_free(&r);
    const int n = cJSON_GetArraySize(ev);
    assert_true(n >= 5); /* queued, running, 2 progress, done */
    assert_string_equal(ds_str(cJSON_GetArrayItem(ev, 0), "event"), "queued");
    assert_int_equal((int)ds_num(cJSON_GetArrayItem(ev, 0), "seq"), 1);
    assert_string_equal(ds_str(cJSON_GetArrayItem(ev, 1), "event"), "running");
    assert_int_equal(count_event(ev, "progress"), 2);
    assert_int_equal(count_event(ev, "done"), 1);
    const cJSON *done = cJSON_GetArrayItem(ev, n - 1);
    assert_string_equal(ds_str(done, "event"), "done");
    assert_string_equal(ds_str(done, "outcome"), "success");
    assert_true(ds_num(done, "time_finished") > 0);
    double prev = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, ev) {
        assert_true(ds_num(o, "seq") > prev);
        prev = ds_num(o, "seq");
    }
    /* from is exclusive. */
    const int second_seq = (int)ds_num(cJSON_GetArrayItem(ev, 1), "seq");
    char from[160];
    snprintf(from, sizeof from, "%s?from=%d", path, second_seq);
    ds_http(&S, "GET", from, S.dispatch_token, NULL, 0, NULL, &r);
    cJSON *tail = lines(r.body);
    ds_resp_free(&r);
    assert_int_equal(cJSON_GetArraySize(tail), n - 2);
    assert_int_equal((int)ds_num(cJSON_GetArrayItem(tail, 0), "seq"), (int)ds_num(cJSON_GetArrayItem(ev, 2), "seq"));
    cJSON_Delete(tail);
    /* At or beyond done: empty, even when following. */
    snprintf(from, sizeof from, "%s?from=%d&follow=true", path, (int)ds_num(done, "seq"));
    assert_int_equal(ds_http(&S, "GET", from, S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_int_equal(r.len, 0);
    ds_resp_free(&r);
    snprintf(from, sizeof from, "%s?from=abc", path);
    ds_http(&S, "GET", from, S.dispatch_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 400, "invalid_from");
    ds_resp_free(&r);
    cJSON_Delete(ev);
}

/* A follower that opens the gate once it has seen the running event, so the
 * job ends while the stream is open. */
typedef struct follower {
    char *data;
    size_t len;
    int gate_opened;
} follower;

static size_t on_follow(char *ptr, size_t size, size_t n, void *user) {
    follower *f = user;
    const size_t add = size * n;
    f->data = realloc(f->data, f->len + add + 1);
    memcpy(f->data + f->len, ptr, add);
    f->len += add;
    f->data[f->len] = '\0';
    if (!f->gate_opened && strstr(f->data, "\"event\":\"progress\"")) {
        FILE *g = fopen(GATE, "w");
        assert_non_null(g);
        fclose(g);
        f->gate_opened = 1;
    }
    return add;
}

static void test_events_follow_until_done(void **state) {
    (void)state;
    remove(GATE);
    char id[37], url[512], auth[200];
    ds_dispatch(&S, "gated", "default", NULL, NULL, id);
    snprintf(url, sizeof url, "%s/v1/missions/%s/events?follow=true", S.url, id);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", S.dispatch_token);
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, auth);
    follower f = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_follow);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &f);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 15000L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    assert_int_equal(status, 200);
    assert_true(f.gate_opened);
    cJSON *ev = lines(f.data);
    free(f.data);
    assert_int_equal(count_event(ev, "done"), 1);
    const cJSON *last = cJSON_GetArrayItem(ev, cJSON_GetArraySize(ev) - 1);
    assert_string_equal(ds_str(last, "event"), "done");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(last, "return"), "ok")));
    cJSON_Delete(ev);
}

static void test_output_streams(void **state) {
    (void)state;
    char id[37], path[160];
    ds_dispatch(&S, "talk", "default", NULL, NULL, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
    ds_resp r;
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stdout", id);
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_string_equal(r.body, "out-1\nout-2\n");
    ds_resp_free(&r);
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stderr&follow=true", id);
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_string_equal(r.body, "err-1\n");
    ds_resp_free(&r);
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=combined", id);
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    cJSON *recs = lines(r.body);
    ds_resp_free(&r);
    char out[64] = "", err[64] = "";
    const cJSON *o;
    cJSON_ArrayForEach(o, recs) {
        assert_true(ds_num(o, "t") > 0);
        char *dst = strcmp(ds_str(o, "stream"), "stdout") == 0 ? out : err;
        strncat(dst, ds_str(o, "data"), 63 - strlen(dst));
    }
    assert_string_equal(out, "out-1\nout-2\n");
    assert_string_equal(err, "err-1\n");
    cJSON_Delete(recs);
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=STDOUT", id);
    ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r);
    ds_assert_error(&r, 400, "bad_request");
    ds_resp_free(&r);
}

static void test_output_file_committed_and_downloadable(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "c_output", "default", NULL, NULL, id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    const cJSON *report = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "outputs"), "report");
    assert_non_null(report);
    const char *content = "hello from C\n";
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)content, strlen(content), digest);
    char hex[65];
    for (int i = 0; i < 32; ++i) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    assert_string_equal(ds_str(report, "sha256"), hex);
    assert_int_equal((int)ds_num(report, "size"), (int)strlen(content));
    char path[128];
    snprintf(path, sizeof path, "/v1/staging/%s", ds_str(report, "staging_id"));
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_string_equal(r.body, content);
    char sha[80];
    assert_non_null(ds_header(&r, "X-Letts-Sha256", sha, sizeof sha));
    assert_string_equal(sha, hex);
    ds_resp_free(&r);
    cJSON_Delete(m);
}

static void test_list_filters_and_pagination(void **state) {
    (void)state;
    char ids[5][37];
    for (int i = 0; i < 5; ++i) ds_dispatch(&S, "quick", "default", NULL, NULL, ids[i]);
    for (int i = 0; i < 5; ++i) cJSON_Delete(ds_wait_outcome(&S, ids[i], "success", "", 10000));

    /* Walk every page of size 2 of mission=quick and collect all ids. */
    int seen = 0, pages = 0;
    char cursor[512] = "";
    double prev_time = 1e300;
    do {
        char path[700];
        snprintf(path, sizeof path, "/v1/missions?mission=quick&limit=2%s%s", cursor[0] ? "&cursor=" : "", cursor);
        ds_resp r;
        assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
        cJSON *j = ds_json(&r);
        ds_resp_free(&r);
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "missions");
        assert_true(cJSON_GetArraySize(arr) <= 2);
        const cJSON *m;
        cJSON_ArrayForEach(m, arr) {
            assert_string_equal(ds_str(m, "mission_name"), "quick");
            assert_true(ds_num(m, "time_created") <= prev_time); /* newest first */
            prev_time = ds_num(m, "time_created");
            for (int i = 0; i < 5; ++i)
                if (strcmp(ds_str(m, "mission_id"), ids[i]) == 0) seen++;
        }
        const cJSON *next = cJSON_GetObjectItemCaseSensitive(j, "next_cursor");
        snprintf(cursor, sizeof cursor, "%s", cJSON_IsString(next) ? next->valuestring : "");
        cJSON_Delete(j);
        pages++;
    } while (cursor[0] && pages < 50);
    assert_int_equal(seen, 5);
    assert_true(pages >= 3);

    ds_resp r;
    ds_http(&S, "GET", "/v1/missions?outcome=failed&mission=quick", S.admin_token, NULL, 0, NULL, &r);
    cJSON *j = ds_json(&r);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "missions")), 0);
    cJSON_Delete(j);
    ds_resp_free(&r);
    ds_http(&S, "GET", "/v1/missions?mission_prefix=qui&status=done&lane=default&limit=1000", S.admin_token, NULL, 0,
            NULL, &r);
    j = ds_json(&r);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "missions")) >= 5);
    cJSON_Delete(j);
    ds_resp_free(&r);
    const char *bad[] = {"/v1/missions?limit=0", "/v1/missions?limit=x", "/v1/missions?order=name",
                         "/v1/missions?since=abc", "/v1/missions?cursor=%%%"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i) {
        ds_http(&S, "GET", bad[i], S.admin_token, NULL, 0, NULL, &r);
        ds_assert_error(&r, 400, "bad_request");
        ds_resp_free(&r);
    }
}

/* A server with small output and progress budgets. */
static const char *LIMITS_YAML =
    DS_YAML_HEAD
    "limits:\n  max_output_buffer: 1000\n  max_progress_rate: 5\n";

static void start_limited(ds_server *c) {
    ds_start(c, LIMITS_YAML);
    ds_apply_lanes(c, "{\"default\":{\"concurrency\":2}}");
}

static void test_output_truncation_marker(void **state) {
    (void)state;
    ds_server c;
    start_limited(&c);
    /* 1500 bytes in one write and 10 more later: the writes keep succeeding. */
    ds_script(&c, "chatty",
              "head -c 1500 /dev/zero | tr '\\0' a; printf 'bbbbbbbbbb'; "
              "echo '{\"event\":\"success\",\"return\":{\"said\":\"wrote all\"}}' >&3");
    char id[37], path[160];
    ds_dispatch(&c, "chatty", "default", NULL, NULL, id);
    cJSON *m = ds_wait_outcome(&c, id, "success", "", 10000);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "truncated_stdout")));
    const cJSON *te = cJSON_GetObjectItemCaseSensitive(m, "truncated_stderr");
    assert_true(te == NULL || cJSON_IsFalse(te));
    assert_string_equal(ds_str(cJSON_GetObjectItemCaseSensitive(m, "return"), "said"), "wrote all");
    cJSON_Delete(m);

    ds_resp r;
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stdout", id);
    assert_int_equal(ds_http(&c, "GET", path, "dispatch-token", NULL, 0, NULL, &r), 200);
    const char marker[] = "\n[--- truncated, exceeded 1000 bytes ---]\n";
    assert_int_equal(r.len, 1000 + strlen(marker));
    for (size_t i = 0; i < 1000; ++i) assert_int_equal(r.body[i], 'a');
    assert_string_equal(r.body + 1000, marker); /* once, nothing after it */
    ds_resp_free(&r);
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stderr", id);
    assert_int_equal(ds_http(&c, "GET", path, "dispatch-token", NULL, 0, NULL, &r), 200);
    assert_int_equal(r.len, 0);
    ds_resp_free(&r);
    /* combined holds the kept bytes only, never the marker. */
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=combined", id);
    assert_int_equal(ds_http(&c, "GET", path, "dispatch-token", NULL, 0, NULL, &r), 200);
    cJSON *recs = lines(r.body);
    ds_resp_free(&r);
    size_t kept = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, recs) {
        assert_string_equal(ds_str(o, "stream"), "stdout");
        assert_null(strstr(ds_str(o, "data"), "truncated"));
        kept += strlen(ds_str(o, "data"));
    }
    assert_int_equal(kept, 1000);
    cJSON_Delete(recs);
    ds_stop(&c);
}

static void test_output_follow_on_running_job(void **state) {
    (void)state;
    char gate[400], id[37], path[200];
    ds_gated_script(&S, "two_lines", "out-gate", "printf 'first\\n'; ",
                    "printf 'second\\n'; echo '{\"event\":\"success\"}' >&3", gate, sizeof gate);
    ds_dispatch(&S, "two_lines", "default", NULL, NULL, id);
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stdout&follow=true", id);
    ds_follow *f = ds_follow_start(&S, path, S.dispatch_token);
    /* The first line arrives while the job is still running (it waits for the gate). */
    ds_follow_wait_for(f, "first\n", 10000);
    cJSON *m = ds_mission(&S, id);
    assert_string_equal(ds_str(m, "status"), "running");
    cJSON_Delete(m);
    FILE *g = fopen(gate, "w");
    assert_non_null(g);
    fclose(g);
    long status = 0;
    int ok = 0;
    char *all = ds_follow_finish(f, 10000, &status, &ok);
    assert_int_equal(status, 200);
    assert_true(ok);
    assert_string_equal(all, "first\nsecond\n");
    free(all);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
}

static void test_progress_rate_limit_and_drops(void **state) {
    (void)state;
    ds_server c;
    start_limited(&c);
    ds_script(&c, "burst",
              "i=0; while [ $i -lt 40 ]; do echo \"{\\\"event\\\":\\\"progress\\\",\\\"value\\\":$i}\" >&3; "
              "i=$((i+1)); done; echo '{\"event\":\"success\"}' >&3");
    char id[37], path[160];
    ds_dispatch(&c, "burst", "default", NULL, NULL, id);
    cJSON *m = ds_wait_outcome(&c, id, "success", "", 10000);
    cJSON_Delete(m);
    ds_resp r;
    snprintf(path, sizeof path, "/v1/missions/%s/events", id);
    assert_int_equal(ds_http(&c, "GET", path, "dispatch-token", NULL, 0, NULL, &r), 200);
    cJSON *ev = lines(r.body);
    ds_resp_free(&r);
    const int passed = count_event(ev, "progress");
    const cJSON *done = cJSON_GetArrayItem(ev, cJSON_GetArraySize(ev) - 1);
    assert_string_equal(ds_str(done, "event"), "done");
    assert_string_equal(ds_str(done, "outcome"), "success"); /* drops never change the outcome */
    const int dropped = (int)ds_num(done, "progress_dropped");
    /* A bucket of 5 refilled once per second: at most 5 per window of the
     * burst, every event either delivered or counted as dropped. */
    assert_true(passed >= 5);
    assert_true(passed <= 15);
    assert_int_equal(passed + dropped, 40);
    /* The delivered ones are the first of each window, in order. */
    assert_int_equal((int)ds_num(cJSON_GetArrayItem(ev, 2), "value"), 0);
    cJSON_Delete(ev);
    ds_stop(&c);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resource_fields),
        cmocka_unit_test(test_events_from_and_done),
        cmocka_unit_test(test_events_follow_until_done),
        cmocka_unit_test(test_output_streams),
        cmocka_unit_test(test_output_file_committed_and_downloadable),
        cmocka_unit_test(test_list_filters_and_pagination),
        cmocka_unit_test(test_output_truncation_marker),
        cmocka_unit_test(test_output_follow_on_running_job),
        cmocka_unit_test(test_progress_rate_limit_and_drops),
    };
    const int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
