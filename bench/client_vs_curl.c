/* libletts against a hand-written raw-libcurl client doing the same requests.
 *
 * The devserver runs in a forked process (an embedded letts_devserver started
 * in the child before anything else), so getrusage() in this process counts
 * the client's CPU only.
 *
 * Phase A: N sequential dispatch + follow-to-done of a one-line shell
 * mission, through letts_client_run() and through the baseline (one reused
 * curl easy handle: POST /v1/dispatch, then GET .../events?follow=true until
 * the response ends after its "done" line). The two clients alternate
 * operation by operation (ABBA ABBA ..., so neither always goes first) and
 * each operation's process CPU time (CLOCK_PROCESS_CPUTIME_ID) and wall
 * time are added to its own client's totals: a change of the machine's load
 * during the phase hits both. Prints client CPU per operation, the ratio
 * libletts/baseline and wall-clock operations/s.
 *
 * Phase B: a mission writing one output of SIZE bytes (1 GiB by default),
 * run and downloaded by each client, each time in its own forked child so
 * that peak RSS and CPU are separate (read with wait4()); ROUNDS rounds
 * (default 2) in the order AB BA AB ..., figures summed per client. libletts uses an
 * outputs folder (streamed to <role>.partial, size and sha256 verified,
 * renamed); the baseline does dispatch + follow, then GET /v1/staging/{id}
 * into <role>.partial with an incremental OpenSSL EVP sha256, compares size
 * and hash, renames. The download time is measured from the moment
 * <role>.partial appears (a watcher thread polls for it every millisecond,
 * in both children) to the end of the call.
 *
 * Usage: client_vs_curl [-n N] [-s SIZE_BYTES] [-r ROUNDS] [-d DOWNLOAD_PARENT_DIR]
 *                       [-o both|lib|raw]
 * (-o runs phase A with one client only, for a profiler; no ratio then.)
 * Nothing is asserted on speed; the exit status is non-zero only if a
 * request, a run or a verification fails. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "letts/letts.h"

#include "bench_common.h"

static double tv_us(struct timeval tv) { return (double)tv.tv_sec * 1e6 + (double)tv.tv_usec; }

/* CPU time of the whole process (all threads), to the nanosecond: per
 * operation, getrusage()'s tick-sampled user/system split would be too
 * coarse. */
