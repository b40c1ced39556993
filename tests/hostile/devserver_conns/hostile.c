#include "hostile.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

void hs_dispatch_request(char *out, size_t size, const ds_server *s, char id[37], const char *rest) {
    ds_uuidv7(id);
    const int n = snprintf(out, size,
                           "POST /v1/dispatch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                           "Idempotency-Key: %s\r\n%s",
                           s->dispatch_token, id, rest);
    assert_true(n > 0 && (size_t)n < size);
}

static int count_entries(pid_t pid, const char *sub) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, sub);
    DIR *d = opendir(path);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

int hs_threads(pid_t pid) { return count_entries(pid, "task"); }
int hs_fds(pid_t pid) { return count_entries(pid, "fd"); }

long hs_wait_counts(pid_t pid, int threads, int fds, int timeout_ms) {
    const long long start = ds_now_ms();
    for (;;) {
        if (hs_threads(pid) <= threads && hs_fds(pid) <= fds) return (long)(ds_now_ms() - start);
        if (ds_now_ms() - start > timeout_ms) return -1;
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

int hs_connect(const char *url) {
    int port = 0;
    assert_int_equal(sscanf(url, "http://127.0.0.1:%d", &port), 1);
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

void hs_send(int fd, const char *data) {
    size_t off = 0, len = strlen(data);
    while (off < len) {
        const ssize_t n = send(fd, data + off, len - off, MSG_NOSIGNAL);
        assert_true(n > 0);
        off += (size_t)n;
    }
}

char *hs_read_until_close(int fd, int timeout_ms, int *closed) {
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    const long long deadline = ds_now_ms() + timeout_ms;
    *closed = 0;
    for (;;) {
        const long long left = deadline - ds_now_ms();
        if (left <= 0) break;
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, (int)left) <= 0) continue;
        if (len + 1024 > cap) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
        const ssize_t n = recv(fd, out + len, cap - len - 1, 0);
        if (n <= 0) {
            *closed = 1;
            break;
        }
        len += (size_t)n;
    }
    out[len] = '\0';
    return out;
}

long hs_wait_close(int fd, int timeout_ms) {
    const long long start = ds_now_ms();
    char buf[4096];
    for (;;) {
        const long long left = start + timeout_ms - ds_now_ms();
        if (left <= 0) return -1;
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, (int)left) <= 0) continue;
        const ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return (long)(ds_now_ms() - start);
    }
}

cJSON *hs_body_json(const char *response) {
    const char *body = strstr(response, "\r\n\r\n");
    assert_non_null(body);
    cJSON *j = cJSON_Parse(body + 4);
    assert_non_null(j);
    return j;
}
