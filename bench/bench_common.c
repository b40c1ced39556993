#define _GNU_SOURCE
#include "bench_common.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "letts/letts.h"

double bench_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void bench_uuidv7(char out[37]) {
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) abort();
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    const unsigned long long ms = (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
    for (int i = 0; i < 6; ++i) b[i] = (unsigned char)(ms >> (8 * (5 - i)));
    b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
             b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static void proc_path(char *out, size_t cap, pid_t pid, const char *what) {
    if (pid == 0) snprintf(out, cap, "/proc/self/%s", what);
    else snprintf(out, cap, "/proc/%d/%s", (int)pid, what);
}

long bench_proc_status(pid_t pid, const char *field) {
    char path[64], line[256];
    proc_path(path, sizeof path, pid, "status");
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long v = -1;
    const size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':') v = atol(line + n + 1);
    fclose(f);
    return v;
}

long bench_proc_count(pid_t pid, const char *dir) {
    char path[64];
    proc_path(path, sizeof path, pid, dir);
    DIR *d = opendir(path);
    if (!d) return -1;
    long n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) n += e->d_name[0] != '.';
    closedir(d);
    /* Reading this process's own fd directory holds one more descriptor. */
    return pid == 0 && strcmp(dir, "fd") == 0 ? n - 1 : n;
}

void bench_raise_fd_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* The child: starts the devserver, writes its four strings (each with its
 * NUL) to info_fd, serves until ctl_fd reaches end of file. */
static void server_child(const char *mission_dir, int info_fd, int ctl_fd) {
    letts_devserver_options *opts = NULL;
    letts_devserver *srv = NULL;
    letts_error *err = NULL;
    bench_raise_fd_limit();
    if (mission_dir != NULL && (letts_devserver_options_new(&opts, &err) != LETTS_OK ||
                                letts_devserver_options_set_mission_dir(opts, mission_dir, &err) != LETTS_OK)) {
        fprintf(stderr, "devserver options: %s\n", letts_error_message(err));
        _exit(1);
    }
    if (letts_devserver_start(&srv, opts, &err) != LETTS_OK) {
        fprintf(stderr, "devserver: %s\n", letts_error_message(err));
        _exit(1);
    }
    letts_devserver_options_free(opts);
    const char *parts[4] = {letts_devserver_url(srv), letts_devserver_dispatch_token(srv),
                            letts_devserver_admin_token(srv), letts_devserver_client_config(srv)};
    for (int i = 0; i < 4; ++i) {
        const size_t n = strlen(parts[i]) + 1;
        for (size_t off = 0; off < n;) {
            const ssize_t w = write(info_fd, parts[i] + off, n - off);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) _exit(1);
            off += (size_t)w;
        }
    }
    close(info_fd);
    char c;
    while (read(ctl_fd, &c, 1) < 0 && errno == EINTR) {
    }
    letts_devserver_free(srv);
    _exit(0);
}

int bench_server_start(bench_server *s, const char *mission_dir) {
    memset(s, 0, sizeof *s);
    s->ctl_fd = -1;
    int info[2], ctl[2];
    if (pipe(info) != 0) return -1;
    if (pipe(ctl) != 0) {
        close(info[0]);
        close(info[1]);
        return -1;
    }
    fflush(NULL);
    s->pid = fork();
    if (s->pid < 0) {
        close(info[0]);
        close(info[1]);
        close(ctl[0]);
        close(ctl[1]);
        return -1;
    }
    if (s->pid == 0) {
        close(info[0]);
        close(ctl[1]);
        server_child(mission_dir, info[1], ctl[0]);
    }
    close(info[1]);
    close(ctl[0]);
    s->ctl_fd = ctl[1];
    size_t len = 0, cap = 4096;
    s->info = malloc(cap);
    if (s->info == NULL) {
        close(info[0]);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            char *p = realloc(s->info, cap *= 2);
            if (!p) break;
            s->info = p;
        }
        const ssize_t r = read(info[0], s->info + len, cap - len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        len += (size_t)r;
    }
    close(info[0]);
    size_t nuls = 0;
    for (size_t i = 0; i < len; ++i) nuls += s->info[i] == '\0';
    if (nuls != 4) return -1;
    s->url = s->info;
    s->token = s->url + strlen(s->url) + 1;
    s->admin = s->token + strlen(s->token) + 1;
    s->yaml = s->admin + strlen(s->admin) + 1;
    return 0;
}

void bench_server_stop(bench_server *s) {
    if (s->ctl_fd >= 0) close(s->ctl_fd);
    s->ctl_fd = -1;
    if (s->pid > 0) waitpid(s->pid, NULL, 0);
    s->pid = 0;
    free(s->info);
    s->info = NULL;
}