static double cpu_us_self(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

#ifndef LETTS_BUILD_TYPE
#define LETTS_BUILD_TYPE "unknown"
#endif

static int write_script(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    const int ok = fputs(text, f) >= 0;
    if (fclose(f) != 0 || !ok) return -1;
    return chmod(path, 0755);
}

static void remove_missions(const char *dir) {
    char path[512];
    snprintf(path, sizeof path, "%s/quick", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/big", dir);
    remove(path);
    rmdir(dir);
}

/* ---- the devserver process -------------------------------------------- */

/* ---- libletts side ------------------------------------------------------ */

static int lib_fail(const char *what, letts_error *err) {
    fprintf(stderr, "libletts %s: [%s] %s\n", what, letts_status_name(letts_error_status(err)),
            letts_error_message(err));
    letts_error_free(err);
    return -1;
}

static int lib_client(letts_client **client, const char *yaml) {
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    if (letts_config_load_string(&cfg, yaml, strlen(yaml), "devserver letts.yaml", &err) != LETTS_OK ||
        letts_client_new(client, cfg, NULL, &err) != LETTS_OK) {
        letts_config_free(cfg);
        return lib_fail("client", err);
    }
    letts_config_free(cfg);
    return 0;
}

static int lib_job(letts_job **job, const char *mission) {
    letts_error *err = NULL;
    if (letts_job_new(job, mission, &err) != LETTS_OK || letts_job_set_host(*job, "devserver", &err) != LETTS_OK ||
        letts_job_set_lane(*job, "default", &err) != LETTS_OK ||
        letts_job_set_input_json(*job, "{}", &err) != LETTS_OK)
        return lib_fail("job", err);
    return 0;
}

/* One dispatch + follow to done. */
static int lib_run(const letts_client *client, const letts_job *job, const letts_run_options *ropts) {
    letts_run_result *res = NULL;
    letts_error *err = NULL;
    if (letts_client_run(client, job, ropts, &res, &err) != LETTS_OK) return lib_fail("run", err);
    const int ok = letts_run_result_is_success(res);
    letts_run_result_free(res);
    return ok ? 0 : -1;
}

/* ---- raw libcurl baseline ----------------------------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static size_t buf_write(char *p, size_t s, size_t n, void *u) {
    buf *b = u;
    const size_t k = s * n;
    if (b->len + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + k + 1 > cap) cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) return 0;
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, k);
    b->len += k;
    b->p[b->len] = '\0';
    return k;
}

typedef struct raw {
    CURL *easy;
    const char *url;
    char auth[200];
    buf body;
} raw;

static int raw_init(raw *r, const char *url, const char *token) {
    memset(r, 0, sizeof *r);
    r->easy = curl_easy_init();
    r->url = url;
    snprintf(r->auth, sizeof r->auth, "Authorization: Bearer %s", token);
    return r->easy ? 0 : -1;
}

static void raw_free(raw *r) {
    curl_easy_cleanup(r->easy);
    free(r->body.p);
}

/* The "done" line of an NDJSON body, or NULL. */
static const char *done_line(const char *body) {
    for (const char *line = body; line && *line;) {
        const char *nl = strchr(line, '\n');
        const char *hit = strstr(line, "\"event\":\"done\"");
        if (hit && (!nl || hit < nl)) return line;
        line = nl ? nl + 1 : NULL;
    }
    return NULL;
}

/* Copy the string value of "key" found after `from` (tolerates blanks). */
static int json_str(const char *from, const char *key, char *out, size_t cap) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(from, pat);
    if (!p) return -1;
    p += strlen(pat);
    while (*p == ' ' || *p == ':') ++p;
    if (*p++ != '"') return -1;
    size_t n = 0;
    while (*p && *p != '"' && n + 1 < cap) out[n++] = *p++;
    out[n] = '\0';
    return *p == '"' ? 0 : -1;
}

/* POST dispatch, then follow the events until the response ends after the
 * done line; on success `done` (if not NULL) receives a copy of the line. */
static int raw_run(raw *r, const char *mission, char **done) {
    char id[37], key[80], u[512], body[256];
    bench_uuidv7(id);
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    snprintf(u, sizeof u, "%s/v1/dispatch", r->url);
    snprintf(body, sizeof body, "{\"mission\":\"%s\",\"lane\":\"default\",\"input\":{}}", mission);
    struct curl_slist *h = curl_slist_append(NULL, r->auth);
    struct curl_slist *hp = curl_slist_append(curl_slist_append(curl_slist_append(NULL, r->auth), key),
                                              "Content-Type: application/json");
    int rc = -1;
    long status = 0;
    r->body.len = 0;
    curl_easy_setopt(r->easy, CURLOPT_URL, u);
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, hp);
    curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, buf_write);
    curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, &r->body);
    CURLcode c = curl_easy_perform(r->easy);
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    if (c != CURLE_OK || status != 202) {
        fprintf(stderr, "baseline dispatch: %s, HTTP %ld\n", curl_easy_strerror(c), status);
        goto out;
    }
    r->body.len = 0;
    snprintf(u, sizeof u, "%s/v1/missions/%s/events?follow=true", r->url, id);
    curl_easy_setopt(r->easy, CURLOPT_URL, u);
    curl_easy_setopt(r->easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, h);
    c = curl_easy_perform(r->easy);
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    const char *line = r->body.len ? done_line(r->body.p) : NULL;
    if (c != CURLE_OK || status != 200 || !line || !strstr(line, "\"success\"")) {
        fprintf(stderr, "baseline follow: %s, HTTP %ld, %s\n", curl_easy_strerror(c), status,
                line ? line : "no done line");
        goto out;
    }
    if (done) {
        const char *nl = strchr(line, '\n');
        const size_t n = nl ? (size_t)(nl - line) : strlen(line);
        *done = malloc(n + 1);
        if (!*done) goto out;
        memcpy(*done, line, n);
        (*done)[n] = '\0';
    }
    rc = 0;
out:
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(h);
    curl_slist_free_all(hp);
    return rc;
}

typedef struct sink {
    FILE *f;
    EVP_MD_CTX *md;
    long long bytes;
} sink;

static size_t sink_write(char *p, size_t s, size_t n, void *u) {
    sink *k = u;
    const size_t len = s * n;
    if (fwrite(p, 1, len, k->f) != len || EVP_DigestUpdate(k->md, p, len) != 1) return 0;
    k->bytes += (long long)len;
    return len;
}

