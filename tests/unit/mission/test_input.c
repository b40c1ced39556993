/*
 * Input access: dot-path lookup (absent vs null), has, and the typed
 * getters with their defaults and type refusals (spec/mission-protocol.md
 * 7.3). None of them writes on fd 3.
 */
#include <float.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static const char input[] =
    "{\"user\":{\"name\":\"Ada\",\"age\":36,\"tags\":[\"a\",\"b\"],\"nick\":null},"
    " \"items\":[{\"id\":7},{\"id\":8}],"
    " \"n\":{\"min\":-9223372036854775808,\"over\":9223372036854775808,\"f\":2.5,"
    "\"e\":1e3,\"two\":2.0,\"huge\":1e400,\"tiny\":1e-400,\"neg\":-0.0},"
    " \"flag\":true,\"off\":false,\"s\":\"caf\\u00e9\\u0000x\",\"\":{\"\":\"empty\"},"
    " \"5\":\"five\",\"dup\":1,\"dup\":2}";

static int setup(void **state) {
    harness *h = calloc(1, sizeof *h);
    harness_start(h, input, NULL);
    *state = h;
    return 0;
}

static int teardown(void **state) {
    harness *h = *state;
    harness_expect(h, ""); /* reading the input never talks to dugdale */
    harness_finish(h);
    free(h);
    return 0;
}

static void expect_lookup(harness *h, const char *path, const char *json) {
    char *out = NULL;
    letts_error *err = NULL;
    letts_status st = letts_mission_input_lookup(h->m, path, &out, &err);
    if (st != LETTS_OK) fail_msg("lookup(\"%s\"): %s", path, letts_error_message(err));
    assert_string_equal(out, json);
    letts_free(out);
    assert_int_equal(letts_mission_input_has(h->m, path), 1);
}

static void expect_absent(harness *h, const char *path) {
    char *out = (char *)"untouched";
    letts_error *err = NULL;
    char want[200];
    snprintf(want, sizeof want, "input path \"%s\" not found", path);
    expect_error(letts_mission_input_lookup(h->m, path, &out, &err), &err, LETTS_ERR_NOT_FOUND,
                 want);
    assert_null(out);
    assert_int_equal(letts_mission_input_has(h->m, path), 0);
}

/* ------------------------------------------------------------- lookup -- */

static void whole_input_compact(void **state) {
    harness *h = *state;
    assert_string_equal(
        letts_mission_input_json(h->m),
        "{\"user\":{\"name\":\"Ada\",\"age\":36,\"tags\":[\"a\",\"b\"],\"nick\":null},"
        "\"items\":[{\"id\":7},{\"id\":8}],"
        "\"n\":{\"min\":-9223372036854775808,\"over\":9223372036854775808,\"f\":2.5,"
        "\"e\":1e3,\"two\":2.0,\"huge\":1e400,\"tiny\":1e-400,\"neg\":-0.0},"
        "\"flag\":true,\"off\":false,\"s\":\"caf\\u00e9\\u0000x\",\"\":{\"\":\"empty\"},"
        "\"5\":\"five\",\"dup\":1,\"dup\":2}");
}

static void lookup_values(void **state) {
    harness *h = *state;
    expect_lookup(h, "user.name", "\"Ada\"");
    expect_lookup(h, "user", "{\"name\":\"Ada\",\"age\":36,\"tags\":[\"a\",\"b\"],\"nick\":null}");
    expect_lookup(h, "user.tags", "[\"a\",\"b\"]");
    expect_lookup(h, "user.tags.1", "\"b\"");
    expect_lookup(h, "items.1.id", "8");
    expect_lookup(h, "n.two", "2.0"); /* numbers as written */
    expect_lookup(h, "s", "\"caf\\u00e9\\u0000x\"");
    expect_lookup(h, "5", "\"five\""); /* a member named "5" */
    expect_lookup(h, "dup", "2");      /* the last repeated name counts */
    expect_lookup(h, "", "{\"\":\"empty\"}");
    expect_lookup(h, ".", "\"empty\"");
}

/* Present null and absent are told apart. */
static void lookup_null_versus_absent(void **state) {
    harness *h = *state;
    expect_lookup(h, "user.nick", "null");
    expect_absent(h, "user.nickname");
}

