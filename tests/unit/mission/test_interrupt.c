/*
 * Cooperative cancellation: SIGTERM/SIGINT only set a sticky flag and wake
 * the interrupt descriptor; callbacks run later, on the mission's thread, at
 * the next check or progress call (spec/mission-protocol.md 7.6, 8.2).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

/* Deadline for waits that must end because of an event; never reached when
 * the code works. */
#define DEADLINE_MS 10000

static int readable(int fd, int timeout_ms) {
    struct pollfd p = {fd, POLLIN, 0};
    int n;
    do n = poll(&p, 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    return n == 1 && (p.revents & POLLIN);
}

/* What callbacks saw, in call order. */
struct calls {
    int count;
    int signals[8];
    int tags[8];
    pthread_t threads[8];
    int stop_at_tag; /* the callback with this tag returns non-zero */
};

static struct calls calls;

static int record(int signal, void *user_data) {
    int tag = (int)(intptr_t)user_data;
    if (calls.count < 8) {
        calls.signals[calls.count] = signal;
        calls.tags[calls.count] = tag;
        calls.threads[calls.count] = pthread_self();
    }
    ++calls.count;
    return tag == calls.stop_at_tag;
}

static int setup(void **state) {
    memset(&calls, 0, sizeof calls);
    calls.stop_at_tag = -1;
    return harness_setup(state);
}

#define INTERRUPTED_MSG "mission interrupted by signal"

static void sigterm_sets_sticky_flag(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    assert_int_equal(letts_mission_interrupted(h->m), 0);
    assert_int_equal(letts_mission_check(h->m, NULL), LETTS_OK);
    assert_int_equal(raise(SIGTERM), 0); /* delivered before raise returns */
    assert_int_equal(letts_mission_interrupted(h->m), SIGTERM);
    expect_error(letts_mission_check(h->m, &err), &err, LETTS_ERR_INTERRUPTED, INTERRUPTED_MSG);
    /* sticky, and the first signal is the one reported */
    assert_int_equal(raise(SIGINT), 0);
    assert_int_equal(letts_mission_interrupted(h->m), SIGTERM);
    expect_error(letts_mission_check(h->m, &err), &err, LETTS_ERR_INTERRUPTED, INTERRUPTED_MSG);
    /* the process survived both signals; nothing was written */
    harness_expect(h, "");
    /* an interrupted mission still reports (e.g. a fail event) */
    assert_int_equal(letts_mission_fail(h->m, "stopped", "interrupted", NULL, 1, NULL),
                     LETTS_OK);
    harness_expect(h, "{\"event\":\"fail\",\"message\":\"stopped\",\"reason\":\"interrupted\","
                      "\"exit_code\":1}\n");
}

static void sigint_sets_flag(void **state) {
    harness *h = *state;
    assert_int_equal(raise(SIGINT), 0);
    assert_int_equal(letts_mission_interrupted(h->m), SIGINT);
    assert_int_equal(letts_mission_check(h->m, NULL), LETTS_ERR_INTERRUPTED);
}

static void interrupt_fd_becomes_readable(void **state) {
    harness *h = *state;
    int fd = letts_mission_interrupt_fd(h->m);
    assert_true(fd >= 0);
    assert_false(readable(fd, 0));
    assert_int_equal(raise(SIGTERM), 0);
    assert_true(readable(fd, 0));
    /* stays readable: checking does not consume it */
    assert_int_equal(letts_mission_check(h->m, NULL), LETTS_ERR_INTERRUPTED);
    assert_true(readable(fd, 0));
    assert_int_equal(raise(SIGTERM), 0);
    assert_true(readable(fd, 0));
}

static void *send_sigterm(void *arg) {
    (void)arg;
    kill(getpid(), SIGTERM);
    return NULL;
}

/* An event loop blocked in poll() wakes up when another thread (or
 * process) sends SIGTERM. */
static void event_loop_wakes_on_signal(void **state) {
    harness *h = *state;
    pthread_t sender;
    assert_int_equal(pthread_create(&sender, NULL, send_sigterm, NULL), 0);
    assert_true(readable(letts_mission_interrupt_fd(h->m), DEADLINE_MS));
    pthread_join(sender, NULL);
    assert_int_equal(letts_mission_interrupted(h->m), SIGTERM);
}

static void callbacks_run_at_check_in_order_once(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_on_interrupt(h->m, record, (void *)1, NULL), LETTS_OK);
    assert_int_equal(letts_mission_on_interrupt(h->m, record, (void *)2, NULL), LETTS_OK);
    assert_int_equal(raise(SIGTERM), 0);
    /* nothing runs inside the signal handler */
    assert_int_equal(calls.count, 0);
    assert_int_equal(letts_mission_check(h->m, NULL), LETTS_ERR_INTERRUPTED);
    assert_int_equal(calls.count, 2);
    assert_int_equal(calls.tags[0], 1);
    assert_int_equal(calls.tags[1], 2);
    assert_int_equal(calls.signals[0], SIGTERM);
    assert_int_equal(calls.signals[1], SIGTERM);
    assert_true(pthread_equal(calls.threads[0], pthread_self()));
    /* each callback runs once */
    assert_int_equal(letts_mission_check(h->m, NULL), LETTS_ERR_INTERRUPTED);
    assert_int_equal(calls.count, 2);
    /* registered after the interrupt: runs at the next check */
    assert_int_equal(letts_mission_on_interrupt(h->m, record, (void *)3, NULL), LETTS_OK);
    assert_int_equal(calls.count, 2);
    assert_int_equal(letts_mission_check(h->m, NULL), LETTS_ERR_INTERRUPTED);
    assert_int_equal(calls.count, 3);
    assert_int_equal(calls.tags[2], 3);
}

