/*
 * letts_mission_start(): how the runtime detects dugdale or standalone mode,
 * what it reads (stdin, LETTS_* variables, argv), how it refuses a broken
 * environment, and that starting writes nothing on fd 3
 * (spec/mission-protocol.md 1.5-1.7, 7.1, 7.10).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static int setup(void **state) {
    *state = calloc(1, sizeof(harness));
    return 0;
}

static int teardown(void **state) {
    harness_finish((harness *)*state);
    free(*state);
    return 0;
}

/* Start with argv and expect a refusal with `want` / `message`. */
static void start_refused(const char *const *argv, int argc, unsigned flags, letts_status want,
                          const char *message) {
    letts_mission *m = (letts_mission *)(uintptr_t)1; /* must be reset to NULL */
    letts_error *err = NULL;
    expect_error(letts_mission_start(&m, argc, argv, flags, &err), &err, want, message);
    assert_null(m);
}

/* ------------------------------------------------------- dugdale mode -- */

static void dugdale_mode_reads_environment(void **state) {
    harness *h = *state;
    harness_start(h, "{\"name\":\"ada\"}", NULL);
    assert_int_equal(letts_mission_is_standalone(h->m), 0);
    assert_string_equal(letts_mission_id(h->m), "0190a4c2-7d2e-7b7a-9c1d-3f5e6a7b8c9d");
    assert_string_equal(letts_mission_lane(h->m), "default");
    assert_string_equal(letts_mission_workdir(h->m), h->workdir);
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s/tmp", h->workdir);
    assert_string_equal(letts_mission_tmpdir(h->m), tmp);
    assert_string_equal(letts_mission_input_json(h->m), "{\"name\":\"ada\"}");
    assert_int_equal(letts_mission_ended(h->m), 0);
    assert_int_equal(letts_mission_interrupted(h->m), 0);
    assert_int_equal(letts_mission_exit_code(h->m), 0);
    harness_expect(h, ""); /* starting says nothing to dugdale */
}

static void dugdale_mode_ignores_argv(void **state) {
    harness *h = *state;
    harness_prepare(h, "{\"from\":\"stdin\"}", NULL);
    const char *argv[] = {"mission", "--input={\"from\":\"argv\"}", NULL};
    assert_int_equal(letts_mission_start(&h->m, 2, argv, 0, NULL), LETTS_OK);
    assert_string_equal(letts_mission_input_json(h->m), "{\"from\":\"stdin\"}");
}

static void dugdale_mode_optional_variables(void **state) {
    harness *h = *state;
    harness_prepare(h, "{}", NULL);
    unsetenv("LETTS_LANE");
    unsetenv("LETTS_TMPDIR");
    harness_begin(h, 0);
    assert_null(letts_mission_lane(h->m));
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s/tmp", h->workdir);
    assert_string_equal(letts_mission_tmpdir(h->m), tmp);
}

