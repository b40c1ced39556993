/*
 * The client against a hostile or broken dugdale (issue 11, defects 9-11):
 * a scripted server answers with malformed JSON, wrong lengths, endless
 * bodies, lines and events, huge headers, redirects, wrong hashes, resets,
 * a `done` event whose outcome is not a string and an oversized error
 * envelope. Every call must fail (or succeed) with the documented status
 * and a message naming what was wrong, hold bounded memory, leave no
 * partial file behind, and end in bounded time. Only the public C API is
 * used.
 */
#include <dirent.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "hostile_server.h"
#include "letts/letts.h"

#define MISSION_ID "01900000-0000-7000-8000-000000000001"
#define KIB ((size_t)1024)
#define MIB (1024 * KIB)
/* sha256("hello") */
#define HELLO_SHA "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

/* ---- measuring ---------------------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
/* The memory assertions measure the client, not ASan's quarantine of freed
 * blocks (256 MiB by default), which grows with every event a stream
 * allocates and frees. ASAN_OPTIONS from the environment still wins. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "quarantine_size_mb=4"; }
#endif


static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A "kB" line of /proc/self/status ("VmHWM", "VmRSS"), or -1. */
static long status_kb(const char *field) {
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    const size_t len = strlen(field);
    long kb = -1;
    while (status && fgets(line, sizeof line, status)) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') kb = strtol(line + len + 1, NULL, 10);
    }
    if (status) fclose(status);
    return kb;
}

/* Peak resident set size in KiB since the last reset_peak(). */
static long peak_kb(void) { return status_kb("VmHWM"); }

static long current_kb(void) { return status_kb("VmRSS"); }

/* Resets VmHWM to the current RSS ("5" > clear_refs, Linux >= 4.0) and
 * returns the current RSS, the base the growth is measured from. */
static long reset_peak(void) {
    FILE *clear = fopen("/proc/self/clear_refs", "w");
    assert_non_null(clear);
    fputs("5", clear);
    fclose(clear);
    return current_kb();
}

static void assert_peak_growth_below(long base_kb, size_t limit) {
    long grown = (peak_kb() - base_kb) * 1024;
    if (grown >= (long)limit) {
        fail_msg("resident memory grew by %ld bytes, limit %zu", grown, limit);
    }
}

/* ---- client side -------------------------------------------------------- */

typedef struct caps {
    size_t max_response;  /* 0 = default */
    size_t max_line;      /* 0 = default */
    int64_t request_timeout_ms;  /* 0 = 5000 */
} caps;

static letts_client *client_for(const char *url, caps c) {
    return ds_client(&(ds_client_spec){
        .url = url,
        .concurrency = 1,
        /* One attempt: each test looks at one answer, not at the retry policy. */
        .retry_attempts = 1,
        .request_timeout_ms = c.request_timeout_ms ? c.request_timeout_ms : 5000,
        .max_response_bytes = c.max_response,
        .max_event_line_bytes = c.max_line,
    });
}

static letts_job *job_for(void) {
    letts_job *job = ds_job_on_dev("m", "default");
    assert_int_equal(letts_job_set_mission_id(job, MISSION_ID, NULL), LETTS_OK);
    return job;
}

static void assert_message_names(const letts_error *err, const char *needle) {
    const char *message = letts_error_message(err);
    if (!strstr(message, needle)) fail_msg("expected \"%s\" in the message \"%s\"", needle, message);
}

static letts_status dispatch_once(letts_client *client, letts_error **err) {
    letts_job *job = job_for();
    char *id = NULL;
    letts_status status = letts_client_dispatch(client, job, &id, err);
    if (status == LETTS_OK) assert_non_null(id);
    letts_free(id);
    letts_job_free(job);
    return status;
}

/* Run options with only the given ones set (0 / NULL: not set). */
static letts_run_options *run_options(int64_t wait_ms, const char *outputs_dir, int fetch_logs) {
    letts_run_options *opts = NULL;
    assert_int_equal(letts_run_options_new(&opts, NULL), LETTS_OK);
    if (wait_ms) assert_int_equal(letts_run_options_set_wait_timeout_ms(opts, wait_ms, NULL), LETTS_OK);
    if (outputs_dir) assert_int_equal(letts_run_options_set_outputs_folder(opts, outputs_dir, NULL), LETTS_OK);
    if (fetch_logs) assert_int_equal(letts_run_options_set_fetch_logs(opts, 1, NULL), LETTS_OK);
    return opts;
}

/* A successful run result of dugdale "dev" with one output "report" in
 * staging s1 announced with this sha256 and size. */
static letts_run_result *result_with_report(const char *sha256, long long size) {
    char json[256];
    snprintf(json, sizeof json,
             "{\"outcome\":\"success\",\"outputs\":{\"report\":{\"staging_id\":\"s1\","
             "\"sha256\":\"%s\",\"size\":%lld}}}",
             sha256, size);
    letts_run_result *result = NULL;
    assert_int_equal(letts_run_result_from_json(&result, "dev", json, NULL), LETTS_OK);
    return result;
}

static letts_status run_once(letts_client *client, int64_t wait_ms, const char *outputs_dir,
                             letts_error **err) {
    letts_job *job = job_for();
    letts_run_options *opts = run_options(wait_ms, outputs_dir, 0);
    letts_run_result *result = NULL;
    letts_status status = letts_client_run(client, job, opts, &result, err);
    letts_run_result_free(result);
    letts_run_options_free(opts);
    letts_job_free(job);
    return status;
}

/* ---- server side -------------------------------------------------------- */

/* What a scripted answer may need besides the request. */
typedef struct script {
    const char *second_url;   /* redirect target */
    size_t endless_total;     /* how far an "endless" body goes at most */
    volatile size_t sent;     /* body bytes the handler got out */
    volatile int peer_left;   /* a held connection was closed by the client */
    const char *done_line;    /* the done event of a run */
} script;

/* Not inlined: gcc's -Wstringop-overread misjudges the copied request
 * under -fsanitize=address once this is inlined into a handler. */
__attribute__((noinline)) static int is(const hs_request *r, const char *method,
                                        const char *fragment) {
    return strcmp(r->method, method) == 0 && strstr(r->target, fragment) != NULL;
}

static void answer_json(hostile_server *s, int fd, int status, const char *body) {
    hs_sendf(s, fd,
             "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n%s",
             status, strlen(body), body);
}

