#include "fixtures.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

long long cx_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long long cx_read_bytes(void) {
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    long long rchar = -1;
    assert_non_null(f);
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "rchar: %lld", &rchar) == 1) break;
    fclose(f);
    assert_true(rchar >= 0);
    return rchar;
}

/* ---- a port that never answers ------------------------------------------ */

/* Starts a non-blocking connect to 127.0.0.1:port; returns the socket and
 * whether it completed within `wait_ms`. */
static int probe_connect(int port, int wait_ms, int *connected) {
    struct sockaddr_in addr = {0};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    assert_true(fd >= 0);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *connected = 0;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
        *connected = 1;
        return fd;
    }
    assert_int_equal(errno, EINPROGRESS);
    struct pollfd pfd = {fd, POLLOUT, 0};
    int ready = poll(&pfd, 1, wait_ms);
    assert_true(ready >= 0);
    if (ready == 1) {
        int soerr = 0;
        socklen_t len = sizeof soerr;
        assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len), 0);
        assert_int_equal(soerr, 0); /* refused would not be a black hole */
        *connected = 1;
    }
    return fd;
}

void cx_blackhole_open(cx_blackhole *b) {
    struct sockaddr_in addr = {0};
    socklen_t len = sizeof addr;
    memset(b, 0, sizeof *b);
    b->listener = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(b->listener >= 0);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(b->listener, (struct sockaddr *)&addr, sizeof addr), 0);
    /* Backlog 0: the accept queue holds one connection. Nobody accepts. */
    assert_int_equal(listen(b->listener, 0), 0);
    assert_int_equal(getsockname(b->listener, (struct sockaddr *)&addr, &len), 0);
    b->port = ntohs(addr.sin_port);
    /* Fill the queue with connections that complete, until one does not
     * complete within 200 ms: from then on every SYN is dropped. */
    for (;;) {
        int connected = 0;
        int fd = probe_connect(b->port, 200, &connected);
        if (!connected) {
            close(fd);
            break;
        }
        if (b->n_fillers == (int)(sizeof b->fillers / sizeof *b->fillers))
            fail_msg("the accept queue of port %d never filled up", b->port);
        b->fillers[b->n_fillers++] = fd;
    }
    /* Verify once more, from scratch: a connect still does not complete. */
    int connected = 1;
    int fd = probe_connect(b->port, 200, &connected);
    close(fd);
    if (connected) fail_msg("a connect to the full port %d completed", b->port);
}

void cx_blackhole_close(cx_blackhole *b) {
    for (int i = 0; i < b->n_fillers; ++i) close(b->fillers[i]);
    if (b->listener > 0) close(b->listener);
    memset(b, 0, sizeof *b);
}

/* ---- missions ------------------------------------------------------------- */

void cx_install_missions(const ds_server *s) {
    ds_script(s, "sleeper", "cat >/dev/null; sleep 30; echo '{\"event\":\"success\"}' >&3");
    ds_script(s, "sleep1",
              "cat >/dev/null; sleep 1; echo '{\"event\":\"success\",\"return\":{\"slept\":1}}' >&3");
    ds_script(s, "chatter",
              "cat >/dev/null; i=0; while :; do i=$((i+1)); "
              "echo \"{\\\"event\\\":\\\"progress\\\",\\\"value\\\":0.5,\\\"message\\\":\\\"tick $i\\\"}\" >&3; "
              "sleep 0.02; done");
    /* 0.5 s between ticks: long enough that a client stepped slowly (under
     * valgrind, a step takes ~0.3 s) still finds the run FOLLOWING before the
     * mission is done, now that the devserver starts a mission in ~1 ms. */
    ds_script(s, "ticks",
              "cat >/dev/null; for i in 1 2 3; do "
              "echo \"{\\\"event\\\":\\\"progress\\\",\\\"value\\\":0.$i,\\\"message\\\":\\\"tick $i\\\"}\" >&3; "
              "sleep 0.5; done; echo '{\"event\":\"success\",\"return\":{\"ticks\":3}}' >&3");
    char big[512];
    snprintf(big, sizeof big,
             "cat >/dev/null; head -c %lld /dev/zero > \"$LETTS_WORKDIR/out/big\" && "
             "echo '{\"event\":\"output_file\",\"key\":\"big\"}' >&3 && echo '{\"event\":\"success\"}' >&3",
             (long long)CX_BIG_BYTES);
    ds_script(s, "big", big);
    ds_script(s, "consume",
              "cat >/dev/null; n=$(wc -c < \"$LETTS_IN_data\"); "
              "echo \"{\\\"event\\\":\\\"success\\\",\\\"return\\\":{\\\"size\\\":$n}}\" >&3");
}

