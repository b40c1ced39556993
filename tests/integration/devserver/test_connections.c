/* How letts-devserver treats connections (issue 15): keep-alive on every
 * route (two GETs, a POST then a GET, a follow stream that ended with its
 * done line then another request, all on ONE TCP connection), many
 * concurrent followers served by a bounded number of threads, and a
 * follower whose peer hangs up is freed. Raw sockets, so that exactly one
 * connection is used and what is on the wire is what is checked. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"

static ds_server S;
static char GATE[400];

enum { FOLLOWERS = 200, THREAD_BOUND = 64 };

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    ds_gated_script(&S, "gated", "gate", "", "echo '{\"event\":\"success\"}' >&3", GATE, sizeof GATE);
    ds_script(&S, "quick", "echo '{\"event\":\"success\"}' >&3");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static void open_gate(void) {
    FILE *g = fopen(GATE, "w");
    assert_non_null(g);
    fclose(g);
}

static void close_gate(void) { unlink(GATE); }

static int connect_server(void) {
    const char *colon = strrchr(S.url, ':');
    assert_non_null(colon);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)atoi(colon + 1));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

static void send_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        const ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        assert_true(n > 0);
        data += n;
        len -= (size_t)n;
    }
}

static void send_request(int fd, const char *method, const char *path, const char *body) {
    char head[1024];
    const size_t blen = body ? strlen(body) : 0;
    char key[37];
    ds_uuidv7(key);
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                     "Idempotency-Key: %s\r\n",
                     method, path, S.dispatch_token, key);
    if (body)
        n += snprintf(head + n, sizeof head - (size_t)n,
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n", blen);
    n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
    send_all(fd, head, (size_t)n);
    if (body) send_all(fd, body, blen);
}

/* Bytes read from one connection, kept across responses (pipelining-safe). */
typedef struct conn_buf {
    char data[1 << 16];
    size_t len;
} conn_buf;

/* Reads more into b; 0 at end of file. Asserts before the deadline. */
static size_t read_more(int fd, conn_buf *b, long long deadline) {
    for (;;) {
        const long long left = deadline - ds_now_ms();
        assert_true(left > 0);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        const int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) continue;
        assert_true(b->len < sizeof b->data - 1);
        const ssize_t n = recv(fd, b->data + b->len, sizeof b->data - 1 - b->len, 0);
        assert_true(n >= 0);
        b->len += (size_t)n;
        b->data[b->len] = '\0';
        return (size_t)n;
    }
}

static void consume(conn_buf *b, size_t n) {
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->data[b->len] = '\0';
}

typedef struct answer {
    int status;
    char head[4096];
    char body[1 << 15];
} answer;

/* Reads one complete response (Content-Length or chunked) from fd. */
static void read_answer(int fd, conn_buf *b, answer *a, int timeout_ms) {
    const long long deadline = ds_now_ms() + timeout_ms;
    char *end;
    while ((end = strstr(b->data, "\r\n\r\n")) == NULL) assert_true(read_more(fd, b, deadline) > 0);
    const size_t head_len = (size_t)(end - b->data) + 4;
    assert_true(head_len < sizeof a->head);
    memcpy(a->head, b->data, head_len);
    a->head[head_len] = '\0';
    consume(b, head_len);
    assert_int_equal(sscanf(a->head, "HTTP/1.1 %d", &a->status), 1);
    a->body[0] = '\0';
    size_t out = 0;
    const char *cl = strcasestr(a->head, "\r\nContent-Length:");
    if (cl) {
        const size_t want = strtoul(cl + 17, NULL, 10);
        assert_true(want < sizeof a->body);
        while (b->len < want) assert_true(read_more(fd, b, deadline) > 0);
        memcpy(a->body, b->data, want);
        a->body[want] = '\0';
        consume(b, want);
        return;
    }
    assert_non_null(strcasestr(a->head, "\r\nTransfer-Encoding: chunked"));
    for (;;) {
        char *line_end;
        while ((line_end = strstr(b->data, "\r\n")) == NULL) assert_true(read_more(fd, b, deadline) > 0);
        const size_t size = strtoul(b->data, NULL, 16);
        const size_t need = (size_t)(line_end - b->data) + 2 + size + 2;
        while (b->len < need) assert_true(read_more(fd, b, deadline) > 0);
        assert_true(out + size < sizeof a->body);
        memcpy(a->body + out, line_end + 2, size);
        out += size;
        a->body[out] = '\0';
        consume(b, need);
        if (size == 0) return;
    }
}

