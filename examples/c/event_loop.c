/*
 * letts-event-loop — many runs driven from one thread by one poll(2) loop.
 *
 * Starts an embedded letts-devserver on the example missions, lets its lane
 * "default" run 100 missions at once (admin apply), starts 100 runs of the
 * `interruptible` mission (progress once per second, then success) with
 * letts_client_run_start — none of them blocks — and drives them all with
 * poll(2) over their descriptors: letts_run_handle_step does the work of
 * whichever handle is readable and runs its progress callback right here,
 * on this thread. Each completion is printed as it happens; the summary
 * gives the wall time and how many runs were followed at once.
 *
 *     letts-event-loop [MISSION_DIR [RUNS [SECONDS]]]
 *
 * MISSION_DIR defaults to the example missions of the build tree, RUNS to
 * 100, SECONDS (the mission's length) to 1. Exit status 0 when every run
 * succeeded.
 */
#include <letts/letts.h>
#include <letts/run_handle.h>

#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef LETTS_EXAMPLE_MISSIONS
#define LETTS_EXAMPLE_MISSIONS "."
#endif

#define MAX_RUNS 1000

typedef struct run {
    letts_run_handle *handle;
    int progress; /* progress events seen, counted by the callback */
    int done;
} run;

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs inside letts_run_handle_step(), on the polling thread. */
static int count_progress(int has_value, double value, const char *message, void *user_data) {
    (void)has_value; (void)value; (void)message;
    ((run *)user_data)->progress++;
    return 0;
}

static int report(const char *what, letts_error *err) {
    fprintf(stderr, "letts-event-loop: %s failed [%s]: %s\n", what,
            letts_status_name(letts_error_status(err)), letts_error_message(err));
    letts_error_free(err);
    return 1;
}

/* The devserver's default lane runs 4 missions at once; let it run `n`. */
static letts_status widen_lane(const letts_client *client, const char *mission_dir, int n,
                               letts_error **err) {
    char doc[PATH_MAX + 256];
    char *answer = NULL;
    snprintf(doc, sizeof doc,
             "{\"mission_dir\":\"%s\",\"lanes\":{\"default\":{\"concurrency\":%d}},"
             "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}",
             mission_dir, n);
    letts_status st = letts_client_admin_apply(client, "devserver", doc, &answer, err);
    letts_free(answer);
    return st;
}

