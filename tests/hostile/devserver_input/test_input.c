/*
 * Hostile input for letts-devserver's parsers and for everything it emits as
 * JSON (issue 11, defects 1, 6, 7, 8 and the Range part of 11). Each test
 * sends what an attacker or a broken mission would, asserts the answer the
 * spec gives, and that the server still answers a normal request after it.
 *
 *   deep JSON (arrays and objects, 100000 levels, in `input` and at the top)
 *     → 400 with the decoder's "exceeded max depth"; the deepest accepted
 *     input is stored and served back exactly;
 *   1000- and 100000-digit Content-Range → 400 / refused, server alive;
 *   Content-Range totals whose sum overflows int64 → the spec's answers;
 *   invalid UTF-8 echoed from requests → replies are valid UTF-8;
 *   NUL in echoed fields → 400 (not 500); NUL from a mission → escaped;
 *   invalid UTF-8 on fd 3 → events and resource carry U+FFFD;
 *   Range with several ranges → 206 multipart/byteranges like Go's
 *     http.ServeContent; a malformed Range → 416.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"

static ds_server S;

/* A mission whose dispatch takes the whole input as is. Unlimited
 * incomplete-upload bytes (the default): the sum still must not overflow. */
static const char *YAML =
    DS_YAML_HEAD
    "limits:\n"
    "  max_dispatch_body_size: 4MiB\n"
    "  max_mission_input_size: 4MiB\n";

static const char *FFFD = "\xEF\xBF\xBD";

