/*
 * letts/unique.h: letts_unique_id() reproduces every row of the test-vector
 * table in docs/unique-ids.md (path in argv[1]; the same rows the Python
 * check recomputes independently), and refuses what the header says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "letts/letts.h"

static const char *vectors_path;

/* One row "| `key` | window | at | start | `id` |"; 1 when it is one. */
static int parse_row(const char *line, char *key, size_t key_size, int64_t *window, int64_t *at,
                     int64_t *start, char id[37]) {
    if (strncmp(line, "| `", 3) != 0) return 0;
    const char *key_end = strstr(line + 3, "` |");
    if (!key_end || (size_t)(key_end - (line + 3)) >= key_size) return 0;
    memcpy(key, line + 3, (size_t)(key_end - (line + 3)));
    key[key_end - (line + 3)] = '\0';
    long long w, a, s;
    char text[40];
    if (sscanf(key_end + 3, " %lld | %lld | %lld | `%36[0-9a-f-]` |", &w, &a, &s, text) != 4) return 0;
    *window = w;
    *at = a;
    *start = s;
    memcpy(id, text, 37);
    return 1;
}

static void test_vector_table(void **state) {
    (void)state;
    FILE *file = fopen(vectors_path, "r");
    assert_non_null(file);
    char line[512], key[256], id[37];
    int64_t window, at, start;
    int rows = 0;
    while (fgets(line, sizeof line, file)) {
        if (!parse_row(line, key, sizeof key, &window, &at, &start, id)) continue;
        char *got = NULL;
        int64_t got_start = -1;
        assert_int_equal(letts_unique_id(key, window, at, &got, NULL), LETTS_OK);
        assert_int_equal(letts_unique_window_start(window, at, &got_start, NULL), LETTS_OK);
        if (strcmp(got, id) != 0) fail_msg("row %d (%s): got %s, table says %s", rows + 1, key, got, id);
        assert_int_equal(got_start, start);
        letts_free(got);
        rows++;
    }
    fclose(file);
    assert_true(rows >= 10); /* the table was read, not skipped */
}

static void test_refusals(void **state) {
    (void)state;
    char *out = NULL;
    int64_t start = 0;
    const int64_t max = (INT64_C(1) << 48) - 1;
    assert_int_equal(letts_unique_id(NULL, 0, 0, &out, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_unique_id("", 0, 0, &out, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_null(out);
    assert_int_equal(letts_unique_id("k", 0, 0, NULL, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_unique_id("k", -1, 0, &out, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_unique_id("k", max + 1, 0, &out, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_unique_id("k", 1000, -1, &out, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_unique_id("k", 1000, max + 1, &out, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_null(out);
    /* Without a window the time is ignored, even when out of range. */
    assert_int_equal(letts_unique_id("k", 0, -5, &out, NULL), LETTS_OK);
    assert_memory_equal(out, "00000000-0000-7", 15);
    letts_free(out);
    assert_int_equal(letts_unique_window_start(1000, 1999, NULL, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_unique_window_start(1000, 1999, &start, NULL), LETTS_OK);
    assert_int_equal(start, 1000);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s docs/unique-ids.md\n", argv[0]);
        return 2;
    }
    vectors_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_table),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