/* Response bodies up to 256 MiB, so a 200 MiB output fits in memory. */
static letts_client *client_from(const char *url, const char *token, const char *admin_token,
                                 long long connect_timeout_ms) {
    return ds_client(&(ds_client_spec){.url = url,
                                       .token = token,
                                       .admin_token = admin_token,
                                       .retry_backoff_ms = 10,
                                       .connect_timeout_ms = connect_timeout_ms,
                                       .max_response_bytes = 256u * 1024 * 1024});
}

letts_client *cx_client(const ds_server *s) {
    return client_from(s->url, s->dispatch_token, s->admin_token, 0);
}

letts_client *cx_client_at_port(int port, const char *token, long long connect_timeout_ms) {
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    return client_from(url, token, token, connect_timeout_ms);
}

ds_server cx_env_server;
letts_client *cx_env_client;

int cx_env_setup(void **state) {
    (void)state;
    ds_start(&cx_env_server, NULL);
    cx_install_missions(&cx_env_server);
    cx_env_client = cx_client(&cx_env_server);
    return 0;
}

int cx_env_teardown(void **state) {
    (void)state;
    letts_client_free(cx_env_client);
    cx_env_client = NULL;
    ds_stop(&cx_env_server);
    return 0;
}

letts_cancel *cx_new_cancel(void) {
    letts_cancel *cancel = NULL;
    assert_int_equal(letts_cancel_new(&cancel, NULL), LETTS_OK);
    return cancel;
}

letts_job *cx_job(const char *mission, char id[37]) {
    ds_uuidv7(id);
    letts_job *job = ds_job_on_dev(mission, "default");
    assert_int_equal(letts_job_set_mission_id(job, id, NULL), LETTS_OK);
    return job;
}

/* ---- local files ---------------------------------------------------------- */

void cx_tempdir(char *dir, size_t size) {
    snprintf(dir, size, "/tmp/cancel-test-XXXXXX");
    assert_non_null(mkdtemp(dir));
}

void cx_make_file(const char *dir, const char *name, long long bytes, char *path, size_t size) {
    enum { BLOCK = 1 << 20 };
    char *block = malloc(BLOCK);
    assert_non_null(block);
    for (size_t i = 0; i < BLOCK; ++i) block[i] = (char)('a' + i % 23);
    snprintf(path, size, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    for (long long left = bytes; left > 0;) {
        size_t n = left < BLOCK ? (size_t)left : BLOCK;
        ssize_t w = write(fd, block, n);
        assert_true(w > 0);
        left -= w;
    }
    assert_int_equal(close(fd), 0);
    free(block);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

void cx_remove_tree(const char *dir) {
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int cx_count_entries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

long long cx_file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* ---- the canceller thread ------------------------------------------------- */

static void *canceller_main(void *arg) {
    cx_canceller *c = arg;
    const long long start = cx_now_us();
    if (c->ready == NULL) {
        struct timespec ts = {c->delay_ms / 1000, (long)(c->delay_ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    } else {
        /* Polling with a deadline: the thing observed (a file, a counter, a
         * mission status) has no notification of its own. */
        while (!c->ready(c->arg)) {
            if (cx_now_us() - start > (long long)c->timeout_ms * 1000) {
                c->timed_out = 1;
                break;
            }
            struct timespec ts = {0, 2 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    c->triggered_us = cx_now_us();
    letts_cancel_trigger(c->cancel);
    return NULL;
}

void cx_canceller_start(cx_canceller *c, letts_cancel *cancel, int (*ready)(void *arg), void *arg,
                        int delay_ms, int timeout_ms) {
    memset(c, 0, sizeof *c);
    c->cancel = cancel;
    c->ready = ready;
    c->arg = arg;
    c->delay_ms = delay_ms;
    c->timeout_ms = timeout_ms;
    assert_int_equal(pthread_create(&c->thread, NULL, canceller_main, c), 0);
}

long long cx_canceller_join(cx_canceller *c, const char *what) {
    assert_int_equal(pthread_join(c->thread, NULL), 0);
    if (c->timed_out) fail_msg("never observed the call blocked in %s within %d ms", what, c->timeout_ms);
    return c->triggered_us;
}