static void answer_dispatch(hostile_server *s, int fd) {
    answer_json(s, fd, 202, "{\"mission_id\":\"" MISSION_ID "\",\"status\":\"queued\"}");
}

static void stream_head(hostile_server *s, int fd, const char *type) {
    hs_sendf(s, fd, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nConnection: close\r\n\r\n", type);
}

/* A normal run up to its done event, taken from the script. */
static void answer_run(hostile_server *s, int fd, const hs_request *r, script *sc) {
    if (is(r, "POST", "/v1/dispatch")) {
        answer_dispatch(s, fd);
    } else if (is(r, "GET", "/events")) {
        stream_head(s, fd, "application/x-ndjson");
        hs_sendf(s, fd, "{\"seq\":1,\"event\":\"queued\"}\n%s\n", sc->done_line);
    } else {
        answer_json(s, fd, 404, "{\"error\":\"not_found\",\"message\":\"no\"}");
    }
}

/* ---- malformed answers and wrong lengths -------------------------------- */

static void malformed_json(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r; (void)arg;
    answer_json(s, fd, 202, "{\"mission_id\": tru");
}

static void test_malformed_json_is_a_dispatch_error(void **state) {
    (void)state;
    hostile_server *s = hs_start(malformed_json, NULL);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});
    letts_error *err = NULL;
    assert_int_equal(dispatch_once(client, &err), LETTS_ERR_DISPATCH);
    assert_int_equal(letts_error_http_status(err), 202);
    assert_message_names(err, "[dev] dispatch");
    assert_message_names(err, "not valid JSON");
    letts_error_free(err);
    letts_client_free(client);
    hs_stop(s);
}

static void short_length(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r; (void)arg;
    hs_sendf(s, fd, "HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
                    "{\"mission_id\":\"" MISSION_ID "\"}");
}

static void long_length(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r; (void)arg;
    hs_sendf(s, fd, "HTTP/1.1 202 Accepted\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
                    "{\"mission_id\":\"" MISSION_ID "\"}");
}

/* One dispatch with default caps against a server answering with `handler`:
 * it fails with `want` and a message containing `needle`. */
static void expect_dispatch_failure(hs_handler handler, letts_status want, const char *needle) {
    hostile_server *s = hs_start(handler, NULL);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});
    letts_error *err = NULL;
    assert_int_equal(dispatch_once(client, &err), want);
    assert_message_names(err, needle);
    letts_error_free(err);
    letts_client_free(client);
    hs_stop(s);
}

static void test_wrong_content_length(void **state) {
    (void)state;
    /* Shorter than the body: the JSON is cut at 5 bytes. */
    expect_dispatch_failure(short_length, LETTS_ERR_DISPATCH, "not valid JSON");
    /* Longer than the body, then the connection ends: a transport failure. */
    expect_dispatch_failure(long_length, LETTS_ERR_NETWORK, "[dev] dispatch");
}

/* ---- endless bodies ------------------------------------------------------ */

static void endless_json(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r;
    script *sc = arg;
    stream_head(s, fd, "application/json");
    hs_send(s, fd, "{\"pad\":\"", 8);
    sc->sent = hs_send_repeated(s, fd, "x", sc->endless_total);
}

static void endless_json_case(size_t cap, size_t total, size_t growth_limit, const char *cap_text) {
    script sc = {.endless_total = total};
    hostile_server *s = hs_start(endless_json, &sc);
    letts_client *client = client_for(hs_url(s), (caps){cap, 0, 0});
    char *json = NULL;
    letts_error *err = NULL;
    const long base = reset_peak();
    const double started = now_s();
    assert_int_equal(letts_client_admin_state(client, "dev", &json, &err), LETTS_ERR_DISPATCH);
    assert_peak_growth_below(base, growth_limit);
    assert_true(now_s() - started < 30.0);
    assert_null(json);
    assert_int_equal(letts_error_http_status(err), 200);
    assert_message_names(err, "[dev] admin state");
    assert_message_names(err, cap_text);
    assert_message_names(err, "max_response_bytes");
    letts_error_free(err);
    letts_client_free(client);
    hs_stop(s);
    /* The client hung up long before the server ran out of body. */
    assert_true(sc.sent < total);
}

static void test_endless_body_fails_at_the_cap(void **state) {
    (void)state;
    endless_json_case(1 * MIB, 64 * MIB, 16 * MIB, "1048576-byte cap");
}

static void test_default_cap_bounds_an_endless_body(void **state) {
    (void)state;
    endless_json_case(0, 320 * MIB, 4 * 64 * MIB, "67108864-byte cap");
}

static void huge_declared_length(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r; (void)arg;
    hs_sendf(s, fd, "HTTP/1.1 200 OK\r\nContent-Length: 68719476736\r\nConnection: close\r\n\r\n{");
}

static void test_declared_length_over_the_cap_fails_at_once(void **state) {
    (void)state;
    hostile_server *s = hs_start(huge_declared_length, NULL);
    letts_client *client = client_for(hs_url(s), (caps){1 * MIB, 0, 0});
    char *json = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_admin_state(client, "dev", &json, &err), LETTS_ERR_DISPATCH);
    assert_message_names(err, "68719476736 bytes exceeds the 1048576-byte cap");
    letts_error_free(err);
    letts_client_free(client);
    hs_stop(s);
}

static void endless_log(hostile_server *s, int fd, const hs_request *r, void *arg) {
    script *sc = arg;
    if (is(r, "GET", "/output")) {
        stream_head(s, fd, "application/octet-stream");
        sc->sent += hs_send_repeated(s, fd, "log line\n", sc->endless_total);
        return;
    }
    answer_run(s, fd, r, sc);
}

/* A log fetched by a run is a collected body too: past the cap the fetch
 * stops and counts as failed (empty log), the run itself succeeds. */
static void test_endless_log_is_dropped_at_the_cap(void **state) {
    (void)state;
    script sc = {.endless_total = 64 * MIB,
                 .done_line = "{\"seq\":2,\"event\":\"done\",\"outcome\":\"success\",\"exit_code\":0}"};
    hostile_server *s = hs_start(endless_log, &sc);
    letts_client *client = client_for(hs_url(s), (caps){1 * MIB, 0, 0});
    letts_job *job = job_for();
    letts_run_options *opts = run_options(0, NULL, 1);
    letts_run_result *result = NULL;
    const long base = reset_peak();
    assert_int_equal(letts_client_run(client, job, opts, &result, NULL), LETTS_OK);
    assert_peak_growth_below(base, 16 * MIB);
    size_t len = 99;
    assert_string_equal(letts_run_result_stdout(result, &len), "");
    assert_string_equal(letts_run_result_stderr(result, NULL), "");
    letts_run_result_free(result);
    letts_run_options_free(opts);
    letts_job_free(job);
    letts_client_free(client);
    hs_stop(s);
    assert_true(sc.sent < sc.endless_total);  /* both fetches stopped early */
}