static void assert_kept_alive(const answer *a) {
    if (strcasestr(a->head, "\r\nConnection: close")) fail_msg("the server closes the connection:\n%s", a->head);
}

static void test_two_gets_on_one_connection(void **state) {
    (void)state;
    const int fd = connect_server();
    conn_buf *b = calloc(1, sizeof *b);
    answer *a = calloc(1, sizeof *a);
    /* Each GET in turn on the one connection: its status, and whether the
     * answer must keep the connection (an error answer keeps it too). */
    static const struct {
        const char *path;
        long status;
        int kept_alive;
    } gets[] = {
        {"/v1/healthz", 200, 1},
        {"/v1/version", 200, 1},
        {"/v1/missions/not-an-id", 400, 1},
        {"/v1/healthz", 200, 0},
    };
    for (size_t i = 0; i < sizeof gets / sizeof gets[0]; ++i) {
        send_request(fd, "GET", gets[i].path, NULL);
        read_answer(fd, b, a, 10000);
        assert_int_equal(a->status, gets[i].status);
        if (gets[i].kept_alive) assert_kept_alive(a);
    }
    close(fd);
    free(a);
    free(b);
}

/* Extracts "mission_id" of a dispatch answer. */
static void mission_id_of(const char *body, char id[37]) {
    cJSON *o = cJSON_Parse(body);
    assert_non_null(o);
    snprintf(id, 37, "%s", ds_str(o, "mission_id"));
    cJSON_Delete(o);
}

static void test_post_then_get_then_follow_then_get(void **state) {
    (void)state;
    close_gate();
    const int fd = connect_server();
    conn_buf *b = calloc(1, sizeof *b);
    answer *a = calloc(1, sizeof *a);
    send_request(fd, "POST", "/v1/dispatch", "{\"mission\":\"gated\",\"lane\":\"default\"}");
    read_answer(fd, b, a, 10000);
    assert_int_equal(a->status, 202);
    assert_kept_alive(a);
    char id[37], path[200];
    mission_id_of(a->body, id);
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    send_request(fd, "GET", path, NULL);
    read_answer(fd, b, a, 10000);
    assert_int_equal(a->status, 200);
    assert_kept_alive(a);
    /* A follow stream that ends with its done line, then another request. */
    cJSON_Delete(ds_wait_status(&S, id, "running", 10000));
    snprintf(path, sizeof path, "/v1/missions/%s/events?follow=true", id);
    send_request(fd, "GET", path, NULL);
    open_gate();
    read_answer(fd, b, a, 10000);
    assert_int_equal(a->status, 200);
    assert_kept_alive(a);
    assert_non_null(strstr(a->body, "\"event\":\"done\""));
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    send_request(fd, "GET", path, NULL);
    read_answer(fd, b, a, 10000);
    assert_int_equal(a->status, 200);
    assert_non_null(strstr(a->body, "\"status\":\"done\""));
    close(fd);
    free(a);
    free(b);
    close_gate();
}

static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') ++n;
    closedir(d);
    return n;
}

/* The sockets among this process's descriptors (the server is embedded):
 * other descriptors come and go with the missions (a pidfd is opened once
 * the supervisor adopts a spawned mission, after its running event). */
