/* Mission start overhead and supervision cost of letts-devserver (issue 15).
 *
 * The devserver runs in a forked process (an embedded letts_devserver,
 * default instance), so its threads and descriptors are its own
 * /proc/<pid>/task and /proc/<pid>/fd.
 *
 * Phase 1, start overhead: N sequential dispatches of a tiny compiled
 * mission (mission_start_probe, which reads CLOCK_REALTIME first thing and
 * returns it); for each, the probe's time minus the moment the 202 of the
 * dispatch was received (CLOCK_REALTIME in this process, same machine).
 * The server starts a picked job while its answer is on the way, so a value
 * can be negative; "sent" columns measure from before the request instead.
 *
 * Phase 2, run() against the bare round trips: N pairs, interleaved ABAB,
 * of letts_client_run() of the probe and of the raw libcurl equivalent
 * (POST /v1/dispatch, then GET .../events?follow=true to the done line) on
 * one reused easy handle; wall time of each, medians and their ratio.
 *
 * Phase 3, many missions: M missions `exec sleep S` dispatched on a lane of
 * concurrency M+100; while they run, the server's threads, descriptors and
 * mission processes are sampled every 10 ms; peaks reported; every mission
 * must end `success`.
 *
 * Usage: mission_start [-n N] [-m M] [-s SLEEP_SECONDS]
 * Nothing is asserted on speed; the exit status is non-zero only if a
 * request or a mission fails. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "letts/letts.h"

#include "bench_common.h"

#ifndef PROBE_PATH
#error "PROBE_PATH: path of the built mission_start_probe"
#endif

static long long realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static double mono_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int write_file(const char *dir, const char *name, const char *data, size_t len) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    const int ok = fwrite(data, 1, len, f) == len;
    if (fclose(f) != 0 || !ok) return -1;
    return chmod(path, 0755);
}

static int copy_probe(const char *dir) {
    FILE *in = fopen(PROBE_PATH, "rb");
    if (!in) return -1;
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            char *p = realloc(data, cap = cap ? cap * 2 : 65536);
            if (!p) break;
            data = p;
        }
        const size_t n = fread(data + len, 1, cap - len, in);
        if (n == 0) break;
        len += n;
    }
    fclose(in);
    const int rc = data ? write_file(dir, "probe", data, len) : -1;
    free(data);
    return rc;
}

static void remove_missions(const char *dir) {
    const char *names[] = {"probe", "sleeper"};
    char path[512];
    for (size_t i = 0; i < sizeof names / sizeof *names; ++i) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        remove(path);
    }
    rmdir(dir);
}

/* ---- the devserver process -------------------------------------------- */

/* Children of every thread of the server (mission leaders). */
static int server_children(pid_t pid) {
    char path[128];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d) return -1;
    int n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char file[300];
        snprintf(file, sizeof file, "/proc/%d/task/%s/children", (int)pid, e->d_name);
        FILE *f = fopen(file, "r");
        if (!f) continue;
        int c, in_word = 0;
        while ((c = fgetc(f)) != EOF) {
            if (c != ' ' && c != '\n' && !in_word) ++n;
            in_word = c != ' ' && c != '\n';
        }
        fclose(f);
    }
    closedir(d);
    return n;
}

/* ---- raw libcurl requests ----------------------------------------------- */

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
    const bench_server *s;
    buf body;
} raw;

/* One request on the reused handle; the body lands in r->body. */
static long request(raw *r, const char *method, const char *path, const char *token, const char *body,
                    const char *idempotency_key) {
    char u[512], auth[256], key[96];
    snprintf(u, sizeof u, "%s%s", r->s->url, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    if (body) h = curl_slist_append(h, "Content-Type: application/json");
    if (idempotency_key) {
        snprintf(key, sizeof key, "Idempotency-Key: %s", idempotency_key);
        h = curl_slist_append(h, key);
    }
    r->body.len = 0;
    if (r->body.p) r->body.p[0] = '\0';
    curl_easy_setopt(r->easy, CURLOPT_URL, u);
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, h);
    if (body) {
        curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(r->easy, CURLOPT_CUSTOMREQUEST, strcmp(method, "POST") ? method : NULL);
    } else {
        curl_easy_setopt(r->easy, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, buf_write);
    curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, &r->body);
    const CURLcode c = curl_easy_perform(r->easy);
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(h);
    if (c != CURLE_OK) fprintf(stderr, "%s %s: %s\n", method, path, curl_easy_strerror(c));
    return c == CURLE_OK ? status : -1;
}

static int dispatch(raw *r, const char *mission, const char *lane, char id[37]) {
    char body[256];
    bench_uuidv7(id);
    snprintf(body, sizeof body, "{\"mission\":\"%s\",\"lane\":\"%s\",\"input\":{}}", mission, lane);
    const long st = request(r, "POST", "/v1/dispatch", r->s->token, body, id);
    if (st != 202) fprintf(stderr, "dispatch %s: HTTP %ld %s\n", mission, st, r->body.p ? r->body.p : "");
    return st == 202 ? 0 : -1;
}