static void callbacks_run_at_progress(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_on_interrupt(h->m, record, (void *)1, NULL), LETTS_OK);
    assert_int_equal(letts_mission_progress(h->m, 0.1, "before", NULL), LETTS_OK);
    assert_int_equal(calls.count, 0);
    assert_int_equal(letts_mission_interrupt(h->m, SIGTERM, NULL), LETTS_OK);
    assert_int_equal(calls.count, 0);
    /* the callback returns 0: progress goes out after it ran */
    assert_int_equal(letts_mission_progress(h->m, 0.2, "after", NULL), LETTS_OK);
    assert_int_equal(calls.count, 1);
    harness_expect(h, "{\"event\":\"progress\",\"value\":0.1,\"message\":\"before\"}\n"
                      "{\"event\":\"progress\",\"value\":0.2,\"message\":\"after\"}\n");
}

static void callback_can_stop_the_call(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    calls.stop_at_tag = 1;
    assert_int_equal(letts_mission_on_interrupt(h->m, record, (void *)1, NULL), LETTS_OK);
    assert_int_equal(letts_mission_on_interrupt(h->m, record, (void *)2, NULL), LETTS_OK);
    assert_int_equal(letts_mission_interrupt(h->m, SIGINT, NULL), LETTS_OK);
    expect_error(letts_mission_progress_message(h->m, "x", &err), &err, LETTS_ERR_INTERRUPTED,
                 INTERRUPTED_MSG ": an interrupt callback stopped the call");
    harness_expect(h, ""); /* the stopped call wrote nothing */
    assert_int_equal(calls.count, 1);
    assert_int_equal(calls.signals[0], SIGINT);
    /* the remaining callback runs at the next check */
    assert_int_equal(letts_mission_check(h->m, NULL), LETTS_ERR_INTERRUPTED);
    assert_int_equal(calls.count, 2);
    assert_int_equal(calls.tags[1], 2);
}

struct other_thread {
    letts_mission *m;
    letts_status check, progress;
};

static void *check_elsewhere(void *arg) {
    struct other_thread *o = arg;
    o->check = letts_mission_check(o->m, NULL);
    o->progress = letts_mission_progress_message(o->m, "from a worker", NULL);
    return NULL;
}

/* Other threads see the flag, but callbacks wait for the mission's thread. */
static void callbacks_only_on_the_mission_thread(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_on_interrupt(h->m, record, (void *)1, NULL), LETTS_OK);
    assert_int_equal(raise(SIGTERM), 0);
    struct other_thread o = {h->m, LETTS_OK, LETTS_OK};
    pthread_t worker;
    assert_int_equal(pthread_create(&worker, NULL, check_elsewhere, &o), 0);
    pthread_join(worker, NULL);
    assert_int_equal(o.check, LETTS_ERR_INTERRUPTED);
    assert_int_equal(o.progress, LETTS_OK);
    assert_int_equal(calls.count, 0);
    harness_expect(h, "{\"event\":\"progress\",\"message\":\"from a worker\"}\n");
    assert_int_equal(letts_mission_check(h->m, NULL), LETTS_ERR_INTERRUPTED);
    assert_int_equal(calls.count, 1);
}