/* ---- endless lines and events ------------------------------------------- */

static void endless_line(hostile_server *s, int fd, const hs_request *r, void *arg) {
    script *sc = arg;
    if (is(r, "POST", "/v1/dispatch")) {
        answer_dispatch(s, fd);
        return;
    }
    stream_head(s, fd, "application/x-ndjson");
    hs_sendf(s, fd, "{\"seq\":1,\"event\":\"queued\"}\n{\"seq\":2,\"event\":\"progress\",\"message\":\"");
    sc->sent += hs_send_repeated(s, fd, "y", sc->endless_total);
}

static int count_event(const char *line, size_t len, void *user_data) {
    (void)line; (void)len;
    ++*(int *)user_data;
    return 0;
}

static void test_endless_event_line_fails_at_the_cap(void **state) {
    (void)state;
    script sc = {.endless_total = 64 * MIB};
    hostile_server *s = hs_start(endless_line, &sc);
    letts_client *client = client_for(hs_url(s), (caps){0, 64 * KIB, 0});
    letts_error *err = NULL;
    long base = reset_peak();
    double started = now_s();
    assert_int_equal(run_once(client, 0, NULL, &err), LETTS_ERR_DISPATCH);
    assert_peak_growth_below(base, 16 * MIB);
    assert_true(now_s() - started < 30.0);
    assert_int_equal(letts_error_http_status(err), 200);
    assert_message_names(err, "[dev] events");
    assert_message_names(err, "65536-byte cap (max_event_line_bytes)");
    letts_error_free(err);
    /* Not reconnected: the same line would come again. */
    assert_int_equal(hs_count(s), 2);

    /* The raw event API stops the same way, after handing over seq 1. */
    int events = 0;
    err = NULL;
    assert_int_equal(letts_client_follow_events(client, "dev", MISSION_ID, 0, 1, count_event, &events, &err),
                     LETTS_ERR_DISPATCH);
    assert_int_equal(events, 1);
    assert_message_names(err, "max_event_line_bytes");
    letts_error_free(err);
    letts_client_free(client);
    hs_stop(s);
}

static void endless_events(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)arg;
    if (is(r, "POST", "/v1/dispatch")) {
        answer_dispatch(s, fd);
        return;
    }
    stream_head(s, fd, "application/x-ndjson");
    /* Valid, ever newer progress events until the client leaves (or 20 s). */
    const double until = now_s() + 20.0;
    char line[128];
    for (long seq = 1; now_s() < until; ++seq) {
        int len = snprintf(line, sizeof line,
                           "{\"seq\":%ld,\"event\":\"progress\",\"value\":0.5,\"message\":\"again\"}\n", seq);
        if (hs_send(s, fd, line, (size_t)len) != 0) break;
    }
}

static void test_endless_events_end_at_the_wait_timeout(void **state) {
    (void)state;
    hostile_server *s = hs_start(endless_events, NULL);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});
    letts_error *err = NULL;
    long base = reset_peak();
    double started = now_s();
    assert_int_equal(run_once(client, 1000, NULL, &err), LETTS_ERR_WAIT_TIMEOUT);
    double took = now_s() - started;
    assert_true(took >= 0.9 && took < 10.0);
    assert_peak_growth_below(base, 16 * MIB);
    letts_error_free(err);
    letts_client_free(client);
    hs_stop(s);
}

/* ---- huge headers ------------------------------------------------------- */

static void huge_header(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r; (void)arg;
    hs_sendf(s, fd, "HTTP/1.1 202 Accepted\r\nX-Big: ");
    hs_send_repeated(s, fd, "a", 4 * MIB);
    hs_sendf(s, fd, "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
}

static void many_headers(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r; (void)arg;
    char value[1024];
    memset(value, 'b', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    hs_sendf(s, fd, "HTTP/1.1 202 Accepted\r\n");
    for (int i = 0; i < 200; ++i) {
        if (hs_sendf(s, fd, "X-Pad-%d: %s\r\n", i, value) != 0) return;
    }
    answer_json(s, fd, 202, "");  /* never reached by a fixed client */
}

static void test_huge_headers_name_the_cap(void **state) {
    (void)state;
    hs_handler handlers[] = {huge_header, many_headers};
    for (size_t i = 0; i < 2; ++i) {
        hostile_server *s = hs_start(handlers[i], NULL);
        letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});
        letts_error *err = NULL;
        assert_int_equal(dispatch_once(client, &err), LETTS_ERR_DISPATCH);
        assert_message_names(err, "[dev] dispatch");
        assert_message_names(err, "response headers exceed the 65536-byte cap");
        letts_error_free(err);
        letts_client_free(client);
        hs_stop(s);
    }
}

/* ---- redirects ---------------------------------------------------------- */

