/*
 * Run handles driven by one poll(2) loop on one thread (issue 12, §2):
 * several runs in flight at once, progress callbacks on the polling
 * thread, the states in order, results equal to what letts_client_run
 * gives, a handle cancelled through its run options while the others go
 * on, a handle following an existing mission (letts_client_wait_start),
 * and a handle freed mid-run (which cancels it; the mission keeps
 * running). The loop must not spin: the number of wake-ups is bounded.
 */
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixtures.h"
#include "letts/run_handle.h"

static pthread_t main_thread;

static int setup(void **state) {
    main_thread = pthread_self();
    return cx_env_setup(state);
}

typedef struct slot {
    const char *mission;
    char id[37];
    letts_run_options *opts;
    letts_run_handle *handle;
    int progress;        /* progress callbacks seen */
    int off_thread;      /* callbacks seen on another thread */
    int saw_following;
    int done;
    letts_status status; /* of letts_run_handle_result */
    letts_run_result *result;
    letts_error *err;
} slot;

static int on_progress(int has_value, double value, const char *message, void *user_data) {
    slot *s = user_data;
    (void)has_value; (void)value; (void)message;
    s->progress++;
    if (!pthread_equal(pthread_self(), main_thread)) s->off_thread++;
    return 0;
}

static void prepare(slot *s, const char *mission, letts_cancel *cancel) {
    memset(s, 0, sizeof *s);
    s->mission = mission;
    assert_int_equal(letts_run_options_new(&s->opts, NULL), LETTS_OK);
    assert_int_equal(letts_run_options_set_progress(s->opts, on_progress, s, NULL), LETTS_OK);
    if (cancel) assert_int_equal(letts_run_options_set_cancel(s->opts, cancel, NULL), LETTS_OK);
}

static void start(slot *s) {
    letts_error *err = NULL;
    letts_job *job = cx_job(s->mission, s->id);
    if (letts_client_run_start(cx_env_client, job, s->opts, &s->handle, &err) != LETTS_OK)
        fail_msg("run_start %s: %s", s->mission, letts_error_message(err));
    letts_job_free(job); /* the handle keeps what it needs */
    const letts_run_state st = letts_run_handle_state(s->handle);
    assert_true(st == LETTS_RUN_STARTING || st == LETTS_RUN_FOLLOWING);
    assert_true(letts_run_handle_fd(s->handle) >= 0);
}

static void finish(slot *s) {
    letts_run_options_free(s->opts);
    letts_run_result_free(s->result);
    letts_error_free(s->err);
    letts_run_handle_free(s->handle);
}

/* Steps `s` once; on DONE collects its result. */
static void step(slot *s) {
    letts_error *err = NULL;
    const letts_status st = letts_run_handle_step(s->handle, &err);
    const letts_run_state state = letts_run_handle_state(s->handle);
    if (st != LETTS_OK && state != LETTS_RUN_DONE)
        fail_msg("step of %s failed before DONE: %s", s->mission, letts_error_message(err));
    letts_error_free(err);
    if (state == LETTS_RUN_FOLLOWING) s->saw_following = 1;
    if (state == LETTS_RUN_DONE) {
        s->done = 1;
        s->status = letts_run_handle_result(s->handle, &s->result, &s->err);
    }
}

/* One poll(2) over the fds of the unfinished slots, then a step of each
 * readable one; `between` (may be NULL) runs after each round. Returns the
 * number of rounds. */
