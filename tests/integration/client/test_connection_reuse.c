/*
 * Connection reuse (issue 15): sequential calls of one client to one
 * dugdale go over one TCP connection. A counting TCP proxy sits between the
 * client and an embedded letts-devserver and records, per connection, who
 * ended it: the server (it closed first, or sent a response with
 * "Connection: close", after which the client closing is its due), or the
 * client on its own.
 *
 * The property checked: the client never drops a live connection and never
 * opens a second one while one is open, so every connection after the
 * first replaces one the server closed. With a server that keeps every
 * route alive that is exactly one connection; with one that closes after
 * some responses (GET streams, before the devserver's keep-alive work) it
 * is one plus the server's closes, never more.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "letts/letts.h"

/* ---- a counting proxy: one thread, poll(2) over every socket ----------- */

#define MAX_CONNS 256

typedef struct counting_proxy {
    int listen_fd;
    int upstream_port;
    int wake[2]; /* a byte on wake[1] stops the thread */
    pthread_t thread;
    pthread_mutex_t mu;
    int accepted, client_closed, server_closed, open;
    struct {
        int client, server;
        int server_said_close; /* a response carried "Connection: close" */
    } conns[MAX_CONNS];
} counting_proxy;

static int connect_upstream(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Copies what `from` has to `to`; returns 0 when `from` ended (EOF or
 * error). Sets *said_close when the bytes hold a "Connection: close" header
 * (only looked for in what the server sends). */
static int pump(int from, int to, int *said_close) {
    char buf[16385];
    const ssize_t n = recv(from, buf, sizeof buf - 1, 0);
    if (n <= 0) return n < 0 && (errno == EINTR || errno == EAGAIN);
    buf[n] = '\0';
    if (said_close && memmem(buf, (size_t)n, "\r\nConnection: close\r\n", 21)) *said_close = 1;
    for (ssize_t off = 0; off < n;) {
        const ssize_t w = send(to, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return 0;
        off += w;
    }
    return 1;
}

/* The proxy thread is the only writer of conns[]; it writes under `mu`
 * because the test reads the sockets (to shut one down) under `mu`. */
static void drop(counting_proxy *p, int i, int by_client) {
    if (p->conns[i].server_said_close) by_client = 0;
    p->conns[i].server_said_close = 0;
    pthread_mutex_lock(&p->mu);
    close(p->conns[i].client);
    close(p->conns[i].server);
    p->conns[i].client = p->conns[i].server = -1;
    if (by_client)
        p->client_closed++;
    else
        p->server_closed++;
    p->open--;
    pthread_mutex_unlock(&p->mu);
}

static void *proxy_main(void *arg) {
    counting_proxy *p = arg;
    for (;;) {
        struct pollfd fds[2 + 2 * MAX_CONNS];
        int slot[2 + 2 * MAX_CONNS];
        nfds_t n = 0;
        fds[n++] = (struct pollfd){p->wake[0], POLLIN, 0};
        fds[n++] = (struct pollfd){p->listen_fd, POLLIN, 0};
        for (int i = 0; i < MAX_CONNS; ++i) {
            if (p->conns[i].client < 0) continue;
            slot[n] = i;
            fds[n++] = (struct pollfd){p->conns[i].client, POLLIN, 0};
            slot[n] = i;
            fds[n++] = (struct pollfd){p->conns[i].server, POLLIN, 0};
        }
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR) continue;
            return NULL;
        }
        if (fds[0].revents) return NULL;
        for (nfds_t k = 2; k < n; ++k) {
            if (!fds[k].revents) continue;
            const int i = slot[k];
            if (p->conns[i].client < 0) continue; /* dropped in this round */
            const int from_client = fds[k].fd == p->conns[i].client;
            if (!pump(fds[k].fd, from_client ? p->conns[i].server : p->conns[i].client,
                      from_client ? NULL : &p->conns[i].server_said_close))
                drop(p, i, from_client);
        }
        if (fds[1].revents & POLLIN) {
            const int client = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC);
            if (client < 0) continue;
            const int server = connect_upstream(p->upstream_port);
            int i = 0;
            while (i < MAX_CONNS && p->conns[i].client >= 0) ++i;
            if (server < 0 || i == MAX_CONNS) {
                close(client);
                if (server >= 0) close(server);
                continue;
            }
            pthread_mutex_lock(&p->mu);
            p->conns[i].client = client;
            p->conns[i].server = server;
            p->accepted++;
            p->open++;
            pthread_mutex_unlock(&p->mu);
        }
    }
}

