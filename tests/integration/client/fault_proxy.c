#include "fault_proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_RULES 8
#define MAX_HEADS 256

typedef struct rule {
    char method[16];
    char fragment[128];
    size_t request_limit, response_limit;
    int times;
} rule;

struct fault_proxy {
    int listener;
    int upstream_port;
    char url[64];
    pthread_t acceptor;
    pthread_mutex_t lock;
    rule rules[MAX_RULES];
    int n_rules;
    char *heads[MAX_HEADS];
    int n_heads;
    /* Set by the stopping thread, polled by the connection threads: read and
     * written only through is_stopping()/set_stopping() (atomic builtins; a
     * volatile int is a data race ThreadSanitizer rightly reports). */
    int stopping;
    int active; /* connection threads still running, under lock */
    pthread_cond_t idle;
};

static int is_stopping(const fault_proxy *x) { return __atomic_load_n(&x->stopping, __ATOMIC_ACQUIRE); }
static void set_stopping(fault_proxy *x) { __atomic_store_n(&x->stopping, 1, __ATOMIC_RELEASE); }

typedef struct connection {
    fault_proxy *proxy;
    int client;
} connection;

static int send_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0) return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int connect_upstream(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

/* Reads until the end of the request head; returns its length (the buffer
 * may hold body bytes after it) or -1. */
static ssize_t read_head(fault_proxy *p, int fd, char *buf, size_t size, size_t *got) {
    *got = 0;
    while (*got < size - 1) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, 200);
        if (is_stopping(p)) return -1;
        if (ready == 0) continue;
        if (ready < 0) return -1;
        ssize_t n = recv(fd, buf + *got, size - 1 - *got, 0);
        if (n <= 0) return -1;
        *got += (size_t)n;
        buf[*got] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end) return end - buf + 4;
    }
    return -1;
}

static void *serve(void *arg) {
    connection *c = arg;
    fault_proxy *p = c->proxy;
    static const size_t cap = 64 * 1024;
    char *buf = malloc(cap);
    size_t got = 0;
    int upstream = -1;
    ssize_t head_len = buf ? read_head(p, c->client, buf, cap, &got) : -1;
    if (head_len < 0) goto done;

    /* Record the head and pick the first matching rule. */
    rule chosen = {0};
    pthread_mutex_lock(&p->lock);
    if (p->n_heads < MAX_HEADS) p->heads[p->n_heads++] = strndup(buf, (size_t)head_len);
    for (int i = 0; i < p->n_rules; ++i) {
        rule *r = &p->rules[i];
        size_t mlen = strlen(r->method);
        const char *line_end = strstr(buf, "\r\n");
        if (r->times > 0 && strncmp(buf, r->method, mlen) == 0 && buf[mlen] == ' ' &&
            strstr(buf, r->fragment) && strstr(buf, r->fragment) < line_end) {
            r->times--;
            chosen = *r;
            break;
        }
    }
    pthread_mutex_unlock(&p->lock);

    upstream = connect_upstream(p->upstream_port);
    if (upstream < 0) goto done;
    /* One request per connection: ask the server to close after it. */
    static const char close_header[] = "Connection: close\r\n";
    size_t sent = 0;
    if (send_all(upstream, buf, (size_t)head_len - 2) != 0 ||
        send_all(upstream, close_header, sizeof close_header - 1) != 0 ||
        send_all(upstream, "\r\n", 2) != 0)
        goto done;
    sent = (size_t)head_len;
    size_t body_bytes = got - (size_t)head_len;
    if (chosen.request_limit && sent + body_bytes > chosen.request_limit)
        body_bytes = chosen.request_limit > sent ? chosen.request_limit - sent : 0;
    if (send_all(upstream, buf + head_len, body_bytes) != 0) goto done;
    sent += body_bytes;
    if (chosen.request_limit && sent >= chosen.request_limit) goto done;

    size_t received = 0;
    struct pollfd fds[2] = {{c->client, POLLIN, 0}, {upstream, POLLIN, 0}};
    for (;;) {
        if (poll(fds, 2, 200) < 0) break;
        if (is_stopping(p)) break;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(c->client, buf, cap, 0);
            if (n <= 0) break;
            size_t len = (size_t)n;
            if (chosen.request_limit && sent + len > chosen.request_limit) len = chosen.request_limit - sent;
            if (send_all(upstream, buf, len) != 0) break;
            sent += len;
            if (chosen.request_limit && sent >= chosen.request_limit) break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(upstream, buf, cap, 0);
            if (n <= 0) break;
            size_t len = (size_t)n;
            if (chosen.response_limit && received + len > chosen.response_limit)
                len = chosen.response_limit - received;
            if (send_all(c->client, buf, len) != 0) break;
            received += len;
            if (chosen.response_limit && received >= chosen.response_limit) break;
        }
    }
