/*
 * Hostile clients against the letts-devserver binary with shortened
 * deadlines (1 s for headers and bodies, through the test-only environment
 * variables): slow headers, slow bodies, followers that vanish or stay
 * quiet, and the processes that missions leave behind.
 */
#include <dirent.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
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

static ds_server S;
static pid_t PID;

static const char *const ENV[] = {"LETTS_DEVSERVER_TEST_HEADER_TIMEOUT_MS=1000",
                                  "LETTS_DEVSERVER_TEST_BODY_TIMEOUT_MS=1000", NULL};

static int setup(void **state) {
    (void)state;
    PID = ds_binary_start(&S, ENV);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_binary_stop(&S, PID);
    return 0;
}

static void pause_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static void assert_healthz(void) {
    ds_resp r;
    const long long t0 = ds_now_ms();
    assert_int_equal(ds_http(&S, "GET", "/v1/healthz", NULL, NULL, 0, NULL, &r), 200);
    assert_true(ds_now_ms() - t0 < 1000);
    ds_resp_free(&r);
}

/* A slowloris that sends a header line every 200 ms — never idle for long —
 * is still cut at the header deadline (a total deadline, not an idle one),
 * without an answer; the server answers others meanwhile. */
static void test_slowloris_cut_at_header_deadline(void **state) {
    (void)state;
    const int fd = hs_connect(S.url);
    const long long t0 = ds_now_ms();
    hs_send(fd, "GET /v1/healthz HTTP/1.1\r\nHost: x\r\n");
    long closed_after = -1;
    for (int i = 0; i < 40 && closed_after < 0; ++i) {
        char line[32];
        snprintf(line, sizeof line, "X-Drip-%d: y\r\n", i);
        if (send(fd, line, strlen(line), MSG_NOSIGNAL) < 0) break;
        if (i == 2) assert_healthz();
        closed_after = hs_wait_close(fd, 200);
    }
    const long long elapsed = ds_now_ms() - t0;
    int closed = 0;
    char *rest = hs_read_until_close(fd, 2000, &closed);
    printf("# slowloris cut after %lld ms (header deadline 1000 ms)\n", elapsed);
    assert_true(elapsed >= 900 && elapsed < 3000);
    assert_null(strstr(rest, "HTTP/1.1"));  /* no answer, as the daemon */
    free(rest);
    close(fd);
}

/* A keep-alive connection that has finished a request and sends nothing
 * more is closed after the header deadline too (see http_server.hpp). (A
 * request with a body: libmicrohttpd 0.9.75 closes the connection after an
 * answer queued before any body, i.e. after every GET.) */
static void test_idle_keepalive_closed(void **state) {
    (void)state;
    char id[37], req[512];
    const int fd = hs_connect(S.url);
    hs_dispatch_request(req, sizeof req, &S, id, "Content-Length: 2\r\n\r\n{}");
    hs_send(fd, req);
    const long long t0 = ds_now_ms();
    int closed = 0;
    char *got = hs_read_until_close(fd, 5000, &closed);
    const long long elapsed = ds_now_ms() - t0;
    printf("# idle keep-alive connection closed after %lld ms\n", elapsed);
    assert_non_null(strstr(got, "HTTP/1.1 400"));
    assert_null(strstr(got, "Connection: close"));
    assert_true(closed);
    assert_true(elapsed >= 900 && elapsed < 3000);
    free(got);
    close(fd);
}

/* Sends `head` (a request whose body stops short of its Content-Length)
 * and asserts the server's answer at the 1 s body deadline of these tests:
 * 400 bad_request as JSON, then the connection closed. */
static void assert_cut_body_400(const char *head, const char *what) {
    const int fd = hs_connect(S.url);
    const long long t0 = ds_now_ms();
    hs_send(fd, head);
    int closed = 0;
    char *got = hs_read_until_close(fd, 5000, &closed);
    const long long elapsed = ds_now_ms() - t0;
    printf("# slow %s body answered after %lld ms (body deadline 1000 ms)\n", what, elapsed);
    assert_true(closed);
    assert_true(elapsed >= 900 && elapsed < 3000);
    assert_non_null(strstr(got, "HTTP/1.1 400"));
    assert_non_null(strstr(got, "Content-Type: application/json; charset=utf-8"));
    cJSON *j = hs_body_json(got);
    assert_string_equal(ds_str(j, "error"), "bad_request");
    cJSON_Delete(j);
    free(got);
    close(fd);
}