/* Follows the events to the done line; copies it into `done` (may be NULL). */
static int follow(raw *r, const char *id, char *done, size_t cap) {
    char path[128];
    snprintf(path, sizeof path, "/v1/missions/%s/events?follow=true", id);
    const long st = request(r, "GET", path, r->s->token, NULL, NULL);
    const char *line = st == 200 && r->body.p ? strstr(r->body.p, "\"event\":\"done\"") : NULL;
    if (!line || !strstr(line, "\"outcome\":\"success\"")) {
        fprintf(stderr, "follow %s: HTTP %ld, %s\n", id, st, line ? line : "no done line");
        return -1;
    }
    if (done) snprintf(done, cap, "%s", line);
    return 0;
}

static int cmp_double(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int i = (int)(p * (n - 1) + 0.5);
    return v[i];
}

/* ---- libletts side ------------------------------------------------------ */

static int lib_fail(const char *what, letts_error *err) {
    fprintf(stderr, "libletts %s: %s\n", what, letts_error_message(err));
    letts_error_free(err);
    return -1;
}

static int lib_run(const letts_client *client, const letts_job *job) {
    letts_run_result *res = NULL;
    letts_error *err = NULL;
    if (letts_client_run(client, job, NULL, &res, &err) != LETTS_OK) return lib_fail("run", err);
    const int ok = letts_run_result_is_success(res);
    letts_run_result_free(res);
    return ok ? 0 : -1;
}