static void redirect(hostile_server *s, int fd, const hs_request *r, void *arg) {
    script *sc = arg;
    if (is(r, "POST", "/v1/dispatch") && sc->done_line) {
        answer_dispatch(s, fd);  /* the run case: redirect only what follows */
        return;
    }
    if (is(r, "HEAD", "/v1/staging/")) {
        /* Nothing staged yet: the client goes on to the PUT. */
        hs_sendf(s, fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    }
    hs_sendf(s, fd,
             "HTTP/1.1 %d Moved\r\nLocation: %s%s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
             strstr(r->target, "/events") ? 302 : 307, sc->second_url, r->target);
}

static void record_only(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r; (void)arg;
    answer_json(s, fd, 202, "{\"mission_id\":\"" MISSION_ID "\"}");
}

static void test_redirects_fail_and_are_never_followed(void **state) {
    (void)state;
    hostile_server *second = hs_start(record_only, NULL);
    script sc = {.second_url = hs_url(second)};
    hostile_server *s = hs_start(redirect, &sc);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});

    letts_error *err = NULL;
    assert_int_equal(dispatch_once(client, &err), LETTS_ERR_DISPATCH);
    assert_int_equal(letts_error_http_status(err), 307);
    assert_message_names(err, "[dev] dispatch: unexpected HTTP 307 (expected 202 or 200)");
    letts_error_free(err);
    hs_request first;
    assert_true(hs_request_at(s, 0, &first));
    assert_string_equal(first.authorization, "Bearer dispatch-token");

    err = NULL;
    char *json = NULL;
    assert_int_equal(letts_client_admin_state(client, "dev", &json, &err), LETTS_ERR_DISPATCH);
    assert_int_equal(letts_error_http_status(err), 307);
    assert_message_names(err, "unexpected HTTP 307 (expected 2xx)");
    letts_error_free(err);

    /* A run whose event stream is redirected. */
    sc.done_line = "unused";
    err = NULL;
    assert_int_equal(run_once(client, 5000, NULL, &err), LETTS_ERR_DISPATCH);
    assert_int_equal(letts_error_http_status(err), 302);
    assert_message_names(err, "[dev] events: unexpected HTTP 302 (expected 200)");
    letts_error_free(err);

    /* A staging upload answered 307 did not stage anything. */
    char file[] = "/tmp/letts-hostile-upload-XXXXXX";
    int fd = mkstemp(file);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "hello", 5), 5);
    close(fd);
    letts_job *job = job_for();
    assert_int_equal(letts_job_add_file(job, "in", file, NULL), LETTS_OK);
    char *id = NULL;
    err = NULL;
    assert_int_equal(letts_client_dispatch(client, job, &id, &err), LETTS_ERR_DISPATCH);
    assert_message_names(err, "[dev] staging upload: unexpected HTTP 307 (expected 201 or 200)");
    letts_error_free(err);
    letts_job_free(job);
    unlink(file);

    /* A download and an output stream answered 307. */
    letts_run_result *result = result_with_report(HELLO_SHA, 5);
    char *data = NULL;
    size_t len = 0;
    err = NULL;
    assert_int_equal(letts_client_download_output(client, result, "report", &data, &len, &err),
                     LETTS_ERR_STAGING);
    assert_message_names(err, "staging s1 not downloadable: HTTP 307");
    letts_error_free(err);
    letts_run_result_free(result);
    int chunks = 0;
    err = NULL;
    assert_int_equal(letts_client_stream_output(client, "dev", MISSION_ID, "stdout", 0, count_event, &chunks, &err),
                     LETTS_ERR_DISPATCH);
    assert_int_equal(chunks, 0);
    assert_message_names(err, "[dev] output: unexpected HTTP 307 (expected 200)");
    letts_error_free(err);

    /* The token never went anywhere else: the second listener saw nothing. */
    assert_int_equal(hs_count(second), 0);
    letts_client_free(client);
    hs_stop(s);
    hs_stop(second);
}

/* ---- downloads ---------------------------------------------------------- */

static void bad_download(hostile_server *s, int fd, const hs_request *r, void *arg) {
    script *sc = arg;
    if (is(r, "GET", "/v1/staging/")) {
        if (sc->endless_total) {
            stream_head(s, fd, "application/octet-stream");
            sc->sent = hs_send_repeated(s, fd, "z", sc->endless_total);
        } else {
            /* Five bytes as announced, but not the announced ones. */
            hs_sendf(s, fd,
                     "HTTP/1.1 200 OK\r\nX-Letts-Sha256: %064d\r\nContent-Length: 5\r\n"
                     "Connection: close\r\n\r\njello", 0);
        }
        return;
    }
    answer_run(s, fd, r, sc);
}

static int dir_is_empty(const char *path) {
    DIR *dir = opendir(path);
    if (!dir) return 1;
    int entries = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) ++entries;
    }
    closedir(dir);
    return entries == 0;
}

static void test_bad_downloads_leave_no_file(void **state) {
    (void)state;
    char dir[] = "/tmp/letts-hostile-XXXXXX";
    assert_non_null(mkdtemp(dir));

    /* Announced hash and size, other content (and another X-Letts-Sha256). */
    script sc = {.done_line = "{\"seq\":2,\"event\":\"done\",\"outcome\":\"success\",\"exit_code\":0,"
                              "\"outputs\":{\"report\":{\"staging_id\":\"s1\",\"sha256\":\"" HELLO_SHA
                              "\",\"size\":5}}}"};
    hostile_server *s = hs_start(bad_download, &sc);
    letts_client *client = client_for(hs_url(s), (caps){1 * MIB, 0, 0});
    letts_error *err = NULL;
    assert_int_equal(run_once(client, 10000, dir, &err), LETTS_ERR_STAGING);
    assert_message_names(err, "sha256 mismatch");
    assert_true(dir_is_empty(dir));
    letts_error_free(err);
    letts_client_free(client);
    hs_stop(s);

    /* Announced size 0 (no size check, §9.1) and an endless body: stopped
     * at max_response_bytes, on disk and in memory. */
    script endless = {.endless_total = 64 * MIB,
                      .done_line = "{\"seq\":2,\"event\":\"done\",\"outcome\":\"success\",\"exit_code\":0,"
                                   "\"outputs\":{\"report\":{\"staging_id\":\"s1\",\"sha256\":\"\",\"size\":0}}}"};
    s = hs_start(bad_download, &endless);
    client = client_for(hs_url(s), (caps){1 * MIB, 0, 0});
    err = NULL;
    assert_int_equal(run_once(client, 10000, dir, &err), LETTS_ERR_STAGING);
    assert_message_names(err, "1048576-byte cap (max_response_bytes)");
    assert_true(dir_is_empty(dir));
    letts_error_free(err);

    letts_run_result *result = NULL;
    assert_int_equal(letts_run_result_from_json(&result, "dev", endless.done_line, NULL), LETTS_OK);
    char *data = NULL;
    size_t len = 0;
    err = NULL;
    long base = reset_peak();
    assert_int_equal(letts_client_download_output(client, result, "report", &data, &len, &err),
                     LETTS_ERR_STAGING);
    assert_peak_growth_below(base, 16 * MIB);
    assert_null(data);
    assert_message_names(err, "max_response_bytes");
    letts_error_free(err);
    letts_run_result_free(result);

    /* Announced larger than the cap: refused before any request. */
    const int requests = hs_count(s);
    result = result_with_report("", 2097152);
    err = NULL;
    assert_int_equal(letts_client_download_output(client, result, "report", &data, &len, &err),
                     LETTS_ERR_STAGING);
    assert_message_names(err, "announces 2097152 bytes, over the 1048576-byte cap (max_response_bytes)");
    assert_int_equal(hs_count(s), requests);
    letts_error_free(err);
    letts_run_result_free(result);
    letts_client_free(client);
    hs_stop(s);
    rmdir(dir);
}