static int drive(slot *slots, int n, void (*between)(slot *slots, void *arg), void *arg) {
    const long long deadline = cx_now_us() + 60LL * 1000 * 1000;
    int rounds = 0;
    for (;;) {
        struct pollfd fds[8];
        int idx[8], count = 0;
        for (int i = 0; i < n; ++i) /* over before its fd ever fired */
            if (!slots[i].done && letts_run_handle_state(slots[i].handle) == LETTS_RUN_DONE) step(&slots[i]);
        for (int i = 0; i < n; ++i)
            if (!slots[i].done) {
                fds[count].fd = letts_run_handle_fd(slots[i].handle);
                fds[count].events = POLLIN;
                fds[count].revents = 0;
                idx[count++] = i;
            }
        if (count == 0) return rounds;
        if (cx_now_us() > deadline) fail_msg("runs not done within 60 s");
        const int ready = poll(fds, (nfds_t)count, 1000);
        assert_true(ready >= 0);
        rounds++;
        for (int k = 0; k < count; ++k)
            if (fds[k].revents & (POLLIN | POLLERR | POLLHUP)) step(&slots[idx[k]]);
        if (between) between(slots, arg);
    }
}

typedef struct cancel_when_others_done {
    letts_cancel *cancel;
    int victim;
    int n;
    long long triggered_us;
} cancel_when_others_done;

static void maybe_cancel(slot *slots, void *arg) {
    cancel_when_others_done *c = arg;
    if (c->triggered_us) return;
    for (int i = 0; i < c->n; ++i)
        if (i != c->victim && !slots[i].done) return;
    c->triggered_us = cx_now_us();
    letts_cancel_trigger(c->cancel);
}

static void test_many_runs_one_poll_loop(void **state) {
    slot slots[4];
    (void)state;
    letts_cancel *cancel = cx_new_cancel();
    prepare(&slots[0], "ticks", NULL);
    prepare(&slots[1], "ticks", NULL);
    prepare(&slots[2], "sleep1", NULL);
    prepare(&slots[3], "sleeper", cancel); /* cancelled once the others are done */
    for (int i = 0; i < 4; ++i) start(&slots[i]);
    cancel_when_others_done c = {cancel, 3, 4, 0};
    const long long started = cx_now_us();
    const int rounds = drive(slots, 4, maybe_cancel, &c);
    const long long elapsed_ms = (cx_now_us() - started) / 1000;
    fprintf(stderr, "4 runs driven by %d poll rounds in %lld ms\n", rounds, elapsed_ms);
    /* Events arrive a few times per run; a loop woken without work would
     * make tens of thousands of rounds in that time. */
    assert_true(rounds < 2000);

    for (int i = 0; i < 3; ++i) {
        slot *s = &slots[i];
        if (s->status != LETTS_OK) fail_msg("%s: %s", s->mission, letts_error_message(s->err));
        assert_non_null(s->result);
        assert_string_equal(letts_run_result_outcome(s->result), "success");
        assert_string_equal(letts_run_result_mission_id(s->result), s->id);
        assert_string_equal(letts_run_handle_mission_id(s->handle), s->id);
        assert_string_equal(letts_run_result_host(s->result), "dev");
        assert_int_equal(s->off_thread, 0);
        assert_true(s->saw_following);
    }
    assert_string_equal(letts_run_result_return_json(slots[0].result), "{\"ticks\":3}");
    assert_string_equal(letts_run_result_return_json(slots[2].result), "{\"slept\":1}");
    assert_int_equal(slots[0].progress, 3);
    assert_int_equal(slots[1].progress, 3);
    assert_int_equal(slots[2].progress, 0);

    /* The cancelled one: same status and error as a cancelled run. */
    assert_int_equal(slots[3].status, LETTS_ERR_CANCELLED);
    assert_null(slots[3].result);
    assert_int_equal(letts_error_status(slots[3].err), LETTS_ERR_CANCELLED);
    assert_string_equal(letts_error_mission_id(slots[3].err), slots[3].id);
    letts_mission_info *info = NULL;
    assert_int_equal(letts_client_get_mission(cx_env_client, "dev", slots[3].id, &info, NULL), LETTS_OK);
    assert_string_equal(letts_mission_info_status(info), "running"); /* kill_on_cancel off */
    letts_mission_info_free(info);
    assert_int_equal(letts_client_kill(cx_env_client, "dev", slots[3].id, "KILL", NULL), LETTS_OK);

    for (int i = 0; i < 4; ++i) finish(&slots[i]);
    letts_cancel_free(cancel);
}

