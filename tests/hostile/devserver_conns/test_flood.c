/*
 * The devserver binary with its default (the spec's) deadlines under a
 * flood of half-open connections: HS_FLOOD connections (10,000; fewer under
 * sanitizers, see meson.build) each send part of a request head and stall.
 * The server holds them all without a thread each, keeps answering
 * /v1/healthz (each probe within HS_PROBE_MS: a bound on "answers", not a
 * speed figure — when each connection had its own thread, 10,000 threads
 * starting or ending at once on a loaded 2-core CI runner once kept a probe
 * waiting just over 1 s), drops each at the 10 s header deadline, and its
 * thread and descriptor counts come back down. Also: a slow dispatch body is answered 400 at the 30 s
 * body deadline. The figures are printed for the record.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "hostile.h"

#ifndef HS_FLOOD
#define HS_FLOOD 10000
#endif

/* How long one healthz probe may take before it counts as refused. */
#define HS_PROBE_MS 3000

static int port_of(const char *url) {
    int port = 0;
    assert_int_equal(sscanf(url, "http://127.0.0.1:%d", &port), 1);
    return port;
}

static int connect_nb(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One GET /v1/healthz on a fresh connection, bounded by `limit_ms`;
 * returns the milliseconds it took or -1 (no complete 200 in time). */
static long healthz_ms(int port, int limit_ms) {
    const long long t0 = ds_now_ms();
    const int fd = connect_nb(port);
    if (fd < 0) return -1;
    const char *req = "GET /v1/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    size_t sent = 0, len = 0;
    char buf[1024];
    long result = -1;
    for (;;) {
        const long long left = t0 + limit_ms - ds_now_ms();
        if (left <= 0) break;
        struct pollfd p = {fd, (short)(sent < strlen(req) ? POLLOUT : POLLIN), 0};
        if (poll(&p, 1, (int)left) <= 0) continue;
        if (sent < strlen(req)) {
            const ssize_t n = send(fd, req + sent, strlen(req) - sent, MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN) break;
            if (n > 0) sent += (size_t)n;
            continue;
        }
        const ssize_t n = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (n < 0 && errno == EAGAIN) continue;
        if (n <= 0) break;
        len += (size_t)n;
        buf[len] = '\0';
        if (strstr(buf, "HTTP/1.1 200") && strstr(buf, "\r\n\r\n") && strstr(buf, "}\n")) {
            result = (long)(ds_now_ms() - t0);
            break;
        }
    }
    close(fd);
    return result;
}

static void raise_fd_limit(void) {
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    rl.rlim_cur = rl.rlim_max;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur < HS_FLOOD + 200) {
        printf("# RLIMIT_NOFILE hard limit %ld is below %d + 200\n", (long)rl.rlim_max, HS_FLOOD);
        skip();
    }
}