/* dugdale sends any JSON value, compacted but otherwise verbatim. */
static void any_json_input(void **state) {
    harness *h = *state;
    static const struct {
        const char *stdin_text, *json;
    } cases[] = {
        {"null", "null"},
        {"", "null"}, /* empty stdin: no input at all */
        {" \n\t", "null"},
        {"\"text\"", "\"text\""},
        {"42", "42"},
        {"-1.5e3", "-1.5e3"},
        {"true", "true"},
        {"[1, {\"a\" : [ ]}]", "[1,{\"a\":[]}]"},
        {"{\"big\":123456789012345678901234567890}", "{\"big\":123456789012345678901234567890}"},
        {" { \"s\" : \"a b\\u00e9\" } \n", "{\"s\":\"a b\\u00e9\"}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        harness_start(h, cases[i].stdin_text, NULL);
        assert_string_equal(letts_mission_input_json(h->m), cases[i].json);
        harness_expect(h, "");
        harness_finish(h);
    }
}

static void invalid_input_refused(void **state) {
    harness *h = *state;
    harness_prepare(h, "{\"a\":", NULL);
    const char *argv[] = {"mission", NULL};
    start_refused(argv, 1, 0, LETTS_ERR_INVALID_ARGUMENT,
                  "the mission input on stdin is not valid JSON: unexpected end of input at "
                  "byte 5");
    harness_expect(h, "");
}

static void missing_workdir_refused(void **state) {
    harness *h = *state;
    harness_prepare(h, "{}", NULL);
    unsetenv("LETTS_WORKDIR");
    letts_mission *m = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_mission_start(&m, 0, NULL, 0, &err), LETTS_ERR_MISSING_ENV);
    assert_null(m);
    assert_string_equal(letts_error_message(err),
                        "letts mission misconfigured: LETTS_WORKDIR not set in dugdale mode");
    assert_string_equal(letts_error_details(err), "{\"name\":\"LETTS_WORKDIR\"}");
    letts_error_free(err);
    /* stdin was consumed first, as the PHP runtime does */
    char c;
    assert_int_equal(read(0, &c, 1), 0);
    /* an empty value counts as unset */
    setenv("LETTS_WORKDIR", "", 1);
    start_refused(NULL, 0, 0, LETTS_ERR_MISSING_ENV, NULL);
    harness_expect(h, "");
}

static void fd3_closed_refused(void **state) {
    harness *h = *state;
    harness_prepare(h, "{}", NULL);
    close(3);
    start_refused(NULL, 0, 0, LETTS_ERR_IO,
                  "letts mission misconfigured: fd 3 is not open (dugdale passes the event "
                  "channel as fd 3): Bad file descriptor");
}

static void fd3_read_only_refused(void **state) {
    harness *h = *state;
    harness_prepare(h, "{}", NULL);
    int devnull = open("/dev/null", O_RDONLY);
    assert_int_equal(dup2(devnull, 3), 3);
    close(devnull);
    start_refused(NULL, 0, 0, LETTS_ERR_IO,
                  "letts mission misconfigured: fd 3 is open read-only; the event channel "
                  "must be writable");
}

static void fd3_becomes_close_on_exec(void **state) {
    harness *h = *state;
    harness_prepare(h, "{}", NULL);
    assert_false(fcntl(3, F_GETFD) & FD_CLOEXEC);
    harness_begin(h, 0);
    assert_true(fcntl(3, F_GETFD) & FD_CLOEXEC);
}

static void one_mission_per_process(void **state) {
    harness *h = *state;
    harness_start(h, "{\"first\":1}", NULL);
    start_refused(NULL, 0, 0, LETTS_ERR_INVALID_ARGUMENT,
                  "a mission is already started in this process; free it before starting "
                  "another");
    /* the first is untouched and still works */
    assert_int_equal(letts_mission_progress_message(h->m, "still here", NULL), LETTS_OK);
    harness_expect(h, "{\"event\":\"progress\",\"message\":\"still here\"}\n");
    /* once freed, a new one may start */
    letts_mission_free(h->m);
    h->m = NULL;
    setenv("LETTS_MISSION_ID", "", 1);
    letts_mission *m = NULL;
    assert_int_equal(letts_mission_start(&m, 0, NULL, 0, NULL), LETTS_OK);
    letts_mission_free(m);
}