static int setup(void **state) {
    (void)state;
    ds_start(&S, YAML);
    ds_apply_lanes(&S, "{\"default\":{\"concurrency\":4}}");
    ds_script(&S, "ok", "echo '{\"event\":\"success\"}' >&3");
    /* \377 and \300\257 (overlong '/') are invalid UTF-8; \355\240\200 a surrogate. */
    ds_script(&S, "bad_utf8_success",
              "printf '{\"event\":\"progress\",\"value\":0.5,\"message\":\"p\\377q\"}\\n' >&3; "
              "printf '{\"event\":\"success\",\"return\":{\"k\\377\":\"v\\300\\257\\355\\240\\200\"}}\\n' >&3");
    ds_script(&S, "bad_utf8_fail",
              "printf '{\"event\":\"fail\",\"message\":\"m\\377\",\"reason\":\"r\\376\",\"details\":{\"d\":\"\\377\"}}\\n' >&3; exit 3");
    ds_script(&S, "nul_fd3",
              "printf '{\"event\":\"progress\",\"message\":\"a\\\\u0000b\"}\\n' >&3; "
              "printf '{\"event\":\"fail\",\"message\":\"x\\\\u0000y\",\"reason\":\"r\\\\u0000\"}\\n' >&3; exit 3");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

/* ---- helpers ----------------------------------------------------------- */

/* Well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
static int valid_utf8(const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        const unsigned char c = (unsigned char)s[i];
        size_t len;
        unsigned long cp;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 1, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 2, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 3, cp = c & 0x07;
        } else {
            return 0;
        }
        for (size_t k = 1; k <= len; ++k) {
            if (i + k >= n || ((unsigned char)s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
        }
        if ((len == 1 && cp < 0x80) || (len == 2 && cp < 0x800) || (len == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp < 0xE000))
            return 0;
        i += len + 1;
    }
    return 1;
}

static void assert_valid_utf8(const ds_resp *r) {
    if (!valid_utf8(r->body, r->len)) fail_msg("response body is not valid UTF-8: %s", r->body);
}

/* The server still answers a normal request. */
static void assert_server_alive(const ds_server *s) {
    ds_resp r;
    assert_int_equal(ds_http(s, "GET", "/v1/healthz", NULL, NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);
}

static void assert_alive(void) { assert_server_alive(&S); }

static long post_dispatch(const char *body, size_t len, ds_resp *r) {
    char id[37], key[96];
    ds_uuidv7(id);
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    const char *hdrs[] = {key, NULL};
    return ds_http(&S, "POST", "/v1/dispatch", "dispatch-token", body, len, hdrs, r);
}

/* `prefix` + depth × open + `core` + depth × close + `suffix`. */
static char *nested(const char *prefix, size_t depth, const char *open, const char *core, char close,
                    const char *suffix, size_t *len) {
    const size_t ol = strlen(open);
    const size_t n = strlen(prefix) + depth * (ol + 1) + strlen(core) + strlen(suffix);
    char *s = malloc(n + 1);
    if (!s) abort(); /* (not assert_non_null: the compiler must see s is set) */
    char *p = s;
    p += sprintf(p, "%s", prefix);
    for (size_t i = 0; i < depth; ++i, p += ol) memcpy(p, open, ol);
    p += sprintf(p, "%s", core);
    memset(p, close, depth);
    p += depth;
    p += sprintf(p, "%s", suffix);
    *len = (size_t)(p - s);
    return s;
}

static void assert_message(const ds_resp *r, const char *expected) {
    cJSON *j = ds_json(r);
    assert_string_equal(ds_str(j, "message"), expected);
    cJSON_Delete(j);
}

/* ---- defect 1: deep JSON ----------------------------------------------- */

static void expect_too_deep(const char *prefix, const char *open, char close, const char *suffix, char which) {
    size_t len;
    char *body = nested(prefix, 100000, open, open[0] == '{' ? "1" : "", close, suffix, &len);
    ds_resp r;
    post_dispatch(body, len, &r);
    free(body);
    ds_assert_error(&r, 400, "bad_request");
    char want[96];
    snprintf(want, sizeof want, "invalid JSON body: invalid character '%c' exceeded max depth", which);
    assert_message(&r, want);
    ds_resp_free(&r);
    assert_alive();
}

static void test_deep_arrays_in_input(void **state) {
    (void)state;
    expect_too_deep("{\"mission\":\"ok\",\"lane\":\"default\",\"input\":", "[", ']', "}", '[');
}

static void test_deep_objects_in_input(void **state) {
    (void)state;
    expect_too_deep("{\"mission\":\"ok\",\"lane\":\"default\",\"input\":", "{\"a\":", '}', "}", '{');
}

static void test_deep_arrays_at_top_level(void **state) {
    (void)state;
    expect_too_deep("", "[", ']', "", '[');
}

static void test_deep_objects_at_top_level(void **state) {
    (void)state;
    expect_too_deep("", "{\"a\":", '}', "", '{');
}

/* Deep JSON where other endpoints parse bodies too: admin apply and the
 * bulk operations. */
static void test_deep_json_other_endpoints(void **state) {
    (void)state;
    size_t len;
    char *body = nested("", 100000, "[", "", ']', "", &len);
    ds_resp r;
    ds_http(&S, "POST", "/v1/missions/bulk-delete", "admin-token", body, len, NULL, &r);
    ds_assert_error(&r, 400, "bad_request");
    ds_resp_free(&r);
    ds_http(&S, "POST", "/v1/admin/apply", "admin-token", body, len, NULL, &r);
    assert_int_equal(r.status, 400);
    ds_resp_free(&r);
    free(body);
    assert_alive();
}

/* The deepest input the daemon's decoder accepts (10000 levels in all, the
 * dispatch object being the first) is canonicalised on the connection
 * thread, stored and served back exactly. */
static void test_deepest_accepted_input_round_trips(void **state) {
    (void)state;
    size_t len, input_len;
    char *input = nested("", 9999, "[", "", ']', "", &input_len);
    char *body = nested("{\"mission\":\"ok\",\"lane\":\"default\",\"input\":", 9999, "[", "", ']', "}", &len);
    ds_resp r;
    assert_int_equal(post_dispatch(body, len, &r), 202);
    cJSON *j = ds_json(&r);
    char id[37];
    snprintf(id, sizeof id, "%s", ds_str(j, "mission_id"));
    cJSON_Delete(j);
    ds_resp_free(&r);
    free(body);
    char path[96];
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    assert_int_equal(ds_http(&S, "GET", path, "admin-token", NULL, 0, NULL, &r), 200);
    /* cJSON (the test's parser) stops at 1000 levels: look for the text. */
    char *member = malloc(input_len + 16);
    if (!member) abort();
    snprintf(member, input_len + 16, "\"input\":%s", input);
    assert_non_null(strstr(r.body, member));
    free(member);
    free(input);
    ds_resp_free(&r);
    assert_alive();
}

/* ---- defect 1: Content-Range ------------------------------------------- */

static long put_range_to(const ds_server *s, const char *range, const char *body, size_t len, ds_resp *r) {
    char id[37], path[96], h_range[160];
    ds_uuidv7(id);
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    snprintf(h_range, sizeof h_range, "Content-Range: %s", range);
    const char *hdrs[] = {"X-Letts-Sha256: 0000000000000000000000000000000000000000000000000000000000000000",
                          h_range, NULL};
    return ds_http(s, "PUT", path, "dispatch-token", body, len, hdrs, r);
}

static long put_range(const char *range, const char *body, size_t len, ds_resp *r) {
    return put_range_to(&S, range, body, len, r);
}

static void put_with_range_header(const char *value, ds_resp *r) {
    char id[37], path[96];
    ds_uuidv7(id);
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    const size_t n = strlen(value) + 32;
    char *header = malloc(n);
    if (!header) abort();
    snprintf(header, n, "Content-Range: %s", value);
    const char *hdrs[] = {"X-Letts-Sha256: 0000000000000000000000000000000000000000000000000000000000000000",
                          header, NULL};
    ds_http(&S, "PUT", path, "dispatch-token", "x", 1, hdrs, r);
    free(header);
}

static char *digits_range(size_t digits) {
    char *v = malloc(digits + 16);
    if (!v) abort();
    strcpy(v, "bytes 0-0/");
    memset(v + 10, '9', digits);
    v[10 + digits] = '\0';
    return v;
}

static void test_content_range_of_1000_digits(void **state) {
    (void)state;
    char *v = digits_range(1000);
    ds_resp r;
    put_with_range_header(v, &r);
    free(v);
    ds_assert_error(&r, 400, "bad_request");
    cJSON *j = ds_json(&r);
    const char *m = ds_str(j, "message");
    assert_true(strncmp(m, "invalid Content-Range: total: strconv.ParseInt: parsing \"999", 60) == 0);
    assert_non_null(strstr(m, "\": value out of range"));
    cJSON_Delete(j);
    ds_resp_free(&r);
    assert_alive();
}

/* 100000 digits do not fit libmicrohttpd's request memory: it refuses the
 * header before any handler runs. Whatever the refusal, the server lives. */
static void test_content_range_of_100000_digits(void **state) {
    (void)state;
    char *v = digits_range(100000);
    ds_resp r;
    const long status = (put_with_range_header(v, &r), r.status);
    free(v);
    if (status != 0) assert_true(status >= 400 && status < 500);
    ds_resp_free(&r);
    assert_alive();
}

/* ---- defect 6: overflowing totals -------------------------------------- */

/* Declared totals near INT64_MAX: each upload is refused as incomplete (one
 * byte sent) and stays open; the budget check of the next upload once summed
 * the open totals, which overflowed int64 (UBSan: signed overflow); it sums
 * the bytes received now, and no total near INT64_MAX may be mishandled. */
static void test_huge_totals_do_not_overflow(void **state) {
    (void)state;
    ds_resp r;
    for (int i = 0; i < 3; ++i) {
        assert_int_equal(put_range("bytes 0-0/9223372036854775807", "x", 1, &r), 400);
        ds_assert_error(&r, 400, "incomplete_upload");
        ds_resp_free(&r);
    }
    /* end == start + Content-Length - 1 overflows too: refused as a mismatch. */
    put_range("bytes 9223372036854775806-9223372036854775806/9223372036854775807", "xy", 2, &r);
    ds_assert_error(&r, 400, "bad_request");
    assert_message(&r, "Content-Range does not match Content-Length");
    ds_resp_free(&r);
    put_range("bytes 0-0/9223372036854775808", "x", 1, &r);
    ds_assert_error(&r, 400, "bad_request");
    ds_resp_free(&r);
    assert_alive();
}

/* A server whose limits.max_incomplete_staging_bytes is `budget`. */
static void start_with_byte_budget(ds_server *s, const char *budget) {
    char yaml[512];
    snprintf(yaml, sizeof yaml, "%slimits:\n  max_incomplete_staging_bytes: %s\n", DS_YAML_HEAD, budget);
    ds_start(s, yaml);
}

static void stop_second_server(ds_server *s) {
    assert_server_alive(s);
    letts_devserver_free(s->srv);
    rmdir(s->mission_dir); /* empty; its data dir goes with the suite's */
}

/* The incomplete-upload byte budget counts the bytes received, as the
 * daemon's (enforceIncompleteLimits sums bytes_received), not the declared
 * totals: uploads declaring INT64_MAX each, one byte received each, stay
 * within a budget of INT64_MAX, whose sum never overflows. */
static void test_incomplete_bytes_budget_saturates(void **state) {
    (void)state;
    static ds_server budget; /* a second server; S keeps running */
    start_with_byte_budget(&budget, "9223372036854775807");
    ds_resp r;
    for (int i = 0; i < 3; ++i) {
        assert_int_equal(put_range_to(&budget, "bytes 0-0/9223372036854775807", "x", 1, &r), 400);
        ds_assert_error(&r, 400, "incomplete_upload");
        ds_resp_free(&r);
    }
    stop_second_server(&budget);
}

/* A new upload is refused once the bytes already received by unfinished
 * uploads reach the budget (>=, as the daemon): with a budget of 3, three
 * one-byte partials fill it and the fourth upload gets 503. */
static void test_incomplete_bytes_budget_counts_received_bytes(void **state) {
    (void)state;
    static ds_server budget;
    start_with_byte_budget(&budget, "3");
    ds_resp r;
    for (int i = 0; i < 3; ++i) {
        assert_int_equal(put_range_to(&budget, "bytes 0-0/1000", "x", 1, &r), 400);
        ds_assert_error(&r, 400, "incomplete_upload");
        ds_resp_free(&r);
    }
    put_range_to(&budget, "bytes 0-0/1000", "x", 1, &r);
    ds_assert_error(&r, 503, "incomplete_uploads_full");
    ds_resp_free(&r);
    stop_second_server(&budget);
}

/* ---- defects 7 and 8: UTF-8 and NUL in what the server emits ----------- */

static void test_invalid_utf8_echoed_in_errors(void **state) {
    (void)state;
    ds_resp r;
    const char bad_name[] = "{\"mission\":\"m\xff\xfe\",\"lane\":\"default\"}";
    post_dispatch(bad_name, sizeof bad_name - 1, &r);
    ds_assert_error(&r, 400, "bad_request");
    assert_valid_utf8(&r);
    char want[64];
    snprintf(want, sizeof want, "invalid mission name \"m%s%s\"", FFFD, FFFD);
    assert_message(&r, want);
    ds_resp_free(&r);

    const char bad_timeout[] = "{\"mission\":\"ok\",\"lane\":\"default\",\"timeout\":\"1\xc0s\"}";
    post_dispatch(bad_timeout, sizeof bad_timeout - 1, &r);
    ds_assert_error(&r, 400, "bad_request");
    assert_valid_utf8(&r);
    ds_resp_free(&r);

    /* Header values are echoed too (details.content_encoding). */
    char id[37], path[96];
    ds_uuidv7(id);
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    const char *hdrs[] = {"Content-Encoding: gz\xff\xfe", NULL};
    ds_http(&S, "PUT", path, "dispatch-token", "x", 1, hdrs, &r);
    ds_assert_error(&r, 415, "unsupported_media_type");
    assert_valid_utf8(&r);
    ds_resp_free(&r);

    put_range("bytes \xff-1/2", "x", 1, &r);
    ds_assert_error(&r, 400, "bad_request");
    assert_valid_utf8(&r);
    ds_resp_free(&r);
    assert_alive();
}

static void test_nul_in_echoed_field_is_400(void **state) {
    (void)state;
    ds_resp r;
    const char *bodies[] = {
        "{\"mission\":\"a\\u0000b\",\"lane\":\"default\"}",
        "{\"mission\":\"ok\",\"lane\":\"l\\u0000\"}",
        "{\"mission\":\"ok\",\"lane\":\"default\",\"timeout\":\"1s\\u0000\"}",
        "{\"mission\":\"ok\",\"lane\":\"default\",\"files\":[{\"role\":\"r\\u0000\",\"staging_id\":\"x\"}]}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; ++i) {
        post_dispatch(bodies[i], strlen(bodies[i]), &r);
        ds_assert_error(&r, 400, "bad_request");
        ds_resp_free(&r);
    }
    post_dispatch(bodies[0], strlen(bodies[0]), &r);
    assert_non_null(strstr(r.body, "a\\u0000b"));
    ds_resp_free(&r);
    /* A NUL inside `input` is valid: stored and served escaped. */
    const char *ok = "{\"mission\":\"ok\",\"lane\":\"default\",\"input\":{\"s\":\"x\\u0000y\"}}";
    assert_int_equal(post_dispatch(ok, strlen(ok), &r), 202);
    ds_resp_free(&r);
    /* Bulk ids are echoed per item. */
    const char *bulk = "{\"ids\":[\"a\\u0000\"]}";
    assert_int_equal(ds_http(&S, "POST", "/v1/missions/bulk-delete", "admin-token", bulk, strlen(bulk), NULL, &r),
                     200);
    assert_non_null(strstr(r.body, "\"a\\u0000\""));
    ds_resp_free(&r);
    assert_alive();
}

static char *events_of(const char *id) {
    char path[96];
    snprintf(path, sizeof path, "/v1/missions/%s/events", id);
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, "admin-token", NULL, 0, NULL, &r), 200);
    if (!valid_utf8(r.body, r.len)) fail_msg("events are not valid UTF-8: %s", r.body);
    char *body = strdup(r.body);
    ds_resp_free(&r);
    return body;
}

