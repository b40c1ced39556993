/*
 * letts_client_request (letts/request.h) end to end. Dugdale "dev" is an
 * embedded devserver reached through the fault proxy, which records every
 * request head (so the tests see the token, the body's type and the extra
 * headers on the wire) and can cut a response (a network failure to retry).
 * Dugdale "trap" is a listener of this file that answers every request with
 * 502 and counts connections: it shows the 5xx retry rule, and that a
 * refused argument sends nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "fault_proxy.h"
#include "letts/letts.h"

/* ---- the trap: 502 to every request, connections counted --------------- */

typedef struct trap {
    int listen_fd;
    int stop_pipe[2];
    int port;
    pthread_t thread;
    pthread_mutex_t lock;
    int connections;
    size_t padding; /* 0: the envelope below; else a body of that many 'x' */
} trap;

static const char TRAP_ENVELOPE[] = "{\"error\":\"bad_gateway\",\"message\":\"upstream down\"}";

/* Reads the request head (up to its blank line, or 5 s of silence), answers, closes. */
static void trap_answer(int fd, size_t padding) {
    char head[256];
    const size_t length = padding ? padding : sizeof TRAP_ENVELOPE - 1;
    const int n = snprintf(head, sizeof head,
                           "HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\n"
                           "Content-Length: %zu\r\nConnection: close\r\n\r\n", length);
    char *answer = malloc((size_t)n + length);
    if (!answer) return; /* the client then sees the connection close: its test fails */
    memcpy(answer, head, (size_t)n);
    if (padding) memset(answer + n, 'x', padding);
    else memcpy(answer + n, TRAP_ENVELOPE, length);
    /* The client may stop reading early (it keeps 64 KiB of an error body). */
    for (size_t sent = 0; sent < (size_t)n + length;) {
        const ssize_t w = send(fd, answer + sent, (size_t)n + length - sent, MSG_NOSIGNAL);
        if (w <= 0) break;
        sent += (size_t)w;
    }
    free(answer);
}

static void trap_serve(int fd, size_t padding) {
    char head[8192];
    size_t used = 0;
    while (used < sizeof head - 1) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 5000) != 1) break;
        const ssize_t got = read(fd, head + used, sizeof head - 1 - used);
        if (got <= 0) break;
        used += (size_t)got;
        head[used] = '\0';
        if (strstr(head, "\r\n\r\n")) break;
    }
    trap_answer(fd, padding);
    close(fd);
}