int main(int argc, char **argv) {
    /* Absolute: the admin apply below hands it to the server as it is. */
    static char mission_dir[PATH_MAX];
    if (!realpath(argc > 1 ? argv[1] : LETTS_EXAMPLE_MISSIONS, mission_dir)) {
        perror("letts-event-loop: mission directory");
        return 2;
    }
    const int n = argc > 2 ? atoi(argv[2]) : 100;
    const int seconds = argc > 3 ? atoi(argv[3]) : 1;
    letts_error *err = NULL;
    int rc = 1;

    letts_devserver_options *sopts = NULL;
    letts_devserver *server = NULL;
    letts_config *config = NULL;
    letts_client_options *copts = NULL;
    letts_client *client = NULL;
    letts_job *job = NULL;
    letts_run_options *ropts[MAX_RUNS] = {0};
    static run runs[MAX_RUNS];
    static struct pollfd fds[MAX_RUNS];
    static int which[MAX_RUNS];

    if (n < 1 || n > MAX_RUNS || seconds < 0) {
        fprintf(stderr, "usage: letts-event-loop [MISSION_DIR [RUNS (1-%d) [SECONDS]]]\n", MAX_RUNS);
        return 2;
    }
    if (letts_devserver_options_new(&sopts, &err) != LETTS_OK ||
        letts_devserver_options_set_mission_dir(sopts, mission_dir, &err) != LETTS_OK ||
        letts_devserver_start(&server, sopts, &err) != LETTS_OK) {
        rc = report("starting letts-devserver", err);
        goto done;
    }
    const char *yaml = letts_devserver_client_config(server);
    /* Every run holds a connection (its event stream) at the same time. */
    if (letts_config_load_string(&config, yaml, strlen(yaml), "devserver letts.yaml", &err) != LETTS_OK ||
        letts_client_options_new(&copts, &err) != LETTS_OK ||
        letts_client_options_set_max_connections_per_host(copts, n + 4, &err) != LETTS_OK ||
        letts_client_new(&client, config, copts, &err) != LETTS_OK) {
        rc = report("creating the client", err);
        goto done;
    }
    if (widen_lane(client, mission_dir, n, &err) != LETTS_OK) {
        rc = report("raising the lane's concurrency", err);
        goto done;
    }

    char input[64];
    snprintf(input, sizeof input, "{\"seconds\":%d}", seconds);
    if (letts_job_new(&job, "interruptible", &err) != LETTS_OK ||
        letts_job_set_host(job, "devserver", &err) != LETTS_OK ||
        letts_job_set_lane(job, "default", &err) != LETTS_OK ||
        letts_job_set_input_json(job, input, &err) != LETTS_OK) {
        rc = report("preparing the job", err);
        goto done;
    }
    printf("letts-event-loop: %d runs of \"interruptible\" %s on one thread, letts-devserver at %s\n",
           n, input, letts_devserver_url(server));
    fflush(stdout);

    const long long started = now_ms();
    for (int i = 0; i < n; ++i) {
        /* One options object per run: each callback gets its own counter. */
        if (letts_run_options_new(&ropts[i], &err) != LETTS_OK ||
            letts_run_options_set_progress(ropts[i], count_progress, &runs[i], &err) != LETTS_OK ||
            letts_run_options_set_wait_timeout_ms(ropts[i], 5 * 60 * 1000, &err) != LETTS_OK ||
            letts_client_run_start(client, job, ropts[i], &runs[i].handle, &err) != LETTS_OK) {
            rc = report("starting a run", err);
            goto done;
        }
    }

    int finished = 0, succeeded = 0, following = 0, peak_following = 0;
    long long rounds = 0;
    while (finished < n) {
        int count = 0, finished_already = 0;
        for (int i = 0; i < n; ++i)
            if (!runs[i].done) {
                /* A run may be over before its descriptor ever fires (e.g. an
                 * addressing error at start): poll skips a negative fd. */
                const int over = letts_run_handle_state(runs[i].handle) == LETTS_RUN_DONE;
                finished_already |= over;
                fds[count].fd = over ? -1 : letts_run_handle_fd(runs[i].handle);
                fds[count].events = POLLIN;
                fds[count].revents = 0;
                which[count++] = i;
            }
        if (poll(fds, (nfds_t)count, finished_already ? 0 : -1) < 0) {
            perror("letts-event-loop: poll");
            goto done;
        }
        rounds++;
        for (int k = 0; k < count; ++k) {
            if (fds[k].fd >= 0 && !(fds[k].revents & (POLLIN | POLLERR | POLLHUP))) continue;
            run *r = &runs[which[k]];
            letts_error *step_err = NULL;
            letts_run_handle_step(r->handle, &step_err); /* the outcome comes from _result */
            letts_error_free(step_err);
            if (letts_run_handle_state(r->handle) != LETTS_RUN_DONE) continue;
            r->done = 1;
            finished++;
            letts_run_result *result = NULL;
            letts_error *run_err = NULL;
            const letts_status st = letts_run_handle_result(r->handle, &result, &run_err);
            if (st == LETTS_OK) {
                succeeded++;
                printf("done %3d/%d  mission %s  %s  progress events %d  after %lld ms\n", finished, n,
                       letts_run_result_mission_id(result), letts_run_result_outcome(result),
                       r->progress, now_ms() - started);
            } else {
                printf("done %3d/%d  mission %s  FAILED [%s] %s  after %lld ms\n", finished, n,
                       letts_run_handle_mission_id(r->handle) ? letts_run_handle_mission_id(r->handle) : "-",
                       letts_status_name(st), letts_error_message(run_err), now_ms() - started);
            }
            fflush(stdout);
            letts_run_result_free(result);
            letts_error_free(run_err);
        }
        /* How many runs are being followed right now (dispatched, not done). */
        following = 0;
        for (int i = 0; i < n; ++i)
            if (!runs[i].done && letts_run_handle_state(runs[i].handle) == LETTS_RUN_FOLLOWING) following++;
        if (following > peak_following) peak_following = following;
    }
    printf("all %d runs done: %d succeeded, %d failed; wall time %lld ms; at most %d followed at once; "
           "%lld poll rounds\n",
           n, succeeded, n - succeeded, now_ms() - started, peak_following, rounds);
    rc = succeeded == n ? 0 : 1;

done:
    for (int i = 0; i < n && i < MAX_RUNS; ++i) {
        letts_run_handle_free(runs[i].handle); /* cancels a run still going */
        letts_run_options_free(ropts[i]);
    }
    letts_job_free(job);
    letts_client_free(client);
    letts_client_options_free(copts);
    letts_config_free(config);
    letts_devserver_free(server);
    letts_devserver_options_free(sopts);
    return rc;
}
