#include "hostile_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_RECORDED 256
#define HEAD_CAP (64 * 1024)

struct hostile_server {
    int listener;
    int port;
    char url[64];
    hs_handler handler;
    void *arg;
    pthread_t acceptor;
    pthread_mutex_t lock;
    pthread_cond_t idle;
    int active; /* connection threads running, under lock */
    /* Set by the stopping thread, polled by the connection threads: read and
     * written only through is_stopping()/set_stopping() (atomic builtins; a
     * volatile int is a data race ThreadSanitizer rightly reports). */
    int stopping;
    hs_request recorded[MAX_RECORDED];
    int n_recorded;
};

static int is_stopping(const hostile_server *x) { return __atomic_load_n(&x->stopping, __ATOMIC_ACQUIRE); }
static void set_stopping(hostile_server *x) { __atomic_store_n(&x->stopping, 1, __ATOMIC_RELEASE); }

typedef struct connection {
    hostile_server *server;
    int fd;
} connection;

int hs_send(hostile_server *server, int fd, const void *data, size_t len) {
    const char *at = data;
    while (len > 0) {
        if (is_stopping(server)) return -1;
        struct pollfd pfd = {fd, POLLOUT, 0};
        int ready = poll(&pfd, 1, 200);
        if (ready < 0) return -1;
        if (ready == 0) continue;
        if (pfd.revents & (POLLERR | POLLHUP)) return -1;
        ssize_t n = send(fd, at, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
            return -1;
        }
        at += n;
        len -= (size_t)n;
    }
    return 0;
}

int hs_sendf(hostile_server *server, int fd, const char *format, ...) {
    va_list args;
    va_start(args, format);
    char *text = NULL;
    int len = vasprintf(&text, format, args);
    va_end(args);
    if (len < 0) return -1;
    int rc = hs_send(server, fd, text, (size_t)len);
    free(text);
    return rc;
}

size_t hs_send_repeated(hostile_server *server, int fd, const char *pattern, size_t total) {
    /* 64 KiB of the pattern per send: fast enough to reach any cap quickly. */
    size_t plen = strlen(pattern);
    size_t block_len = (64 * 1024 / plen) * plen;
    char *block = malloc(block_len);
    if (!block) return 0;
    for (size_t i = 0; i < block_len; i += plen) memcpy(block + i, pattern, plen);
    size_t sent = 0;
    while (sent < total) {
        size_t n = total - sent < block_len ? total - sent : block_len;
        if (hs_send(server, fd, block, n) != 0) break;
        sent += n;
    }
    free(block);
    return sent;
}

int hs_hold(hostile_server *server, int fd, double seconds) {
    char sink[4096];
    for (int waited_ms = 0; waited_ms < (int)(seconds * 1000) && !is_stopping(server); waited_ms += 100) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, 100);
        if (ready < 0) return 0;
        if (ready == 0) continue;
        ssize_t n = recv(fd, sink, sizeof sink, 0);
        if (n <= 0) return 1;
    }
    return 0;
}

void hs_reset(int fd) {
    /* The server's close() after the handler then sends RST, not FIN. */
    struct linger hard = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
}