/* GET /v1/staging/{id} into <dir>/<role>.partial, verify, rename. */
static int raw_download(raw *r, const char *staging_id, const char *sha_hex, long long size, const char *dir,
                        const char *role) {
    char u[512], partial[600], final[600];
    snprintf(u, sizeof u, "%s/v1/staging/%s", r->url, staging_id);
    snprintf(partial, sizeof partial, "%s/%s.partial", dir, role);
    snprintf(final, sizeof final, "%s/%s", dir, role);
    sink k = {fopen(partial, "wb"), EVP_MD_CTX_new(), 0};
    struct curl_slist *h = curl_slist_append(NULL, r->auth);
    int rc = -1;
    if (!k.f || !k.md || EVP_DigestInit_ex(k.md, EVP_sha256(), NULL) != 1) goto out;
    curl_easy_setopt(r->easy, CURLOPT_URL, u);
    curl_easy_setopt(r->easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, &k);
    const CURLcode c = curl_easy_perform(r->easy);
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1] = "";
    if (EVP_DigestFinal_ex(k.md, md, &mdlen) == 1)
        for (unsigned int i = 0; i < mdlen; ++i) snprintf(hex + 2 * i, 3, "%02x", md[i]);
    const int closed = fclose(k.f) == 0;
    k.f = NULL;
    if (c != CURLE_OK || status != 200 || !closed || k.bytes != size || strcmp(hex, sha_hex) != 0) {
        fprintf(stderr, "baseline download: %s, HTTP %ld, %lld/%lld bytes, sha256 %s (want %s)\n",
                curl_easy_strerror(c), status, k.bytes, size, hex, sha_hex);
        remove(partial);
        goto out;
    }
    rc = rename(partial, final);
out:
    if (k.f) fclose(k.f);
    EVP_MD_CTX_free(k.md);
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(h);
    return rc;
}

/* ---- phase B: one client per forked child -------------------------------- */

typedef struct watch {
    pthread_mutex_t mu;
    const char *path;
    int stop;
    double seen;
} watch;

static void *watch_main(void *p) {
    watch *w = p;
    const struct timespec ms = {0, 1000000};
    for (;;) {
        pthread_mutex_lock(&w->mu);
        const int stop = w->stop;
        pthread_mutex_unlock(&w->mu);
        if (stop) return NULL;
        if (access(w->path, F_OK) == 0) {
            const double t = bench_now_ms();
            pthread_mutex_lock(&w->mu);
            w->seen = t;
            pthread_mutex_unlock(&w->mu);
            return NULL;
        }
        nanosleep(&ms, NULL);
    }
}

typedef struct child_report {
    int ok;
    double total_ms;     /* dispatch to verified file */
    double download_ms;  /* <role>.partial appears to verified file */
    long rss_start_kib;  /* ru_maxrss right after the fork */
    long long bytes;
} child_report;

typedef struct phase_b {
    child_report rep;
    double cpu_us;
    long maxrss_kib;
} phase_b;

static int big_libletts(const bench_server *s, const char *dir) {
    letts_client *client = NULL;
    letts_job *job = NULL;
    letts_run_options *ropts = NULL;
    letts_error *err = NULL;
    int rc = -1;
    if (lib_client(&client, s->yaml) != 0 || lib_job(&job, "big") != 0) goto out;
    if (letts_run_options_new(&ropts, &err) != LETTS_OK ||
        letts_run_options_set_outputs_folder(ropts, dir, &err) != LETTS_OK) {
        lib_fail("run options", err);
        goto out;
    }
    rc = lib_run(client, job, ropts);
out:
    letts_run_options_free(ropts);
    letts_job_free(job);
    letts_client_free(client);
    return rc;
}

static int big_baseline(const bench_server *s, const char *dir) {
    raw r;
    char *done = NULL, staging[64], sha[80], *sz;
    int rc = -1;
    if (raw_init(&r, s->url, s->token) != 0 || raw_run(&r, "big", &done) != 0) goto out;
    /* {"event":"done",...,"outputs":{"big":{"staging_id":"…","sha256":"…","size":N}}} */
    const char *o = strstr(done, "\"outputs\"");
    if (!o || json_str(o, "staging_id", staging, sizeof staging) != 0 ||
        json_str(o, "sha256", sha, sizeof sha) != 0 || !(sz = strstr(o, "\"size\""))) {
        fprintf(stderr, "baseline: no output in %s\n", done);
        goto out;
    }
    sz += 6;
    while (*sz == ' ' || *sz == ':') ++sz;
    rc = raw_download(&r, staging, sha, strtoll(sz, NULL, 10), dir, "big");
out:
    free(done);
    raw_free(&r);
    return rc;
}

