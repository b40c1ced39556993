/* Cancel latency: how long a blocked call takes to return LETTS_ERR_CANCELLED
 * after a letts_cancel is triggered from another thread (issue 12's target:
 * 50 ms, whatever the server is doing).
 *
 * An embedded letts-devserver runs one mission that sleeps for the whole
 * bench. Three scenarios, N cancels each (default 200), one at a time:
 *
 *   stream   letts_client_wait on that mission: the call sits on an open,
 *            silent event stream; the trigger comes 10-40 ms after the call
 *            started (varied, so it lands at different points of the
 *            server's 100 ms follow poll).
 *   connect  letts_client_run against a loopback port whose accept queue is
 *            full: the call sits in a connect that would last 30 s.
 *   run      letts_client_run of a fresh sleeping mission, triggered once
 *            the mission is running (observed with get_mission from the
 *            canceller thread): dispatch, then follow, then cancel;
 *            kill_on_cancel on so missions do not pile up.
 *
 * For each: p50, p99 and max of trigger -> return, and how many calls
 * returned something other than LETTS_ERR_CANCELLED (should be 0).
 * Timings are reported, never asserted.
 *
 * Usage: cancel_latency [-n N]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "letts/letts.h"
#include "letts/run_handle.h"

static long long now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void sleep_us(long long us) {
    struct timespec ts = {us / 1000000, (long)(us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void die(const char *what, letts_error *err) {
    fprintf(stderr, "cancel_latency: %s: %s\n", what, err ? letts_error_message(err) : "failed");
    exit(1);
}

static void uuidv7(char out[37]) {
    /* Good enough for a bench: time-ordered prefix, random rest. */
    static unsigned counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    const unsigned long long ms = (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
    const unsigned r1 = (unsigned)rand() & 0xfff, r2 = ((unsigned)rand() & 0x3fff) | 0x8000;
    const unsigned long long r3 = ((unsigned long long)rand() << 16 ^ (unsigned long long)++counter) & 0xffffffffffffULL;
    snprintf(out, 37, "%08llx-%04llx-7%03x-%04x-%012llx", (ms >> 16) & 0xffffffffULL, ms & 0xffff, r1 & 0xfff,
             r2 & 0xffff, r3);
}

/* ---- the canceller thread ----------------------------------------------- */

typedef struct canceller {
    pthread_t thread;
    letts_cancel *cancel;
    long long delay_us;              /* when no mission id is watched */
    const letts_client *client;      /* with `id`: trigger once it runs */
    const char *id;
    long long triggered_us;
} canceller;

static int running(const letts_client *client, const char *id) {
    letts_mission_info *info = NULL;
    if (letts_client_get_mission(client, "dev", id, &info, NULL) != LETTS_OK || !info) return 0;
    const int yes = strcmp(letts_mission_info_status(info), "running") == 0;
    letts_mission_info_free(info);
    return yes;
}

static void *canceller_main(void *arg) {
    canceller *c = arg;
    if (c->id) {
        const long long deadline = now_us() + 30LL * 1000 * 1000;
        while (!running(c->client, c->id) && now_us() < deadline) sleep_us(2000);
        sleep_us(c->delay_us); /* let the run reach its event stream */
    } else {
        sleep_us(c->delay_us);
    }
    c->triggered_us = now_us();
    letts_cancel_trigger(c->cancel);
    return NULL;
}

/* ---- statistics -------------------------------------------------------------- */

static int cmp_ll(const void *a, const void *b) {
    const long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, long long *lat, int n, int wrong) {
    qsort(lat, (size_t)n, sizeof *lat, cmp_ll);
    int p99 = (n * 99 + 99) / 100 - 1;
    if (p99 < 0) p99 = 0;
    int over = 0;
    for (int i = 0; i < n; ++i) over += lat[i] > 50000;
    printf("%-8s n=%d  p50 %.2f ms  p99 %.2f ms  max %.2f ms  over 50 ms: %d  not cancelled: %d\n", name, n,
           (double)lat[n / 2] / 1000.0, (double)lat[p99] / 1000.0, (double)lat[n - 1] / 1000.0, over, wrong);
    fflush(stdout);
}