/* ---- ranges ------------------------------------------------------------- */

#define RANGE_FILE "0123456789abcdefghijklmnopqrstuvwxyz"

/* A complete staging file whose GET ignores Range: 200 and the whole file. */
static void range_ignored(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)arg;
    if (is(r, "HEAD", "/v1/staging/")) {
        hs_sendf(s, fd,
                 "HTTP/1.1 200 OK\r\nX-Letts-Upload-Status: complete\r\nX-Letts-Sha256: %064d\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                 0, strlen(RANGE_FILE));
    } else if (is(r, "GET", "/v1/staging/")) {
        hs_sendf(s, fd,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %zu\r\n"
                 "Connection: close\r\n\r\n" RANGE_FILE,
                 strlen(RANGE_FILE));
    } else {
        answer_json(s, fd, 404, "{\"error\":\"not_found\",\"message\":\"no\"}");
    }
}

static int count_bytes(const char *data, size_t len, void *user_data) {
    (void)data;
    *(size_t *)user_data += len;
    return 0;
}

static void expect_range_refused(letts_client *client, const char *path, uint64_t offset, uint64_t length,
                                 const char *message) {
    letts_error *err = NULL;
    assert_int_equal(letts_client_staging_download(client, "dev", "s1", offset, length, path, &err),
                     LETTS_ERR_STAGING);
    assert_string_equal(letts_error_message(err), message);
    assert_int_equal(letts_error_http_status(err), 200);
    letts_error_free(err);

    size_t seen = 0;
    err = NULL;
    assert_int_equal(letts_client_staging_read(client, "dev", "s1", offset, length, count_bytes, &seen, &err),
                     LETTS_ERR_STAGING);
    assert_string_equal(letts_error_message(err), message);
    assert_int_equal(seen, 0);  /* nothing beyond the range reached the callback */
    letts_error_free(err);
}

static void test_range_answered_200_says_so(void **state) {
    (void)state;
    char dir[] = "/tmp/letts-hostile-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/slice", dir);
    hostile_server *s = hs_start(range_ignored, NULL);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});

    expect_range_refused(client, path, 10, 6,
                         "staging s1: asked for bytes 10-15 and the server answered 200 instead of 206 "
                         "(it ignored the Range header)");
    /* From the start too: a 200 stands for the range only when no longer. */
    expect_range_refused(client, path, 0, 6,
                         "staging s1: asked for bytes 0-5 and the server answered 200 instead of 206 "
                         "(it ignored the Range header)");
    assert_true(dir_is_empty(dir));

    /* A range that is the whole file may be answered 200. */
    letts_error *err = NULL;
    assert_int_equal(letts_client_staging_download(client, "dev", "s1", 0, 1000, path, &err), LETTS_OK);
    assert_null(err);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, (off_t)strlen(RANGE_FILE));
    unlink(path);

    letts_client_free(client);
    hs_stop(s);
    rmdir(dir);
}

/* ---- stalls ------------------------------------------------------------- */

static void stall_after_headers(hostile_server *s, int fd, const hs_request *r, void *arg) {
    script *sc = arg;
    if (is(r, "GET", "/v1/staging/") || is(r, "GET", "/output")) {
        /* Two of five bytes, then silence. */
        hs_sendf(s, fd, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhe");
        if (hs_hold(s, fd, 20.0)) sc->peer_left++;
        return;
    }
    answer_run(s, fd, r, sc);
}

/* Downloads and log fetches are not exempt from the inactivity limit
 * (client-behavior.md §1.2): a server that stalls cannot hold the call. */
static void test_stalled_download_and_log_fetch_time_out(void **state) {
    (void)state;
    script sc = {.done_line = "{\"seq\":2,\"event\":\"done\",\"outcome\":\"success\",\"exit_code\":0}"};
    hostile_server *s = hs_start(stall_after_headers, &sc);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 1000});

    letts_run_result *result = result_with_report(HELLO_SHA, 5);
    char *data = NULL;
    size_t len = 0;
    letts_error *err = NULL;
    double started = now_s();
    assert_int_equal(letts_client_download_output(client, result, "report", &data, &len, &err),
                     LETTS_ERR_STAGING);
    assert_true(now_s() - started < 8.0);
    assert_message_names(err, "download of staging s1 failed");
    letts_error_free(err);
    letts_run_result_free(result);

    /* A run whose log fetch stalls ends with empty logs. */
    letts_job *job = job_for();
    letts_run_options *opts = run_options(0, NULL, 1);
    started = now_s();
    assert_int_equal(letts_client_run(client, job, opts, &result, NULL), LETTS_OK);
    assert_true(now_s() - started < 12.0);
    size_t out_len = 99;
    assert_string_equal(letts_run_result_stdout(result, &out_len), "");
    assert_int_equal(out_len, 0);
    letts_run_result_free(result);
    letts_run_options_free(opts);
    letts_job_free(job);
    letts_client_free(client);
    hs_stop(s);
    /* download + stdout + stderr: each connection was given up by the client. */
    assert_int_equal(sc.peer_left, 3);
}

/* ---- resets ------------------------------------------------------------- */

static void reset_mid_body(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r; (void)arg;
    hs_sendf(s, fd, "HTTP/1.1 202 Accepted\r\nContent-Length: 100\r\n\r\n{\"mission_");
    hs_reset(fd);
}

static void reset_mid_event(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)arg;
    if (is(r, "POST", "/v1/dispatch")) {
        answer_dispatch(s, fd);
        return;
    }
    stream_head(s, fd, "application/x-ndjson");
    hs_sendf(s, fd, "{\"seq\":1,\"event\":\"queued\"}\n{\"seq\":2,\"event\":\"runn");
    hs_reset(fd);
}

