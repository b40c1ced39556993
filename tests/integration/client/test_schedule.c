/*
 * Schedules against the embedded devserver (issue 20 §2): three schedulers
 * (threads, each its own client and schedule) run one 1-second interval
 * entry for 10 ticks and the devserver holds exactly 10 missions, whose ids
 * are the derived tick ids; the same with three processes; the catch-up
 * policies with the test-only clock.
 *
 * The three processes are this binary run again (fork + exec with
 * "--scheduler URL TOKEN GATE_FD"): each builds its own client and schedule,
 * waits on a gate pipe the parent closes once all are started, starts its
 * schedule and says "ready" on stdout; the parent then chooses the window
 * (the 10 whole seconds after every scheduler started) and writes its last
 * tick to each one's stdin; each runs until it has dispatched that tick,
 * printing every dispatch ("tick MS ID") for the parent to check.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "letts/letts.h"

static ds_server S;

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    for (const char *const *m = (const char *const[]){"sched_tick", "sched_procs", "sched_cu_all",
                                                      "sched_cu_once", "sched_cu_skip", NULL};
         *m; m++) {
        ds_script(&S, *m, "cat >/dev/null; echo '{\"event\":\"success\"}' >&3");
    }
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static letts_client *client(void) {
    return ds_client(&(ds_client_spec){
        .url = S.url, .token = S.dispatch_token, .admin_token = S.admin_token, .retry_backoff_ms = 10});
}

/* The ids of the devserver's missions named exactly `mission`. */
static size_t missions_named(const char *mission, char ids[][37], size_t max) {
    char path[256];
    snprintf(path, sizeof path, "/v1/missions?mission=%s&limit=1000", mission);
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    cJSON *body = ds_json(&r);
    size_t n = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(body, "missions")) {
        if (strcmp(ds_str(m, "mission_name"), mission) != 0) continue;
        assert_true(n < max);
        snprintf(ids[n++], 37, "%s", ds_str(m, "mission_id"));
    }
    cJSON_Delete(body);
    ds_resp_free(&r);
    return n;
}

static int has_id(char ids[][37], size_t n, const char *id) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return 1;
    return 0;
}

/* Shared by the three schedulers: the distinct ticks seen, the dispatch count. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t ticks[64];
static size_t n_ticks, n_dispatches;
static letts_cancel *stop;

static void on_tick(void *data, const char *entry, int64_t tick, const char *mission_id) {
    (void)data;
    char *want = NULL;
    assert_int_equal(letts_schedule_tick_id(entry, tick, &want, NULL), LETTS_OK);
    int same = strcmp(want, mission_id) == 0;
    letts_free(want);
    pthread_mutex_lock(&mu);
    n_dispatches++;
    size_t i = 0;
    while (i < n_ticks && ticks[i] != tick) i++;
    if (i == n_ticks && n_ticks < 64) ticks[n_ticks++] = tick;
    if (n_ticks >= 10 || !same) letts_cancel_trigger(stop);
    pthread_mutex_unlock(&mu);
}

static void *scheduler(void *arg) {
    letts_status *status = arg;
    letts_client *c = client();
    letts_job *job = ds_job_on_dev("sched_tick", "default");
    letts_schedule *s = NULL;
    letts_schedule_new(&s, NULL);
    letts_schedule_add(s, "sched-tick", "@every 1s", NULL, job, NULL);
    letts_schedule_set_on_dispatch(s, on_tick, NULL, NULL);
    *status = letts_schedule_run(s, c, stop, NULL);
    letts_schedule_free(s);
    letts_job_free(job);
    letts_client_free(c);
    return NULL;
}

static void test_three_schedulers_ten_ticks_ten_missions(void **state) {
    (void)state;
    assert_int_equal(letts_cancel_new(&stop, NULL), LETTS_OK);
    pthread_t th[3];
    letts_status st[3];
    for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&th[i], NULL, scheduler, &st[i]), 0);
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 3; i++) assert_int_equal(st[i], LETTS_ERR_CANCELLED);
    letts_cancel_free(stop);
    assert_int_equal(n_ticks, 10);
    /* All three took part: far more dispatches than missions. */
    assert_true(n_dispatches >= 25);
    char ids[64][37];
    size_t n = missions_named("sched_tick", ids, 64);
    assert_int_equal(n, 10);
    for (size_t i = 0; i < n_ticks; i++) {
        assert_int_equal(ticks[i] % 1000, 0);
        char *id = NULL;
        assert_int_equal(letts_schedule_tick_id("sched-tick", ticks[i], &id, NULL), LETTS_OK);
        assert_true(has_id(ids, n, id));
        letts_free(id);
    }
}