static char *resource_of(const char *id) {
    char path[96];
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, "admin-token", NULL, 0, NULL, &r), 200);
    if (!valid_utf8(r.body, r.len)) fail_msg("mission resource is not valid UTF-8: %s", r.body);
    char *body = strdup(r.body);
    ds_resp_free(&r);
    return body;
}

static void expect_contains(const char *hay, const char *fmt, ...) {
    char needle[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(needle, sizeof needle, fmt, ap);
    va_end(ap);
    if (!strstr(hay, needle)) fail_msg("missing %s in %s", needle, hay);
}

static void test_fd3_invalid_utf8_success(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "bad_utf8_success", "default", NULL, NULL, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
    char *events = events_of(id);
    expect_contains(events, "\"message\":\"p%sq\"", FFFD);
    expect_contains(events, "\"return\":{\"k%s\":\"v%s%s%s%s%s\"}", FFFD, FFFD, FFFD, FFFD, FFFD, FFFD);
    free(events);
    char *res = resource_of(id);
    expect_contains(res, "\"return\":{\"k%s\":\"v%s%s%s%s%s\"}", FFFD, FFFD, FFFD, FFFD, FFFD, FFFD);
    free(res);
}

static void test_fd3_invalid_utf8_fail(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "bad_utf8_fail", "default", NULL, NULL, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "failed", NULL, 10000));
    char *events = events_of(id);
    expect_contains(events, "\"fail_message\":\"m%s\"", FFFD);
    expect_contains(events, "\"fail_details\":{\"d\":\"%s\"}", FFFD);
    free(events);
    char *res = resource_of(id);
    expect_contains(res, "\"fail_message\":\"m%s\"", FFFD);
    expect_contains(res, "\"fail_reason\":\"r%s\"", FFFD);
    free(res);
}