static counting_proxy *proxy_start(int upstream_port) {
    counting_proxy *p = calloc(1, sizeof *p);
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    assert_non_null(p);
    p->upstream_port = upstream_port;
    for (int i = 0; i < MAX_CONNS; ++i) p->conns[i].client = p->conns[i].server = -1;
    pthread_mutex_init(&p->mu, NULL);
    assert_int_equal(pipe(p->wake), 0);
    p->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(p->listen_fd >= 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(p->listen_fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(p->listen_fd, 64), 0);
    assert_int_equal(getsockname(p->listen_fd, (struct sockaddr *)&addr, &len), 0);
    assert_int_equal(pthread_create(&p->thread, NULL, proxy_main, p), 0);
    return p;
}

static int proxy_port(const counting_proxy *p) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    if (getsockname(p->listen_fd, (struct sockaddr *)&addr, &len) != 0) return -1;
    return ntohs(addr.sin_port);
}

static void proxy_stop(counting_proxy *p) {
    const char c = 'x';
    if (write(p->wake[1], &c, 1) != 1) abort();
    pthread_join(p->thread, NULL);
    for (int i = 0; i < MAX_CONNS; ++i) {
        if (p->conns[i].client >= 0) {
            close(p->conns[i].client);
            close(p->conns[i].server);
        }
    }
    close(p->listen_fd);
    close(p->wake[0]);
    close(p->wake[1]);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

typedef struct counts {
    int accepted, client_closed, server_closed, open;
} counts;

static counts proxy_counts(counting_proxy *p) {
    pthread_mutex_lock(&p->mu);
    const counts c = {p->accepted, p->client_closed, p->server_closed, p->open};
    pthread_mutex_unlock(&p->mu);
    return c;
}

/* Waits (bounded) until at most one connection is open: a close the server
 * sent with its last response may still be on its way through the proxy. */
static counts settled_counts(counting_proxy *p) {
    const long long until = ds_now_ms() + 5000;
    counts c = proxy_counts(p);
    while (c.open > 1 && ds_now_ms() < until) {
        const struct timespec pause = {0, 2 * 1000 * 1000};
        nanosleep(&pause, NULL);
        c = proxy_counts(p);
    }
    return c;
}

/* ---- fixtures ------------------------------------------------------------ */

static ds_server S;
static counting_proxy *P;
static letts_client *C;

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    ds_script(&S, "quick", "echo '{\"event\":\"success\"}' >&3");
    P = proxy_start(letts_devserver_port(S.srv));
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", proxy_port(P));
    /* The client's defaults: no option is set. */
    C = ds_client(&(ds_client_spec){.url = url, .token = S.dispatch_token, .admin_token = S.admin_token});
    return 0;
}

static int teardown(void **state) {
    (void)state;
    letts_client_free(C);
    proxy_stop(P);
    ds_stop(&S);
    return 0;
}

static letts_job *quick_job(void) {
    return ds_job_on_dev("quick", "default");
}

static void dispatch_n(int n) {
    letts_job *job = quick_job();
    for (int i = 0; i < n; ++i) {
        char *id = NULL;
        letts_error *err = NULL;
        if (letts_client_dispatch(C, job, &id, &err) != LETTS_OK) fail_msg("dispatch: %s", letts_error_message(err));
        letts_free(id);
    }
    letts_job_free(job);
}

/* ---- tests ----------------------------------------------------------------- */

/* POST /v1/dispatch keeps its connection alive on the devserver: twenty
 * sequential dispatches are one TCP connection (two or more before the
 * client reused connections: each call's connection died with the call). */