static void test_resets_are_network_errors(void **state) {
    (void)state;
    expect_dispatch_failure(reset_mid_body, LETTS_ERR_NETWORK, "[dev] dispatch");

    /* Every connection of the stream is reset mid-line: the reconnect
     * budget (3 consecutive event-less reconnects) ends it. */
    hostile_server *s = hs_start(reset_mid_event, NULL);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});
    letts_error *err = NULL;
    double started = now_s();
    assert_int_equal(run_once(client, 30000, NULL, &err), LETTS_ERR_NETWORK);
    assert_true(now_s() - started < 15.0);
    assert_message_names(err, "reconnect budget exhausted");
    letts_error_free(err);
    /* The dispatch, the first stream (seq 1 is new: productive), and four
     * that deliver nothing: the fourth event-less end exhausts the budget. */
    assert_int_equal(hs_count(s), 1 + 1 + 4);
    letts_client_free(client);
    hs_stop(s);
}

/* ---- a done event that is not what the spec says ------------------------ */

static void run_script(hostile_server *s, int fd, const hs_request *r, void *arg) {
    answer_run(s, fd, r, arg);
}

/* Settled points (docs/settled-http-and-client.md): the daemon puts the
 * status line of a follow stream on the wire only with its first line, so
 * headers may come later than the request timeout; and a `running` event
 * may repeat, the second carrying only `time`. A run must take both. */
static void quiet_then_repeated_running(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)arg;
    if (is(r, "POST", "/v1/dispatch")) {
        answer_dispatch(s, fd);
    } else if (is(r, "GET", "/events")) {
        if (hs_hold(s, fd, 3.0)) return; /* the client gave up: the test fails */
        stream_head(s, fd, "application/x-ndjson");
        hs_sendf(s, fd,
                 "{\"seq\":1,\"event\":\"queued\",\"mission_id\":\"" MISSION_ID "\"}\n"
                 "{\"seq\":2,\"event\":\"running\",\"time\":5,\"pid\":42,\"time_started\":5}\n"
                 "{\"seq\":3,\"event\":\"running\",\"time\":6}\n"
                 "{\"seq\":4,\"event\":\"done\",\"outcome\":\"success\",\"exit_code\":0,"
                 "\"time_finished\":7}\n");
    } else {
        answer_json(s, fd, 404, "{\"error\":\"not_found\",\"message\":\"no\"}");
    }
}

static void test_late_headers_and_repeated_running(void **state) {
    (void)state;
    hostile_server *s = hs_start(quiet_then_repeated_running, NULL);
    /* 1 s of inactivity is the limit for ordinary requests. */
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 1000});
    letts_job *job = job_for();
    letts_run_options *opts = run_options(10000, NULL, 0);
    letts_run_result *result = NULL;
    letts_error *err = NULL;
    letts_status status = letts_client_run(client, job, opts, &result, &err);
    if (status != LETTS_OK) fail_msg("run failed: %s", letts_error_message(err));
    assert_string_equal(letts_run_result_outcome(result), "success");
    letts_run_result_free(result);

    /* A fan-out keeps the silent stream too (unlike the PHP client, which
     * may drop it after one waiting period and report a network error). */
    const letts_job *jobs[] = {job};
    letts_host_results *results = NULL;
    assert_int_equal(letts_client_run_parallel(client, jobs, 1, opts, &results, NULL), LETTS_OK);
    if (!letts_host_results_is_success(results, 0))
        fail_msg("fan-out job failed: %s", letts_host_results_error_message(results, 0));
    letts_host_results_free(results);
    letts_run_options_free(opts);
    letts_job_free(job);
    letts_client_free(client);
    hs_stop(s);
}

/* Settled (docs/settled-http-and-client.md): an HTTP error answer on a
 * fan-out job's event stream ends that job as the PHP client ends it, a
 * network host error "event stream ended without a terminal event". */
static void events_gone(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)arg;
    if (is(r, "POST", "/v1/dispatch")) {
        answer_dispatch(s, fd);
    } else {
        answer_json(s, fd, 410, "{\"error\":\"mission_deleting\",\"message\":\"mission is being deleted\"}");
    }
}

/* An exec accepted, then its event stream refused before any `done`. */
static void exec_events_gone(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)arg;
    if (is(r, "POST", "/v1/exec/dispatch")) {
        answer_json(s, fd, 202, "{\"exec_id\":\"" MISSION_ID "\",\"status\":\"queued\"}");
    } else {
        answer_json(s, fd, 410, "{\"error\":\"mission_deleting\",\"message\":\"mission is being deleted\"}");
    }
}

typedef struct stream_report {
    int calls;
    char method[32], phase[32], mission_id[40];
} stream_report;

static void record_report(const letts_launch_failure *failure, void *user_data) {
    stream_report *report = user_data;
    report->calls++;
    snprintf(report->method, sizeof report->method, "%s", letts_launch_failure_method(failure));
    snprintf(report->phase, sizeof report->phase, "%s", letts_launch_failure_phase(failure));
    snprintf(report->mission_id, sizeof report->mission_id, "%s", letts_launch_failure_mission_id(failure));
}

static void test_exec_run_stream_lost_is_reported_as_stream(void **state) {
    (void)state;
    hostile_server *s = hs_start(exec_events_gone, NULL);
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "auth: {exec_token: exec-token}\n"
             "dugdales:\n  - id: dev\n    url: \"%s\"\n    lanes: {default: {concurrency: 1}}\n",
             hs_url(s));
    letts_config *cfg = NULL;
    assert_int_equal(letts_config_load_string(&cfg, yaml, strlen(yaml), "exec.yaml", NULL), LETTS_OK);
    letts_client *plain = NULL, *client = NULL;
    assert_int_equal(letts_client_new(&plain, cfg, NULL, NULL), LETTS_OK);
    letts_config_free(cfg);
    stream_report report = {0};
    assert_int_equal(letts_client_with_failure_observer(plain, record_report, &report, &client, NULL), LETTS_OK);
    letts_client_free(plain);

    letts_exec_spec *spec = NULL;
    const char *argv[] = {"true"};
    assert_int_equal(letts_exec_spec_new(&spec, NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_host(spec, "dev", NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_lane(spec, "default", NULL), LETTS_OK);
    assert_int_equal(letts_exec_spec_set_command(spec, argv, 1, NULL), LETTS_OK);
    letts_run_result *result = NULL;
    letts_error *err = NULL;
    assert_int_not_equal(letts_client_exec_run(client, spec, NULL, &result, &err), LETTS_OK);
    assert_null(result);
    assert_int_equal(report.calls, 1);
    assert_string_equal(report.method, "execRun");
    assert_string_equal(report.phase, "stream");
    assert_string_equal(report.mission_id, MISSION_ID); /* the running exec: not to be dispatched again */
    letts_error_free(err);
    letts_exec_spec_free(spec);
    letts_client_free(client);
    hs_stop(s);
}

static void test_fan_out_stream_error_status_is_a_network_error(void **state) {
    (void)state;
    hostile_server *s = hs_start(events_gone, NULL);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});
    letts_job *job = job_for();
    const letts_job *jobs[] = {job};
    letts_host_results *results = NULL;
    assert_int_equal(letts_client_run_parallel(client, jobs, 1, NULL, &results, NULL), LETTS_OK);
    assert_false(letts_host_results_is_reachable(results, 0));
    assert_string_equal(letts_host_results_error_kind(results, 0), "network");
    assert_non_null(strstr(letts_host_results_error_message(results, 0),
                           "event stream ended without a terminal event"));
    letts_host_results_free(results);
    letts_job_free(job);
    letts_client_free(client);
    hs_stop(s);
}

