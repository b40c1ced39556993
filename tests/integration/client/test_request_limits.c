/*
 * Issue 17 §2, client options and helpers end to end:
 * - total_timeout (letts_client_options_set_total_timeout_ms) against
 *   "silent", a listener of this file that accepts and never answers, and
 *   its exemption for a followed event stream;
 * - reconnect_backoff (letts_client_options_set_reconnect_backoff) through
 *   the fault proxy, which cuts every event connection so the follow spends
 *   its reconnect budget (4 connections, 3 pauses);
 * - a cursor made by letts_list_cursor_encode() accepted by the devserver.
 * Time bounds are generous and each one would fail under the default value
 * of the option it checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "fault_proxy.h"
#include "letts/letts.h"

/* ---- silent: accepts, holds every connection, never answers ------------ */

enum { SILENT_MAX = 32 };

typedef struct silent {
    int listen_fd;
    int stop_pipe[2];
    int port;
    pthread_t thread;
    int held[SILENT_MAX];
    int n_held;
} silent;

static void *silent_main(void *arg) {
    silent *s = arg;
    for (;;) {
        struct pollfd p[2] = {{.fd = s->listen_fd, .events = POLLIN}, {.fd = s->stop_pipe[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0) continue;
        if (p[1].revents) return NULL;
        const int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0) continue;
        if (s->n_held < SILENT_MAX) s->held[s->n_held++] = fd;
        else close(fd);
    }
}

static void silent_start(silent *s) {
    s->listen_fd = ds_listen_loopback(&s->port);
    assert_int_equal(pipe(s->stop_pipe), 0);
    s->n_held = 0;
    assert_int_equal(pthread_create(&s->thread, NULL, silent_main, s), 0);
}

static void silent_stop(silent *s) {
    const ssize_t sent = write(s->stop_pipe[1], "x", 1);
    (void)sent;
    pthread_join(s->thread, NULL);
    for (int i = 0; i < s->n_held; i++) close(s->held[i]);
    close(s->listen_fd);
    close(s->stop_pipe[0]);
    close(s->stop_pipe[1]);
}

/* ---- fixture ----------------------------------------------------------- */

static ds_server S;
static fault_proxy *P;
static silent Q;
static char Gate[512];

/* A client of "dev" (the devserver through the fault proxy), "direct" (the
 * devserver) and "silent", one attempt per request, with `total_ms` and the
 * reconnect back-off `backoff` (`n` entries; 0: the default). */
static letts_client *client_with(int64_t total_ms, const int64_t *backoff, size_t n) {
    char yaml[2048];
    letts_config *cfg = NULL;
    letts_client_options *opts = NULL;
    letts_client *client = NULL;
    snprintf(yaml, sizeof yaml,
             "auth: {token: \"%s\", admin_token: \"%s\"}\n"
             "dugdales:\n"
             "  - id: dev\n"
             "    url: \"%s\"\n"
             "  - id: direct\n"
             "    url: \"%s\"\n"
             "  - id: silent\n"
             "    url: \"http://127.0.0.1:%d\"\n",
             S.dispatch_token, S.admin_token, fault_proxy_url(P), S.url, Q.port);
    assert_int_equal(letts_config_load_string(&cfg, yaml, strlen(yaml), "client.yaml", NULL), LETTS_OK);
    assert_int_equal(letts_client_options_new(&opts, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_retry_attempts(opts, 1, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_total_timeout_ms(opts, total_ms, NULL), LETTS_OK);
    assert_int_equal(letts_client_options_set_reconnect_backoff(opts, backoff, n, NULL), LETTS_OK);
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
    silent_start(&Q);
    ds_gated_script(&S, "held", "gate", "", "", Gate, sizeof Gate);
    ds_script(&S, "slow", "sleep 1.5\n");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    const int fd = open(Gate, O_CREAT | O_WRONLY, 0600); /* lets the held missions end */
    if (fd >= 0) close(fd);
    silent_stop(&Q);
    fault_proxy_stop(P);
    ds_stop(&S);
    return 0;
}

static void assert_contains(const char *text, const char *needle) {
    if (!text || !strstr(text, needle)) fail_msg("expected \"%s\" in \"%s\"", needle, text ? text : "(null)");
}

/* ---- total_timeout ----------------------------------------------------- */

static void test_total_timeout_ends_a_request_nobody_answers(void **state) {
    (void)state;
    letts_client *client = client_with(600, NULL, 0);
    letts_response *r = NULL;
    letts_error *err = NULL;
    long long started = ds_now_ms();
    assert_int_equal(letts_client_request(client, "silent", LETTS_SCOPE_DISPATCH, "GET", "/v1/dugdale", NULL, NULL,
                                          0, &r, &err),
                     LETTS_ERR_NETWORK);
    long long elapsed = ds_now_ms() - started;
    assert_null(r);
    assert_contains(letts_error_message(err), "total_timeout of 600 ms exceeded");
    letts_error_free(err);
    /* The inactivity limit (30 s by default) would have waited far longer. */
    if (elapsed < 550 || elapsed > 10000) fail_msg("gave up after %lld ms, expected about 600", elapsed);

    /* An operation as well as a raw request. */
    letts_mission_info *info = NULL;
    err = NULL;
    started = ds_now_ms();
    assert_int_equal(letts_client_get_mission(client, "silent", "0192a8b3-d2c1-7abc-bad0-1234567890ab", &info, &err),
                     LETTS_ERR_NETWORK);
    elapsed = ds_now_ms() - started;
    assert_contains(letts_error_message(err), "total_timeout of 600 ms exceeded");
    letts_error_free(err);
    if (elapsed < 550 || elapsed > 10000) fail_msg("gave up after %lld ms, expected about 600", elapsed);
    letts_client_free(client);
}

typedef struct seen {
    int events;
    int done;
} seen;

static int count_event(const char *line, size_t len, void *user_data) {
    seen *s = user_data;
    (void)len;
    s->events++;
    if (strstr(line, "\"event\":\"done\"")) s->done = 1;
    return 0;
}

static void test_total_timeout_spares_a_followed_stream(void **state) {
    (void)state;
    letts_client *client = client_with(400, NULL, 0);
    char id[37];
    ds_dispatch(&S, "slow", "default", NULL, NULL, id);
    seen s = {0, 0};
    letts_error *err = NULL;
    const long long started = ds_now_ms();
    const letts_status st = letts_client_follow_events(client, "direct", id, 0, 1, count_event, &s, &err);
    if (st != LETTS_OK) fail_msg("follow: %s", letts_error_message(err));
    const long long elapsed = ds_now_ms() - started;
    assert_true(s.done);
    /* The stream stayed open past the limit until the mission's end. */
    if (elapsed < 1000) fail_msg("the follow took %lld ms; the mission sleeps 1.5 s", elapsed);
    letts_client_free(client);
}

/* ---- reconnect_backoff ------------------------------------------------- */

/* Follows a held mission whose every event connection the proxy cuts, and
 * returns how long the follow took to spend its budget. */
static long long follow_through_cuts(letts_client *client) {
    char id[37];
    ds_dispatch(&S, "held", "default", NULL, NULL, id);
    char events_path[128];
    snprintf(events_path, sizeof events_path, "/v1/missions/%s/events", id);
    fault_proxy_add_rule(P, "GET", events_path, 0, 40, 4);
    seen s = {0, 0};
    letts_error *err = NULL;
    const long long started = ds_now_ms();
    assert_int_equal(letts_client_follow_events(client, "dev", id, 0, 1, count_event, &s, &err), LETTS_ERR_NETWORK);
    const long long elapsed = ds_now_ms() - started;
    assert_contains(letts_error_message(err), "reconnect budget exhausted (consecutive limit 3)");
    letts_error_free(err);
    assert_int_equal(s.events, 0);
    assert_int_equal(fault_proxy_count(P, events_path), 4);
    return elapsed;
}

static void test_reconnect_backoff_paces_the_reconnects(void **state) {
    (void)state;
    /* Three pauses of 1.2 s; the default (0.1 + 0.5 + 2 s) is shorter. */
    const int64_t slow[] = {1200};
    letts_client *client = client_with(0, slow, 1);
    long long elapsed = follow_through_cuts(client);
    if (elapsed < 3600 || elapsed > 30000) fail_msg("3 pauses of 1200 ms took %lld ms", elapsed);
    letts_client_free(client);

    /* Pauses of 1 ms; the default would take 2.6 s. */
    const int64_t quick[] = {1, 1, 1};
    client = client_with(0, quick, 3);
    elapsed = follow_through_cuts(client);
    if (elapsed > 2000) fail_msg("3 pauses of 1 ms took %lld ms", elapsed);
    letts_client_free(client);
}

/* ---- list cursors ------------------------------------------------------ */

static void test_an_encoded_cursor_resumes_a_listing(void **state) {
    (void)state;
    letts_client *client = client_with(0, NULL, 0);
    char id[37];
    for (int i = 0; i < 3; i++) ds_dispatch(&S, "absent", "default", NULL, NULL, id);
    letts_list_filter *filter = NULL;
    letts_mission_list *first = NULL, *by_next = NULL, *by_ours = NULL;
    assert_int_equal(letts_list_filter_new(&filter, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_mission(filter, "absent", NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_limit(filter, 1, NULL), LETTS_OK);
    assert_int_equal(letts_client_list_missions(client, "direct", filter, &first, NULL), LETTS_OK);
    assert_int_equal(letts_mission_list_count(first), 1);
    const letts_mission_info *top = letts_mission_list_get(first, 0);
    const char *next = letts_mission_list_next_cursor(first);
    assert_non_null(next);

    /* The server's cursor names the page's last mission... */
    int64_t created = 0, finished = -1;
    char *named = NULL;
    assert_int_equal(letts_list_cursor_decode(next, &created, &finished, &named, NULL), LETTS_OK);
    assert_string_equal(named, letts_mission_info_mission_id(top));
    assert_true(created == letts_mission_info_time_created_ms(top));
    assert_int_equal(finished, 0);
    letts_free(named);

    /* ...in the bytes the encoder makes, and a made cursor is accepted. */
    char *ours = NULL;
    assert_int_equal(letts_list_cursor_encode(letts_mission_info_time_created_ms(top), 0,
                                              letts_mission_info_mission_id(top), &ours, NULL),
                     LETTS_OK);
    assert_string_equal(ours, next);
    assert_int_equal(letts_list_filter_set_cursor(filter, next, NULL), LETTS_OK);
    assert_int_equal(letts_client_list_missions(client, "direct", filter, &by_next, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_cursor(filter, ours, NULL), LETTS_OK);
    assert_int_equal(letts_client_list_missions(client, "direct", filter, &by_ours, NULL), LETTS_OK);
    assert_int_equal(letts_mission_list_count(by_ours), 1);
    assert_string_equal(letts_mission_info_mission_id(letts_mission_list_get(by_ours, 0)),
                        letts_mission_info_mission_id(letts_mission_list_get(by_next, 0)));
    assert_string_not_equal(letts_mission_info_mission_id(letts_mission_list_get(by_ours, 0)),
                            letts_mission_info_mission_id(top));
    letts_free(ours);
    letts_mission_list_free(by_ours);
    letts_mission_list_free(by_next);
    letts_mission_list_free(first);
    letts_list_filter_free(filter);
    letts_client_free(client);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_total_timeout_ends_a_request_nobody_answers),
        cmocka_unit_test(test_total_timeout_spares_a_followed_stream),
        cmocka_unit_test(test_reconnect_backoff_paces_the_reconnects),
        cmocka_unit_test(test_an_encoded_cursor_resumes_a_listing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
