/* Fan-out of N jobs (default 1000) of a mission that sleeps 0.5 s, from ONE
 * client thread through the public fan-out API (letts_client_run_parallel),
 * against an embedded devserver whose lane "default" runs all of them at
 * once (concurrency N, set through POST /v1/admin/apply).
 *
 * Three processes: this one only orchestrates and measures; the devserver
 * and the client each run in a forked child, so the threads, descriptors
 * and RSS read from /proc/<pid>/status and /proc/<pid>/fd (sampled every
 * 5 ms while the fan-out runs) are each process's own.
 *
 * Reported: wall time of the call, the slowest mission's own duration
 * (duration_ms of its result), their ratio (goal <= 1.10), and for both
 * processes peak threads, peak open descriptors and peak RSS (VmHWM).
 *
 * Usage: fanout [-n JOBS] [-s SLEEP_SECONDS]
 * Nothing is asserted on speed; the exit status is non-zero only if a job
 * does not succeed or a process fails. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "letts/letts.h"

#include "bench_common.h"

#ifndef LETTS_BUILD_TYPE
#define LETTS_BUILD_TYPE "unknown"
#endif

static int write_all(int fd, const void *data, size_t n) {
    const char *p = data;
    while (n > 0) {
        const ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static ssize_t read_all(int fd, void *data, size_t n) {
    char *p = data;
    size_t got = 0;
    while (got < n) {
        const ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* ---- /proc sampling ------------------------------------------------------ */

typedef struct usage {
    long threads, fds, hwm_kib;
} usage;

static void sample(pid_t pid, usage *peak) {
    const long threads = bench_proc_status(pid, "Threads"), hwm = bench_proc_status(pid, "VmHWM");
    const long fds = bench_proc_count(pid, "fd");
    if (threads > peak->threads) peak->threads = threads;
    if (hwm > peak->hwm_kib) peak->hwm_kib = hwm;
    if (fds > peak->fds) peak->fds = fds;
}

/* ---- the devserver process ------------------------------------------------ */

/* POST /v1/admin/apply: lane "default" with room for every job at once. */
static int apply_lane(const bench_server *s, const char *mission_dir, int concurrency) {
    char url[512], auth[300], body[1024];
    snprintf(url, sizeof url, "%s/v1/admin/apply", s->url);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", s->admin);
    snprintf(body, sizeof body,
             "{\"mission_dir\":\"%s\",\"lanes\":{\"default\":{\"concurrency\":%d}},"
             "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}",
             mission_dir, concurrency);
    CURL *easy = curl_easy_init();
    struct curl_slist *h = curl_slist_append(curl_slist_append(NULL, auth), "Content-Type: application/json");
    long status = 0;
    FILE *devnull = fopen("/dev/null", "w");
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, devnull);
    const CURLcode c = curl_easy_perform(easy);
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(easy);
    if (devnull) fclose(devnull);
    if (c != CURLE_OK || status != 200) {
        fprintf(stderr, "apply: %s, HTTP %ld\n", curl_easy_strerror(c), status);
        return -1;
    }
    return 0;
}

/* ---- the client process ----------------------------------------------------- */

typedef struct client_report {
    int ok, succeeded, failed;
    double wall_ms, slowest_ms, fastest_ms;
    char first_error[256];
} client_report;

static void client_child(const bench_server *s, int n_jobs, int report_fd, int go_fd) {
    client_report rep;
    memset(&rep, 0, sizeof rep);
    bench_raise_fd_limit();
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "auth: {token: \"%s\", admin_token: \"%s\"}\n"
             "dugdales:\n"
             "  - id: dev\n"
             "    url: \"%s\"\n"
             "    lanes: {default: {concurrency: %d}}\n",
             s->token, s->admin, s->url, n_jobs);
    letts_config *cfg = NULL;
    letts_client *client = NULL;
    letts_error *err = NULL;
    letts_job **jobs = calloc((size_t)n_jobs, sizeof *jobs);
    letts_host_results *results = NULL;
    if (!jobs || letts_config_load_string(&cfg, yaml, strlen(yaml), "fanout.yaml", &err) != LETTS_OK ||
        letts_client_new(&client, cfg, NULL, &err) != LETTS_OK)
        goto out;
    for (int i = 0; i < n_jobs; ++i) {
        if (letts_job_new(&jobs[i], "sleepy", &err) != LETTS_OK ||
            letts_job_set_host(jobs[i], "dev", &err) != LETTS_OK ||
            letts_job_set_lane(jobs[i], "default", &err) != LETTS_OK)
            goto out;
    }
    char go;
    if (read_all(go_fd, &go, 1) != 1) goto out; /* the orchestrator samples from now on */
    const double t0 = bench_now_ms();
    const letts_status st =
        letts_client_run_parallel(client, (const letts_job *const *)jobs, (size_t)n_jobs, NULL, &results, &err);
    rep.wall_ms = bench_now_ms() - t0;
    if (st != LETTS_OK) goto out;
    rep.fastest_ms = 1e18;
    for (size_t i = 0; i < letts_host_results_count(results); ++i) {
        if (!letts_host_results_is_success(results, i)) {
            if (!rep.failed)
                snprintf(rep.first_error, sizeof rep.first_error, "%s: %s",
                         letts_host_results_error_kind(results, i), letts_host_results_error_message(results, i));
            rep.failed++;
            continue;
        }
        const double d = (double)letts_run_result_duration_ms(letts_host_results_result(results, i));
        if (d > rep.slowest_ms) rep.slowest_ms = d;
        if (d < rep.fastest_ms) rep.fastest_ms = d;
        rep.succeeded++;
    }
    rep.ok = rep.failed == 0 && rep.succeeded == n_jobs;
