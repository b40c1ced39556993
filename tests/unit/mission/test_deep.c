/*
 * Deep mission input: the runtime's JSON parser does not recurse, so the
 * deepest input it accepts (512 levels, like PHP's json_decode) is read on a
 * thread with a 128 KiB stack (the old recursive parser needed more), and
 * deeper input is refused with a message naming the limit rather than
 * exhausting any stack.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static char *nested(size_t depth, const char *open, const char *core, char close) {
    const size_t ol = strlen(open);
    char *s = malloc(depth * (ol + 1) + strlen(core) + 1);
    if (!s) abort(); /* (not assert_non_null: the compiler must see s is set) */
    char *p = s;
    for (size_t i = 0; i < depth; ++i, p += ol) memcpy(p, open, ol);
    p += sprintf(p, "%s", core);
    memset(p, close, depth);
    p[depth] = '\0';
    return s;
}

typedef struct start_result {
    letts_mission *m;
    letts_status status;
    char message[256];
} start_result;

static void *start_mission(void *arg) {
    start_result *r = arg;
    letts_error *err = NULL;
    const char *argv[] = {"mission", NULL};
    r->status = letts_mission_start(&r->m, 1, argv, 0, &err);
    if (err) {
        snprintf(r->message, sizeof r->message, "%s", letts_error_message(err));
        letts_error_free(err);
    }
    return NULL;
}

/* letts_mission_start() on a thread with a 128 KiB stack (half of it the 64 KiB read buffer). */
static void start_on_small_stack(start_result *r) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 128 * 1024);
    pthread_t t;
    assert_int_equal(pthread_create(&t, &attr, start_mission, r), 0);
    pthread_attr_destroy(&attr);
    assert_int_equal(pthread_join(t, NULL), 0);
}

static void deepest_input_on_small_stack(void **state) {
    harness *h = *state;
    const char *opens[] = {"[", "{\"a\":"};
    for (int k = 0; k < 2; ++k) {
        /* Values may sit at depth 512 (the outermost at 0): 513 arrays, the
         * last one empty, or 512 objects around a number. */
        char *input = nested(k ? 512 : 513, opens[k], k ? "1" : "", k ? '}' : ']');
        harness_prepare(h, input, NULL);
        start_result r = {0};
        start_on_small_stack(&r);
        if (r.status != LETTS_OK) fail_msg("letts_mission_start: %s", r.message);
        h->m = r.m;
        assert_string_equal(letts_mission_input_json(h->m), input);
        free(input);
        harness_finish(h);
    }
}

static void one_level_more_is_refused(void **state) {
    harness *h = *state;
    char *input = nested(100000, "[", "", ']');
    harness_prepare(h, input, NULL);
    free(input);
    start_result r = {0};
    start_on_small_stack(&r);
    assert_int_equal(r.status, LETTS_ERR_INVALID_ARGUMENT);
    assert_null(r.m);
    assert_string_equal(r.message,
                        "the mission input on stdin is not valid JSON: nesting deeper than 512 levels at byte 513");
    harness_finish(h);
}

static int setup(void **state) {
    *state = calloc(1, sizeof(harness));
    return *state ? 0 : -1;
}

static int teardown(void **state) {
    harness_finish(*state);
    free(*state);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deepest_input_on_small_stack, setup, teardown),
        cmocka_unit_test_setup_teardown(one_level_more_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests_name("mission deep input", tests, NULL, NULL);
}