static int run_child(const bench_server *s, const char *dir, int baseline, phase_b *out) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    fflush(NULL);
    const pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child_report rep = {0, 0, 0, 0, 0};
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        rep.rss_start_kib = ru.ru_maxrss;
        char partial[600], final[600];
        snprintf(partial, sizeof partial, "%s/big.partial", dir);
        snprintf(final, sizeof final, "%s/big", dir);
        watch w = {PTHREAD_MUTEX_INITIALIZER, partial, 0, 0};
        pthread_t th;
        if (mkdir(dir, 0755) != 0 || pthread_create(&th, NULL, watch_main, &w) != 0) _exit(1);
        if (baseline) curl_global_init(CURL_GLOBAL_DEFAULT);
        const double t0 = bench_now_ms();
        const int rc = baseline ? big_baseline(s, dir) : big_libletts(s, dir);
        const double t1 = bench_now_ms();
        pthread_mutex_lock(&w.mu);
        w.stop = 1;
        pthread_mutex_unlock(&w.mu);
        pthread_join(th, NULL);
        if (baseline) curl_global_cleanup();
        struct stat st;
        rep.ok = rc == 0 && stat(final, &st) == 0 && w.seen > 0;
        rep.bytes = rep.ok ? (long long)st.st_size : 0;
        rep.total_ms = t1 - t0;
        rep.download_ms = w.seen > 0 ? t1 - w.seen : 0;
        remove(final);
        remove(partial);
        rmdir(dir);
        const ssize_t wr = write(fds[1], &rep, sizeof rep);
        _exit(wr == (ssize_t)sizeof rep ? 0 : 1);
    }
    close(fds[1]);
    memset(out, 0, sizeof *out);
    ssize_t n;
    do n = read(fds[0], &out->rep, sizeof out->rep);
    while (n < 0 && errno == EINTR);
    close(fds[0]);
    int wst = 0;
    struct rusage ru;
    if (wait4(pid, &wst, 0, &ru) != pid || !WIFEXITED(wst) || WEXITSTATUS(wst) != 0 ||
        n != (ssize_t)sizeof out->rep)
        return -1;
    out->cpu_us = tv_us(ru.ru_utime) + tv_us(ru.ru_stime);
    out->maxrss_kib = ru.ru_maxrss;
    return out->rep.ok ? 0 : -1;
}

/* ---- main --------------------------------------------------------------- */

