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
 * Baseline: the floor of the same work without letts. A forked child starts
 * the same N mission processes itself from one thread (posix_spawn, fd 3 a
 * pipe as the devserver gives it, stdout/stderr to /dev/null), reads each
 * fd 3 to its end and reaps every process: no HTTP, no server, no work
 * directories. Rounds alternate letts and baseline (AB BA AB ...) so a
 * change of the machine's load hits both; reported per round and as the
 * ratio of the summed wall times (letts / baseline).
 *
 * Usage: fanout [-n JOBS] [-s SLEEP_SECONDS] [-r ROUNDS]
 * Nothing is asserted on speed; the exit status is non-zero only if a job
 * does not succeed or a process fails. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
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


/* ---- the baseline process ----------------------------------------------------- */

extern char **environ;

typedef struct spawn_report {
    int ok, succeeded;
    double wall_ms;
    char first_error[256];
} spawn_report;

/* Starts one mission process with fd 3 the write end of a new pipe and
 * returns the read end, or -1. */
static int spawn_mission(const char *script, pid_t *pid) {
    int fd3[2];
    if (pipe2(fd3, O_CLOEXEC) != 0) return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fd3[1], 3);
    char *const argv[] = {(char *)script, NULL};
    const int rc = posix_spawn(pid, script, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fd3[1]);
    if (rc != 0) {
        close(fd3[0]);
        return -1;
    }
    return fd3[0];
}

/* Reads every fd 3 to its end; counts the ones that said "success". */
static int collect_outcomes(struct pollfd *fds, int n, char (*seen)[64]) {
    int open = n, succeeded = 0;
    while (open > 0) {
        if (poll(fds, (nfds_t)n, 60 * 1000) <= 0) return -1;
        for (int i = 0; i < n; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            const size_t used = strlen(seen[i]);
            const ssize_t r = read(fds[i].fd, seen[i] + used, sizeof seen[i] - 1 - used);
            if (r > 0) continue;
            if (strstr(seen[i], "\"success\"")) succeeded++;
            close(fds[i].fd);
            fds[i].fd = -1;
            open--;
        }
    }
    return succeeded;
}

static void spawner_child(const char *script, int n_jobs, int report_fd, int go_fd) {
    spawn_report rep;
    memset(&rep, 0, sizeof rep);
    bench_raise_fd_limit();
    struct pollfd *fds = calloc((size_t)n_jobs, sizeof *fds);
    pid_t *pids = calloc((size_t)n_jobs, sizeof *pids);
    char (*seen)[64] = calloc((size_t)n_jobs, sizeof *seen);
    char go;
    if (!fds || !pids || !seen || read_all(go_fd, &go, 1) != 1) goto out;
    const double t0 = bench_now_ms();
    for (int i = 0; i < n_jobs; ++i) {
        fds[i].fd = spawn_mission(script, &pids[i]);
        fds[i].events = POLLIN;
        if (fds[i].fd < 0) {
            snprintf(rep.first_error, sizeof rep.first_error, "spawn %d: %s", i, strerror(errno));
            goto out;
        }
    }
    rep.succeeded = collect_outcomes(fds, n_jobs, seen);
    int exited_zero = 0;
    for (int i = 0; i < n_jobs; ++i) {
        int st = 0;
        if (waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0) exited_zero++;
    }
    rep.wall_ms = bench_now_ms() - t0;
    rep.ok = rep.succeeded == n_jobs && exited_zero == n_jobs;
    if (!rep.ok)
        snprintf(rep.first_error, sizeof rep.first_error, "%d of %d said success, %d exited 0", rep.succeeded,
                 n_jobs, exited_zero);
out:
    free(fds);
    free(pids);
    free(seen);
    _exit(write_all(report_fd, &rep, sizeof rep) == 0 ? 0 : 1);
}

/* ---- the orchestrator ---------------------------------------------------------- */

typedef struct child {
    pid_t pid;
    int report_fd, go_fd;
} child;

