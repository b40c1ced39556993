/*
 * letts_mission_exit(): the C convenience that flushes stdio, frees the
 * mission and ends the process with the status matching what was reported
 * (spec/mission-protocol.md 7.8, 8.2). Each case runs in a forked child that
 * inherits the started mission; the parent checks the exit status, the
 * fd 3 bytes and the child's stdout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

enum ending { END_NONE, END_SUCCESS, END_FAIL_3, END_FAIL_0, END_FAIL_300, END_NULL };

struct outcome {
    int status;   /* exit status of the child */
    char *stdout_text;
};

static struct outcome run_child(harness *h, enum ending ending) {
    int out[2];
    assert_int_equal(pipe(out), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        /* unflushed on purpose: stdout to a pipe is fully buffered */
        printf("child output");
        switch (ending) {
            case END_NONE: break;
            case END_SUCCESS: letts_mission_success(h->m, "{\"ok\":true}", NULL); break;
            case END_FAIL_3: letts_mission_fail(h->m, "three", NULL, NULL, 3, NULL); break;
            case END_FAIL_0: letts_mission_fail(h->m, "zero", NULL, NULL, 0, NULL); break;
            case END_FAIL_300: letts_mission_fail(h->m, "big", NULL, NULL, 300, NULL); break;
            case END_NULL: letts_mission_free(h->m); h->m = NULL; break;
        }
        letts_mission_exit(h->m);
    }
    close(out[1]);
    struct outcome o;
    int wstatus = 0;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFEXITED(wstatus));
    o.status = WEXITSTATUS(wstatus);
    char buf[256];
    ssize_t n = read(out[0], buf, sizeof buf - 1);
    close(out[0]);
    buf[n < 0 ? 0 : n] = '\0';
    o.stdout_text = strdup(buf);
    return o;
}

static void check(harness *h, enum ending ending, int status, const char *fd3) {
    struct outcome o = run_child(h, ending);
    assert_int_equal(o.status, status);
    assert_string_equal(o.stdout_text, "child output");
    free(o.stdout_text);
    harness_expect(h, fd3);
}

static void exit_without_terminal_event_is_0(void **state) {
    check(*state, END_NONE, 0, "");
}

static void exit_after_success_is_0(void **state) {
    check(*state, END_SUCCESS, 0, "{\"event\":\"success\",\"return\":{\"ok\":true}}\n");
}

static void exit_after_fail_uses_its_code(void **state) {
    check(*state, END_FAIL_3, 3,
          "{\"event\":\"fail\",\"message\":\"three\",\"reason\":\"explicit\",\"exit_code\":3}\n");
}

/* A fail followed by status 0 would be recorded as fail_then_zero_exit. */
static void exit_after_fail_0_is_1(void **state) {
    check(*state, END_FAIL_0, 1,
          "{\"event\":\"fail\",\"message\":\"zero\",\"reason\":\"explicit\",\"exit_code\":1}\n");
}

/* 300 would wrap to 44 in the OS; the event and the status agree on 255. */
static void exit_after_fail_300_is_255(void **state) {
    check(*state, END_FAIL_300, 255,
          "{\"event\":\"fail\",\"message\":\"big\",\"reason\":\"explicit\",\"exit_code\":255}\n");
}

/* A mission that could not start exits 1: dugdale records failed /
 * no_event_nonzero_exit. */
static void exit_null_is_1(void **state) {
    check(*state, END_NULL, 1, "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, harness_setup, harness_teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(exit_without_terminal_event_is_0),
        T(exit_after_success_is_0),
        T(exit_after_fail_uses_its_code),
        T(exit_after_fail_0_is_1),
        T(exit_after_fail_300_is_255),
        T(exit_null_is_1),
    };
    return cmocka_run_group_tests_name("mission exit", tests, NULL, NULL);
}
