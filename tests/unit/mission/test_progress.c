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

/* Lines from concurrent threads never interleave: each event is written
 * whole (one write(2) under a lock). Every line read back must be exactly
 * one of the lines sent, each exactly once. Messages of 3000 bytes make
 * interleaving likely if writes were split. */
enum { writers = 8, events_per_writer = 40, message_size = 3000 };

struct writer {
    letts_mission *m;
    int index;
    letts_status status;
};

static void *write_progress(void *arg) {
    struct writer *w = arg;
    char message[message_size + 1];
    memset(message, 'a' + w->index, message_size);
    message[message_size] = '\0';
    for (int i = 0; i < events_per_writer && w->status == LETTS_OK; ++i) {
        snprintf(message, 16, "%02d-%03d-", w->index, i);
        message[strlen(message)] = 'a' + w->index; /* undo snprintf's NUL */
        w->status = letts_mission_progress(w->m, (double)i, message, NULL);
    }
    return NULL;
}

static void progress_lines_never_interleave(void **state) {
    harness *h = *state;
    harness_drain_begin(h);
    pthread_t threads[writers];
    struct writer w[writers];
    for (int i = 0; i < writers; ++i) {
        w[i] = (struct writer){h->m, i, LETTS_OK};
        assert_int_equal(pthread_create(&threads[i], NULL, write_progress, &w[i]), 0);
    }
    for (int i = 0; i < writers; ++i) {
        pthread_join(threads[i], NULL);
        assert_int_equal(w[i].status, LETTS_OK);
    }
    size_t len = 0;
    char *got = harness_drain_end(h, &len);
    int seen[writers][events_per_writer];
    memset(seen, 0, sizeof seen);
    size_t lines = 0;
    for (char *line = got; line < got + len; ++lines) {
        char *end = memchr(line, '\n', (size_t)(got + len - line));
        assert_non_null(end);
        int index = -1, i = -1;
        const char *at = strstr(line, "\"message\":\"");
        assert_non_null(at);
        assert_int_equal(sscanf(at + 11, "%2d-%3d-", &index, &i), 2);
        assert_in_range(index, 0, writers - 1);
        assert_in_range(i, 0, events_per_writer - 1);
        char want[message_size + 100];
        /* the value is the event's index: integral doubles print as integers */
        int n = snprintf(want, sizeof want, "{\"event\":\"progress\",\"value\":%d,\"message\":\"",
                         i);
        n += snprintf(want + n, sizeof want - (size_t)n, "%02d-%03d-", index, i);
        memset(want + n, 'a' + index, message_size - 7);
        n += message_size - 7;
        memcpy(want + n, "\"}\n", 4);
        n += 3;
        assert_int_equal(end + 1 - line, n);
        assert_memory_equal(line, want, (size_t)n);
        assert_int_equal(seen[index][i]++, 0);
        line = end + 1;
    }
    assert_int_equal(lines, writers * events_per_writer);
    free(got);
}

/* Standalone, progress goes to stderr in the PHP runtime's format and fd 3
 * is left alone. */
static void standalone_progress_on_stderr(void **state) {
    harness *h = *state;
    letts_mission_free(h->m);
    h->m = NULL;
    unsetenv("LETTS_MISSION_ID");
    harness_begin(h, 0);
    assert_int_equal(letts_mission_is_standalone(h->m), 1);
    capture err;
    capture_begin(&err, 2);
    assert_int_equal(letts_mission_progress(h->m, 0.5, "halfway", NULL), LETTS_OK);
    assert_int_equal(letts_mission_progress(h->m, 0.125, NULL, NULL), LETTS_OK); /* keeps the space */
    assert_int_equal(letts_mission_progress(h->m, 1e300, "big", NULL), LETTS_OK);
    assert_int_equal(letts_mission_progress_message(h->m, "just text", NULL), LETTS_OK);
    assert_int_equal(letts_mission_progress_message(h->m, NULL, NULL), LETTS_OK);
    letts_error *e = NULL;
    /* what dugdale would refuse is refused standalone too */
    expect_error(letts_mission_progress(h->m, NAN, "x", &e), &e, LETTS_ERR_INVALID_ARGUMENT,
                 NULL);
    char *text = capture_end(&err);
    char big[400];
    snprintf(big, sizeof big, "[progress] %.2f big\n", 1e300);
    char want[800];
    snprintf(want, sizeof want,
             "[progress] 0.50 halfway\n[progress] 0.12 \n%s[progress] just text\n[progress] \n",
             big);
    assert_string_equal(text, want);
    free(text);
    harness_expect(h, "");
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
        T(progress_lines_never_interleave),
        T(standalone_progress_on_stderr),
    };
    return cmocka_run_group_tests_name("mission progress", tests, NULL, NULL);
}
