/*
 * letts/list_cursor.h: the listing cursor made and read without a server.
 * The expected cursors were computed with Go's encoding/json and
 * base64.RawURLEncoding (Go 1.19) from the upstream Go client's ListCursor
 * rule (time_created, time_finished omitempty, mission_id), so an equal
 * string here is the upstream client's byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "letts/letts.h"

typedef struct vector {
    int64_t created, finished;
    const char *id;
    const char *cursor;
} vector;

static const vector VECTORS[] = {
    {1714600000123, 0, "0192a8b3-d2c1-7abc-bad0-1234567890ab",
     "eyJ0aW1lX2NyZWF0ZWQiOjE3MTQ2MDAwMDAxMjMsIm1pc3Npb25faWQiOiIwMTkyYThiMy1kMmMxLTdhYmMtYmFkMC0xMjM0NTY3ODkwYWIifQ"},
    {0, 1714600099999, "0192a8b4-d2c1-7abc-bad0-1234567890ac",
     "eyJ0aW1lX2ZpbmlzaGVkIjoxNzE0NjAwMDk5OTk5LCJtaXNzaW9uX2lkIjoiMDE5MmE4YjQtZDJjMS03YWJjLWJhZDAtMTIzNDU2Nzg5MGFjIn0"},
    /* Go's HTML-safe escapes (<, >, &, U+2028, U+2029) and the plain ones. */
    {5, 7, "a<b>&c\"d\\e\xE2\x80\xA8" "f\xE2\x80\xA9g \xC3\xA9",
     "eyJ0aW1lX2NyZWF0ZWQiOjUsInRpbWVfZmluaXNoZWQiOjcsIm1pc3Npb25faWQiOiJhXHUwMDNjYlx1MDAzZVx1MDAyNmNcImRcXGVcdTIwMjhmXHUyMDI5ZyDDqSJ9"},
    /* The example of http-api.md §5.8 (a daemon's next_cursor). */
    {1727001000000, 0, "01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0d",
     "eyJ0aW1lX2NyZWF0ZWQiOjE3MjcwMDEwMDAwMDAsIm1pc3Npb25faWQiOiIwMTkyM2I2ZS04ZjEwLTdjMmEtYTRkMS01ZTZmN2E4YjljMGQifQ"},
};

static void test_encode_gives_the_upstream_bytes(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof VECTORS / sizeof VECTORS[0]; i++) {
        char *cursor = NULL;
        assert_int_equal(letts_list_cursor_encode(VECTORS[i].created, VECTORS[i].finished, VECTORS[i].id,
                                                  &cursor, NULL),
                         LETTS_OK);
        assert_string_equal(cursor, VECTORS[i].cursor);
        letts_free(cursor);
    }
}

static void test_decode_reads_the_upstream_bytes(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof VECTORS / sizeof VECTORS[0]; i++) {
        int64_t created = -1, finished = -1;
        char *id = NULL;
        assert_int_equal(letts_list_cursor_decode(VECTORS[i].cursor, &created, &finished, &id, NULL), LETTS_OK);
        assert_int_equal(created, VECTORS[i].created);
        assert_int_equal(finished, VECTORS[i].finished);
        assert_string_equal(id, VECTORS[i].id);
        letts_free(id);
    }
}

static void test_the_empty_cursor_is_the_first_page(void **state) {
    (void)state;
    int64_t created = -1, finished = -1;
    char *id = NULL;
    assert_int_equal(letts_list_cursor_decode("", &created, &finished, &id, NULL), LETTS_OK);
    assert_int_equal(created, 0);
    assert_int_equal(finished, 0);
    assert_string_equal(id, "");
    letts_free(id);
    /* The times are optional outputs. */
    assert_int_equal(letts_list_cursor_decode(VECTORS[0].cursor, NULL, NULL, &id, NULL), LETTS_OK);
    assert_string_equal(id, VECTORS[0].id);
    letts_free(id);
}

/* `cursor` is refused with LETTS_ERR_INVALID_ARGUMENT and a message holding `why`. */
static void assert_refused(const char *cursor, const char *why) {
    letts_error *err = NULL;
    char *id = (char *)"untouched";
    int64_t created = 0;
    assert_int_equal(letts_list_cursor_decode(cursor, &created, NULL, &id, &err), LETTS_ERR_INVALID_ARGUMENT);
    assert_null(id);
    const char *message = letts_error_message(err);
    if (!strstr(message, why) || !strstr(message, "letts_list_cursor_decode: "))
        fail_msg("cursor \"%.80s\": expected \"%s\" in \"%s\"", cursor, why, message);
    letts_error_free(err);
}

/* The unpadded base64url of `json`, for the malformed documents below. */
static const char *b64(const char *json) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static char out[4096];
    size_t n = 0;
    unsigned bits = 0;
    int count = 0;
    for (const unsigned char *c = (const unsigned char *)json; *c; c++) {
        bits = (bits << 8) | *c;
        count += 8;
        while (count >= 6) {
            count -= 6;
            out[n++] = alphabet[(bits >> count) & 63];
        }
    }
    if (count > 0) out[n++] = alphabet[(bits << (6 - count)) & 63];
    out[n] = '\0';
    return out;
}