/* One scheduler process (the child side of the 3-process test). */
static letts_cancel *proc_stop;
static int64_t proc_last_tick = INT64_MAX;

static void proc_on_tick(void *data, const char *entry, int64_t tick, const char *mission_id) {
    (void)data, (void)entry;
    printf("tick %" PRId64 " %s\n", tick, mission_id);
    fflush(stdout);
    if (tick >= proc_last_tick) letts_cancel_trigger(proc_stop);
}

/* argv = self --scheduler URL TOKEN GATE_FD; stdin: the last tick; stdout: "ready", the ticks. */
static int scheduler_process(const char *url, const char *token, int gate_fd) {
    letts_client *c = ds_client(&(ds_client_spec){.url = url, .token = token, .retry_backoff_ms = 10});
    letts_job *job = ds_job_on_dev("sched_procs", "default");
    letts_schedule *s = NULL;
    letts_status status = letts_schedule_new(&s, NULL);
    if (status == LETTS_OK) status = letts_schedule_add(s, "sched-procs", "@every 1s", NULL, job, NULL);
    /* A scheduler that falls behind (a loaded machine) still dispatches every
     * tick of the window, so the parent can expect all 10 from each one. */
    if (status == LETTS_OK) status = letts_schedule_set_catch_up(s, LETTS_CATCH_UP_ALL, 0, 100, NULL);
    if (status == LETTS_OK) status = letts_schedule_set_on_dispatch(s, proc_on_tick, NULL, NULL);
    if (status == LETTS_OK) status = letts_cancel_new(&proc_stop, NULL);
    char byte;
    while (read(gate_fd, &byte, 1) > 0) {
    } /* EOF: the parent started every scheduler */
    if (status == LETTS_OK) status = letts_schedule_step(s, c, NULL); /* starts: only ticks after now */
    long long last = 0;
    if (status == LETTS_OK) {
        printf("ready\n");
        fflush(stdout);
        if (scanf("%lld", &last) != 1) status = LETTS_ERR_INVALID_ARGUMENT; /* the parent gave up */
    }
    if (status == LETTS_OK) {
        proc_last_tick = last;
        status = letts_schedule_run(s, c, proc_stop, NULL);
    }
    letts_cancel_free(proc_stop);
    letts_schedule_free(s);
    letts_job_free(job);
    letts_client_free(c);
    return status == LETTS_ERR_CANCELLED ? 0 : 10 + (int)status;
}

typedef struct sched_proc {
    pid_t pid;
    int to, from; /* its stdin, its stdout */
    int64_t ticks[64];
    char ids[64][37];
    size_t n;
} sched_proc;