static void test_result_equals_blocking_run_and_wait_start(void **state) {
    slot s;
    char *got = NULL;
    letts_run_result *blocking = NULL;
    letts_error *err = NULL;
    (void)state;

    /* letts_client_wait_start on a mission dispatched before. */
    char id[37];
    letts_job *job = cx_job("ticks", id);
    assert_int_equal(letts_client_dispatch(cx_env_client, job, &got, NULL), LETTS_OK);
    prepare(&s, "ticks", NULL);
    snprintf(s.id, sizeof s.id, "%s", id);
    if (letts_client_wait_start(cx_env_client, "dev", id, s.opts, &s.handle, &err) != LETTS_OK)
        fail_msg("wait_start: %s", letts_error_message(err));
    drive(&s, 1, NULL, NULL);
    if (s.status != LETTS_OK) fail_msg("wait handle: %s", letts_error_message(s.err));
    assert_string_equal(letts_run_result_mission_id(s.result), id);
    assert_string_equal(letts_run_result_return_json(s.result), "{\"ticks\":3}");
    assert_int_equal(s.progress, 3);

    /* The same mission through the blocking wait: the same result. */
    if (letts_client_wait(cx_env_client, "dev", id, NULL, &blocking, &err) != LETTS_OK)
        fail_msg("wait: %s", letts_error_message(err));
    assert_string_equal(letts_run_result_outcome(blocking), letts_run_result_outcome(s.result));
    assert_string_equal(letts_run_result_return_json(blocking), letts_run_result_return_json(s.result));
    assert_int_equal(letts_run_result_duration_ms(blocking), letts_run_result_duration_ms(s.result));
    assert_int_equal(letts_run_result_time_finished_ms(blocking), letts_run_result_time_finished_ms(s.result));
    letts_run_result_free(blocking);
    finish(&s);
    letts_free(got);
    letts_job_free(job);
}

static void test_free_mid_run_leaves_the_mission_running(void **state) {
    slot s;
    (void)state;
    prepare(&s, "sleeper", NULL);
    start(&s);
    /* Step until the mission is followed. */
    const long long deadline = cx_now_us() + 30LL * 1000 * 1000;
    while (letts_run_handle_state(s.handle) != LETTS_RUN_FOLLOWING) {
        struct pollfd pfd = {letts_run_handle_fd(s.handle), POLLIN, 0};
        assert_true(poll(&pfd, 1, 1000) >= 0);
        step(&s);
        assert_false(s.done);
        if (cx_now_us() > deadline) fail_msg("never FOLLOWING");
    }
    char id[37];
    snprintf(id, sizeof id, "%s", s.id);
    assert_string_equal(letts_run_handle_mission_id(s.handle), id);
    const long long before = cx_now_us();
    letts_run_handle_free(s.handle);
    s.handle = NULL;
    const double free_ms = (double)(cx_now_us() - before) / 1000.0;
    fprintf(stderr, "letts_run_handle_free mid-run: %.1f ms\n", free_ms);
    assert_true(free_ms < 1000.0);
    letts_mission_info *info = NULL;
    assert_int_equal(letts_client_get_mission(cx_env_client, "dev", id, &info, NULL), LETTS_OK);
    assert_string_equal(letts_mission_info_status(info), "running");
    letts_mission_info_free(info);
    assert_int_equal(letts_client_kill(cx_env_client, "dev", id, "KILL", NULL), LETTS_OK);
    finish(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_runs_one_poll_loop),
        cmocka_unit_test(test_result_equals_blocking_run_and_wait_start),
        cmocka_unit_test(test_free_mid_run_leaves_the_mission_running),
    };
    return cmocka_run_group_tests(tests, setup, cx_env_teardown);
}