static void *trap_main(void *arg) {
    trap *t = arg;
    for (;;) {
        struct pollfd p[2] = {{.fd = t->listen_fd, .events = POLLIN}, {.fd = t->stop_pipe[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0) continue;
        if (p[1].revents) return NULL;
        const int fd = accept(t->listen_fd, NULL, NULL);
        if (fd < 0) continue;
        pthread_mutex_lock(&t->lock);
        t->connections++;
        const size_t padding = t->padding;
        pthread_mutex_unlock(&t->lock);
        trap_serve(fd, padding);
    }
}

static void trap_start(trap *t) {
    t->listen_fd = ds_listen_loopback(&t->port);
    assert_int_equal(pipe(t->stop_pipe), 0);
    pthread_mutex_init(&t->lock, NULL);
    t->connections = 0;
    t->padding = 0;
    assert_int_equal(pthread_create(&t->thread, NULL, trap_main, t), 0);
}

static void trap_stop(trap *t) {
    const ssize_t sent = write(t->stop_pipe[1], "x", 1);
    (void)sent;
    pthread_join(t->thread, NULL);
    close(t->listen_fd);
    close(t->stop_pipe[0]);
    close(t->stop_pipe[1]);
    pthread_mutex_destroy(&t->lock);
}

static int trap_connections(trap *t) {
    pthread_mutex_lock(&t->lock);
    const int n = t->connections;
    pthread_mutex_unlock(&t->lock);
    return n;
}

static void trap_pad(trap *t, size_t padding) {
    pthread_mutex_lock(&t->lock);
    t->padding = padding;
    pthread_mutex_unlock(&t->lock);
}

/* ---- fixture ----------------------------------------------------------- */

static ds_server S;
static fault_proxy *P;
static trap T;
static letts_client *C;

static letts_client *client_with(int64_t attempts, size_t max_response_bytes) {
    char yaml[2048];
    letts_config *cfg = NULL;
    letts_client_options *opts = NULL;
    letts_client *client = NULL;
    const int64_t backoff[] = {10};
    snprintf(yaml, sizeof yaml,
             "auth: {token: \"%s\", admin_token: \"%s\"}\n"
             "aliases: {local: dev}\n"
             "dugdales:\n"
             "  - id: dev\n"
             "    url: \"%s\"\n"
             "  - id: trap\n"
             "    url: \"http://127.0.0.1:%d\"\n",
             S.dispatch_token, S.admin_token, fault_proxy_url(P), T.port);
    assert_int_equal(letts_config_load_string(&cfg, yaml, strlen(yaml), "client.yaml", NULL), LETTS_OK);
    assert_int_equal(letts_client_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_retry_backoff(opts, backoff, 1, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_retry_attempts(opts, attempts, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_max_response_bytes(opts, max_response_bytes, NULL), LETTS_OK);
    assert_int_equal(letts_client_new(&client, cfg, opts, NULL), LETTS_OK);
    letts_client_options_free(opts);
    letts_config_free(cfg);
    return client;
}

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    P = fault_proxy_start(letts_devserver_port(S.srv));
    assert_non_null(P);
    trap_start(&T);
    C = client_with(2, 64u * 1024 * 1024);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    letts_client_free(C);
    trap_stop(&T);
    fault_proxy_stop(P);
    ds_stop(&S);
    return 0;
}

static letts_response *request_ok(const char *host, letts_scope scope, const char *method, const char *path,
                                  const char *body, const char *const *headers, size_t n_headers) {
    letts_response *response = NULL;
    letts_error *err = NULL;
    const letts_status st = letts_client_request(C, host, scope, method, path, body, headers, n_headers,
                                                 &response, &err);
    if (st != LETTS_OK) fail_msg("%s %s: expected LETTS_OK, got %s", method, path, letts_error_message(err));
    assert_non_null(response);
    return response;
}

static void assert_contains(const char *text, const char *needle) {
    if (!text || !strstr(text, needle)) fail_msg("expected \"%s\" in \"%s\"", needle, text ? text : "(null)");
}

static void assert_no_token(const char *text) {
    assert_null(strstr(text, S.dispatch_token));
    assert_null(strstr(text, S.admin_token));
}

/* The `nth` request whose head holds `head` presented `token`. */
static void assert_bearer(const char *head, int nth, const char *token) {
    char auth[256], expected[256];
    assert_true(fault_proxy_header(P, head, nth, "Authorization", auth, sizeof auth));
    snprintf(expected, sizeof expected, "Bearer %s", token);
    assert_string_equal(auth, expected);
}

/* ---- answers ----------------------------------------------------------- */

static void test_get_with_the_dispatch_token(void **state) {
    (void)state;
    letts_response *r = request_ok("dev", LETTS_SCOPE_DISPATCH, "GET", "/v1/dugdale", NULL, NULL, 0);
    assert_int_equal(letts_response_status(r), 200);
    size_t len = 0;
    const char *body = letts_response_body(r, &len);
    assert_int_equal(strlen(body), len);
    cJSON *doc = cJSON_Parse(body);
    assert_true(cJSON_IsObject(doc));
    cJSON_Delete(doc);
    assert_contains(letts_response_header(r, "Content-Type"), "application/json");
    assert_string_equal(letts_response_header(r, "CONTENT-TYPE"), letts_response_header(r, "content-type"));
    assert_null(letts_response_header(r, "X-Not-There"));
    /* Indexed access: lower-case names, the same values as by name. */
    const size_t count = letts_response_header_count(r);
    assert_true(count >= 2);
    int saw_content_type = 0;
    for (size_t i = 0; i < count; i++) {
        const char *name = letts_response_header_name(r, i);
        for (const char *c = name; *c; c++) assert_false(*c >= 'A' && *c <= 'Z');
        assert_string_equal(letts_response_header_value(r, i), letts_response_header(r, name));
        saw_content_type |= strcmp(name, "content-type") == 0;
    }
    assert_true(saw_content_type);
    assert_null(letts_response_header_name(r, count));
    assert_null(letts_response_header_value(r, count));
    assert_int_equal(letts_response_check(r, NULL), LETTS_OK);
    letts_response_free(r);

    assert_bearer("GET /v1/dugdale", 0, S.dispatch_token);
}

static void test_admin_route_with_the_dispatch_token_is_an_answer(void **state) {
    (void)state;
    /* An alias addresses the dugdale as for every operation. */
    letts_response *r = request_ok("local", LETTS_SCOPE_DISPATCH, "GET", "/v1/admin/state", NULL, NULL, 0);
    assert_int_equal(letts_response_status(r), 403);
    letts_error *err = NULL;
    assert_int_equal(letts_response_check(r, &err), LETTS_ERR_AUTH);
    assert_int_equal(letts_error_status(err), LETTS_ERR_AUTH);
    assert_int_equal(letts_error_http_status(err), 403);
    assert_string_equal(letts_error_code(err), "forbidden");
    assert_string_equal(letts_error_dugdale(err), "dev");
    assert_contains(letts_error_message(err), "[dev] GET /v1/admin/state");
    assert_contains(letts_error_message(err), "token does not have required scope");
    assert_no_token(letts_error_message(err));
    letts_error_free(err);
    letts_response_free(r);

    r = request_ok("dev", LETTS_SCOPE_ADMIN, "GET", "/v1/admin/state", NULL, NULL, 0);
    assert_int_equal(letts_response_status(r), 200);
    assert_int_equal(letts_response_check(r, NULL), LETTS_OK);
    letts_response_free(r);
    assert_bearer("GET /v1/admin/state", 1, S.admin_token);
}

static void test_scope_none_sends_no_token(void **state) {
    (void)state;
    letts_response *r = request_ok("dev", LETTS_SCOPE_NONE, "GET", "/v1/healthz", NULL, NULL, 0);
    assert_int_equal(letts_response_status(r), 200);
    letts_response_free(r);
    char auth[256];
    assert_int_equal(fault_proxy_count(P, "GET /v1/healthz"), 1);
    assert_false(fault_proxy_header(P, "GET /v1/healthz", 0, "Authorization", auth, sizeof auth));
}

static void test_head_of_an_unknown_staging_id_is_404_without_body(void **state) {
    (void)state;
    char id[37], path[128];
    ds_uuidv7(id);
    snprintf(path, sizeof path, "/v1/staging/%s", id);
    letts_response *r = request_ok("dev", LETTS_SCOPE_DISPATCH, "HEAD", path, NULL, NULL, 0);
    assert_int_equal(letts_response_status(r), 404);
    size_t len = 99;
    assert_string_equal(letts_response_body(r, &len), "");
    assert_int_equal(len, 0);
    letts_error *err = NULL;
    assert_int_equal(letts_response_check(r, &err), LETTS_ERR_DISPATCH);
    assert_int_equal(letts_error_http_status(err), 404);
    letts_error_free(err);
    letts_response_free(r);
}

static void test_post_sends_the_json_body_and_the_extra_headers(void **state) {
    (void)state;
    char id[37], key[80], seen[128];
    ds_uuidv7(id);
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    const char *headers[] = {key, "X-Trace:  raw-1 "};
    letts_response *r = request_ok("dev", LETTS_SCOPE_DISPATCH, "POST", "/v1/dispatch",
                                   "{\"mission\":\"absent\",\"lane\":\"default\"}", headers, 2);
    assert_int_equal(letts_response_status(r), 202);
    cJSON *doc = cJSON_Parse(letts_response_body(r, NULL));
    assert_string_equal(ds_str(doc, "mission_id"), id);
    cJSON_Delete(doc);
    letts_response_free(r);
    assert_true(fault_proxy_header(P, "POST /v1/dispatch", 0, "Content-Type", seen, sizeof seen));
    assert_string_equal(seen, "application/json");
    assert_true(fault_proxy_header(P, "POST /v1/dispatch", 0, "Idempotency-Key", seen, sizeof seen));
    assert_string_equal(seen, id);
    assert_true(fault_proxy_header(P, "POST /v1/dispatch", 0, "X-Trace", seen, sizeof seen));
    assert_string_equal(seen, "raw-1");

    /* The same key with another body: 409, mapped as every call maps it. */
    r = request_ok("dev", LETTS_SCOPE_DISPATCH, "POST", "/v1/dispatch",
                   "{\"mission\":\"other\",\"lane\":\"default\"}", headers, 1);
    assert_int_equal(letts_response_status(r), 409);
    letts_error *err = NULL;
    assert_int_equal(letts_response_check(r, &err), LETTS_ERR_CONFLICT);
    assert_string_equal(letts_error_code(err), "idempotency_conflict");
    assert_non_null(letts_error_details(err));
    letts_error_free(err);
    letts_response_free(r);
}

/* ---- retries ----------------------------------------------------------- */

static void test_a_cut_get_is_retried_a_cut_post_is_not(void **state) {
    (void)state;
    fault_proxy_add_rule(P, "GET", "/v1/lanes", 0, 8, 1);
    letts_response *r = request_ok("dev", LETTS_SCOPE_DISPATCH, "GET", "/v1/lanes", NULL, NULL, 0);
    assert_int_equal(letts_response_status(r), 200);
    letts_response_free(r);
    assert_int_equal(fault_proxy_count(P, "GET /v1/lanes"), 2);

    fault_proxy_add_rule(P, "POST", "/v1/admin/lanes/default/pause", 0, 8, 1);
    letts_response *none = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_request(C, "dev", LETTS_SCOPE_ADMIN, "POST", "/v1/admin/lanes/default/pause",
                                          NULL, NULL, 0, &none, &err),
                     LETTS_ERR_NETWORK);
    assert_null(none);
    assert_contains(letts_error_message(err), "POST /v1/admin/lanes/default/pause");
    assert_no_token(letts_error_message(err));
    letts_error_free(err);
    assert_int_equal(fault_proxy_count(P, "POST /v1/admin/lanes/default/pause"), 1);
    /* The pause may have reached the server before the cut: undo it. */
    r = request_ok("dev", LETTS_SCOPE_ADMIN, "POST", "/v1/admin/lanes/default/continue", "{}", NULL, 0);
    assert_int_equal(letts_response_status(r), 200);
    letts_response_free(r);
}

static void test_a_5xx_read_is_retried_then_returned(void **state) {
    (void)state;
    const int before = trap_connections(&T);
    letts_response *r = request_ok("trap", LETTS_SCOPE_DISPATCH, "GET", "/v1/anything?x=1", NULL, NULL, 0);
    /* retry_attempts 2: two requests, the second answer is the response. */
    assert_int_equal(trap_connections(&T) - before, 2);
    assert_int_equal(letts_response_status(r), 502);
    assert_string_equal(letts_response_body(r, NULL), TRAP_ENVELOPE);
    letts_error *err = NULL;
    assert_int_equal(letts_response_check(r, &err), LETTS_ERR_DISPATCH);
    assert_int_equal(letts_error_http_status(err), 502);
    assert_string_equal(letts_error_code(err), "bad_gateway");
    assert_string_equal(letts_error_dugdale(err), "trap");
    letts_error_free(err);
    letts_response_free(r);

    r = request_ok("trap", LETTS_SCOPE_ADMIN, "DELETE", "/v1/anything", NULL, NULL, 0);
    assert_int_equal(trap_connections(&T) - before, 3);
    assert_int_equal(letts_response_status(r), 502);
    letts_response_free(r);
}

static void test_an_error_body_is_cut_after_64_KiB(void **state) {
    (void)state;
    trap_pad(&T, 200 * 1024);
    letts_response *r = request_ok("trap", LETTS_SCOPE_DISPATCH, "POST", "/v1/anything", NULL, NULL, 0);
    trap_pad(&T, 0);
    assert_int_equal(letts_response_status(r), 502);
    size_t len = 0;
    const char *body = letts_response_body(r, &len);
    assert_int_equal(len, 64 * 1024);
    assert_int_equal(strspn(body, "x"), len);
    letts_error *err = NULL;
    assert_int_equal(letts_response_check(r, &err), LETTS_ERR_DISPATCH);
    assert_int_equal(letts_error_http_status(err), 502);
    letts_error_free(err);
    letts_response_free(r);
}

/* ---- refused before sending ------------------------------------------- */

typedef struct bad_case {
    const char *host, *method, *path, *body, *header;
    letts_status status;
    const char *needle;
} bad_case;

static void test_bad_arguments_are_refused_and_nothing_is_sent(void **state) {
    (void)state;
    static const bad_case cases[] = {
        {"trap", "GET X", "/v1/dugdale", NULL, NULL, LETTS_ERR_INVALID_ARGUMENT, "method"},
        {"trap", "get", "/v1/dugdale", NULL, NULL, LETTS_ERR_INVALID_ARGUMENT, "method"},
        {"trap", "GET\r\nX-Evil: 1", "/v1/dugdale", NULL, NULL, LETTS_ERR_INVALID_ARGUMENT, "method"},
        {"trap", "", "/v1/dugdale", NULL, NULL, LETTS_ERR_INVALID_ARGUMENT, "method"},
        {"trap", "GET", "v1/dugdale", NULL, NULL, LETTS_ERR_INVALID_ARGUMENT, "path"},
        {"trap", "GET", "", NULL, NULL, LETTS_ERR_INVALID_ARGUMENT, "path"},
        {"trap", "GET", "/v1/dugdale\r\nX-Evil: 1", NULL, NULL, LETTS_ERR_INVALID_ARGUMENT, "path"},
        {"trap", "GET", "/v1/dugdale HTTP/1.0", NULL, NULL, LETTS_ERR_INVALID_ARGUMENT, "path"},
        {"trap", "GET", "/v1/dug\x01" "dale", NULL, NULL, LETTS_ERR_INVALID_ARGUMENT, "path"},
        {"trap", "GET", "/v1/dugdale#top", NULL, NULL, LETTS_ERR_INVALID_ARGUMENT, "path"},
        {"trap", "GET", "/v1/dugdale", NULL, "X-A: 1\r\nX-B: 2", LETTS_ERR_INVALID_ARGUMENT, "headers[0]"},
        {"trap", "GET", "/v1/dugdale", NULL, "X-A: 1\nX-B: 2", LETTS_ERR_INVALID_ARGUMENT, "headers[0]"},
        {"trap", "GET", "/v1/dugdale", NULL, "X A: 1", LETTS_ERR_INVALID_ARGUMENT, "headers[0]"},
        {"trap", "GET", "/v1/dugdale", NULL, "no colon", LETTS_ERR_INVALID_ARGUMENT, "headers[0]"},
        {"trap", "GET", "/v1/dugdale", NULL, ": value", LETTS_ERR_INVALID_ARGUMENT, "headers[0]"},
        {"trap", "GET", "/v1/dugdale", NULL, "X-Empty:", LETTS_ERR_INVALID_ARGUMENT, "headers[0]"},
        {"trap", "GET", "/v1/dugdale", NULL, "Authorization: Bearer stolen", LETTS_ERR_INVALID_ARGUMENT, "Authorization"},
        {"trap", "GET", "/v1/dugdale", NULL, "authorization: Bearer stolen", LETTS_ERR_INVALID_ARGUMENT, "headers[0]"},
        {"trap", "POST", "/v1/dugdale", "{}", "Content-Type: text/plain", LETTS_ERR_INVALID_ARGUMENT, "Content-Type"},
        {"trap", "POST", "/v1/dugdale", "{}", "Content-Length: 99", LETTS_ERR_INVALID_ARGUMENT, "Content-Length"},
        {"trap", "GET", "/v1/dugdale", NULL, "Host: elsewhere", LETTS_ERR_INVALID_ARGUMENT, "Host"},
        {"trap", "POST", "/v1/dugdale", "{}", "Transfer-Encoding: chunked", LETTS_ERR_INVALID_ARGUMENT, "Transfer-Encoding"},
        {"trap", "POST", "/v1/dugdale", "{\"a\":", NULL, LETTS_ERR_INVALID_ARGUMENT, "json_body"},
        {"trap", "POST", "/v1/dugdale", "{'a':1}", NULL, LETTS_ERR_INVALID_ARGUMENT, "json_body"},
        {"trap", "POST", "/v1/dugdale", "", NULL, LETTS_ERR_INVALID_ARGUMENT, "json_body"},
        {"trap", "GET", "/v1/dugdale", "{}", NULL, LETTS_ERR_INVALID_ARGUMENT, "json_body"},
        {"trap", "HEAD", "/v1/dugdale", "{}", NULL, LETTS_ERR_INVALID_ARGUMENT, "json_body"},
        {"nowhere", "GET", "/v1/dugdale", NULL, NULL, LETTS_ERR_CONFIG, "\"nowhere\""},
        {"", "GET", "/v1/dugdale", NULL, NULL, LETTS_ERR_BAD_REQUEST, "host is required"},
        {NULL, "GET", "/v1/dugdale", NULL, NULL, LETTS_ERR_BAD_REQUEST, "host is required"},
    };
    const int before = trap_connections(&T);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *c = &cases[i];
        const char *headers[] = {c->header};
        letts_response *r = (letts_response *)&cases; /* must become NULL */
        letts_error *err = NULL;
        const letts_status st = letts_client_request(C, c->host, LETTS_SCOPE_DISPATCH, c->method, c->path, c->body,
                                                     c->header ? headers : NULL, c->header ? 1 : 0, &r, &err);
        if (st != c->status) {
            fail_msg("case %zu: expected %s, got %s (%s)", i, letts_status_name(c->status), letts_status_name(st),
                     err ? letts_error_message(err) : "");
        }
        assert_null(r);
        assert_int_equal(letts_error_status(err), c->status);
        assert_contains(letts_error_message(err), c->needle);
        assert_no_token(letts_error_message(err));
        assert_null(strstr(letts_error_message(err), "stolen"));
        letts_error_free(err);
    }
    /* The second header of a list is named by its index. */
    const char *two[] = {"X-Good: 1", "X-Bad: a\rb"};
    letts_response *r = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_request(C, "trap", LETTS_SCOPE_DISPATCH, "GET", "/", NULL, two, 2, &r, &err),
                     LETTS_ERR_INVALID_ARGUMENT);
    assert_contains(letts_error_message(err), "headers[1]");
    letts_error_free(err);
    assert_int_equal(trap_connections(&T), before);
}