out:
    if (err) snprintf(rep.first_error, sizeof rep.first_error, "%s", letts_error_message(err));
    letts_error_free(err);
    letts_host_results_free(results);
    for (int i = 0; jobs && i < n_jobs; ++i) letts_job_free(jobs[i]);
    free(jobs);
    letts_client_free(client);
    letts_config_free(cfg);
    _exit(write_all(report_fd, &rep, sizeof rep) == 0 ? 0 : 1);
}

int main(int argc, char **argv) {
    int n_jobs = 1000;
    const char *sleep_s = "0.5";
    int opt;
    while ((opt = getopt(argc, argv, "n:s:")) != -1) {
        if (opt == 'n') n_jobs = atoi(optarg);
        else if (opt == 's') sleep_s = optarg;
        else {
            fprintf(stderr, "usage: %s [-n JOBS] [-s SLEEP_SECONDS]\n", argv[0]);
            return 2;
        }
    }
    if (n_jobs < 1) return 2;
    printf("build type: %s (libletts %s)\n", LETTS_BUILD_TYPE, letts_version());

    char mdir[] = "/tmp/letts-fanout-missions-XXXXXX";
    if (!mkdtemp(mdir)) return 1;
    char path[512], script[256];
    snprintf(path, sizeof path, "%s/sleepy", mdir);
    snprintf(script, sizeof script, "#!/bin/sh\nsleep %s\necho '{\"event\":\"success\"}' >&3\n", sleep_s);
    FILE *f = fopen(path, "w");
    if (!f || fputs(script, f) < 0 || fclose(f) != 0 || chmod(path, 0755) != 0) return 1;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    bench_server s = {0, -1, NULL, NULL, NULL, NULL, NULL};
    int failures = 0;
    if (bench_server_start(&s, NULL) != 0 || apply_lane(&s, mdir, n_jobs) != 0) {
        fprintf(stderr, "could not start or configure the devserver process\n");
        bench_server_stop(&s);
        remove(path);
        rmdir(mdir);
        return 1;
    }

    int rep_pipe[2], go_pipe[2];
    if (pipe(rep_pipe) != 0 || pipe(go_pipe) != 0) return 1;
    fflush(NULL);
    const pid_t client = fork();
    if (client < 0) return 1;
    if (client == 0) {
        close(rep_pipe[0]);
        close(go_pipe[1]);
        client_child(&s, n_jobs, rep_pipe[1], go_pipe[0]);
    }
    close(rep_pipe[1]);
    close(go_pipe[0]);

    usage cpeak = {0, 0, 0}, speak = {0, 0, 0};
    /* Let the client finish its set-up, then measure from the start. */
    const struct timespec settle = {0, 200 * 1000 * 1000};
    nanosleep(&settle, NULL);
    sample(client, &cpeak);
    sample(s.pid, &speak);
    const usage c_before = cpeak, s_before = speak;
    if (write_all(go_pipe[1], "g", 1) != 0) return 1;
    client_report rep;
    memset(&rep, 0, sizeof rep);
    /* Sample both processes every 5 ms until the client's report arrives. */
    for (;;) {
        struct timespec pause = {0, 5 * 1000 * 1000};
        sample(client, &cpeak);
        sample(s.pid, &speak);
        int st = 0;
        const pid_t done = waitpid(client, &st, WNOHANG);
        if (done == client) {
            const ssize_t n = read_all(rep_pipe[0], &rep, sizeof rep);
            if (n != (ssize_t)sizeof rep || !WIFEXITED(st) || WEXITSTATUS(st) != 0) rep.ok = 0;
            break;
        }
        nanosleep(&pause, NULL);
    }
    close(rep_pipe[0]);
    close(go_pipe[1]);

    printf("\n%d jobs of `sleep %s; echo success >&3`, one client thread, letts_client_run_parallel\n", n_jobs,
           sleep_s);
    if (!rep.ok) {
        failures++;
        printf("  FAILED: %d succeeded, %d failed; %s\n", rep.succeeded, rep.failed, rep.first_error);
    }
    if (rep.succeeded > 0) {
        printf("  wall %.0f ms, slowest mission %.0f ms (fastest %.0f ms): ratio wall/slowest %.2f\n", rep.wall_ms,
               rep.slowest_ms, rep.fastest_ms, rep.wall_ms / rep.slowest_ms);
    }
    printf("  client: peak threads %ld (%ld before), peak fds %ld (%ld before), peak RSS %.1f MiB\n", cpeak.threads,
           c_before.threads, cpeak.fds, c_before.fds, (double)cpeak.hwm_kib / 1024.0);
    printf("  server: peak threads %ld (%ld before), peak fds %ld (%ld before), peak RSS %.1f MiB\n", speak.threads,
           s_before.threads, speak.fds, s_before.fds, (double)speak.hwm_kib / 1024.0);

    bench_server_stop(&s);
    curl_global_cleanup();
    remove(path);
    rmdir(mdir);
    printf("\nfailures: %d\n", failures);
    return failures ? 1 : 0;
}