/* A dispatch body that stops arriving is answered 400 bad_request once the
 * body deadline passes, and the connection is closed. */
static void test_slow_dispatch_body_400(void **state) {
    (void)state;
    char id[37], head[512];
    hs_dispatch_request(head, sizeof head, &S, id,
                        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"mission\":");
    assert_cut_body_400(head, "dispatch");
    /* Nothing was dispatched under that key. */
    ds_resp r;
    char path[128];
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 404);
    ds_resp_free(&r);
}

/* The body deadline covers POST /v1/admin/apply as it covers dispatch
 * (http-api.md §2.1): a body that stops arriving gets 400 bad_request at
 * the deadline, and the configuration it began is not applied. */
static void test_slow_apply_body_400(void **state) {
    (void)state;
    char head[512];
    snprintf(head, sizeof head,
             "POST /v1/admin/apply HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
             "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n"
             "{\"lanes\":{\"slow-apply\":{\"concurrency\":1}},",
             S.admin_token);
    assert_cut_body_400(head, "apply");
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", "/v1/lanes", S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_null(strstr(r.body, "slow-apply"));
    ds_resp_free(&r);
}

/* Opens `n` raw followers of `path` and waits for their response headers. */
static void open_followers(int *fds, int n, const char *path) {
    char req[512];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", path,
             S.dispatch_token);
    for (int i = 0; i < n; ++i) {
        fds[i] = hs_connect(S.url);
        hs_send(fds[i], req);
    }
    for (int i = 0; i < n; ++i) {
        char buf[2048];
        size_t len = 0;
        const long long deadline = ds_now_ms() + 5000;
        while (!memmem(buf, len, "\r\n\r\n", 4)) {
            struct pollfd p = {fds[i], POLLIN, 0};
            assert_true(ds_now_ms() < deadline);
            if (poll(&p, 1, 100) <= 0) continue;
            const ssize_t got = recv(fds[i], buf + len, sizeof buf - len, 0);
            assert_true(got > 0);
            len += (size_t)got;
        }
        assert_non_null(memmem(buf, len, "HTTP/1.1 200", 12));
    }
}

/* Followers of a queued job (its lane paused: it will not change) hold a
 * socket each but no thread (the server parks them), and those that
 * disconnect give their socket back at once, not when the job changes. */
static void test_disconnected_followers_of_queued_job_freed(void **state) {
    (void)state;
    ds_resp r;
    assert_int_equal(ds_http(&S, "POST", "/v1/admin/lanes/default/pause", S.admin_token, NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);
    ds_script(&S, "never", "exit 0");
    char id[37], path[160];
    ds_dispatch(&S, "never", "default", NULL, NULL, id);
    const int threads0 = hs_threads(PID), fds0 = hs_fds(PID);
    enum { N = 50 };
    int fds[N];
    snprintf(path, sizeof path, "/v1/missions/%s/events?follow=true", id);
    open_followers(fds, N / 2, path);
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=combined&follow=true", id);
    open_followers(fds + N / 2, N / 2, path);
    const int threads1 = hs_threads(PID), fds1 = hs_fds(PID);
    assert_true(threads1 < threads0 + 8);
    assert_true(fds1 >= fds0 + N - 2);
    for (int i = 0; i < N; ++i) close(fds[i]);
    const long took = hs_wait_counts(PID, threads0, fds0, 3000);
    printf("# %d followers: threads %d -> %d -> %d, fds %d -> %d -> %d, back in %ld ms\n", N, threads0, threads1,
           hs_threads(PID), fds0, fds1, hs_fds(PID), took);
    assert_true(took >= 0);
    /* The job is still queued and can be followed and run normally. */
    cJSON *m = ds_mission(&S, id);
    assert_string_equal(ds_str(m, "status"), "queued");
    cJSON_Delete(m);
    assert_int_equal(ds_http(&S, "POST", "/v1/admin/lanes/default/continue", S.admin_token, NULL, 0, NULL, &r), 200);
    ds_resp_free(&r);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
}

/* A follower of a silent running job is not cut by any timeout: after
 * several header and body deadlines it still receives the done event. */
static void test_quiet_follower_not_cut(void **state) {
    (void)state;
    ds_script(&S, "quiet", "exec sleep 300");
    char id[37], path[160];
    ds_dispatch(&S, "quiet", "default", NULL, NULL, id);
    cJSON_Delete(ds_wait_status(&S, id, "running", 10000));
    int fd;
    snprintf(path, sizeof path, "/v1/missions/%s/events?follow=true", id);
    open_followers(&fd, 1, path);
    /* 3.5 header/body deadlines of silence. */
    assert_int_equal(hs_wait_close(fd, 3500), -1);
    ds_resp r;
    assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/kill", id, &r), 200);
    ds_resp_free(&r);
    int closed = 0;
    char *rest = hs_read_until_close(fd, 10000, &closed);
    assert_non_null(strstr(rest, "\"event\":\"done\""));
    free(rest);
    close(fd);
}

/* Z-state children of the server. */
static int server_zombies(void) {
    int n = 0;
    DIR *d = opendir("/proc");
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        const size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        const char *close_paren = strrchr(buf, ')');
        char st = 0;
        int ppid = 0;
        if (close_paren && sscanf(close_paren + 1, " %c %d", &st, &ppid) == 2 && ppid == PID && st == 'Z') n++;
    }
    closedir(d);
    return n;
}

