/* 100 concurrent runs, two ways (issue 12): driven by one thread with
 * poll(2) over 100 run handles (what examples/c/event_loop.c does), against
 * one blocking letts_client_run per thread (100 threads).
 *
 * An embedded letts-devserver runs the example mission `interruptible`
 * ({"seconds": S}, default 1: one progress event, then success) with lane
 * "default" widened to N (admin apply), so every run is in flight at once.
 * Each way runs R rounds (default 3), alternating, so a change in the
 * machine's load hits both. Reported per round: wall time from the first
 * start to the last result, this process's CPU (client and the embedded
 * server together: the mission processes are not counted) and failures.
 * Timings are reported, never asserted.
 *
 * Usage: event_loop_vs_threads [-n RUNS] [-s SECONDS] [-r ROUNDS] [-m MISSION_DIR]
 */
#define _GNU_SOURCE
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "letts/letts.h"
#include "letts/run_handle.h"

#ifndef LETTS_EXAMPLE_MISSIONS
#define LETTS_EXAMPLE_MISSIONS "."
#endif

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void die(const char *what, letts_error *err) {
    fprintf(stderr, "event_loop_vs_threads: %s: %s\n", what, err ? letts_error_message(err) : "failed");
    exit(1);
}

static letts_client *client;
static letts_job *job;

/* ---- one thread, poll(2) ---------------------------------------------------- */

static int event_loop(int n) {
    letts_run_handle **h = calloc((size_t)n, sizeof *h);
    int *done = calloc((size_t)n, sizeof *done);
    struct pollfd *fds = calloc((size_t)n, sizeof *fds);
    int *which = calloc((size_t)n, sizeof *which);
    letts_error *err = NULL;
    int failed = 0, finished = 0;
    for (int i = 0; i < n; ++i)
        if (letts_client_run_start(client, job, NULL, &h[i], &err) != LETTS_OK) die("run_start", err);
    while (finished < n) {
        int count = 0, over_already = 0;
        for (int i = 0; i < n; ++i)
            if (!done[i]) {
                const int over = letts_run_handle_state(h[i]) == LETTS_RUN_DONE;
                over_already |= over;
                fds[count].fd = over ? -1 : letts_run_handle_fd(h[i]);
                fds[count].events = POLLIN;
                fds[count].revents = 0;
                which[count++] = i;
            }
        if (poll(fds, (nfds_t)count, over_already ? 0 : -1) < 0) die("poll", NULL);
        for (int k = 0; k < count; ++k) {
            if (fds[k].fd >= 0 && !fds[k].revents) continue;
            const int i = which[k];
            letts_run_handle_step(h[i], NULL);
            if (letts_run_handle_state(h[i]) != LETTS_RUN_DONE) continue;
            done[i] = 1;
            finished++;
            letts_run_result *r = NULL;
            if (letts_run_handle_result(h[i], &r, NULL) != LETTS_OK) failed++;
            letts_run_result_free(r);
        }
    }
    for (int i = 0; i < n; ++i) letts_run_handle_free(h[i]);
    free(h);
    free(done);
    free(fds);
    free(which);
    return failed;
}

/* ---- one blocking thread per run -------------------------------------------- */

static void *blocking_run(void *arg) {
    letts_run_result *r = NULL;
    *(int *)arg = letts_client_run(client, job, NULL, &r, NULL) != LETTS_OK;
    letts_run_result_free(r);
    return NULL;
}

static int threads(int n) {
    pthread_t *t = calloc((size_t)n, sizeof *t);
    int *failed = calloc((size_t)n, sizeof *failed);
    int total = 0;
    for (int i = 0; i < n; ++i)
        if (pthread_create(&t[i], NULL, blocking_run, &failed[i]) != 0) die("pthread_create", NULL);
    for (int i = 0; i < n; ++i) {
        pthread_join(t[i], NULL);
        total += failed[i];
    }
    free(t);
    free(failed);
    return total;
}

int main(int argc, char **argv) {
    int n = 100, seconds = 1, rounds = 3;
    const char *dir_arg = LETTS_EXAMPLE_MISSIONS;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-n") == 0) n = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-s") == 0) seconds = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-r") == 0) rounds = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-m") == 0) dir_arg = argv[i + 1];
    }
    static char mission_dir[PATH_MAX]; /* absolute: the admin apply passes it as it is */
    if (!realpath(dir_arg, mission_dir)) die("mission directory", NULL);
    letts_devserver_options *sopts = NULL;
    letts_devserver *srv = NULL;
    letts_config *cfg = NULL;
    letts_client_options *copts = NULL;
    letts_error *err = NULL;
    if (letts_devserver_options_new(&sopts, &err) != LETTS_OK ||
        letts_devserver_options_set_mission_dir(sopts, mission_dir, &err) != LETTS_OK ||
        letts_devserver_start(&srv, sopts, &err) != LETTS_OK)
        die("devserver", err);
    const char *yaml = letts_devserver_client_config(srv);
    if (letts_config_load_string(&cfg, yaml, strlen(yaml), "devserver", &err) != LETTS_OK ||
        letts_client_options_new(&copts, &err) != LETTS_OK ||
        letts_client_options_set_max_connections_per_host(copts, n + 4, &err) != LETTS_OK ||
        letts_client_new(&client, cfg, copts, &err) != LETTS_OK)
        die("client", err);
    char doc[PATH_MAX + 256], input[64];
    char *answer = NULL;
    snprintf(doc, sizeof doc,
             "{\"mission_dir\":\"%s\",\"lanes\":{\"default\":{\"concurrency\":%d}},"
             "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}",
             mission_dir, n);
    if (letts_client_admin_apply(client, "devserver", doc, &answer, &err) != LETTS_OK) die("apply", err);
    letts_free(answer);
    snprintf(input, sizeof input, "{\"seconds\":%d}", seconds);
    if (letts_job_new(&job, "interruptible", &err) != LETTS_OK ||
        letts_job_set_host(job, "devserver", &err) != LETTS_OK ||
        letts_job_set_lane(job, "default", &err) != LETTS_OK ||
        letts_job_set_input_json(job, input, &err) != LETTS_OK)
        die("job", err);

    printf("event_loop_vs_threads: %d concurrent runs of interruptible %s, %d rounds\n", n, input, rounds);
    printf("| round | way | wall | CPU (client + server) | failed |\n|---|---|---|---|---|\n");
    for (int r = 1; r <= rounds; ++r) {
        for (int way = 0; way < 2; ++way) {
            const double t0 = now_ms(), c0 = cpu_ms();
            const int failed = way == 0 ? event_loop(n) : threads(n);
            printf("| %d | %s | %.0f ms | %.0f ms | %d |\n", r, way == 0 ? "1 thread, poll" : "1 thread per run",
                   now_ms() - t0, cpu_ms() - c0, failed);
            fflush(stdout);
        }
    }
    letts_job_free(job);
    letts_client_free(client);
    letts_client_options_free(copts);
    letts_config_free(cfg);
    letts_devserver_free(srv);
    letts_devserver_options_free(sopts);
    return 0;
}