/* After a cancel, kill_on_cancel's kill is the one request still waited
 * for, and a slow daemon may hold it for seconds: the run's descriptor must
 * wake only for that request's progress, not over and over for the cancel
 * already seen (the caller's poll would spin until the kill answers). */
static void held_kill(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)arg;
    if (is(r, "POST", "/v1/dispatch")) {
        answer_dispatch(s, fd);
    } else if (is(r, "GET", "/events")) {
        stream_head(s, fd, "application/x-ndjson");
        hs_sendf(s, fd, "{\"seq\":1,\"event\":\"queued\"}\n");
        hs_hold(s, fd, 20.0); /* a quiet stream, until the cancel cuts it */
    } else if (is(r, "POST", "/kill")) {
        hs_hold(s, fd, 0.5);
        answer_json(s, fd, 202, "{\"mission_id\":\"" MISSION_ID "\",\"status\":\"killing\"}");
    } else {
        answer_json(s, fd, 404, "{\"error\":\"not_found\",\"message\":\"no\"}");
    }
}

static void test_cancelled_run_sleeps_while_its_kill_is_held(void **state) {
    (void)state;
    hostile_server *s = hs_start(held_kill, NULL);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});
    letts_job *job = job_for();
    letts_cancel *cancel = NULL;
    assert_int_equal(letts_cancel_new(&cancel, NULL), LETTS_OK);
    letts_run_options *opts = run_options(0, NULL, 0);
    assert_int_equal(letts_run_options_set_cancel(opts, cancel, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_kill_on_cancel(opts, 1, NULL), LETTS_OK);
    letts_run_handle *handle = NULL;
    letts_error *err = NULL;
    if (letts_client_run_start(client, job, opts, &handle, &err) != LETTS_OK)
        fail_msg("run_start: %s", letts_error_message(err));

    int wakeups_after_cancel = 0;
    const double started = now_s();
    while (letts_run_handle_state(handle) != LETTS_RUN_DONE && now_s() - started < 30.0) {
        /* The stream is open (dispatch and events requests seen): cancel. */
        if (!letts_cancel_is_triggered(cancel) && hs_count(s) >= 2) letts_cancel_trigger(cancel);
        struct pollfd p = {letts_run_handle_fd(handle), POLLIN, 0};
        if (poll(&p, 1, 100) == 1 && letts_cancel_is_triggered(cancel)) ++wakeups_after_cancel;
        assert_int_equal(letts_run_handle_step(handle, NULL), LETTS_OK);
    }
    assert_int_equal(letts_run_handle_state(handle), LETTS_RUN_DONE);
    letts_run_result *result = NULL;
    assert_int_equal(letts_run_handle_result(handle, &result, &err), LETTS_ERR_CANCELLED);
    assert_message_names(err, "the mission was killed");
    hs_request kill = {0};
    assert_true(hs_request_at(s, 2, &kill));
    assert_non_null(strstr(kill.target, "/kill"));
    /* A handful of wake-ups (the cancel, the kill's connect, send and
     * answer); a descriptor kept readable by the cancel gives thousands
     * during the half second the kill is held. */
    assert_in_range(wakeups_after_cancel, 1, 50);

    letts_error_free(err);
    letts_run_handle_free(handle);
    letts_run_options_free(opts);
    letts_cancel_free(cancel);
    letts_job_free(job);
    letts_client_free(client);
    hs_stop(s);
}

static void test_done_with_non_string_outcome(void **state) {
    (void)state;
    script sc = {.done_line = "{\"seq\":2,\"event\":\"done\",\"outcome\":5,\"exit_code\":0}"};
    hostile_server *s = hs_start(run_script, &sc);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});
    letts_error *err = NULL;
    assert_int_equal(run_once(client, 10000, NULL, &err), LETTS_ERR_DISPATCH);
    assert_message_names(err, "[dev] events: done event: outcome must be a string, got a number");
    letts_error_free(err);

    /* The fan-out reports it as that job's error. */
    letts_job *job = job_for();
    const letts_job *jobs[] = {job};
    letts_host_results *results = NULL;
    letts_run_options *opts = run_options(10000, NULL, 0);
    assert_int_equal(letts_client_run_parallel(client, jobs, 1, opts, &results, NULL), LETTS_OK);
    letts_run_options_free(opts);
    assert_false(letts_host_results_is_reachable(results, 0));
    const char *message = letts_host_results_error_message(results, 0);
    assert_non_null(message);
    assert_non_null(strstr(message, "outcome must be a string"));
    letts_host_results_free(results);
    letts_job_free(job);
    letts_client_free(client);
    hs_stop(s);
}

/* The same members through letts_run_result_from_json (a binding turning
 * its own result value back into a handle): a member of the wrong type is
 * refused by name, an absent one takes a run's default. */
static void assert_from_json_refuses(const char *json, const char *message) {
    letts_run_result *result = (letts_run_result *)1;
    letts_error *err = NULL;
    assert_int_equal(letts_run_result_from_json(&result, "dev", json, &err), LETTS_ERR_INVALID_ARGUMENT);
    assert_null(result);
    assert_string_equal(letts_error_message(err), message);
    letts_error_free(err);
}