/* Forks a child that waits for the go byte, then reports on report_fd. */
static int start_child(child *c, void (*body)(const void *arg, int report_fd, int go_fd), const void *arg) {
    int rep_pipe[2], go_pipe[2];
    if (pipe(rep_pipe) != 0 || pipe(go_pipe) != 0) return -1;
    fflush(NULL);
    c->pid = fork();
    if (c->pid < 0) return -1;
    if (c->pid == 0) {
        close(rep_pipe[0]);
        close(go_pipe[1]);
        body(arg, rep_pipe[1], go_pipe[0]);
        _exit(1);
    }
    close(rep_pipe[1]);
    close(go_pipe[0]);
    c->report_fd = rep_pipe[0];
    c->go_fd = go_pipe[1];
    return 0;
}

/* Sends go, samples the child (and the server, if any) every 5 ms until it
 * exits, then reads its report. 0 when a whole report came from a clean exit. */
static int finish_child(child *c, pid_t server, usage *cpeak, usage *speak, void *report, size_t size) {
    int ok = write_all(c->go_fd, "g", 1) == 0;
    int st = 0;
    for (;;) {
        const struct timespec pause = {0, 5 * 1000 * 1000};
        sample(c->pid, cpeak);
        if (server > 0) sample(server, speak);
        if (waitpid(c->pid, &st, WNOHANG) == c->pid) break;
        nanosleep(&pause, NULL);
    }
    ok = ok && read_all(c->report_fd, report, size) == (ssize_t)size && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    close(c->report_fd);
    close(c->go_fd);
    return ok ? 0 : -1;
}

typedef struct letts_arg {
    const bench_server *server;
    int n_jobs;
} letts_arg;

static void letts_body(const void *arg, int report_fd, int go_fd) {
    const letts_arg *a = arg;
    client_child(a->server, a->n_jobs, report_fd, go_fd);
}

typedef struct spawn_arg {
    const char *script;
    int n_jobs;
} spawn_arg;

static void spawn_body(const void *arg, int report_fd, int go_fd) {
    const spawn_arg *a = arg;
    spawner_child(a->script, a->n_jobs, report_fd, go_fd);
}

/* Lets a freshly forked child finish its set-up before the clock starts. */
static void settle(void) {
    const struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
}

typedef struct totals {
    double letts_ms, spawn_ms, worst_ratio_to_slowest;
    usage cpeak, speak, c_before, s_before;
    int failures;
} totals;

static void letts_round(int round, const bench_server *s, int n_jobs, totals *t) {
    const letts_arg arg = {s, n_jobs};
    child c;
    client_report rep;
    memset(&rep, 0, sizeof rep);
    if (start_child(&c, letts_body, &arg) != 0) {
        t->failures++;
        return;
    }
    settle();
    usage before = {0, 0, 0};
    sample(c.pid, &before);
    if (round == 0) t->c_before = before;
    if (finish_child(&c, s->pid, &t->cpeak, &t->speak, &rep, sizeof rep) != 0 || !rep.ok) {
        t->failures++;
        printf("  round %d letts: FAILED: %d succeeded, %d failed; %s\n", round, rep.succeeded, rep.failed,
               rep.first_error);
        return;
    }
    t->letts_ms += rep.wall_ms;
    const double ratio = rep.wall_ms / rep.slowest_ms;
    if (ratio > t->worst_ratio_to_slowest) t->worst_ratio_to_slowest = ratio;
    printf("  round %d letts:    wall %6.0f ms, slowest mission %4.0f ms (fastest %4.0f ms), wall/slowest %.2f\n",
           round, rep.wall_ms, rep.slowest_ms, rep.fastest_ms, ratio);
}

static void spawn_round(int round, const char *script, int n_jobs, totals *t) {
    const spawn_arg arg = {script, n_jobs};
    child c;
    spawn_report rep;
    memset(&rep, 0, sizeof rep);
    usage ignored = {0, 0, 0}, none = {0, 0, 0};
    if (start_child(&c, spawn_body, &arg) != 0) {
        t->failures++;
        return;
    }
    settle();
    if (finish_child(&c, 0, &ignored, &none, &rep, sizeof rep) != 0 || !rep.ok) {
        t->failures++;
        printf("  round %d baseline: FAILED: %s\n", round, rep.first_error);
        return;
    }
    t->spawn_ms += rep.wall_ms;
    printf("  round %d baseline: wall %6.0f ms (%d processes spawned, fd 3 read, reaped)\n", round, rep.wall_ms,
           rep.succeeded);
}

