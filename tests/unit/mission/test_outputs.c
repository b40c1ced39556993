/*
 * Output files: paths under out/, the key rules, output_file events on fd 3
 * (spec/mission-protocol.md 3.2, 6, 7.7).
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

/* ------------------------------------------------------------- outputs -- */

static void output_path_creates_out_dir(void **state) {
    harness *h = *state;
    char out[600];
    snprintf(out, sizeof out, "%s/out", h->workdir);
    assert_int_equal(rmdir(out), 0);
    const char *path = NULL;
    assert_int_equal(letts_mission_output_path(h->m, "report_pdf", &path, NULL), LETTS_OK);
    char want[600];
    snprintf(want, sizeof want, "%s/out/report_pdf", h->workdir);
    assert_string_equal(path, want);
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    harness_expect(h, ""); /* a path is not a declaration */
}

static void output_register_writes_every_call(void **state) {
    harness *h = *state;
    assert_int_equal(letts_mission_output_register(h->m, "report_pdf", NULL), LETTS_OK);
    assert_int_equal(letts_mission_output_register(h->m, "report_pdf", NULL), LETTS_OK);
    assert_int_equal(letts_mission_output_register(h->m, "_x9", NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"output_file\",\"key\":\"report_pdf\"}\n"
                      "{\"event\":\"output_file\",\"key\":\"report_pdf\"}\n"
                      "{\"event\":\"output_file\",\"key\":\"_x9\"}\n");
}

static void output_bad_keys_refused(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    const char *bad[] = {"", "9lives", "a-b", "a/b", "../x", "__meta", "caf\xc3\xa9",
                         "a23456789012345678901234567890123456789012345678901234567890123456"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i) {
        char want[200];
        snprintf(want, sizeof want,
                 "invalid output key \"%s\" (must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$ and not "
                 "start with __)",
                 bad[i]);
        expect_error(letts_mission_output_register(h->m, bad[i], &err), &err,
                     LETTS_ERR_INVALID_ARGUMENT, want);
        const char *path = "untouched";
        expect_error(letts_mission_output_path(h->m, bad[i], &path, &err), &err,
                     LETTS_ERR_INVALID_ARGUMENT, want);
        assert_null(path);
    }
    /* 64 characters is the longest key; one underscore prefix is fine */
    assert_int_equal(letts_mission_output_register(
                         h->m, "a234567890123456789012345678901234567890123456789012345678901234",
                         NULL),
                     LETTS_OK);
    harness_expect(h, "{\"event\":\"output_file\",\"key\":"
                      "\"a234567890123456789012345678901234567890123456789012345678901234\"}\n");
}

static void output_33rd_distinct_key_refused(void **state) {
    harness *h = *state;
    char key[16];
    for (int i = 0; i < 32; ++i) {
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(letts_mission_output_register(h->m, key, NULL), LETTS_OK);
    }
    free(harness_take(h));
    letts_error *err = NULL;
    expect_error(letts_mission_output_register(h->m, "k32", &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "output key \"k32\" would be output number 33; dugdale accepts at most 32 "
                 "distinct output keys per mission (max_output_files_per_mission)");
    harness_expect(h, "");
    /* re-declaring a known key is still fine */
    assert_int_equal(letts_mission_output_register(h->m, "k0", NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"output_file\",\"key\":\"k0\"}\n");
}

#define T(f) cmocka_unit_test_setup_teardown(f, harness_setup, harness_teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(output_path_creates_out_dir),
        T(output_register_writes_every_call),
        T(output_bad_keys_refused),
        T(output_33rd_distinct_key_refused),
    };
    return cmocka_run_group_tests_name("mission outputs", tests, NULL, NULL);
}