static void test_result_from_json_refuses_mistyped_members(void **state) {
    (void)state;
    assert_from_json_refuses("{\"outcome\":5}",
                             "letts_run_result_from_json: outcome must be a string, got a number");
    assert_from_json_refuses("{\"outcome\":\"failed\",\"exit_code\":\"1\"}",
                             "letts_run_result_from_json: exit_code must be an integer, got a string");
    assert_from_json_refuses("{\"mission_id\":[],\"outcome\":\"success\"}",
                             "letts_run_result_from_json: mission_id must be a string, got an array");
    assert_from_json_refuses("{\"outcome\":\"success\",\"outputs\":{\"report\":{\"size\":-1}}}",
                             "letts_run_result_from_json: outputs.report.size must be a non-negative integer, "
                             "got a number");
    assert_from_json_refuses("{\"outcome\":\"success\",\"logs\":{\"stdout_truncated\":\"yes\"}}",
                             "letts_run_result_from_json: logs.stdout_truncated must be a boolean, got a string");

    /* Absent (or null) members are not errors: they take a run's defaults. */
    letts_run_result *result = NULL;
    assert_int_equal(letts_run_result_from_json(&result, "dev",
                                                "{\"fail_reason\":null,\"outputs\":{\"report\":{}}}", NULL),
                     LETTS_OK);
    assert_string_equal(letts_run_result_outcome(result), "");
    assert_null(letts_run_result_fail_reason(result));
    assert_int_equal(letts_run_result_duration_ms(result), 0);
    letts_run_result_free(result);
}

/* ---- error envelopes over the error-body cap ---------------------------- */

static void big_envelope(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r; (void)arg;
    const char head[] = "{\"error\":\"queue_full\",\"message\":\"lane queue limit\",\"details\":{\"pad\":\"";
    const char tail[] = "\"}}";
    const size_t pad = 100 * KIB;
    hs_sendf(s, fd,
             "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
             strlen(head) + pad + strlen(tail), head);
    hs_send_repeated(s, fd, "p", pad);
    hs_send(s, fd, tail, strlen(tail));
}

static void endless_error(hostile_server *s, int fd, const hs_request *r, void *arg) {
    (void)r;
    script *sc = arg;
    hs_sendf(s, fd, "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n"
                    "{\"error\":\"internal\",\"message\":\"");
    sc->sent = hs_send_repeated(s, fd, "e", sc->endless_total);
}

static void test_error_envelope_over_the_cap_keeps_its_code(void **state) {
    (void)state;
    hostile_server *s = hs_start(big_envelope, NULL);
    letts_client *client = client_for(hs_url(s), (caps){0, 0, 0});
    letts_error *err = NULL;
    assert_int_equal(dispatch_once(client, &err), LETTS_ERR_BACKPRESSURE);
    assert_int_equal(letts_error_http_status(err), 503);
    assert_string_equal(letts_error_code(err), "queue_full");
    assert_message_names(err, "queue_full: lane queue limit");
    letts_error_free(err);
    letts_client_free(client);
    hs_stop(s);

    /* An endless error body: cut at 64 KiB, code kept, reading stopped. */
    script sc = {.endless_total = 256 * MIB};
    s = hs_start(endless_error, &sc);
    client = client_for(hs_url(s), (caps){0, 0, 0});
    err = NULL;
    double started = now_s();
    assert_int_equal(dispatch_once(client, &err), LETTS_ERR_DISPATCH);
    assert_true(now_s() - started < 10.0);
    assert_int_equal(letts_error_http_status(err), 500);
    assert_string_equal(letts_error_code(err), "internal");
    letts_error_free(err);
    letts_client_free(client);
    hs_stop(s);
    assert_true(sc.sent < sc.endless_total);
}

/* ---- option validation -------------------------------------------------- */

static void test_caps_are_validated(void **state) {
    (void)state;
    letts_client_options *opts = NULL;
    assert_int_equal(letts_client_options_new(&opts, NULL), LETTS_OK);
    letts_error *err = NULL;
    assert_int_equal(letts_client_options_set_max_response_bytes(opts, 1023, &err), LETTS_ERR_INVALID_ARGUMENT);
    assert_message_names(err, "max_response_bytes must be at least 1024 bytes, got 1023");
    letts_error_free(err);
    err = NULL;
    assert_int_equal(letts_client_options_set_max_event_line_bytes(opts, 0, &err), LETTS_ERR_INVALID_ARGUMENT);
    assert_message_names(err, "max_event_line_bytes must be at least 1024 bytes, got 0");
    letts_error_free(err);
    assert_int_equal(letts_client_options_set_max_response_bytes(NULL, 4096, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_client_options_set_max_response_bytes(opts, SIZE_MAX, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_max_event_line_bytes(opts, 1024, NULL), LETTS_OK);
    letts_client_options_free(opts);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caps_are_validated),
        cmocka_unit_test(test_malformed_json_is_a_dispatch_error),
        cmocka_unit_test(test_wrong_content_length),
        cmocka_unit_test(test_endless_body_fails_at_the_cap),
        cmocka_unit_test(test_default_cap_bounds_an_endless_body),
        cmocka_unit_test(test_declared_length_over_the_cap_fails_at_once),
        cmocka_unit_test(test_endless_log_is_dropped_at_the_cap),
        cmocka_unit_test(test_endless_event_line_fails_at_the_cap),
        cmocka_unit_test(test_endless_events_end_at_the_wait_timeout),
        cmocka_unit_test(test_huge_headers_name_the_cap),
        cmocka_unit_test(test_redirects_fail_and_are_never_followed),
        cmocka_unit_test(test_bad_downloads_leave_no_file),
        cmocka_unit_test(test_range_answered_200_says_so),
        cmocka_unit_test(test_stalled_download_and_log_fetch_time_out),
        cmocka_unit_test(test_resets_are_network_errors),
        cmocka_unit_test(test_done_with_non_string_outcome),
        cmocka_unit_test(test_late_headers_and_repeated_running),
        cmocka_unit_test(test_cancelled_run_sleeps_while_its_kill_is_held),
        cmocka_unit_test(test_fan_out_stream_error_status_is_a_network_error),
        cmocka_unit_test(test_exec_run_stream_lost_is_reported_as_stream),
        cmocka_unit_test(test_result_from_json_refuses_mistyped_members),
        cmocka_unit_test(test_error_envelope_over_the_cap_keeps_its_code),
    };
    return cmocka_run_group_tests_name("client against a hostile dugdale", tests, NULL, NULL);
}