static void bad_arguments_refused(void **state) {
    (void)state;
    letts_error *err = NULL;
    expect_error(letts_mission_start(NULL, 0, NULL, 0, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "letts_mission_start: out is NULL");
    start_refused(NULL, 0, 13, LETTS_ERR_INVALID_ARGUMENT,
                  "letts_mission_start: unknown flag bits 12");
    /* the NULL-accepting accessors */
    letts_mission_free(NULL);
    assert_int_equal(letts_mission_is_standalone(NULL), 0);
    assert_null(letts_mission_id(NULL));
    assert_null(letts_mission_lane(NULL));
    assert_null(letts_mission_workdir(NULL));
    assert_null(letts_mission_tmpdir(NULL));
    assert_null(letts_mission_input_json(NULL));
    assert_int_equal(letts_mission_exit_code(NULL), 1);
    assert_int_equal(letts_mission_ended(NULL), 0);
    assert_int_equal(letts_mission_interrupted(NULL), 0);
    assert_int_equal(letts_mission_interrupt_fd(NULL), -1);
}

/* ---------------------------------------------------- standalone mode -- */

/* Standalone: no LETTS_MISSION_ID (or an empty one). fd 3 is left alone
 * even when it happens to be open. */
static void standalone_when_id_unset_or_empty(void **state) {
    harness *h = *state;
    for (int empty = 0; empty < 2; ++empty) {
        harness_prepare(h, "{\"from\":\"stdin\"}", NULL);
        if (empty)
            setenv("LETTS_MISSION_ID", "", 1);
        else
            unsetenv("LETTS_MISSION_ID");
        setenv("TMPDIR", "/var/tmp", 1);
        const char *argv[] = {"mission", "--verbose", "--input={\"from\": \"argv\"}",
                              "--input=2", NULL};
        assert_int_equal(letts_mission_start(&h->m, 4, argv, 0, NULL), LETTS_OK);
        assert_int_equal(letts_mission_is_standalone(h->m), 1);
        assert_null(letts_mission_id(h->m));
        assert_null(letts_mission_lane(h->m));
        assert_string_equal(letts_mission_input_json(h->m), "{\"from\":\"argv\"}");
        char cwd[600];
        assert_non_null(getcwd(cwd, sizeof cwd));
        assert_string_equal(letts_mission_workdir(h->m), cwd);
        assert_string_equal(letts_mission_tmpdir(h->m), "/var/tmp");
        assert_false(fcntl(3, F_GETFD) & FD_CLOEXEC);
        capture err;
        capture_begin(&err, 2);
        assert_int_equal(letts_mission_progress(h->m, 0.25, "quarter", NULL), LETTS_OK);
        char *text = capture_end(&err);
        assert_string_equal(text, "[progress] 0.25 quarter\n");
        free(text);
        harness_expect(h, "");
        unsetenv("TMPDIR");
        harness_finish(h);
    }
}

/* LETTS_MISSION_STANDALONE: standalone although dugdale's variables are
 * set; the environment is left as it was. */
static void standalone_forced_by_flag(void **state) {
    harness *h = *state;
    harness_prepare(h, "{\"from\":\"stdin\"}", NULL);
    setenv("LETTS_MISSION_ID", "m-forced", 1);
    const char *argv[] = {"mission", "--input={\"from\": \"argv\"}", NULL};
    assert_int_equal(letts_mission_start(&h->m, 2, argv,
                                         LETTS_MISSION_STANDALONE | LETTS_MISSION_NO_SIGNAL_HANDLERS,
                                         NULL),
                     LETTS_OK);
    assert_int_equal(letts_mission_is_standalone(h->m), 1);
    assert_null(letts_mission_id(h->m));
    assert_string_equal(letts_mission_input_json(h->m), "{\"from\":\"argv\"}");
    assert_string_equal(getenv("LETTS_MISSION_ID"), "m-forced");
    capture err;
    capture_begin(&err, 2);
    assert_int_equal(letts_mission_progress(h->m, 0.5, "half", NULL), LETTS_OK);
    char *text = capture_end(&err);
    assert_string_equal(text, "[progress] 0.50 half\n");
    free(text);
    harness_expect(h, ""); /* nothing on fd 3 */
    unsetenv("LETTS_MISSION_ID");
    harness_finish(h);
}

static void standalone_input_sources(void **state) {
    harness *h = *state;
    char path[600];
    harness_prepare(h, "{\"from\":\"stdin\"}", NULL);
    unsetenv("LETTS_MISSION_ID");
    snprintf(path, sizeof path, "%s/tmp/input.json", h->workdir);
    write_file(path, "[\"from file\"]\n", 14);
    char file_arg[700];
    snprintf(file_arg, sizeof file_arg, "--input-file=%s", path);

    /* the first --input= / --input-file= decides */
    const char *by_file[] = {"mission", file_arg, "--input={}", NULL};
    assert_int_equal(letts_mission_start(&h->m, 3, by_file, 0, NULL), LETTS_OK);
    assert_string_equal(letts_mission_input_json(h->m), "[\"from file\"]");
    letts_mission_free(h->m);

    const char *none[] = {"mission", "-x", "input={}", NULL};
    assert_int_equal(letts_mission_start(&h->m, 3, none, 0, NULL), LETTS_OK);
    assert_string_equal(letts_mission_input_json(h->m), "null");
    letts_mission_free(h->m);

    /* argc bounds argv */
    const char *cut[] = {"mission", "--input=1", "--input=2", NULL};
    assert_int_equal(letts_mission_start(&h->m, 1, cut, 0, NULL), LETTS_OK);
    assert_string_equal(letts_mission_input_json(h->m), "null");
    letts_mission_free(h->m);

    const char *from_stdin[] = {"mission", "--input=-", NULL};
    assert_int_equal(letts_mission_start(&h->m, 2, from_stdin, 0, NULL), LETTS_OK);
    assert_string_equal(letts_mission_input_json(h->m), "{\"from\":\"stdin\"}");
    letts_mission_free(h->m);

    assert_int_equal(lseek(0, 0, SEEK_SET), 0);
    const char *file_stdin[] = {"mission", "--input-file=-", NULL};
    assert_int_equal(letts_mission_start(&h->m, 2, file_stdin, 0, NULL), LETTS_OK);
    assert_string_equal(letts_mission_input_json(h->m), "{\"from\":\"stdin\"}");
    letts_mission_free(h->m);

    const char *empty[] = {"mission", "--input=", NULL};
    assert_int_equal(letts_mission_start(&h->m, 2, empty, 0, NULL), LETTS_OK);
    assert_string_equal(letts_mission_input_json(h->m), "null");
    letts_mission_free(h->m);
    h->m = NULL;
}

static void standalone_input_refusals(void **state) {
    harness *h = *state;
    harness_prepare(h, "{}", NULL);
    unsetenv("LETTS_MISSION_ID");
    const char *missing[] = {"mission", "--input-file=/nonexistent/in.json", NULL};
    start_refused(missing, 2, 0, LETTS_ERR_IO,
                  "cannot read input file: /nonexistent/in.json: No such file or directory");
    const char *bad[] = {"mission", "--input={'a':1}", NULL};
    start_refused(bad, 2, 0, LETTS_ERR_INVALID_ARGUMENT,
                  "the standalone input (--input) is not valid JSON: unexpected character "
                  "''' at byte 1");
    /* a failed start releases the process-wide claim */
    const char *good[] = {"mission", "--input={}", NULL};
    assert_int_equal(letts_mission_start(&h->m, 2, good, 0, NULL), LETTS_OK);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(dugdale_mode_reads_environment),
        T(dugdale_mode_ignores_argv),
        T(dugdale_mode_optional_variables),
        T(any_json_input),
        T(invalid_input_refused),
        T(missing_workdir_refused),
        T(fd3_closed_refused),
        T(fd3_read_only_refused),
        T(fd3_becomes_close_on_exec),
        T(one_mission_per_process),
        T(bad_arguments_refused),
        T(standalone_when_id_unset_or_empty),
        T(standalone_forced_by_flag),
        T(standalone_input_sources),
        T(standalone_input_refusals),
    };
    return cmocka_run_group_tests_name("mission start", tests, NULL, NULL);
}
