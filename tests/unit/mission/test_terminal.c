/*
 * Terminal events: success and fail bytes on fd 3, their refusals (which
 * write nothing), at most one terminal event ever, and the fd 3 channel's
 * behaviour when dugdale is gone (spec/mission-protocol.md 3.2, 3.3, 7.8).
 */
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

/* ------------------------------------------------------------- success -- */

static void success_without_return(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_ended(h->m), 0);
    assert_int_equal(letts_mission_success(h->m, NULL, NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"success\"}\n");
    assert_int_equal(letts_mission_ended(h->m), 1);
    assert_int_equal(letts_mission_exit_code(h->m), 0);
}

static void success_return_sent_compact_and_verbatim(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_success(h->m,
                                           "{\n  \"rows\" : 1200,\n  \"big\": 12345678901234567890,"
                                           "\n  \"f\": 1.50, \"s\": \"a\\u00e9 b\", \"l\": [ ] }",
                                           NULL),
                     LETTS_OK);
    harness_expect(h, "{\"event\":\"success\",\"return\":{\"rows\":1200,\"big\":"
                      "12345678901234567890,\"f\":1.50,\"s\":\"a\\u00e9 b\",\"l\":[]}}\n");
}

static void success_null_return(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_success(h->m, " null ", NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"success\",\"return\":null}\n");
}