static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void spawn_scheduler(sched_proc *p, const char *self, int gate_fd) {
    int in[2], out[2];
    assert_int_equal(pipe2(in, O_CLOEXEC), 0);
    assert_int_equal(pipe2(out, O_CLOEXEC), 0);
    p->pid = fork();
    assert_true(p->pid >= 0);
    if (p->pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        char fd_text[16];
        snprintf(fd_text, sizeof fd_text, "%d", gate_fd);
        execl(self, "test_client_schedule", "--scheduler", S.url, S.dispatch_token, fd_text, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    p->to = in[1];
    p->from = out[0];
}

/* One line from `fd` into `line` (without the newline); 0 at EOF or past
 * the deadline (a monotonic ds_now_ms), so a stuck scheduler fails the test
 * instead of hanging it. */
static int read_line(int fd, char *line, size_t size, long long deadline) {
    size_t used = 0;
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        const long long left = deadline - ds_now_ms();
        if (left <= 0) return 0;
        const int ready = poll(&pfd, 1, (int)left);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return 0;
        char ch;
        const ssize_t n = read(fd, &ch, 1);
        if (n <= 0) return 0;
        if (ch == '\n') break;
        if (used + 1 < size) line[used++] = ch;
    }
    line[used] = '\0';
    return 1;
}

static int seen_in(const sched_proc *p, int64_t tick) {
    for (size_t i = 0; i < p->n; i++)
        if (p->ticks[i] == tick) return 1;
    return 0;
}

static void test_three_processes_ten_ticks_ten_missions(void **state) {
    (void)state;
    enum { N = 3 };
    char self[PATH_MAX];
    const ssize_t self_len = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(self_len > 0);
    self[self_len] = '\0';
    int gate[2];
    assert_int_equal(pipe(gate), 0);
    assert_int_equal(fcntl(gate[1], F_SETFD, FD_CLOEXEC), 0); /* else no scheduler would see EOF */
    sched_proc procs[N];
    memset(procs, 0, sizeof procs);
    for (int i = 0; i < N; i++) spawn_scheduler(&procs[i], self, gate[0]);
    close(gate[0]);
    close(gate[1]); /* every scheduler starts now */
    const long long deadline = ds_now_ms() + 60000;
    char line[128];
    for (int i = 0; i < N; i++) {
        assert_true(read_line(procs[i].from, line, sizeof line, deadline));
        assert_string_equal(line, "ready");
    }
    /* Every scheduler started before now: each fires every tick from here. */
    const int64_t first = wall_ms() / 1000 * 1000 + 1000, last = first + 9000;
    for (int i = 0; i < N; i++) {
        assert_true(dprintf(procs[i].to, "%" PRId64 "\n", last) > 0);
        close(procs[i].to);
    }
    for (int i = 0; i < N; i++) {
        sched_proc *p = &procs[i];
        while (read_line(p->from, line, sizeof line, deadline)) {
            assert_true(p->n < 64);
            assert_int_equal(sscanf(line, "tick %" SCNd64 " %36s", &p->ticks[p->n], p->ids[p->n]), 2);
            p->n++;
        }
        close(p->from);
        int wstatus = 0;
        assert_int_equal(waitpid(p->pid, &wstatus, 0), p->pid);
        assert_true(WIFEXITED(wstatus));
        assert_int_equal(WEXITSTATUS(wstatus), 0);
    }
    /* Each process dispatched every tick of the window, under the tick's id;
     * any tick it saw had that id (before the window too). */
    for (int i = 0; i < N; i++) {
        size_t in_window = 0;
        for (size_t k = 0; k < procs[i].n; k++) {
            const int64_t tick = procs[i].ticks[k];
            assert_int_equal(tick % 1000, 0);
            char *id = NULL;
            assert_int_equal(letts_schedule_tick_id("sched-procs", tick, &id, NULL), LETTS_OK);
            assert_string_equal(procs[i].ids[k], id);
            letts_free(id);
            if (tick >= first && tick <= last) in_window++;
        }
        assert_int_equal(in_window, 10);
        for (int64_t tick = first; tick <= last; tick += 1000) assert_true(seen_in(&procs[i], tick));
    }
    /* The devserver holds one mission per tick dispatched, no more: the 10 of
     * the window and the ticks between the schedulers' start and the window. */
    int64_t distinct[3 * 64];
    size_t n_distinct = 0;
    for (int i = 0; i < N; i++)
        for (size_t k = 0; k < procs[i].n; k++) {
            size_t j = 0;
            while (j < n_distinct && distinct[j] != procs[i].ticks[k]) j++;
            if (j == n_distinct) distinct[n_distinct++] = procs[i].ticks[k];
        }
    char ids[3 * 64][37];
    const size_t listed = missions_named("sched_procs", ids, 3 * 64);
    /* As many missions as distinct ticks, each tick's id among them: no tick
     * has two missions. */
    assert_int_equal(listed, n_distinct);
    size_t listed_in_window = 0;
    for (size_t j = 0; j < n_distinct; j++) {
        char *id = NULL;
        assert_int_equal(letts_schedule_tick_id("sched-procs", distinct[j], &id, NULL), LETTS_OK);
        assert_true(has_id(ids, listed, id));
        letts_free(id);
        if (distinct[j] >= first && distinct[j] <= last) listed_in_window++;
    }
    assert_int_equal(listed_in_window, 10);
}

/* The test-only clock and a record of the ticks one schedule dispatched. */
typedef struct {
    int64_t now;
    int64_t fired[16];
    size_t n;
} fake;

static int64_t fake_now(void *data) { return ((fake *)data)->now; }

static void record(void *data, const char *entry, int64_t tick, const char *mission_id) {
    (void)entry, (void)mission_id;
    fake *f = data;
    if (f->n < 16) f->fired[f->n++] = tick;
}

#define T0 1700000000000LL

/* A schedule on `mission` every second, started at T0, stepped at T0+`late`. */
static void catch_up(const char *mission, letts_catch_up policy, int64_t grace, int64_t max, int64_t late,
                     fake *f) {
    letts_client *c = client();
    letts_job *job = ds_job_on_dev(mission, "default");
    letts_schedule *s = NULL;
    assert_int_equal(letts_schedule_new(&s, NULL), LETTS_OK);
    assert_int_equal(letts_schedule_add_interval(s, mission, 1000, job, NULL), LETTS_OK);
    assert_int_equal(letts_schedule_set_catch_up(s, policy, grace, max, NULL), LETTS_OK);
    assert_int_equal(letts_schedule_set_clock(s, fake_now, f, NULL), LETTS_OK);
    assert_int_equal(letts_schedule_set_on_dispatch(s, record, f, NULL), LETTS_OK);
    f->now = T0;
    assert_int_equal(letts_schedule_step(s, c, NULL), LETTS_OK);
    assert_int_equal(f->n, 0);
    f->now = T0 + late;
    assert_int_equal(letts_schedule_step(s, c, NULL), LETTS_OK);
    letts_schedule_free(s);
    letts_job_free(job);
    letts_client_free(c);
}

static void test_catch_up_policies(void **state) {
    (void)state;
    fake all = {0}, once = {0}, skip_on_time = {0}, skip_late = {0};
    catch_up("sched_cu_all", LETTS_CATCH_UP_ALL, 1000, 3, 5500, &all);
    assert_int_equal(all.n, 3); /* 5 missed, bounded to the latest 3, oldest first */
    assert_int_equal(all.fired[0], T0 + 3000);
    assert_int_equal(all.fired[2], T0 + 5000);
    char ids[64][37];
    assert_int_equal(missions_named("sched_cu_all", ids, 64), 3);
    catch_up("sched_cu_once", LETTS_CATCH_UP_ONCE, 0, 100, 5500, &once);
    assert_int_equal(once.n, 1);
    assert_int_equal(once.fired[0], T0 + 5000);
    catch_up("sched_cu_skip", LETTS_CATCH_UP_SKIP, 200, 100, 5100, &skip_on_time);
    assert_int_equal(skip_on_time.n, 1); /* the latest tick is 100 ms late: within grace */
    assert_int_equal(skip_on_time.fired[0], T0 + 5000);
    catch_up("sched_cu_skip", LETTS_CATCH_UP_SKIP, 200, 100, 5500, &skip_late);
    assert_int_equal(skip_late.n, 0); /* 500 ms late: every missed tick dropped */
    assert_int_equal(missions_named("sched_cu_skip", ids, 64), 1);
    assert_int_equal(missions_named("sched_cu_once", ids, 64), 1);
}

/* `add` refuses entry `name` with status `want` and a message holding each of the NULL-ended `parts`. */
/* (The error by address: the call fills it while the arguments are evaluated, in no set order.) */
static void refused(letts_status status, letts_error **errp, letts_status want, const char *const *parts) {
    letts_error *err = *errp;
    *errp = NULL;
    assert_int_equal(status, want);
    assert_non_null(err);
    const char *msg = letts_error_message(err);
    for (; *parts; parts++)
        if (!strstr(msg, *parts)) fail_msg("message \"%s\" lacks \"%s\"", msg, *parts);
    letts_error_free(err);
}

static void test_bad_entries_are_refused_with_a_reason(void **state) {
    (void)state;
    letts_schedule *sched = NULL;
    assert_int_equal(letts_schedule_new(&sched, NULL), LETTS_OK);
    letts_job *job = ds_job_on_dev("sched_tick", "default");
    letts_error *err = NULL;
    assert_int_equal(letts_schedule_add(sched, "kept", "*/5 * * * *", "Europe/Berlin", job, &err), LETTS_OK);

    refused(letts_schedule_add(sched, "kept", "@hourly", NULL, job, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
            (const char *const[]){"\"kept\"", "exists already", NULL});
    refused(letts_schedule_add(sched, "minute", "61 * * * *", NULL, job, &err), &err,
            LETTS_ERR_INVALID_ARGUMENT, (const char *const[]){"minute", "61", NULL});
    refused(letts_schedule_add(sched, "zone", "@daily", "Mars/Olympus_Mons", job, &err), &err,
            LETTS_ERR_INVALID_ARGUMENT, (const char *const[]){"Mars/Olympus_Mons", NULL});
    refused(letts_schedule_add_interval(sched, "zero", 0, job, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
            (const char *const[]){"interval", NULL});

    /* A unique key would make every tick's dispatch fail later: refused now, naming the entry. */
    letts_job *unique = ds_job_on_dev("sched_tick", "default");
    assert_int_equal(letts_job_set_unique(unique, "invoice-7", 3600000, NULL), LETTS_OK);
    refused(letts_schedule_add(sched, "uniq", "@hourly", NULL, unique, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
            (const char *const[]){"\"uniq\"", "unique key", NULL});
    refused(letts_schedule_add_interval(sched, "uniq", 1000, unique, &err), &err,
            LETTS_ERR_INVALID_ARGUMENT, (const char *const[]){"\"uniq\"", "unique key", NULL});

    /* Nothing refused was added: only "kept" has fire times. */
    int64_t t[1];
    assert_int_equal(letts_schedule_next(sched, "kept", 0, t, 1, NULL), LETTS_OK);
    assert_int_equal(t[0], 300000);
    for (const char *const *n = (const char *const[]){"minute", "zone", "zero", "uniq", NULL}; *n; n++)
        assert_int_equal(letts_schedule_next(sched, *n, 0, t, 1, NULL), LETTS_ERR_NOT_FOUND);
    letts_job_free(unique);
    letts_job_free(job);
    letts_schedule_free(sched);
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "--scheduler") == 0)
        return scheduler_process(argv[2], argv[3], atoi(argv[4]));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_schedulers_ten_ticks_ten_missions),
        cmocka_unit_test(test_three_processes_ten_ticks_ten_missions),
        cmocka_unit_test(test_catch_up_policies),
        cmocka_unit_test(test_bad_entries_are_refused_with_a_reason),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