static void test_null_arguments_and_null_response(void **state) {
    (void)state;
    letts_response *r = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_request(NULL, "dev", LETTS_SCOPE_DISPATCH, "GET", "/", NULL, NULL, 0, &r, NULL),
                     LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_client_request(C, "dev", LETTS_SCOPE_DISPATCH, "GET", "/", NULL, NULL, 0, NULL, NULL),
                     LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_client_request(C, "dev", LETTS_SCOPE_DISPATCH, NULL, "/", NULL, NULL, 0, &r, &err),
                     LETTS_ERR_INVALID_ARGUMENT);
    assert_contains(letts_error_message(err), "method");
    letts_error_free(err);
    err = NULL;
    assert_int_equal(letts_client_request(C, "dev", LETTS_SCOPE_DISPATCH, "GET", NULL, NULL, NULL, 0, &r, &err),
                     LETTS_ERR_INVALID_ARGUMENT);
    assert_contains(letts_error_message(err), "path");
    letts_error_free(err);
    err = NULL;
    assert_int_equal(letts_client_request(C, "dev", LETTS_SCOPE_DISPATCH, "GET", "/", NULL, NULL, 2, &r, &err),
                     LETTS_ERR_INVALID_ARGUMENT);
    assert_contains(letts_error_message(err), "headers");
    letts_error_free(err);
    err = NULL;
    const char *null_entry[] = {NULL};
    assert_int_equal(letts_client_request(C, "dev", LETTS_SCOPE_DISPATCH, "GET", "/", NULL, null_entry, 1, &r, &err),
                     LETTS_ERR_INVALID_ARGUMENT);
    assert_contains(letts_error_message(err), "headers");
    letts_error_free(err);
    err = NULL;
    assert_int_equal(letts_client_request(C, "dev", (letts_scope)7, "GET", "/", NULL, NULL, 0, &r, &err),
                     LETTS_ERR_INVALID_ARGUMENT);
    assert_contains(letts_error_message(err), "scope");
    letts_error_free(err);
    assert_null(r);

    assert_int_equal(letts_response_status(NULL), 0);
    size_t len = 7;
    assert_null(letts_response_body(NULL, &len));
    assert_int_equal(len, 0);
    assert_null(letts_response_header(NULL, "content-type"));
    assert_int_equal(letts_response_header_count(NULL), 0);
    assert_null(letts_response_header_name(NULL, 0));
    assert_null(letts_response_header_value(NULL, 0));
    assert_int_equal(letts_response_check(NULL, NULL), LETTS_ERR_INVALID_ARGUMENT);
    letts_response_free(NULL);
}