done:
    if (upstream >= 0) close(upstream);
    close(c->client);
    free(buf);
    free(c);
    pthread_mutex_lock(&p->lock);
    p->active--;
    pthread_cond_broadcast(&p->idle);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void *accept_loop(void *arg) {
    fault_proxy *p = arg;
    for (;;) {
        int fd = accept(p->listener, NULL, NULL);
        if (fd < 0) {
            if (is_stopping(p)) return NULL;
            if (errno == EINTR) continue;
            return NULL;
        }
        if (is_stopping(p)) {
            close(fd);
            return NULL;
        }
        connection *c = malloc(sizeof *c);
        pthread_t thread;
        if (!c) {
            close(fd);
            continue;
        }
        c->proxy = p;
        c->client = fd;
        pthread_mutex_lock(&p->lock);
        p->active++;
        pthread_mutex_unlock(&p->lock);
        if (pthread_create(&thread, NULL, serve, c) != 0) {
            close(fd);
            free(c);
            pthread_mutex_lock(&p->lock);
            p->active--;
            pthread_mutex_unlock(&p->lock);
            continue;
        }
        pthread_detach(thread);
    }
}

fault_proxy *fault_proxy_start(int upstream_port) {
    fault_proxy *p = calloc(1, sizeof *p);
    struct sockaddr_in addr = {0};
    socklen_t len = sizeof addr;
    if (!p) return NULL;
    p->upstream_port = upstream_port;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->idle, NULL);
    p->listener = socket(AF_INET, SOCK_STREAM, 0);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (p->listener < 0 || bind(p->listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(p->listener, 64) != 0 ||
        getsockname(p->listener, (struct sockaddr *)&addr, &len) != 0) {
        free(p);
        return NULL;
    }
    snprintf(p->url, sizeof p->url, "http://127.0.0.1:%d", ntohs(addr.sin_port));
    pthread_create(&p->acceptor, NULL, accept_loop, p);
    return p;
}

void fault_proxy_stop(fault_proxy *p) {
    if (!p) return;
    set_stopping(p);
    shutdown(p->listener, SHUT_RDWR);
    close(p->listener);
    pthread_join(p->acceptor, NULL);
    /* Connection threads notice `stopping` within one poll period. */
    pthread_mutex_lock(&p->lock);
    while (p->active > 0) pthread_cond_wait(&p->idle, &p->lock);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->n_heads; ++i) free(p->heads[i]);
    pthread_cond_destroy(&p->idle);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

const char *fault_proxy_url(const fault_proxy *p) { return p->url; }

void fault_proxy_add_rule(fault_proxy *p, const char *method, const char *fragment,
                          size_t request_limit, size_t response_limit, int times) {
    pthread_mutex_lock(&p->lock);
    if (p->n_rules < MAX_RULES) {
        rule *r = &p->rules[p->n_rules++];
        snprintf(r->method, sizeof r->method, "%s", method);
        snprintf(r->fragment, sizeof r->fragment, "%s", fragment);
        r->request_limit = request_limit;
        r->response_limit = response_limit;
        r->times = times;
    }
    pthread_mutex_unlock(&p->lock);
}

int fault_proxy_count(fault_proxy *p, const char *text) {
    int n = 0;
    pthread_mutex_lock(&p->lock);
    for (int i = 0; i < p->n_heads; ++i)
        if (strstr(p->heads[i], text)) n++;
    pthread_mutex_unlock(&p->lock);
    return n;
}

int fault_proxy_header(fault_proxy *p, const char *text, int nth, const char *name, char *out,
                       size_t size) {
    int found = 0;
    pthread_mutex_lock(&p->lock);
    for (int i = 0; i < p->n_heads && !found; ++i) {
        if (!strstr(p->heads[i], text) || nth-- > 0) continue;
        char key[128];
        snprintf(key, sizeof key, "\r\n%s: ", name);
        const char *at = strstr(p->heads[i], key);
        if (at) {
            at += strlen(key);
            size_t len = strcspn(at, "\r\n");
            snprintf(out, size, "%.*s", (int)len, at);
            found = 1;
        } else {
            break;
        }
    }
    pthread_mutex_unlock(&p->lock);
    return found;
}