int main(int argc, char **argv) {
    int n_ops = 300, rounds = 2;
    long long size = 1073741824LL;
    const char *parent = "/tmp";
    const char *only = "both";
    int opt;
    while ((opt = getopt(argc, argv, "n:s:d:r:o:")) != -1) {
        if (opt == 'n') n_ops = atoi(optarg);
        else if (opt == 's') size = atoll(optarg);
        else if (opt == 'd') parent = optarg;
        else if (opt == 'r') rounds = atoi(optarg);
        else if (opt == 'o') only = optarg;
        else {
            fprintf(stderr, "usage: %s [-n OPS] [-s OUTPUT_BYTES] [-r ROUNDS] [-d DOWNLOAD_PARENT_DIR] [-o both|lib|raw]\n",
                    argv[0]);
            return 2;
        }
    }
    const int run_lib = strcmp(only, "raw") != 0, run_raw = strcmp(only, "lib") != 0;
    if (n_ops < 1 || size < 0 || rounds < 0 || (!run_lib && !run_raw)) return 2;
    printf("build type: %s (libletts %s, %s)\n", LETTS_BUILD_TYPE, letts_version(), curl_version());

    char mdir[] = "/tmp/letts-bench-missions-XXXXXX";
    if (!mkdtemp(mdir)) return 1;
    char big[512];
    snprintf(big, sizeof big,
             "#!/bin/sh\nset -e\nhead -c %lld /dev/zero > \"$LETTS_WORKDIR/out/big\"\n"
             "echo '{\"event\":\"output_file\",\"key\":\"big\"}' >&3\necho '{\"event\":\"success\"}' >&3\n",
             size);
    if (write_script(mdir, "quick", "#!/bin/sh\necho '{\"event\":\"success\"}' >&3\n") != 0 ||
        write_script(mdir, "big", big) != 0) {
        remove_missions(mdir);
        return 1;
    }

    bench_server s = {0, -1, NULL, NULL, NULL, NULL, NULL};
    int failures = 0;
    if (bench_server_start(&s, mdir) != 0) {
        fprintf(stderr, "could not start the devserver process\n");
        bench_server_stop(&s);
        remove_missions(mdir);
        return 1;
    }
    printf("devserver pid %d at %s; client pid %d\n", (int)s.pid, s.url, (int)getpid());

    /* Phase A */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    letts_client *client = NULL;
    letts_job *job = NULL;
    raw r;
    const int warm = 10;
    double lib_cpu = 0, lib_wall = 0, raw_cpu = 0, raw_wall = 0;
    if (lib_client(&client, s.yaml) != 0 || lib_job(&job, "quick") != 0 || raw_init(&r, s.url, s.token) != 0) {
        failures++;
        goto phase_b;
    }
    for (int i = 0; i < warm; ++i) {
        if (run_lib) failures += lib_run(client, job, NULL) != 0;
        if (run_raw) failures += raw_run(&r, "quick", NULL) != 0;
    }
    for (int i = 0; i < n_ops; ++i) {
        /* ABBA: the client that goes first alternates every pair. */
        for (int k = 0; k < 2; ++k) {
            const int lib_turn = (k == 0) == (i % 2 == 0);
            if (lib_turn ? !run_lib : !run_raw) continue;
            const double c0 = cpu_us_self(), t0 = bench_now_ms();
            const int rc = lib_turn ? lib_run(client, job, NULL) : raw_run(&r, "quick", NULL);
            const double cpu = cpu_us_self() - c0, wall = bench_now_ms() - t0;
            failures += rc != 0;
            if (lib_turn) {
                lib_cpu += cpu;
                lib_wall += wall;
            } else {
                raw_cpu += cpu;
                raw_wall += wall;
            }
        }
    }
    raw_free(&r);
    printf("\nPhase A: %d sequential dispatch+follow-to-done per client, interleaved ABBA (after %d warm-up each)\n",
           n_ops, warm);
    if (run_lib)
        printf("  %-9s client CPU %8.1f us/op   wall %7.1f ops/s\n", "libletts", lib_cpu / n_ops,
               n_ops / (lib_wall / 1e3));
    if (run_raw)
        printf("  %-9s client CPU %8.1f us/op   wall %7.1f ops/s\n", "baseline", raw_cpu / n_ops,
               n_ops / (raw_wall / 1e3));
    if (run_lib && run_raw)
        printf("  ratio libletts/baseline: CPU per op %.2f, wall time %.2f\n", lib_cpu / raw_cpu,
               lib_wall / raw_wall);

phase_b:
    letts_job_free(job);
    letts_client_free(client);
    curl_global_cleanup();

    /* Phase B: rounds AB, BA, AB, ...; each client's figures summed. */
    if (rounds > 0) {
        char dl[512];
        phase_b sum[2];
        int ok[2] = {1, 1};
        memset(sum, 0, sizeof sum);
        const double mib = (double)size / (1024.0 * 1024.0);
        const char *names[2] = {"libletts", "baseline"};
        printf("\nPhase B: one mission writing a %lld-byte output (%.0f MiB), run and downloaded to %s,"
               " %d round(s) per client, interleaved AB BA\n", size, mib, parent, rounds);
        for (int round = 0; round < rounds; ++round) {
            for (int k = 0; k < 2; ++k) {
                const int baseline = (k == 0) != (round % 2 == 0);
                phase_b one;
                snprintf(dl, sizeof dl, "%s/letts-bench-dl-%d-%s", parent, (int)getpid(), baseline ? "raw" : "lib");
                const int rc = run_child(&s, dl, baseline, &one);
                failures += rc != 0;
                if (rc != 0 || !one.rep.ok) {
                    ok[baseline] = 0;
                    printf("  round %d %-9s FAILED\n", round + 1, names[baseline]);
                    continue;
                }
                printf("  round %d %-9s download %7.1f MiB/s (%.0f ms)  run+download %.0f ms  client CPU %.0f ms"
                       "  peak RSS %.1f MiB (%.1f MiB at fork)\n",
                       round + 1, names[baseline], mib / (one.rep.download_ms / 1e3), one.rep.download_ms,
                       one.rep.total_ms, one.cpu_us / 1e3, (double)one.maxrss_kib / 1024.0,
                       (double)one.rep.rss_start_kib / 1024.0);
                sum[baseline].rep.download_ms += one.rep.download_ms;
                sum[baseline].cpu_us += one.cpu_us;
                if (one.maxrss_kib > sum[baseline].maxrss_kib) sum[baseline].maxrss_kib = one.maxrss_kib;
            }
        }
        if (ok[0] && ok[1])
            printf("  ratio libletts/baseline over all rounds: throughput %.2f, client CPU %.2f, peak RSS %.2f"
                   " (libletts peak %.1f MiB)\n",
                   sum[1].rep.download_ms / sum[0].rep.download_ms, sum[0].cpu_us / sum[1].cpu_us,
                   (double)sum[0].maxrss_kib / (double)sum[1].maxrss_kib, (double)sum[0].maxrss_kib / 1024.0);
    }

    bench_server_stop(&s);
    remove_missions(mdir);
    printf("\nfailures: %d\n", failures);
    return failures ? 1 : 0;
}