int main(int argc, char **argv) {
    int n = 300, m = 1000, sleep_s = 1, opt;
    while ((opt = getopt(argc, argv, "n:m:s:")) != -1) {
        if (opt == 'n') n = atoi(optarg);
        else if (opt == 'm') m = atoi(optarg);
        else if (opt == 's') sleep_s = atoi(optarg);
        else {
            fprintf(stderr, "usage: %s [-n N] [-m M] [-s SLEEP_SECONDS]\n", argv[0]);
            return 2;
        }
    }
    if (n < 1 || m < 0 || sleep_s < 0) return 2;
    char mdir[] = "/tmp/letts-bench-missions-XXXXXX";
    if (!mkdtemp(mdir)) return 1;
    char sleeper[64];
    snprintf(sleeper, sizeof sleeper, "#!/bin/sh\nexec sleep %d\n", sleep_s);
    if (copy_probe(mdir) != 0 || write_file(mdir, "sleeper", sleeper, strlen(sleeper)) != 0) {
        fprintf(stderr, "cannot write the missions into %s\n", mdir);
        remove_missions(mdir);
        return 1;
    }
    bench_server s = {0, -1, NULL, NULL, NULL, NULL, NULL};
    if (bench_server_start(&s, mdir) != 0) {
        fprintf(stderr, "could not start the devserver process\n");
        bench_server_stop(&s);
        remove_missions(mdir);
        return 1;
    }
    printf("devserver pid %d at %s; %d threads, %d fds at start\n", (int)s.pid, s.url, (int)bench_proc_count(s.pid, "task"),
           (int)bench_proc_count(s.pid, "fd"));
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int failures = 0;
    raw r = {curl_easy_init(), &s, {NULL, 0, 0}};
    double *a = calloc((size_t)n, sizeof *a), *b = calloc((size_t)n, sizeof *b);
    double *sent = calloc((size_t)n, sizeof *sent);
    if (!r.easy || !a || !b || !sent) return 1;
    char id[37], done[4096];

    /* Phase 1 */
    const int warm = 10;
    int ok1 = 0;
    for (int i = -warm; i < n; ++i) {
        const long long t_sent = realtime_ns();
        if (dispatch(&r, "probe", "default", id) != 0) {
            ++failures;
            continue;
        }
        const long long t_answered = realtime_ns();
        if (follow(&r, id, done, sizeof done) != 0) {
            ++failures;
            continue;
        }
        const char *p = strstr(done, "\"exec_ns\":");
        if (!p) {
            fprintf(stderr, "no exec_ns in %s\n", done);
            ++failures;
            continue;
        }
        const long long t_exec = atoll(p + strlen("\"exec_ns\":"));
        if (i < 0) continue;
        a[ok1] = (double)(t_exec - t_answered) / 1e3;
        sent[ok1] = (double)(t_exec - t_sent) / 1e3;
        ++ok1;
    }
    if (ok1 > 0) {
        printf("\nPhase 1: %d sequential dispatches of a compiled probe (after %d warm-up)\n", ok1, warm);
        const double a50 = pct(a, ok1, 0.5), a99 = pct(a, ok1, 0.99), amin = a[0], amax = a[ok1 - 1];
        const double s50 = pct(sent, ok1, 0.5), s99 = pct(sent, ok1, 0.99);
        printf("  answered -> exec: p50 %8.1f us  p99 %8.1f us  min %8.1f us  max %8.1f us\n", a50, a99, amin,
               amax);
        printf("  sent     -> exec: p50 %8.1f us  p99 %8.1f us\n", s50, s99);
    }

    /* Phase 2 */
    letts_config *cfg = NULL;
    letts_client *client = NULL;
    letts_job *job = NULL;
    letts_error *err = NULL;
    if (letts_config_load_string(&cfg, s.yaml, strlen(s.yaml), "devserver letts.yaml", &err) != LETTS_OK ||
        letts_client_new(&client, cfg, NULL, &err) != LETTS_OK || letts_job_new(&job, "probe", &err) != LETTS_OK ||
        letts_job_set_host(job, "devserver", &err) != LETTS_OK ||
        letts_job_set_lane(job, "default", &err) != LETTS_OK ||
        letts_job_set_input_json(job, "{}", &err) != LETTS_OK) {
        failures += lib_fail("client", err) != 0;
    } else {
        for (int i = 0; i < warm; ++i)
            failures += (lib_run(client, job) != 0) + (dispatch(&r, "probe", "default", id) != 0 ||
                                                       follow(&r, id, NULL, 0) != 0);
        double sum_a = 0, sum_b = 0;
        for (int i = 0; i < n; ++i) {
            double t0 = mono_us();
            failures += lib_run(client, job) != 0;
            a[i] = mono_us() - t0;
            t0 = mono_us();
            failures += dispatch(&r, "probe", "default", id) != 0 || follow(&r, id, NULL, 0) != 0;
            b[i] = mono_us() - t0;
            sum_a += a[i];
            sum_b += b[i];
        }
        const double ma = pct(a, n, 0.5), mb = pct(b, n, 0.5);
        printf("\nPhase 2: %d pairs, interleaved ABAB, of a probe mission run to done\n", n);
        printf("  letts_client_run  p50 %8.1f us  mean %8.1f us\n", ma, sum_a / n);
        printf("  raw POST+follow   p50 %8.1f us  mean %8.1f us\n", mb, sum_b / n);
        printf("  ratio run()/raw: p50 %.3f  mean %.3f\n", ma / mb, sum_a / sum_b);
    }
    letts_job_free(job);
    letts_client_free(client);
    letts_config_free(cfg);

    /* Phase 3 */
    if (m > 0) {
        char doc[1024];
        snprintf(doc, sizeof doc,
                 "{\"mission_dir\":\"%s\",\"lanes\":{\"default\":{\"concurrency\":4},\"wide\":{\"concurrency\":%d}},"
                 "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}",
                 mdir, m + 100);
        const long st = request(&r, "POST", "/v1/admin/apply", s.admin, doc, NULL);
        if (st != 200) {
            fprintf(stderr, "apply: HTTP %ld %s\n", st, r.body.p ? r.body.p : "");
            ++failures;
        } else {
            char (*ids)[37] = calloc((size_t)m, 37);
            int peak_threads = 0, peak_fds = 0, peak_children = 0, threads_at_peak = 0;
            const double t0 = mono_us();
            int dispatched = 0;
            for (int i = 0; i < m; ++i) {
                if (dispatch(&r, "sleeper", "wide", ids[dispatched]) == 0) ++dispatched;
                else ++failures;
            }
            const double dispatch_ms = (mono_us() - t0) / 1e3;
            for (;;) {
                const int th = (int)bench_proc_count(s.pid, "task"), fd = (int)bench_proc_count(s.pid, "fd"), ch = server_children(s.pid);
                if (th > peak_threads) peak_threads = th;
                if (fd > peak_fds) peak_fds = fd;
                if (ch > peak_children) {
                    peak_children = ch;
                    threads_at_peak = th;
                }
                if (ch == 0 || mono_us() - t0 > (sleep_s + 120) * 1e6) break;
                struct timespec ts = {0, 10 * 1000 * 1000};
                nanosleep(&ts, NULL);
            }
            const double all_ms = (mono_us() - t0) / 1e3;
            int succeeded = 0;
            for (int i = 0; i < dispatched; ++i) {
                char path[128];
                snprintf(path, sizeof path, "/v1/missions/%s", ids[i]);
                /* waits for the last ones to be published */
                for (int tries = 0; tries < 2000; ++tries) {
                    if (request(&r, "GET", path, s.admin, NULL, NULL) != 200) break;
                    if (strstr(r.body.p, "\"status\":\"done\"")) break;
                    struct timespec ts = {0, 5 * 1000 * 1000};
                    nanosleep(&ts, NULL);
                }
                succeeded += strstr(r.body.p, "\"outcome\":\"success\"") != NULL;
            }
            failures += dispatched - succeeded;
            printf("\nPhase 3: %d missions `exec sleep %d` on a lane of concurrency %d\n", m, sleep_s, m + 100);
            printf("  dispatched in %.0f ms; no mission process left after %.0f ms; %d succeeded\n", dispatch_ms,
                   all_ms, succeeded);
            printf("  peak mission processes %d (server threads then %d); peak server threads %d, fds %d\n",
                   peak_children, threads_at_peak, peak_threads, peak_fds);
            free(ids);
        }
    }

    curl_easy_cleanup(r.easy);
    free(r.body.p);
    free(a);
    free(b);
    free(sent);
    curl_global_cleanup();
    bench_server_stop(&s);
    remove_missions(mdir);
    printf("\nfailures: %d\n", failures);
    return failures ? 1 : 0;
}