static long read_pid_file(const char *path) {
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    long pid = 0;
    assert_int_equal(fscanf(f, "%ld", &pid), 1);
    fclose(f);
    return pid;
}

/* A mission whose orphaned child exits while the mission keeps running
 * leaves no zombie behind: the server (a subreaper) reaps it at once. */
static void test_orphan_reaped_while_mission_runs(void **state) {
    (void)state;
    char pidfile[300], body[1200];
    ds_path(&S, "orphan", pidfile, sizeof pidfile);
    /* The subshell exits at once: its `sleep` is re-parented to the server
     * and exits 0.2 s later while the mission sleeps on. */
    snprintf(body, sizeof body,
             "( sleep 0.2 & echo $! > \"%s.tmp\"; mv \"%s.tmp\" \"%s\" ); exec sleep 300", pidfile, pidfile,
             pidfile);
    ds_script(&S, "orphans", body);
    char id[37];
    ds_dispatch(&S, "orphans", "default", NULL, NULL, id);
    ds_wait_file(&S, "orphan", 10000);
    const long orphan = read_pid_file(pidfile);
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/%ld", orphan);
    const long long deadline = ds_now_ms() + 5000;
    while (access(proc, F_OK) == 0 && ds_now_ms() < deadline) pause_ms(20);
    assert_int_not_equal(access(proc, F_OK), 0); /* gone: exited and reaped */
    assert_int_equal(server_zombies(), 0);
    cJSON *m = ds_mission(&S, id);
    assert_string_equal(ds_str(m, "status"), "running");
    cJSON_Delete(m);
    ds_resp r;
    assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/kill", id, &r), 200);
    ds_resp_free(&r);
    cJSON_Delete(ds_wait_outcome(&S, id, "killed", NULL, 10000));
}

/* A grandchild that left the mission's process group and session with
 * setsid is dead once the server has stopped. */
static void test_setsid_grandchild_dead_after_stop(void **state) {
    (void)state;
    ds_server s;
    const pid_t pid = ds_binary_start(&s, ENV);
    char pidfile[300], body[1200];
    ds_path(&s, "escaped", pidfile, sizeof pidfile);
    snprintf(body, sizeof body,
             "setsid sh -c 'echo $$ > \"%s.tmp\"; mv \"%s.tmp\" \"%s\"; exec sleep 300' & exec sleep 300", pidfile,
             pidfile, pidfile);
    ds_script(&s, "escape", body);
    char id[37];
    ds_dispatch(&s, "escape", "default", NULL, NULL, id);
    ds_wait_file(&s, "escaped", 10000);
    const long escaped = read_pid_file(pidfile);
    assert_true(ds_pid_alive(escaped));
    assert_int_equal(getsid((pid_t)escaped), (pid_t)escaped); /* really its own session */
    ds_binary_stop(&s, pid);
    assert_false(ds_pid_alive(escaped));
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slowloris_cut_at_header_deadline),
        cmocka_unit_test(test_idle_keepalive_closed),
        cmocka_unit_test(test_slow_dispatch_body_400),
        cmocka_unit_test(test_slow_apply_body_400),
        cmocka_unit_test(test_disconnected_followers_of_queued_job_freed),
        cmocka_unit_test(test_quiet_follower_not_cut),
        cmocka_unit_test(test_orphan_reaped_while_mission_runs),
        cmocka_unit_test(test_setsid_grandchild_dead_after_stop),
    };
    const int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