static void test_sequential_dispatches_share_one_connection(void **state) {
    (void)state;
    const counts before = proxy_counts(P);
    dispatch_n(20);
    const counts after = settled_counts(P);
    assert_int_equal(after.client_closed - before.client_closed, 0);
    assert_int_equal(after.server_closed - before.server_closed, 0);
    assert_int_equal(after.accepted - before.accepted, before.open == 1 ? 0 : 1);
    assert_int_equal(after.open, 1);
}

static void *dispatch_five(void *arg) {
    (void)arg;
    dispatch_n(5);
    return NULL;
}

/* A client used from one thread, then from another: the second thread's
 * calls reuse the first one's connection (one call at a time). */
static void test_calls_from_threads_in_turn_share_one_connection(void **state) {
    pthread_t t;
    (void)state;
    dispatch_n(1);
    const counts before = settled_counts(P);
    assert_int_equal(before.open, 1);
    for (int i = 0; i < 3; ++i) {
        assert_int_equal(pthread_create(&t, NULL, dispatch_five, NULL), 0);
        pthread_join(t, NULL);
    }
    const counts after = settled_counts(P);
    assert_int_equal(after.accepted, before.accepted);
    assert_int_equal(after.client_closed, before.client_closed);
    assert_int_equal(after.open, 1);
}

/* Full runs (dispatch, follow the events to `done`): the client reads each
 * stream to its end instead of cutting it at `done`, never closes a live
 * connection and never holds two, so each new connection replaces one the
 * server closed. A devserver that closes GET connections costs one per run;
 * once every route keeps alive it is one for all the runs (then
 * server_closed stays 0 and accepted is at most 1). */
static void test_sequential_runs_reuse_what_the_server_keeps_open(void **state) {
    letts_job *job = quick_job();
    (void)state;
    const counts before = settled_counts(P);
    for (int i = 0; i < 10; ++i) {
        letts_run_result *r = NULL;
        letts_error *err = NULL;
        if (letts_client_run(C, job, NULL, &r, &err) != LETTS_OK) fail_msg("run: %s", letts_error_message(err));
        assert_true(letts_run_result_is_success(r));
        letts_run_result_free(r);
    }
    const counts after = settled_counts(P);
    assert_int_equal(after.client_closed, before.client_closed);
    assert_true(after.open <= 1);
    /* accepted = closed by the server + still open (none by the client) */
    assert_int_equal(after.accepted - before.accepted,
                     (after.server_closed - before.server_closed) + after.open - before.open);
    letts_job_free(job);
}

/* The server (here the proxy, on its behalf) drops the idle connection:
 * the next call notices and opens a new one, without an error. */
static void test_connection_closed_while_idle_is_replaced(void **state) {
    (void)state;
    dispatch_n(1);
    counts before = settled_counts(P);
    assert_int_equal(before.open, 1);
    /* Shut the idle connection down from the server side, as a server's
     * keep-alive timeout does. */
    pthread_mutex_lock(&P->mu);
    for (int i = 0; i < MAX_CONNS; ++i) {
        if (P->conns[i].server >= 0) shutdown(P->conns[i].server, SHUT_RDWR);
    }
    pthread_mutex_unlock(&P->mu);
    const long long until = ds_now_ms() + 5000;
    while (proxy_counts(P).open > 0 && ds_now_ms() < until) {
        const struct timespec pause = {0, 2 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    before = proxy_counts(P);
    assert_int_equal(before.open, 0);
    dispatch_n(3);
    const counts after = settled_counts(P);
    assert_int_equal(after.accepted - before.accepted, 1);
    assert_int_equal(after.client_closed, before.client_closed);
    assert_int_equal(after.open, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequential_dispatches_share_one_connection),
        cmocka_unit_test(test_calls_from_threads_in_turn_share_one_connection),
        cmocka_unit_test(test_sequential_runs_reuse_what_the_server_keeps_open),
        cmocka_unit_test(test_connection_closed_while_idle_is_replaced),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
