/*
 * letts-scheduler — a schedule run by two schedulers at once, each tick
 * dispatched once.
 *
 * Starts an embedded letts-devserver on the example missions and runs the
 * same schedule (entry "hello-every-second": mission `hello` every second)
 * in two schedulers, standing in for two machines, driven from one poll(2)
 * loop over their descriptors (letts_schedule_fd/letts_schedule_step). Both
 * dispatch every tick with the tick's derived mission id, so the devserver
 * creates one mission per tick and answers the second dispatch with a
 * replay of it. Each dispatch is printed as
 *
 *     scheduler A tick 1764806400000 mission 019ae6a8-9800-7...
 *
 *     letts-scheduler [MISSION_DIR [TICKS]]
 *
 * TICKS defaults to 3. Exit status 0 when TICKS ticks were dispatched.
 */
#include <letts/letts.h>

#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LETTS_EXAMPLE_MISSIONS
#define LETTS_EXAMPLE_MISSIONS "."
#endif

static int64_t last_tick = -1;
static int ticks;

/* Called inside letts_schedule_step(), on this thread. */
static void on_dispatch(void *data, const char *entry, int64_t tick_ms, const char *mission_id) {
    printf("scheduler %s tick %lld mission %s (%s)\n", (const char *)data, (long long)tick_ms,
           mission_id, entry);
    if (tick_ms != last_tick) {
        last_tick = tick_ms;
        ticks++;
    }
}

static int report(const char *what, letts_error *err) {
    fprintf(stderr, "letts-scheduler: %s failed [%s]: %s\n", what,
            letts_status_name(letts_error_status(err)), letts_error_message(err));
    letts_error_free(err);
    return 1;
}

/* A schedule with the one entry, reporting its dispatches as `name`. */
static letts_status make_schedule(letts_schedule **out, const letts_job *job, const char *name,
                                  letts_error **err) {
    letts_status st = letts_schedule_new(out, err);
    if (st == LETTS_OK) st = letts_schedule_add(*out, "hello-every-second", "@every 1s", "UTC", job, err);
    if (st == LETTS_OK) st = letts_schedule_set_on_dispatch(*out, on_dispatch, (void *)name, err);
    return st;
}

int main(int argc, char **argv) {
    static char mission_dir[PATH_MAX];
    if (!realpath(argc > 1 ? argv[1] : LETTS_EXAMPLE_MISSIONS, mission_dir)) {
        perror("letts-scheduler: mission directory");
        return 2;
    }
    const int want = argc > 2 ? atoi(argv[2]) : 3;
    letts_error *err = NULL;
    int rc = 1;
    letts_devserver_options *sopts = NULL;
    letts_devserver *server = NULL;
    letts_config *config = NULL;
    letts_client *client = NULL;
    letts_job *job = NULL;
    letts_schedule *a = NULL, *b = NULL;

    if (letts_devserver_options_new(&sopts, &err) != LETTS_OK ||
        letts_devserver_options_set_mission_dir(sopts, mission_dir, &err) != LETTS_OK ||
        letts_devserver_start(&server, sopts, &err) != LETTS_OK) {
        rc = report("starting letts-devserver", err);
        goto done;
    }
    const char *yaml = letts_devserver_client_config(server);
    if (letts_config_load_string(&config, yaml, strlen(yaml), "devserver letts.yaml", &err) != LETTS_OK ||
        letts_client_new(&client, config, NULL, &err) != LETTS_OK ||
        letts_job_new(&job, "hello", &err) != LETTS_OK ||
        letts_job_set_host(job, "devserver", &err) != LETTS_OK ||
        letts_job_set_lane(job, "default", &err) != LETTS_OK ||
        make_schedule(&a, job, "A", &err) != LETTS_OK || make_schedule(&b, job, "B", &err) != LETTS_OK) {
        rc = report("setting up", err);
        goto done;
    }
    /* The first steps start both schedules; then step whichever is due. */
    if (letts_schedule_step(a, client, &err) != LETTS_OK || letts_schedule_step(b, client, &err) != LETTS_OK) {
        rc = report("starting the schedules", err);
        goto done;
    }
    while (ticks < want) {
        struct pollfd fds[2] = {{letts_schedule_fd(a), POLLIN, 0}, {letts_schedule_fd(b), POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) continue;
        for (int i = 0; i < 2; i++) {
            if (!(fds[i].revents & POLLIN)) continue;
            if (letts_schedule_step(i == 0 ? a : b, client, &err) != LETTS_OK) {
                rc = report("dispatching a tick", err);
                goto done;
            }
        }
    }
    printf("%d ticks dispatched by 2 schedulers\n", ticks);
    rc = 0;
done:
    letts_schedule_free(a);
    letts_schedule_free(b);
    letts_job_free(job);
    letts_client_free(client);
    letts_config_free(config);
    letts_devserver_free(server);
    letts_devserver_options_free(sopts);
    return rc;
}