/* A NUL from a mission used to throw on the supervisor thread (cJSON
 * strings cannot hold it), which took the whole server down. */
static void test_fd3_nul_is_escaped(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "nul_fd3", "default", NULL, NULL, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "failed", NULL, 10000));
    char *events = events_of(id);
    expect_contains(events, "\"message\":\"a\\u0000b\"");
    expect_contains(events, "\"fail_message\":\"x\\u0000y\"");
    free(events);
    char *res = resource_of(id);
    expect_contains(res, "\"fail_reason\":\"r\\u0000\"");
    free(res);
    assert_alive();
}

/* ---- defect 11: Range ---------------------------------------------------- */

static const char *FILE_SHA = "84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882"; /* "0123456789" */

static void stage_digits(char id[37]) {
    char path[96];
    ds_uuidv7(id);
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    char sha[96];
    snprintf(sha, sizeof sha, "X-Letts-Sha256: %s", FILE_SHA);
    const char *hdrs[] = {sha, NULL};
    ds_resp r;
    assert_int_equal(ds_http(&S, "PUT", path, "dispatch-token", "0123456789", 10, hdrs, &r), 201);
    ds_resp_free(&r);
}

static long get_range(const char *id, const char *range, ds_resp *r) {
    char path[96], h[128];
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    snprintf(h, sizeof h, "Range: %s", range);
    const char *hdrs[] = {h, NULL};
    return ds_http(&S, "GET", path, "dispatch-token", NULL, 0, hdrs, r);
}