static void lookup_absent_paths(void **state) {
    harness *h = *state;
    expect_absent(h, "nope");
    expect_absent(h, "user.name.first"); /* walking into a string */
    expect_absent(h, "user.nick.x");     /* walking into null */
    expect_absent(h, "items.2");         /* past the end */
    expect_absent(h, "items.01");        /* not a canonical index */
    expect_absent(h, "items.+1");
    expect_absent(h, "items.-1");
    expect_absent(h, "items.id");
    expect_absent(h, "user.");
    expect_absent(h, "USER.name"); /* names are case-sensitive */
}

static void lookup_bad_arguments(void **state) {
    harness *h = *state;
    char *out = NULL;
    letts_error *err = NULL;
    expect_error(letts_mission_input_lookup(NULL, "a", &out, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_input_lookup: m is NULL");
    expect_error(letts_mission_input_lookup(h->m, NULL, &out, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_input_lookup: path is NULL");
    expect_error(letts_mission_input_lookup(h->m, "a", NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_input_lookup: out is NULL");
    assert_int_equal(letts_mission_input_has(NULL, "user"), 0);
    assert_int_equal(letts_mission_input_has(h->m, NULL), 0);
}

/* A scalar or null root has no paths at all. */
static void scalar_root_has_no_paths(void **state) {
    harness *h = *state;
    harness_finish(h);
    harness_start(h, "null", NULL);
    expect_absent(h, "");
    expect_absent(h, "a");
    harness_finish(h);
    harness_start(h, "[10,[20,21]]", NULL);
    expect_lookup(h, "1.0", "20");
    expect_absent(h, "a");
}

/* ------------------------------------------------------------ strings -- */

static void string_getter(void **state) {
    harness *h = *state;
    const char *s = NULL;
    size_t len = 99;
    assert_int_equal(letts_mission_input_string(h->m, "user.name", "def", &s, &len, NULL),
                     LETTS_OK);
    assert_string_equal(s, "Ada");
    assert_int_equal(len, 3);
    /* escapes decoded; the length tells about the embedded NUL */
    assert_int_equal(letts_mission_input_string(h->m, "s", NULL, &s, &len, NULL), LETTS_OK);
    assert_int_equal(len, 7);
    assert_memory_equal(s, "caf\xc3\xa9\0x", 7);
    /* absent or null: the default, which may be NULL */
    assert_int_equal(letts_mission_input_string(h->m, "nope", "fallback", &s, &len, NULL),
                     LETTS_OK);
    assert_string_equal(s, "fallback");
    assert_int_equal(len, 8);
    assert_int_equal(letts_mission_input_string(h->m, "user.nick", NULL, &s, &len, NULL),
                     LETTS_OK);
    assert_null(s);
    assert_int_equal(len, 0);
    assert_int_equal(letts_mission_input_string(h->m, "user.name", NULL, &s, NULL, NULL),
                     LETTS_OK);
    assert_string_equal(s, "Ada");
}

static void string_getter_refusals(void **state) {
    harness *h = *state;
    const char *s = NULL;
    letts_error *err = NULL;
    expect_error(letts_mission_input_string(h->m, "user.age", "d", &s, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"user.age\" is a number, not a string");
    expect_error(letts_mission_input_string(h->m, "user", "d", &s, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"user\" is an object, not a string");
    expect_error(letts_mission_input_string(h->m, "user.tags", "d", &s, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"user.tags\" is an array, not a string");
    expect_error(letts_mission_input_string(h->m, "flag", "d", &s, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"flag\" is a boolean, not a string");
    expect_error(letts_mission_input_string(NULL, "a", "d", &s, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_input_string: m is NULL");
    expect_error(letts_mission_input_string(h->m, NULL, "d", &s, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_input_string: path is NULL");
    expect_error(letts_mission_input_string(h->m, "a", "d", NULL, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_input_string: out is NULL");
}

/* ----------------------------------------------------------- integers -- */

static void int_getter(void **state) {
    harness *h = *state;
    int64_t v = 0;
    assert_int_equal(letts_mission_input_int(h->m, "user.age", -1, &v, NULL), LETTS_OK);
    assert_int_equal(v, 36);
    assert_int_equal(letts_mission_input_int(h->m, "n.min", -1, &v, NULL), LETTS_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(letts_mission_input_int(h->m, "n.e", -1, &v, NULL), LETTS_OK);
    assert_int_equal(v, 1000);
    assert_int_equal(letts_mission_input_int(h->m, "n.two", -1, &v, NULL), LETTS_OK);
    assert_int_equal(v, 2);
    assert_int_equal(letts_mission_input_int(h->m, "items.0.id", -1, &v, NULL), LETTS_OK);
    assert_int_equal(v, 7);
    assert_int_equal(letts_mission_input_int(h->m, "nope", 12, &v, NULL), LETTS_OK);
    assert_int_equal(v, 12);
    assert_int_equal(letts_mission_input_int(h->m, "user.nick", -3, &v, NULL), LETTS_OK);
    assert_int_equal(v, -3);
}

static void int_getter_refusals(void **state) {
    harness *h = *state;
    int64_t v = 5;
    letts_error *err = NULL;
    expect_error(letts_mission_input_int(h->m, "n.over", 0, &v, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT,
                 "input \"n.over\" is 9223372036854775808, outside the 64-bit integer range");
    expect_error(letts_mission_input_int(h->m, "n.f", 0, &v, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"n.f\" is 2.5, not an integer");
    expect_error(letts_mission_input_int(h->m, "n.huge", 0, &v, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"n.huge\" is 1e400, too large for a double");
    expect_error(letts_mission_input_int(h->m, "user.name", 0, &v, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"user.name\" is a string, not an integer");
    expect_error(letts_mission_input_int(h->m, "flag", 0, &v, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"flag\" is a boolean, not an integer");
    expect_error(letts_mission_input_int(h->m, "a", 0, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_input_int: out is NULL");
    expect_error(letts_mission_input_int(NULL, "a", 0, &v, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_input_int: m is NULL");
}

/* ------------------------------------------------------------ doubles -- */

static void double_getter(void **state) {
    harness *h = *state;
    double v = 0;
    assert_int_equal(letts_mission_input_double(h->m, "n.f", -1, &v, NULL), LETTS_OK);
    assert_true(v == 2.5);
    assert_int_equal(letts_mission_input_double(h->m, "user.age", -1, &v, NULL), LETTS_OK);
    assert_true(v == 36.0);
    assert_int_equal(letts_mission_input_double(h->m, "n.over", -1, &v, NULL), LETTS_OK);
    assert_true(v == 9223372036854775808.0);
    assert_int_equal(letts_mission_input_double(h->m, "n.tiny", -1, &v, NULL), LETTS_OK);
    assert_true(v == 0.0); /* underflow rounds to zero, it is not an error */
    assert_int_equal(letts_mission_input_double(h->m, "nope", 0.75, &v, NULL), LETTS_OK);
    assert_true(v == 0.75);
    assert_int_equal(letts_mission_input_double(h->m, "user.nick", -0.5, &v, NULL), LETTS_OK);
    assert_true(v == -0.5);
}

static void double_getter_refusals(void **state) {
    harness *h = *state;
    double v = 0;
    letts_error *err = NULL;
    expect_error(letts_mission_input_double(h->m, "n.huge", 0, &v, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"n.huge\" is 1e400, too large for a double");
    expect_error(letts_mission_input_double(h->m, "items", 0, &v, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"items\" is an array, not a number");
    expect_error(letts_mission_input_double(h->m, "a", 0, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_input_double: out is NULL");
}

/* ----------------------------------------------------------- booleans -- */

static void bool_getter(void **state) {
    harness *h = *state;
    int v = -1;
    assert_int_equal(letts_mission_input_bool(h->m, "flag", 0, &v, NULL), LETTS_OK);
    assert_int_equal(v, 1);
    assert_int_equal(letts_mission_input_bool(h->m, "off", 1, &v, NULL), LETTS_OK);
    assert_int_equal(v, 0);
    assert_int_equal(letts_mission_input_bool(h->m, "nope", 1, &v, NULL), LETTS_OK);
    assert_int_equal(v, 1);
    assert_int_equal(letts_mission_input_bool(h->m, "user.nick", 0, &v, NULL), LETTS_OK);
    assert_int_equal(v, 0);
    letts_error *err = NULL;
    expect_error(letts_mission_input_bool(h->m, "s", 0, &v, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"s\" is a string, not a boolean");
    expect_error(letts_mission_input_bool(h->m, "user.age", 0, &v, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "input \"user.age\" is a number, not a boolean");
    expect_error(letts_mission_input_bool(h->m, "a", 0, NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_input_bool: out is NULL");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(whole_input_compact),
        T(lookup_values),
        T(lookup_null_versus_absent),
        T(lookup_absent_paths),
        T(lookup_bad_arguments),
        T(scalar_root_has_no_paths),
        T(string_getter),
        T(string_getter_refusals),
        T(int_getter),
        T(int_getter_refusals),
        T(double_getter),
        T(double_getter_refusals),
        T(bool_getter),
    };
    return cmocka_run_group_tests_name("mission input", tests, NULL, NULL);
}