static void test_half_open_flood(void **state) {
    (void)state;
    raise_fd_limit();
    ds_server s;
    const pid_t pid = hs_bin_start(&s, NULL);
    const int port = port_of(s.url);
    const int threads0 = hs_threads(pid), fds0 = hs_fds(pid);

    static int fds[HS_FLOOD];
    static long long opened[HS_FLOOD], dropped[HS_FLOOD];
    const char *partial = "GET /v1/healthz HTTP/1.1\r\nHost: x\r\n";
    long health_max = 0, health_n = 0, health_failed = 0;
    long long next_health = 0;
    const long long t_start = ds_now_ms();
    int n = 0;
    /* Open them all (connect is instant on loopback; the partial head goes
     * once the socket is writable), probing healthz every 200 ms. */
    while (n < HS_FLOOD) {
        fds[n] = connect_nb(port);
        assert_true(fds[n] >= 0);
        struct pollfd p = {fds[n], POLLOUT, 0};
        assert_int_equal(poll(&p, 1, 5000), 1);
        assert_int_equal(send(fds[n], partial, strlen(partial), MSG_NOSIGNAL), (ssize_t)strlen(partial));
        opened[n] = ds_now_ms();
        dropped[n] = 0;
        n++;
        if (ds_now_ms() >= next_health) {
            const long ms = healthz_ms(port, HS_PROBE_MS);
            health_n++;
            if (ms < 0) health_failed++;
            else if (ms > health_max) health_max = ms;
            next_health = ds_now_ms() + 200;
        }
    }
    const long long t_opened = ds_now_ms();
    /* Held: one descriptor each (and no thread each: the server polls them
     * with a small pool), once the server has accepted them all (polled
     * while the first ones are still well within their 10 s; the backlog
     * may still hold some right after connect). */
    int threads1 = 0, fds1 = 0;
    const long long held_by = ds_now_ms() + 5000;
    while (ds_now_ms() < held_by) {
        const int t = hs_threads(pid), f = hs_fds(pid);
        if (t > threads1) threads1 = t;
        if (f > fds1) fds1 = f;
        if (fds1 >= fds0 + n * 95 / 100) break;
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* Wait for every drop, probing healthz meanwhile. */
    int open_left = n;
    struct pollfd *pfds = calloc((size_t)n, sizeof *pfds);
    assert_non_null(pfds);
    const long long deadline = t_opened + 25000;
    while (open_left > 0 && ds_now_ms() < deadline) {
        for (int i = 0; i < n; ++i) {
            pfds[i].fd = dropped[i] ? -1 : fds[i];
            pfds[i].events = POLLIN;
            pfds[i].revents = 0;
        }
        const int ready = poll(pfds, (nfds_t)n, 100);
        for (int i = 0; ready > 0 && i < n; ++i) {
            if (!pfds[i].revents) continue;
            char buf[256];
            const ssize_t got = recv(fds[i], buf, sizeof buf, 0);
            if (got <= 0) {
                dropped[i] = ds_now_ms();
                open_left--;
            }
        }
        if (ds_now_ms() >= next_health) {
            const long ms = healthz_ms(port, HS_PROBE_MS);
            health_n++;
            if (ms < 0) health_failed++;
            else if (ms > health_max) health_max = ms;
            next_health = ds_now_ms() + 200;
        }
    }
    long long min_life = -1, max_life = 0;
    for (int i = 0; i < n; ++i) {
        if (!dropped[i]) continue;
        const long long life = dropped[i] - opened[i];
        if (min_life < 0 || life < min_life) min_life = life;
        if (life > max_life) max_life = life;
    }
    for (int i = 0; i < n; ++i) close(fds[i]);
    free(pfds);
    const long back = hs_wait_counts(pid, threads0 + 2, fds0 + 2, 10000);
    const int threads2 = hs_threads(pid), fds2 = hs_fds(pid);
    printf("# %d half-open connections opened in %lld ms\n", n, t_opened - t_start);
    printf("# server threads %d -> %d -> %d, fds %d -> %d -> %d (back in %ld ms after the last drop)\n", threads0,
           threads1, threads2, fds0, fds1, fds2, back);
    printf("# dropped %d of %d; lifetime of a connection %lld..%lld ms (header deadline 10000 ms)\n",
           n - open_left, n, min_life, max_life);
    printf("# healthz probes %ld, slowest %ld ms, failed (no answer within %d ms) %ld\n", health_n, health_max,
           HS_PROBE_MS, health_failed);
    hs_bin_stop(&s, pid);

    assert_true(threads1 < threads0 + 64);
    assert_true(fds1 >= fds0 + n * 95 / 100);
    assert_int_equal(open_left, 0);
    assert_true(min_life >= 9900);
    /* A drop is noticed between probes, so a slow probe delays its record. */
    assert_true(max_life <= 12000 + HS_PROBE_MS);
    assert_int_equal(health_failed, 0);
    assert_true(back >= 0);
}

/* The spec's body deadline: a dispatch body that stops is answered 400
 * after 30 s (and not before). */
static void test_default_body_deadline(void **state) {
    (void)state;
    ds_server s;
    const pid_t pid = hs_bin_start(&s, NULL);
    char id[37], head[512];
    ds_uuidv7(id);
    const int fd = hs_connect(s.url);
    snprintf(head, sizeof head,
             "POST /v1/dispatch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nIdempotency-Key: %s\r\n"
             "Content-Length: 100\r\n\r\n{",
             s.dispatch_token, id);
    const long long t0 = ds_now_ms();
    hs_send(fd, head);
    int closed = 0;
    char *got = hs_read_until_close(fd, 40000, &closed);
    const long long elapsed = ds_now_ms() - t0;
    printf("# slow dispatch body answered after %lld ms (body deadline 30000 ms)\n", elapsed);
    assert_true(closed);
    assert_true(elapsed >= 29900 && elapsed < 33000);
    assert_non_null(strstr(got, "HTTP/1.1 400"));
    free(got);
    close(fd);
    hs_bin_stop(&s, pid);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_half_open_flood),
        cmocka_unit_test(test_default_body_deadline),
    };
    const int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