/* ---- the client's caps and cancel apply --------------------------------- */

static void test_max_response_bytes_applies(void **state) {
    (void)state;
    /* A mission whose resource (with its input) exceeds the smallest cap. */
    char input[2100], id[37], path[128];
    snprintf(input, sizeof input, "{\"pad\":\"%02000d\"}", 0);
    ds_dispatch(&S, "absent", "default", input, NULL, id);
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    letts_client *small = client_with(1, 1024);
    letts_response *r = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_request(small, "dev", LETTS_SCOPE_DISPATCH, "GET", path, NULL, NULL, 0, &r, &err),
                     LETTS_ERR_DISPATCH);
    assert_null(r);
    assert_contains(letts_error_message(err), "max_response_bytes");
    letts_error_free(err);
    letts_client_free(small);
}

static void test_a_cancelled_client_sends_nothing(void **state) {
    (void)state;
    letts_cancel *cancel = NULL;
    letts_client *cancelled = NULL;
    assert_int_equal(letts_cancel_new(&cancel, NULL), LETTS_OK);
    assert_int_equal(letts_client_with_cancel(C, cancel, &cancelled, NULL), LETTS_OK);
    letts_cancel_trigger(cancel);
    const int before = trap_connections(&T);
    letts_response *r = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_request(cancelled, "trap", LETTS_SCOPE_DISPATCH, "GET", "/v1/dugdale", NULL, NULL,
                                          0, &r, &err),
                     LETTS_ERR_CANCELLED);
    assert_null(r);
    letts_error_free(err);
    assert_int_equal(trap_connections(&T), before);
    letts_client_free(cancelled);
    letts_cancel_free(cancel);
}