static int count_sockets(void) {
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    char path[300], target[64];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        const ssize_t len = readlink(path, target, sizeof target - 1);
        if (len > 0 && (size_t)len > 7 && memcmp(target, "socket:", 7) == 0) ++n;
    }
    closedir(d);
    return n;
}

/* Closes the gate, dispatches "gated", waits until it runs and writes its
 * id and the path that follows its events. */
static void gated_job_events(char id[37], char *path, size_t size) {
    close_gate();
    ds_dispatch(&S, "gated", "default", NULL, NULL, id);
    cJSON_Delete(ds_wait_status(&S, id, "running", 10000));
    snprintf(path, size, "/v1/missions/%s/events?follow=true", id);
}

/* 200 followers of one running job at once: the server (embedded, so its
 * threads are this process's) serves them with fewer than THREAD_BOUND
 * threads, and every one gets the done line. */
static void test_many_followers_few_threads(void **state) {
    (void)state;
    char id[37], path[200];
    gated_job_events(id, path, sizeof path);
    static int fds[FOLLOWERS];
    static conn_buf bufs[FOLLOWERS];
    for (int i = 0; i < FOLLOWERS; ++i) {
        fds[i] = connect_server();
        bufs[i].len = 0;
        send_request(fds[i], "GET", path, NULL);
    }
    /* Every follower has its running line: all are open and waiting. */
    const long long deadline = ds_now_ms() + 20000;
    for (int i = 0; i < FOLLOWERS; ++i)
        while (strstr(bufs[i].data, "\"event\":\"running\"") == NULL) assert_true(read_more(fds[i], &bufs[i], deadline) > 0);
    const int threads = count_entries("/proc/self/task");
    if (threads >= THREAD_BOUND)
        fail_msg("%d threads for %d open followers (bound %d)", threads, FOLLOWERS, THREAD_BOUND);
    open_gate();
    for (int i = 0; i < FOLLOWERS; ++i) {
        /* Until the end of the chunked body: the done line, then 0\r\n\r\n. */
        while (strstr(bufs[i].data, "\r\n0\r\n\r\n") == NULL) assert_true(read_more(fds[i], &bufs[i], deadline) > 0);
        const char *done = strstr(bufs[i].data, "\"event\":\"done\"");
        assert_non_null(done);
        assert_null(strstr(done + 1, "\"event\":\"done\""));
        close(fds[i]);
    }
    close_gate();
}

/* A follower that hangs up while its stream waits is closed by the server:
 * the server's socket of it goes away (counted in /proc/self/fd). */
static void test_follower_hang_up_is_freed(void **state) {
    (void)state;
    char id[37], path[200];
    gated_job_events(id, path, sizeof path);
    int fds[8];
    conn_buf *b = calloc(1, sizeof *b);
    for (int i = 0; i < 8; ++i) {
        fds[i] = connect_server();
        send_request(fds[i], "GET", path, NULL);
        b->len = 0;
        b->data[0] = '\0';
        const long long deadline = ds_now_ms() + 10000;
        while (strstr(b->data, "\"event\":\"running\"") == NULL) assert_true(read_more(fds[i], b, deadline) > 0);
    }
    /* What goes away below is the 8 sockets here and the 8 of the server. */
    const int open_now = count_sockets();
    for (int i = 0; i < 8; ++i) close(fds[i]);
    const long long deadline = ds_now_ms() + 10000;
    int now;
    while ((now = count_sockets()) > open_now - 16) {
        if (ds_now_ms() > deadline) fail_msg("%d descriptors left open by hung-up followers", now - (open_now - 16));
        usleep(10000);
    }
    open_gate();
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 10000));
    free(b);
    close_gate();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_gets_on_one_connection),
        cmocka_unit_test(test_post_then_get_then_follow_then_get),
        cmocka_unit_test(test_many_followers_few_threads),
        cmocka_unit_test(test_follower_hang_up_is_freed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
