#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static void clear_letts_environment(void) {
    for (;;) {
        char name[256] = {0};
        extern char **environ;
        int found = 0;
        for (char **e = environ; *e; ++e) {
            if (strncmp(*e, "LETTS_", 6) == 0) {
                const char *eq = strchr(*e, '=');
                size_t n = eq ? (size_t)(eq - *e) : strlen(*e);
                if (n >= sizeof name) n = sizeof name - 1;
                memcpy(name, *e, n);
                found = 1;
                break;
            }
        }
        if (!found) return;
        unsetenv(name);
    }
}

/* Moves `fd` to a number >= 10 so that fd 3 stays free for the channel. */
static int high_fd(int fd) {
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    assert_true(moved >= 10);
    close(fd);
    return moved;
}

void write_file(const char *path, const char *data, size_t size) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, size), (ssize_t)size);
    close(fd);
}

char *read_file(const char *path, size_t *size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (len == cap) buf = realloc(buf, (cap *= 2) + 1);
        ssize_t n = read(fd, buf + len, cap - len);
        if (n <= 0) break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    if (size) *size = len;
    return buf;
}

void harness_prepare(harness *h, const char *input, const char *const *env) {
    memset(h, 0, sizeof *h);
    clear_letts_environment();
    strcpy(h->workdir, "/tmp/letts-mission-test-XXXXXX");
    assert_non_null(mkdtemp(h->workdir));
    char path[512];
    const char *dirs[] = {"in", "out", "tmp"};
    for (int i = 0; i < 3; ++i) {
        snprintf(path, sizeof path, "%s/%s", h->workdir, dirs[i]);
        assert_int_equal(mkdir(path, 0755), 0);
    }

    /* stdin: a regular file, like dugdale's input.json */
    snprintf(path, sizeof path, "%s/input.json", h->workdir);
    write_file(path, input ? input : "", input ? strlen(input) : 0);
    int in = open(path, O_RDONLY);
    assert_true(in >= 0);
    assert_int_equal(dup2(in, 0), 0);
    close(in);

    /* fd 3: the write end of a pipe whose read end we keep */
    int ends[2];
    assert_int_equal(pipe(ends), 0);
    int r = high_fd(ends[0]);
    int w = high_fd(ends[1]);
    assert_int_equal(dup2(w, 3), 3);
    close(w);
    fcntl(r, F_SETFL, fcntl(r, F_GETFL) | O_NONBLOCK);
    h->events = r;

    setenv("LETTS_MISSION_ID", "0190a4c2-7d2e-7b7a-9c1d-3f5e6a7b8c9d", 1);
    setenv("LETTS_KIND", "mission", 1);
    setenv("LETTS_LANE", "default", 1);
    setenv("LETTS_WORKDIR", h->workdir, 1);
    snprintf(path, sizeof path, "%s/tmp", h->workdir);
    setenv("LETTS_TMPDIR", path, 1);
    for (; env && *env; ++env) assert_int_equal(putenv((char *)*env), 0);
    h->prepared = 1;
}

void harness_start(harness *h, const char *input, const char *const *env) {
    harness_prepare(h, input, env);
    harness_begin(h, LETTS_MISSION_DEFAULT);
}

void harness_begin(harness *h, unsigned flags) {
    letts_error *err = NULL;
    const char *argv[] = {"mission", NULL};
    letts_status st = letts_mission_start(&h->m, 1, argv, flags, &err);
    if (st != LETTS_OK) fail_msg("letts_mission_start: %s", letts_error_message(err));
    assert_non_null(h->m);
}

void capture_begin(capture *c, int fd) {
    fflush(NULL);
    char path[] = "/tmp/letts-capture-XXXXXX";
    c->fd = fd;
    c->file = mkstemp(path);
    assert_true(c->file >= 0);
    unlink(path);
    c->saved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    assert_true(c->saved >= 0);
    assert_int_equal(dup2(c->file, fd), fd);
}

char *capture_end(capture *c) {
    fflush(NULL);
    assert_int_equal(dup2(c->saved, c->fd), c->fd);
    close(c->saved);
    size_t len = (size_t)lseek(c->file, 0, SEEK_END);
    char *text = malloc(len + 1);
    assert_int_equal(pread(c->file, text, len, 0), (ssize_t)len);
    text[len] = '\0';
    close(c->file);
    return text;
}

char *harness_take(harness *h) {
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (len == cap) buf = realloc(buf, (cap *= 2) + 1);
        ssize_t n = read(h->events, buf + len, cap - len);
        if (n > 0) {
            len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        break; /* EAGAIN: nothing more written; 0: EOF */
    }
    buf[len] = '\0';
    return buf;
}

void harness_expect(harness *h, const char *expected) {
    char *got = harness_take(h);
    assert_string_equal(got, expected);
    free(got);
}

struct harness_drain {
    pthread_t thread;
    int fd; /* a blocking duplicate of the read end */
    char *data;
    size_t len;
};

static void *drain_thread(void *arg) {
    struct harness_drain *d = arg;
    size_t cap = 1 << 16;
    d->data = malloc(cap);
    for (;;) {
        if (d->len == cap) d->data = realloc(d->data, cap *= 2);
        ssize_t n = read(d->fd, d->data + d->len, cap - d->len);
        if (n > 0) d->len += (size_t)n;
        else if (n == 0 || errno != EINTR) break;
    }
    return NULL;
}

void harness_drain_begin(harness *h) {
    assert_null(h->drain);
    h->drain = calloc(1, sizeof *h->drain);
    /* F_SETFL acts on the open file description, shared by dups: open a
     * separate description through /proc to get blocking reads. */
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", h->events);
    h->drain->fd = open(proc, O_RDONLY | O_CLOEXEC);
    assert_true(h->drain->fd >= 0);
    assert_int_equal(pthread_create(&h->drain->thread, NULL, drain_thread, h->drain), 0);
}

char *harness_drain_end(harness *h, size_t *len) {
    assert_non_null(h->drain);
    letts_mission_free(h->m);
    h->m = NULL;
    pthread_join(h->drain->thread, NULL);
    close(h->drain->fd);
    char *data = realloc(h->drain->data, h->drain->len + 1);
    data[h->drain->len] = '\0';
    if (len) *len = h->drain->len;
    free(h->drain);
    h->drain = NULL;
    return data;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st; (void)flag; (void)ftw;
    chmod(path, 0755);
    return remove(path);
}

void harness_finish(harness *h) {
    if (!h->prepared) return;
    h->prepared = 0;
    letts_mission_free(h->m);
    h->m = NULL;
    close(3); /* already closed by the mission when it owned it */
    if (h->events >= 0) close(h->events);
    h->events = -1;
    clear_letts_environment();
    nftw(h->workdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int harness_setup(void **state) {
    harness *h = calloc(1, sizeof *h);
    harness_start(h, "{\"name\":\"ada\"}", NULL);
    *state = h;
    return 0;
}

int harness_teardown(void **state) {
    harness_finish((harness *)*state);
    free(*state);
    return 0;
}

void expect_error(letts_status status, letts_error **err, letts_status want, const char *message) {
    if (status != want)
        fail_msg("status %s, want %s (%s)", letts_status_name(status), letts_status_name(want),
                 letts_error_message(*err));
    assert_int_equal(letts_error_status(*err), want);
    if (message) assert_string_equal(letts_error_message(*err), message);
    letts_error_free(*err);
    *err = NULL;
}