/* client-config.md 15 #6: unlike the PHP client (whose HTTP library falls
 * back to the *_proxy variables), libletts follows the Go client and ignores
 * them: with every variable naming the trap, a client made afterwards still
 * reaches "dev" directly and the trap sees no connection. */
static void test_ambient_proxy_variables_are_ignored(void **state) {
    (void)state;
    static const char *const names[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                        "all_proxy",  "ALL_PROXY"};
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", T.port);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) assert_int_equal(setenv(names[i], url, 1), 0);
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
    letts_client *fresh = client_with(2, 64u * 1024 * 1024);
    const int before = trap_connections(&T);
    letts_response *r = NULL;
    letts_error *err = NULL;
    const letts_status st =
        letts_client_request(fresh, "dev", LETTS_SCOPE_DISPATCH, "GET", "/v1/dugdale", NULL, NULL, 0, &r, &err);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) unsetenv(names[i]);
    const int through_trap = trap_connections(&T) - before;
    if (st != LETTS_OK) fail_msg("expected LETTS_OK, got %s", letts_error_message(err));
    assert_int_equal(letts_response_status(r), 200);
    assert_int_equal(through_trap, 0);
    letts_response_free(r);
    letts_client_free(fresh);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_with_the_dispatch_token),
        cmocka_unit_test(test_admin_route_with_the_dispatch_token_is_an_answer),
        cmocka_unit_test(test_scope_none_sends_no_token),
        cmocka_unit_test(test_head_of_an_unknown_staging_id_is_404_without_body),
        cmocka_unit_test(test_post_sends_the_json_body_and_the_extra_headers),
        cmocka_unit_test(test_a_cut_get_is_retried_a_cut_post_is_not),
        cmocka_unit_test(test_a_5xx_read_is_retried_then_returned),
        cmocka_unit_test(test_an_error_body_is_cut_after_64_KiB),
        cmocka_unit_test(test_bad_arguments_are_refused_and_nothing_is_sent),
        cmocka_unit_test(test_null_arguments_and_null_response),
        cmocka_unit_test(test_max_response_bytes_applies),
        cmocka_unit_test(test_a_cancelled_client_sends_nothing),
        cmocka_unit_test(test_ambient_proxy_variables_are_ignored),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