static void success_refusals_write_nothing(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    expect_error(letts_mission_success(h->m, "[1,2]", &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "the success return must be a JSON object or null, not an array; wrap a list "
                 "as {\"items\": [...]}");
    expect_error(letts_mission_success(h->m, "\"done\"", &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "the success return must be a JSON object or null, not a string");
    expect_error(letts_mission_success(h->m, "42", &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "the success return must be a JSON object or null, not a number");
    expect_error(letts_mission_success(h->m, "true", &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "the success return must be a JSON object or null, not a boolean");
    expect_error(letts_mission_success(h->m, "{\"a\":01}", &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "the success return is not valid JSON: unexpected character '1' at byte 6");
    expect_error(letts_mission_success(h->m, "{\"a\":1} x", &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "the success return is not valid JSON: unexpected data after the value at "
                 "byte 8");
    expect_error(letts_mission_success(h->m, "{\"a\":\"\xff\"}", &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "the success return is not valid JSON: invalid UTF-8 in string at byte 6");
    expect_error(letts_mission_success(h->m, "", &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "the success return is not valid JSON: unexpected end of input at byte 0");
    /* max_return_value_size: 768 KiB of compact JSON */
    const size_t limit = 768 * 1024;
    char *big = malloc(limit + 2);
    /* {"k":"xx...x"} of limit + 1 bytes */
    memset(big, 'x', limit + 1);
    memcpy(big, "{\"k\":\"", 6);
    memcpy(big + limit - 1, "\"}", 2);
    big[limit + 1] = '\0';
    expect_error(letts_mission_success(h->m, big, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "success return value is 786433 bytes, exceeds max_return_value_size (786432 "
                 "bytes); return less data or write it to an output file");
    harness_expect(h, "");
    assert_int_equal(letts_mission_ended(h->m), 0);
    /* at the limit it goes out */
    memcpy(big + limit - 2, "\"}", 3); /* now exactly limit bytes */
    assert_int_equal(strlen(big), limit);
    harness_drain_begin(h); /* the line is bigger than the pipe buffer */
    assert_int_equal(letts_mission_success(h->m, big, NULL), LETTS_OK);
    size_t len = 0;
    char *got = harness_drain_end(h, &len);
    assert_int_equal(len, strlen("{\"event\":\"success\",\"return\":}\n") + limit);
    assert_memory_equal(got, "{\"event\":\"success\",\"return\":{\"k\":\"xx", 30);
    assert_memory_equal(got + len - 6, "xx\"}}\n", 6);
    free(got);
    free(big);
}

static void success_verifies_registered_outputs(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    const char *path = NULL;
    assert_int_equal(letts_mission_output_register(h->m, "report", NULL), LETTS_OK);
    assert_int_equal(letts_mission_output_path(h->m, "report", &path, NULL), LETTS_OK);
    free(harness_take(h));
    char want[800];
    snprintf(want, sizeof want, "output file registered but missing: report (expected at %s)",
             path);
    expect_error(letts_mission_success(h->m, "{}", &err), &err, LETTS_ERR_NOT_FOUND, want);
    /* a symlink is refused too: dugdale would say output_path_escape */
    char target[600];
    snprintf(target, sizeof target, "%s/tmp/real", h->workdir);
    write_file(target, "x", 1);
    assert_int_equal(symlink(target, path), 0);
    snprintf(want, sizeof want,
             "output file report at %s is a symbolic link; dugdale collects only regular "
             "files (output_path_escape)",
             path);
    expect_error(letts_mission_success(h->m, "{}", &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 want);
    unlink(path);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(want, sizeof want,
             "output file report at %s is not a regular file (output_not_regular_file)", path);
    expect_error(letts_mission_success(h->m, "{}", &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 want);
    rmdir(path);
    harness_expect(h, "");
    write_file(path, "", 0); /* empty files are valid outputs */
    assert_int_equal(letts_mission_success(h->m, "{}", NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"success\",\"return\":{}}\n");
}

/* ---------------------------------------------------------------- fail -- */

static void fail_like_php(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_fail(h->m, "boom", NULL, NULL, 1, NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"fail\",\"message\":\"boom\",\"reason\":\"explicit\","
                      "\"exit_code\":1}\n");
    assert_int_equal(letts_mission_exit_code(h->m), 1);
    assert_int_equal(letts_mission_ended(h->m), 1);
}

static void fail_with_reason_and_details(void **state) {
    harness *h = *state;
    assert_int_equal(
        letts_mission_fail(h->m, "upstream returned HTTP 503", "upstream_unavailable",
                           "{ \"url\": \"https://api.example.test/v1/items\", \"status\": 503 }",
                           3, NULL),
        LETTS_OK);
    harness_expect(h, "{\"event\":\"fail\",\"message\":\"upstream returned HTTP 503\","
                      "\"reason\":\"upstream_unavailable\",\"exit_code\":3,\"details\":"
                      "{\"url\":\"https://api.example.test/v1/items\",\"status\":503}}\n");
    assert_int_equal(letts_mission_exit_code(h->m), 3);
}

static void fail_exit_code_coerced(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_fail(h->m, "", "", "null", 0, NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"fail\",\"message\":\"\",\"reason\":\"explicit\","
                      "\"exit_code\":1,\"details\":null}\n");
    assert_int_equal(letts_mission_exit_code(h->m), 1);
}

static void fail_exit_code_clamped_high(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_fail(h->m, NULL, "r", NULL, 256, NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"fail\",\"message\":\"\",\"reason\":\"r\",\"exit_code\":255}\n");
    assert_int_equal(letts_mission_exit_code(h->m), 255);
}

static void fail_exit_code_clamped_negative(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_fail(h->m, "m", NULL, NULL, -7, NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"fail\",\"message\":\"m\",\"reason\":\"explicit\","
                      "\"exit_code\":1}\n");
}

static void fail_refusals_write_nothing(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    expect_error(letts_mission_fail(h->m, "m", NULL, "[]", 2, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "the fail details must be a JSON object or null, not an array; wrap a list as "
                 "{\"items\": [...]}");
    expect_error(letts_mission_fail(h->m, "m", NULL, "\"text\"", 2, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "the fail details must be a JSON object or null, not a string");
    expect_error(letts_mission_fail(h->m, "m", NULL, "{", 2, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "the fail details is not valid JSON: unexpected end of input at byte 1");
    expect_error(letts_mission_fail(h->m, "\x80", NULL, NULL, 2, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "fail message is not valid UTF-8 (first bad byte at offset 0)");
    expect_error(letts_mission_fail(h->m, "m", "r\xc0\xaf", NULL, 2, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "fail reason is not valid UTF-8 (first bad byte at offset 1)");
    char *big = malloc(1048577);
    memset(big, 'm', 1048576);
    big[1048576] = '\0';
    expect_error(letts_mission_fail(h->m, big, NULL, NULL, 2, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, NULL);
    free(big);
    harness_expect(h, "");
    assert_int_equal(letts_mission_ended(h->m), 0);
    assert_int_equal(letts_mission_exit_code(h->m), 0);
}

/* ------------------------------------------------------- terminal once -- */

static void second_terminal_refused(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    assert_int_equal(letts_mission_success(h->m, "{\"ok\":true}", NULL), LETTS_OK);
    free(harness_take(h));
    expect_error(letts_mission_success(h->m, NULL, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "a terminal event was already written (success); a mission reports success "
                 "or fail only once");
    expect_error(letts_mission_fail(h->m, "late", NULL, NULL, 4, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "a terminal event was already written (success); a mission reports success "
                 "or fail only once");
    harness_expect(h, "");
    assert_int_equal(letts_mission_exit_code(h->m), 0);
    /* events after the terminal one are legal for dugdale */
    assert_int_equal(letts_mission_progress(h->m, 1, "done", NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"progress\",\"value\":1,\"message\":\"done\"}\n");
}

static void second_terminal_after_fail_refused(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    assert_int_equal(letts_mission_fail(h->m, "first", NULL, NULL, 5, NULL), LETTS_OK);
    free(harness_take(h));
    expect_error(letts_mission_success(h->m, NULL, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "a terminal event was already written (fail); a mission reports success or "
                 "fail only once");
    harness_expect(h, "");
    assert_int_equal(letts_mission_exit_code(h->m), 5);
}

struct racer {
    letts_mission *m;
    pthread_barrier_t *barrier;
    int index;
    letts_status status;
};

static void *race(void *arg) {
    struct racer *r = arg;
    pthread_barrier_wait(r->barrier);
    if (r->index % 2)
        r->status = letts_mission_success(r->m, "{}", NULL);
    else
        r->status = letts_mission_fail(r->m, "f", NULL, NULL, 7, NULL);
    return NULL;
}

static void terminal_once_across_threads(void **state) {
    harness *h = *state;
    enum { n = 16 };
    pthread_t threads[n];
    struct racer racers[n];
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, n);
    for (int i = 0; i < n; ++i) {
        racers[i] = (struct racer){h->m, &barrier, i, LETTS_ERR_INTERNAL};
        assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
    }
    int winners = 0, winner = -1;
    for (int i = 0; i < n; ++i) {
        pthread_join(threads[i], NULL);
        if (racers[i].status == LETTS_OK) {
            ++winners;
            winner = i;
        } else {
            assert_int_equal(racers[i].status, LETTS_ERR_INVALID_ARGUMENT);
        }
    }
    pthread_barrier_destroy(&barrier);
    assert_int_equal(winners, 1);
    harness_expect(h, winner % 2 ? "{\"event\":\"success\",\"return\":{}}\n"
                                 : "{\"event\":\"fail\",\"message\":\"f\",\"reason\":"
                                   "\"explicit\",\"exit_code\":7}\n");
    assert_int_equal(letts_mission_exit_code(h->m), winner % 2 ? 0 : 7);
}

/* ---------------------------------------------------------- fd 3 state -- */

static void fd3_is_close_on_exec(void **state) {
    (void)state;
    assert_true(fcntl(3, F_GETFD) & FD_CLOEXEC);
}

static void write_to_gone_daemon_is_an_error_not_sigpipe(void **state) {
    harness *h = *state;
    close(h->events); /* dugdale is gone */
    h->events = -1;
    letts_error *err = NULL;
    /* SIGPIPE keeps its default (fatal) action: surviving is the test */
    signal(SIGPIPE, SIG_DFL);
    expect_error(letts_mission_progress(h->m, 0.5, NULL, &err), &err, LETTS_ERR_IO,
                 "cannot write the progress event to fd 3: Broken pipe (dugdale is no longer "
                 "reading the event channel)");
    expect_error(letts_mission_success(h->m, NULL, &err), &err, LETTS_ERR_IO, NULL);
    /* the terminal event was attempted: it counts */
    assert_int_equal(letts_mission_ended(h->m), 1);
    sigset_t pending;
    sigpending(&pending);
    assert_false(sigismember(&pending, SIGPIPE));
}

#define T(f) cmocka_unit_test_setup_teardown(f, harness_setup, harness_teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(success_without_return),
        T(success_return_sent_compact_and_verbatim),
        T(success_null_return),
        T(success_refusals_write_nothing),
        T(success_verifies_registered_outputs),
        T(fail_like_php),
        T(fail_with_reason_and_details),
        T(fail_exit_code_coerced),
        T(fail_exit_code_clamped_high),
        T(fail_exit_code_clamped_negative),
        T(fail_refusals_write_nothing),
        T(second_terminal_refused),
        T(second_terminal_after_fail_refused),
        T(terminal_once_across_threads),
        T(fd3_is_close_on_exec),
        T(write_to_gone_daemon_is_an_error_not_sigpipe),
    };
    return cmocka_run_group_tests_name("mission terminal", tests, NULL, NULL);
}