static void test_multi_range_is_multipart(void **state) {
    (void)state;
    char id[37];
    stage_digits(id);
    ds_resp r;
    assert_int_equal(get_range(id, "bytes=0-1,5-6", &r), 206);
    char ct[160], cl[32];
    assert_non_null(ds_header(&r, "Content-Type", ct, sizeof ct));
    const char *prefix = "multipart/byteranges; boundary=";
    assert_true(strncmp(ct, prefix, strlen(prefix)) == 0);
    const char *b = ct + strlen(prefix);
    assert_int_equal(strlen(b), 60);
    char want[512];
    snprintf(want, sizeof want,
             "--%s\r\nContent-Range: bytes 0-1/10\r\nContent-Type: application/octet-stream\r\n\r\n01"
             "\r\n--%s\r\nContent-Range: bytes 5-6/10\r\nContent-Type: application/octet-stream\r\n\r\n56"
             "\r\n--%s--\r\n",
             b, b, b);
    assert_int_equal(r.len, strlen(want));
    assert_memory_equal(r.body, want, r.len);
    assert_non_null(ds_header(&r, "Content-Length", cl, sizeof cl));
    assert_int_equal(atol(cl), (long)strlen(want));
    ds_resp_free(&r);

    /* More bytes asked than the file holds: the header is ignored. */
    assert_int_equal(get_range(id, "bytes=0-9,0-9", &r), 200);
    assert_int_equal(r.len, 10);
    ds_resp_free(&r);
    /* Ranges past the end are skipped; one left → a plain 206. */
    assert_int_equal(get_range(id, "bytes=50-60, 8-", &r), 206);
    assert_non_null(ds_header(&r, "Content-Range", cl, sizeof cl));
    assert_string_equal(cl, "bytes 8-9/10");
    assert_int_equal(r.len, 2);
    assert_memory_equal(r.body, "89", 2);
    ds_resp_free(&r);
    /* Malformed: 416 without Content-Range; past the end: 416 with it. */
    assert_int_equal(get_range(id, "items=0-1", &r), 416);
    assert_string_equal(r.body, "invalid range\n");
    assert_null(ds_header(&r, "Content-Range", cl, sizeof cl));
    ds_resp_free(&r);
    assert_int_equal(get_range(id, "bytes=10-,20-", &r), 416);
    assert_string_equal(r.body, "invalid range: failed to overlap\n");
    assert_non_null(ds_header(&r, "Content-Range", cl, sizeof cl));
    assert_string_equal(cl, "bytes */10");
    ds_resp_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deep_arrays_in_input),
        cmocka_unit_test(test_deep_objects_in_input),
        cmocka_unit_test(test_deep_arrays_at_top_level),
        cmocka_unit_test(test_deep_objects_at_top_level),
        cmocka_unit_test(test_deep_json_other_endpoints),
        cmocka_unit_test(test_deepest_accepted_input_round_trips),
        cmocka_unit_test(test_content_range_of_1000_digits),
        cmocka_unit_test(test_content_range_of_100000_digits),
        cmocka_unit_test(test_huge_totals_do_not_overflow),
        cmocka_unit_test(test_incomplete_bytes_budget_saturates),
        cmocka_unit_test(test_incomplete_bytes_budget_counts_received_bytes),
        cmocka_unit_test(test_invalid_utf8_echoed_in_errors),
        cmocka_unit_test(test_nul_in_echoed_field_is_400),
        cmocka_unit_test(test_fd3_invalid_utf8_success),
        cmocka_unit_test(test_fd3_invalid_utf8_fail),
        cmocka_unit_test(test_fd3_nul_is_escaped),
        cmocka_unit_test(test_multi_range_is_multipart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