/* Reads the request head and drains a Content-Length body; fills `request`. */
static int read_request(hostile_server *s, int fd, hs_request *request) {
    char *buf = malloc(HEAD_CAP + 1);
    if (!buf) return -1;
    size_t got = 0;
    char *end = NULL;
    while (!end && got < HEAD_CAP) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, 200);
        if (is_stopping(s) || ready < 0) break;
        if (ready == 0) continue;
        ssize_t n = recv(fd, buf + got, HEAD_CAP - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
        buf[got] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    if (!end) {
        free(buf);
        return -1;
    }
    memset(request, 0, sizeof *request);
    sscanf(buf, "%15s %511s", request->method, request->target);
    size_t body_left = 0;
    for (char *line = strstr(buf, "\r\n") + 2; line < end; line = strstr(line, "\r\n") + 2) {
        if (strncasecmp(line, "Authorization:", 14) == 0) {
            const char *value = line + 14;
            while (*value == ' ') ++value;
            size_t len = (size_t)(strstr(line, "\r\n") - value);
            if (len >= sizeof request->authorization) len = sizeof request->authorization - 1;
            memcpy(request->authorization, value, len);
        } else if (strncasecmp(line, "Content-Length:", 15) == 0) {
            body_left = strtoul(line + 15, NULL, 10);
        }
    }
    size_t have = got - (size_t)(end + 4 - buf);
    body_left = have >= body_left ? 0 : body_left - have;
    while (body_left > 0) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, 200);
        if (is_stopping(s) || ready < 0) break;
        if (ready == 0) continue;
        ssize_t n = recv(fd, buf, body_left < HEAD_CAP ? body_left : HEAD_CAP, 0);
        if (n <= 0) break;
        body_left -= (size_t)n;
    }
    free(buf);
    pthread_mutex_lock(&s->lock);
    if (s->n_recorded < MAX_RECORDED) s->recorded[s->n_recorded++] = *request;
    pthread_mutex_unlock(&s->lock);
    return 0;
}

static void *serve(void *arg) {
    connection *c = arg;
    hostile_server *s = c->server;
    hs_request request;
    int fd = c->fd;
    if (read_request(s, fd, &request) == 0) {
        s->handler(s, fd, &request, s->arg);
    }
    close(fd);
    free(c);
    pthread_mutex_lock(&s->lock);
    s->active--;
    pthread_cond_broadcast(&s->idle);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

static void *accept_loop(void *arg) {
    hostile_server *s = arg;
    while (!is_stopping(s)) {
        struct pollfd pfd = {s->listener, POLLIN, 0};
        if (poll(&pfd, 1, 100) <= 0) continue;
        int fd = accept(s->listener, NULL, NULL);
        if (fd < 0) continue;
        connection *c = malloc(sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->server = s;
        c->fd = fd;
        pthread_mutex_lock(&s->lock);
        s->active++;
        pthread_mutex_unlock(&s->lock);
        pthread_t thread;
        if (pthread_create(&thread, NULL, serve, c) != 0) {
            close(fd);
            free(c);
            pthread_mutex_lock(&s->lock);
            s->active--;
            pthread_mutex_unlock(&s->lock);
            continue;
        }
        pthread_detach(thread);
    }
    return NULL;
}

hostile_server *hs_start(hs_handler handler, void *arg) {
    hostile_server *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->handler = handler;
    s->arg = arg;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->idle, NULL);
    s->listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (s->listener < 0 || bind(s->listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(s->listener, 64) != 0 ||
        getsockname(s->listener, (struct sockaddr *)&addr, &len) != 0) {
        if (s->listener >= 0) close(s->listener);
        free(s);
        return NULL;
    }
    s->port = ntohs(addr.sin_port);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
    if (pthread_create(&s->acceptor, NULL, accept_loop, s) != 0) {
        close(s->listener);
        free(s);
        return NULL;
    }
    return s;
}

void hs_stop(hostile_server *s) {
    if (!s) return;
    set_stopping(s);
    pthread_join(s->acceptor, NULL);
    close(s->listener);
    pthread_mutex_lock(&s->lock);
    while (s->active > 0) pthread_cond_wait(&s->idle, &s->lock);
    pthread_mutex_unlock(&s->lock);
    pthread_cond_destroy(&s->idle);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

const char *hs_url(const hostile_server *s) { return s->url; }
int hs_port(const hostile_server *s) { return s->port; }

int hs_count(hostile_server *s) {
    pthread_mutex_lock(&s->lock);
    int n = s->n_recorded;
    pthread_mutex_unlock(&s->lock);
    return n;
}

int hs_request_at(hostile_server *s, int n, hs_request *out) {
    pthread_mutex_lock(&s->lock);
    int ok = n >= 0 && n < s->n_recorded;
    if (ok) *out = s->recorded[n];
    pthread_mutex_unlock(&s->lock);
    return ok;
}