static void interrupt_call_arguments(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    expect_error(letts_mission_interrupt(h->m, 0, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "letts_mission_interrupt: signal must be positive, got 0");
    expect_error(letts_mission_interrupt(NULL, SIGTERM, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_interrupt: m is NULL");
    expect_error(letts_mission_on_interrupt(h->m, NULL, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_on_interrupt: fn is NULL");
    expect_error(letts_mission_on_interrupt(NULL, record, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_on_interrupt: m is NULL");
    expect_error(letts_mission_check(NULL, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "letts_mission_check: m is NULL");
    assert_int_equal(letts_mission_interrupted(h->m), 0);
    /* any positive number, as a host forwarding its own signal would */
    assert_int_equal(letts_mission_interrupt(h->m, SIGUSR1, NULL), LETTS_OK);
    assert_int_equal(letts_mission_interrupted(h->m), SIGUSR1);
    assert_true(readable(letts_mission_interrupt_fd(h->m), 0));
}

/* ------------------------------------------- handler installation -- */

static int previous_handler_calls;
static void previous_handler(int signo) {
    (void)signo;
    ++previous_handler_calls;
}

static void previous_handlers_restored_on_free(void **state) {
    harness *h = *state;
    letts_mission_free(h->m);
    h->m = NULL;
    struct sigaction mine, seen;
    memset(&mine, 0, sizeof mine);
    mine.sa_handler = previous_handler;
    sigemptyset(&mine.sa_mask);
    assert_int_equal(sigaction(SIGTERM, &mine, NULL), 0);
    assert_int_equal(sigaction(SIGINT, &mine, NULL), 0);
    harness_finish(h);
    harness_start(h, "{}", NULL);
    assert_int_equal(sigaction(SIGTERM, NULL, &seen), 0);
    assert_true(seen.sa_handler != previous_handler);
    assert_true(seen.sa_flags & SA_RESTART);
    assert_int_equal(raise(SIGTERM), 0);
    assert_int_equal(previous_handler_calls, 0);
    letts_mission_free(h->m);
    h->m = NULL;
    assert_int_equal(sigaction(SIGTERM, NULL, &seen), 0);
    assert_true(seen.sa_handler == previous_handler);
    assert_int_equal(sigaction(SIGINT, NULL, &seen), 0);
    assert_true(seen.sa_handler == previous_handler);
    assert_int_equal(raise(SIGINT), 0);
    assert_int_equal(previous_handler_calls, 1);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
}

/* A host that owns signal handling (Go, PHP with pcntl) forwards them. */
static void no_signal_handlers_flag(void **state) {
    harness *h = *state;
    letts_mission_free(h->m);
    h->m = NULL;
    harness_finish(h);
    struct sigaction mine, seen;
    memset(&mine, 0, sizeof mine);
    mine.sa_handler = previous_handler;
    sigemptyset(&mine.sa_mask);
    assert_int_equal(sigaction(SIGTERM, &mine, NULL), 0);
    harness_prepare(h, "{}", NULL);
    harness_begin(h, LETTS_MISSION_NO_SIGNAL_HANDLERS);
    assert_int_equal(sigaction(SIGTERM, NULL, &seen), 0);
    assert_true(seen.sa_handler == previous_handler);
    assert_int_equal(sigaction(SIGINT, NULL, &seen), 0);
    assert_true(seen.sa_handler == SIG_DFL);
    assert_int_equal(letts_mission_on_interrupt(h->m, record, (void *)9, NULL), LETTS_OK);
    assert_int_equal(letts_mission_interrupt(h->m, SIGTERM, NULL), LETTS_OK);
    assert_true(readable(letts_mission_interrupt_fd(h->m), 0));
    assert_int_equal(letts_mission_check(h->m, NULL), LETTS_ERR_INTERRUPTED);
    assert_int_equal(calls.count, 1);
    signal(SIGTERM, SIG_DFL);
}

/* The flag belongs to one mission: the next one starts uninterrupted. */
static void flag_reset_for_next_mission(void **state) {
    harness *h = *state;
    assert_int_equal(raise(SIGTERM), 0);
    letts_mission_free(h->m);
    h->m = NULL;
    harness_finish(h);
    harness_start(h, "{}", NULL);
    assert_int_equal(letts_mission_interrupted(h->m), 0);
    assert_false(readable(letts_mission_interrupt_fd(h->m), 0));
    assert_int_equal(letts_mission_check(h->m, NULL), LETTS_OK);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, harness_teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(sigterm_sets_sticky_flag),
        T(sigint_sets_flag),
        T(interrupt_fd_becomes_readable),
        T(event_loop_wakes_on_signal),
        T(callbacks_run_at_check_in_order_once),
        T(callbacks_run_at_progress),
        T(callback_can_stop_the_call),
        T(callbacks_only_on_the_mission_thread),
        T(interrupt_call_arguments),
        T(previous_handlers_restored_on_free),
        T(no_signal_handlers_flag),
        T(flag_reset_for_next_mission),
    };
    return cmocka_run_group_tests_name("mission interrupt", tests, NULL, NULL);
}
