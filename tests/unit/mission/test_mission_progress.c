/*
 * Progress events: the exact bytes on fd 3, one complete line per call, and
 * refusals that write nothing (spec/mission-protocol.md 3.2, 7.5).
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

/* ------------------------------------------------------------ progress -- */

static void progress_value_and_message(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_progress(h->m, 0.5, "halfway", NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"progress\",\"value\":0.5,\"message\":\"halfway\"}\n");
    assert_int_equal(letts_mission_progress(h->m, 0, "loading rows", NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"progress\",\"value\":0,\"message\":\"loading rows\"}\n");
}

static void progress_value_only(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_progress(h->m, 1.0, NULL, NULL), LETTS_OK);
    assert_int_equal(letts_mission_progress(h->m, 0.1, NULL, NULL), LETTS_OK);
    assert_int_equal(letts_mission_progress(h->m, -2.5e-7, NULL, NULL), LETTS_OK);
    assert_int_equal(letts_mission_progress(h->m, 1e21, NULL, NULL), LETTS_OK);
    /* Not range-checked, like dugdale. */
    assert_int_equal(letts_mission_progress(h->m, 42, NULL, NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"progress\",\"value\":1}\n"
                      "{\"event\":\"progress\",\"value\":0.1}\n"
                      "{\"event\":\"progress\",\"value\":-2.5e-07}\n"
                      "{\"event\":\"progress\",\"value\":1e+21}\n"
                      "{\"event\":\"progress\",\"value\":42}\n");
}

static void progress_message_only_and_empty(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_progress_message(h->m, "rendering report", NULL), LETTS_OK);
    assert_int_equal(letts_mission_progress_message(h->m, NULL, NULL), LETTS_OK);
    assert_int_equal(letts_mission_progress_message(h->m, "", NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"progress\",\"message\":\"rendering report\"}\n"
                      "{\"event\":\"progress\"}\n"
                      "{\"event\":\"progress\",\"message\":\"\"}\n");
}

static void progress_escapes_strings(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_progress_message(
                         h->m, "q\"b\\s/\n\r\t\b\f\x01\x1f\x7f caf\xc3\xa9 \xf0\x9f\x9a\x80", NULL),
                     LETTS_OK);
    harness_expect(h, "{\"event\":\"progress\",\"message\":"
                      "\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f\x7f caf\xc3\xa9 \xf0\x9f\x9a\x80\"}\n");
}

static void progress_refusals_write_nothing(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    expect_error(letts_mission_progress(h->m, NAN, "x", &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "progress value must be a finite number (JSON has no NaN or infinity)");
    expect_error(letts_mission_progress(h->m, INFINITY, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, NULL);
    expect_error(letts_mission_progress(h->m, 0.5, "bad \xc3(", &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "progress message is not valid UTF-8 (first bad byte at offset 4)");
    expect_error(letts_mission_progress_message(h->m, "\xed\xa0\x80", &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, NULL); /* encoded surrogate */
    expect_error(letts_mission_progress_message(NULL, "x", &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_progress_message: m is NULL");
    /* 1 MiB line limit, counted without the newline. */
    const size_t overhead = strlen("{\"event\":\"progress\",\"message\":\"\"}");
    char *big = malloc(1048576 - overhead + 2);
    memset(big, 'a', 1048576 - overhead + 1);
    big[1048576 - overhead + 1] = '\0';
    expect_error(letts_mission_progress_message(h->m, big, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "fd3 progress event would be 1048577 bytes, over dugdale's event line limit "
                 "(max_event_line_size, 1048576 bytes); send less data or write it to an "
                 "output file");
    harness_expect(h, "");
    free(big);
}

/* Exactly at the limit is accepted (the line is 1 MiB + '\n'). A reader
 * thread drains the pipe meanwhile, so the write is split into partial
 * writes — the bytes must still arrive exactly, as one line. */
static void progress_line_at_limit_survives_partial_writes(void **state) {
    harness *h = *state;
    const size_t overhead = strlen("{\"event\":\"progress\",\"message\":\"\"}");
    const size_t n = 1048576 - overhead;
    char *big = malloc(n + 1);
    memset(big, 'b', n);
    big[n] = '\0';
    harness_drain_begin(h);
    assert_int_equal(letts_mission_progress_message(h->m, big, NULL), LETTS_OK);
    size_t len = 0;
    char *got = harness_drain_end(h, &len);
    assert_int_equal(len, 1048577);
    const char *head = "{\"event\":\"progress\",\"message\":\"";
    assert_memory_equal(got, head, strlen(head));
    assert_memory_equal(got + len - 3, "\"}\n", 3);
    for (size_t i = 0; i < n; ++i)
        if (got[strlen(head) + i] != 'b') fail_msg("byte %zu corrupted", i);
    free(got);
    free(big);
}

#define T(f) cmocka_unit_test_setup_teardown(f, harness_setup, harness_teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(progress_value_and_message),
        T(progress_value_only),
        T(progress_message_only_and_empty),
        T(progress_escapes_strings),
        T(progress_refusals_write_nothing),
        T(progress_line_at_limit_survives_partial_writes),
    };
    return cmocka_run_group_tests_name("mission progress", tests, NULL, NULL);
}