static void test_malformed_cursors_are_refused_by_name(void **state) {
    (void)state;
    assert_refused("eyJ0aW1l+", "not unpadded base64url");        /* '+' is standard base64 */
    assert_refused("eyJ0aW1lX2NyZWF0ZWQiOjF9==", "not unpadded base64url"); /* padding */
    assert_refused("eyJ", "not unpadded base64url");             /* non-zero trailing bits */
    assert_refused("e", "not unpadded base64url");                /* impossible length */
    assert_refused(b64("[1]"), "not hold a JSON object");
    assert_refused(b64("{\"time_created\":1,"), "not hold JSON");
    assert_refused(b64("{\"time_created\":1,\"mission_id\":\"x\"} x"), "not hold JSON");
    assert_refused(b64("{\"time_created\":{\"a\":1},\"mission_id\":\"x\"}"), "not hold JSON"); /* nested */
    assert_refused(b64("{\"time_created\":1,\"mission_id\":\"x\",\"extra\":1}"), "unknown member \"extra\"");
    assert_refused(b64("{\"Time_Created\":1,\"mission_id\":\"x\"}"), "unknown member \"Time_Created\"");
    assert_refused(b64("{\"time_created\":1,\"time_created\":2,\"mission_id\":\"x\"}"), "time_created twice");
    assert_refused(b64("{\"time_created\":1.5,\"mission_id\":\"x\"}"), "time_created is not an integer");
    assert_refused(b64("{\"time_created\":1e3,\"mission_id\":\"x\"}"), "time_created is not an integer");
    assert_refused(b64("{\"time_finished\":\"1\",\"mission_id\":\"x\"}"), "time_finished is not an integer");
    assert_refused(b64("{\"time_created\":99999999999999999999,\"mission_id\":\"x\"}"), "not an integer");
    assert_refused(b64("{\"time_created\":-1,\"mission_id\":\"x\"}"), "time_created is negative");
    assert_refused(b64("{\"time_created\":1}"), "no mission_id");
    assert_refused(b64("{\"time_created\":1,\"mission_id\":7}"), "mission_id is not a string");
    assert_refused(b64("{\"time_created\":1,\"mission_id\":\"\"}"), "mission_id is empty");
    assert_refused(b64("{\"time_created\":1,\"mission_id\":\"a\\nb\"}"), "control character");
    assert_refused(b64("{\"time_created\":1,\"mission_id\":\"\xff\"}"), "not valid UTF-8");
    assert_refused(b64("{\"mission_id\":\"x\"}"), "neither a time_created nor a time_finished");
    assert_refused(b64("{\"time_created\":0,\"mission_id\":\"x\"}"), "neither a time_created nor a time_finished");
    char long_cursor[2050];
    memset(long_cursor, 'A', sizeof long_cursor - 1);
    long_cursor[sizeof long_cursor - 1] = '\0';
    assert_refused(long_cursor, "longer than 2048 characters");
}

/* `call` fails with LETTS_ERR_INVALID_ARGUMENT, `*out` NULL, the message holding `why`. */
static void assert_encode_refused(int64_t created, int64_t finished, const char *id, const char *why) {
    letts_error *err = NULL;
    char *cursor = (char *)"untouched";
    assert_int_equal(letts_list_cursor_encode(created, finished, id, &cursor, &err), LETTS_ERR_INVALID_ARGUMENT);
    assert_null(cursor);
    if (!strstr(letts_error_message(err), why)) fail_msg("expected \"%s\" in \"%s\"", why, letts_error_message(err));
    letts_error_free(err);
}

static void test_encode_refuses_what_no_server_reads(void **state) {
    (void)state;
    char long_id[1026];
    memset(long_id, 'a', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    assert_encode_refused(-1, 0, "x", "time_created_ms is negative");
    assert_encode_refused(1, -1, "x", "time_finished_ms is negative");
    assert_encode_refused(0, 0, "x", "must be above 0");
    assert_encode_refused(1, 0, "", "mission_id is empty");
    assert_encode_refused(1, 0, "a\tb", "control character");
    assert_encode_refused(1, 0, "\xc3", "not valid UTF-8");
    assert_encode_refused(1, 0, long_id, "longer than 1024 bytes");
    assert_encode_refused(1, 0, NULL, "mission_id is NULL");
    assert_int_equal(letts_list_cursor_encode(1, 0, "x", NULL, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_list_cursor_decode(NULL, NULL, NULL, NULL, NULL), LETTS_ERR_INVALID_ARGUMENT);
    char *id = (char *)"untouched";
    assert_int_equal(letts_list_cursor_decode(NULL, NULL, NULL, &id, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_null(id);
}

static void test_round_trip_of_the_longest_id(void **state) {
    (void)state;
    char id[1025];
    memset(id, 'z', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    char *cursor = NULL, *back = NULL;
    int64_t created = 0, finished = 0;
    assert_int_equal(letts_list_cursor_encode(INT64_MAX, 1, id, &cursor, NULL), LETTS_OK);
    assert_true(strlen(cursor) <= 2048);
    assert_int_equal(letts_list_cursor_decode(cursor, &created, &finished, &back, NULL), LETTS_OK);
    assert_true(created == INT64_MAX);
    assert_int_equal(finished, 1);
    assert_string_equal(back, id);
    letts_free(back);
    letts_free(cursor);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_gives_the_upstream_bytes),
        cmocka_unit_test(test_decode_reads_the_upstream_bytes),
        cmocka_unit_test(test_the_empty_cursor_is_the_first_page),
        cmocka_unit_test(test_malformed_cursors_are_refused_by_name),
        cmocka_unit_test(test_encode_refuses_what_no_server_reads),
        cmocka_unit_test(test_round_trip_of_the_longest_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