/* ---- a port that never answers -------------------------------------------------- */

static int blackhole(int fillers[8]) {
    struct sockaddr_in addr = {0};
    socklen_t len = sizeof addr;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l < 0 || bind(l, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(l, 0) != 0 ||
        getsockname(l, (struct sockaddr *)&addr, &len) != 0)
        die("black-hole listener", NULL);
    for (int i = 0; i < 8; ++i) { /* fill the accept queue (a completed connect each) */
        fillers[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        connect(fillers[i], (struct sockaddr *)&addr, sizeof addr);
        struct pollfd p = {fillers[i], POLLOUT, 0};
        if (poll(&p, 1, 200) == 0) { /* this one is already blocked: full */
            close(fillers[i]);
            fillers[i] = -1;
            break;
        }
    }
    return ntohs(addr.sin_port);
}

static letts_client *client_for(const char *url, const char *token, const char *admin) {
    char yaml[1024];
    letts_config *cfg = NULL;
    letts_client *client = NULL;
    letts_error *err = NULL;
    snprintf(yaml, sizeof yaml,
             "auth: {token: \"%s\", admin_token: \"%s\"}\n"
             "dugdales:\n  - id: dev\n    url: \"%s\"\n    lanes: {default: {concurrency: 4}}\n",
             token, admin, url);
    if (letts_config_load_string(&cfg, yaml, strlen(yaml), "bench.yaml", &err) != LETTS_OK ||
        letts_client_new(&client, cfg, NULL, &err) != LETTS_OK)
        die("client", err);
    letts_config_free(cfg);
    return client;
}

/* A job for `mission` on dev/default with mission id `id`. */
static letts_job *job_for(const char *mission, const char *id) {
    letts_job *job = NULL;
    letts_error *err = NULL;
    if (letts_job_new(&job, mission, &err) != LETTS_OK || letts_job_set_host(job, "dev", &err) != LETTS_OK ||
        letts_job_set_lane(job, "default", &err) != LETTS_OK ||
        letts_job_set_mission_id(job, id, &err) != LETTS_OK)
        die("job", err);
    return job;
}

/* One cancelled call: `call` runs on this thread while the canceller waits. */
typedef letts_status (*blocking_call)(void *arg, letts_cancel *cancel, letts_error **err);

static long long one_cancel(blocking_call call, void *arg, long long delay_us, const letts_client *watch,
                            const char *id, int *wrong) {
    canceller c = {0};
    letts_error *err = NULL;
    if (letts_cancel_new(&c.cancel, &err) != LETTS_OK) die("cancel", err);
    c.delay_us = delay_us;
    c.client = watch;
    c.id = id;
    pthread_create(&c.thread, NULL, canceller_main, &c);
    const letts_status st = call(arg, c.cancel, &err);
    const long long returned = now_us();
    pthread_join(c.thread, NULL);
    if (st != LETTS_ERR_CANCELLED) {
        (*wrong)++;
        fprintf(stderr, "  not cancelled: %s: %s\n", letts_status_name(st), letts_error_message(err));
    }
    letts_error_free(err);
    letts_cancel_free(c.cancel);
    return returned - c.triggered_us;
}

typedef struct call_args {
    const letts_client *client;
    const char *mission;
    char id[37];
    int kill_on_cancel;
} call_args;

static letts_run_options *opts_with(letts_cancel *cancel, int kill) {
    letts_run_options *opts = NULL;
    letts_error *err = NULL;
    if (letts_run_options_new(&opts, &err) != LETTS_OK || letts_run_options_set_cancel(opts, cancel, &err) != LETTS_OK ||
        letts_run_options_set_kill_on_cancel(opts, kill, &err) != LETTS_OK)
        die("run options", err);
    return opts;
}

static letts_status call_wait(void *arg, letts_cancel *cancel, letts_error **err) {
    call_args *a = arg;
    letts_run_options *opts = opts_with(cancel, 0);
    letts_run_result *result = NULL;
    const letts_status st = letts_client_wait(a->client, "dev", a->id, opts, &result, err);
    letts_run_result_free(result);
    letts_run_options_free(opts);
    return st;
}

static letts_status call_run(void *arg, letts_cancel *cancel, letts_error **err) {
    call_args *a = arg;
    letts_run_options *opts = opts_with(cancel, a->kill_on_cancel);
    letts_run_result *result = NULL;
    letts_job *job = job_for(a->mission, a->id);
    const letts_status st = letts_client_run(a->client, job, opts, &result, err);
    letts_run_result_free(result);
    letts_job_free(job);
    letts_run_options_free(opts);
    return st;
}

int main(int argc, char **argv) {
    int n = 200;
    for (int i = 1; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "-n") == 0) n = atoi(argv[i + 1]);
    if (n < 1) n = 1;
    srand((unsigned)now_us());
    long long *lat = calloc((size_t)n, sizeof *lat);

    char dir[] = "/tmp/cancel-bench-XXXXXX";
    if (!mkdtemp(dir)) die("mkdtemp", NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/sleeper", dir);
    FILE *f = fopen(path, "w");
    if (!f) die("mission file", NULL);
    fputs("#!/bin/sh\ncat >/dev/null; sleep 600; echo '{\"event\":\"success\"}' >&3\n", f);
    fclose(f);
    chmod(path, 0755);

    letts_devserver_options *sopts = NULL;
    letts_devserver *srv = NULL;
    letts_error *err = NULL;
    if (letts_devserver_options_new(&sopts, &err) != LETTS_OK ||
        letts_devserver_options_set_mission_dir(sopts, dir, &err) != LETTS_OK ||
        letts_devserver_start(&srv, sopts, &err) != LETTS_OK)
        die("devserver", err);
    letts_client *client =
        client_for(letts_devserver_url(srv), letts_devserver_dispatch_token(srv), letts_devserver_admin_token(srv));
    printf("cancel_latency: %d cancels per scenario, trigger -> return\n", n);

    /* stream: one long mission, waited on and cancelled n times. */
    call_args a = {client, "sleeper", "", 0};
    uuidv7(a.id);
    letts_job *job = job_for("sleeper", a.id);
    char *got = NULL;
    if (letts_client_dispatch(client, job, &got, &err) != LETTS_OK) die("dispatch", err);
    letts_free(got);
    letts_job_free(job);
    while (!running(client, a.id)) sleep_us(5000);
    int wrong = 0;
    for (int i = 0; i < n; ++i) lat[i] = one_cancel(call_wait, &a, 10000 + rand() % 30000, NULL, NULL, &wrong);
    report("stream", lat, n, wrong);
    letts_client_kill(client, "dev", a.id, "KILL", NULL);

    /* connect: a port that never answers. */
    int fillers[8];
    for (int i = 0; i < 8; ++i) fillers[i] = -1;
    const int port = blackhole(fillers);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    letts_client *silent = client_for(url, "t", "t");
    call_args b = {silent, "sleeper", "", 0};
    wrong = 0;
    for (int i = 0; i < n; ++i) {
        uuidv7(b.id);
        lat[i] = one_cancel(call_run, &b, 10000 + rand() % 30000, NULL, NULL, &wrong);
    }
    report("connect", lat, n, wrong);
    letts_client_free(silent);
    for (int i = 0; i < 8; ++i)
        if (fillers[i] >= 0) close(fillers[i]);

    /* run: dispatch + follow of a fresh mission, cancelled once it runs. */
    call_args c = {client, "sleeper", "", 1};
    wrong = 0;
    for (int i = 0; i < n; ++i) {
        uuidv7(c.id); /* chosen before the canceller starts watching it */
        lat[i] = one_cancel(call_run, &c, 5000, client, c.id, &wrong);
    }
    report("run", lat, n, wrong);

    letts_client_free(client);
    letts_devserver_free(srv);
    letts_devserver_options_free(sopts);
    unlink(path);
    rmdir(dir);
    free(lat);
    return 0;
}