static int write_mission(char *dir, size_t dir_size, char *path, size_t path_size, const char *sleep_s) {
    snprintf(dir, dir_size, "/tmp/letts-fanout-missions-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    char script[256];
    snprintf(path, path_size, "%s/sleepy", dir);
    snprintf(script, sizeof script, "#!/bin/sh\nsleep %s\necho '{\"event\":\"success\"}' >&3\n", sleep_s);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    const int written = fputs(script, f) >= 0;
    return fclose(f) == 0 && written && chmod(path, 0755) == 0 ? 0 : -1;
}

static void report(const totals *t, int n_jobs, const char *sleep_s, int rounds) {
    printf("\n%d jobs of `sleep %s; echo success >&3`, one client thread, letts_client_run_parallel, %d rounds\n",
           n_jobs, sleep_s, rounds);
    if (t->spawn_ms > 0 && t->letts_ms > 0)
        printf("  ratio letts/baseline (summed wall): %.2f; worst wall/slowest mission: %.2f\n",
               t->letts_ms / t->spawn_ms, t->worst_ratio_to_slowest);
    printf("  client: peak threads %ld (%ld before), peak fds %ld (%ld before), peak RSS %.1f MiB\n",
           t->cpeak.threads, t->c_before.threads, t->cpeak.fds, t->c_before.fds, (double)t->cpeak.hwm_kib / 1024.0);
    printf("  server: peak threads %ld (%ld before), peak fds %ld (%ld before), peak RSS %.1f MiB\n",
           t->speak.threads, t->s_before.threads, t->speak.fds, t->s_before.fds, (double)t->speak.hwm_kib / 1024.0);
}

int main(int argc, char **argv) {
    int n_jobs = 1000, rounds = 2, opt;
    const char *sleep_s = "0.5";
    while ((opt = getopt(argc, argv, "n:s:r:")) != -1) {
        if (opt == 'n') n_jobs = atoi(optarg);
        else if (opt == 's') sleep_s = optarg;
        else if (opt == 'r') rounds = atoi(optarg);
        else {
            fprintf(stderr, "usage: %s [-n JOBS] [-s SLEEP_SECONDS] [-r ROUNDS]\n", argv[0]);
            return 2;
        }
    }
    if (n_jobs < 1 || rounds < 1) return 2;
    printf("build type: %s (libletts %s)\n", LETTS_BUILD_TYPE, letts_version());
    char mdir[64], path[512];
    if (write_mission(mdir, sizeof mdir, path, sizeof path, sleep_s) != 0) return 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    bench_server s = {0, -1, NULL, NULL, NULL, NULL, NULL};
    totals t;
    memset(&t, 0, sizeof t);
    if (bench_server_start(&s, NULL) != 0 || apply_lane(&s, mdir, n_jobs) != 0) {
        fprintf(stderr, "could not start or configure the devserver process\n");
        t.failures = 1;
    }
    sample(s.pid, &t.s_before);
    /* AB BA AB ...: which one goes first alternates every round. */
    for (int round = 0; round < rounds && t.failures == 0; ++round) {
        if (round % 2 == 0) {
            letts_round(round, &s, n_jobs, &t);
            spawn_round(round, path, n_jobs, &t);
        } else {
            spawn_round(round, path, n_jobs, &t);
            letts_round(round, &s, n_jobs, &t);
        }
    }
    report(&t, n_jobs, sleep_s, rounds);
    bench_server_stop(&s);
    curl_global_cleanup();
    remove(path);
    rmdir(mdir);
    printf("\nfailures: %d\n", t.failures);
    return t.failures ? 1 : 0;
}
