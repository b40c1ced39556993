/*
 * Shared helpers of the letts.yaml unit tests (C API side).
 *
 * Everything here is plain C99 + POSIX; the build passes
 * -D_XOPEN_SOURCE=700 so mkdtemp, nftw, setenv and symlink are declared.
 *
 * Message checks: a "needle" is a substring the error message must contain;
 * EXPECT_MESSAGE compares the whole message. There are no alternatives: a
 * test states the one message the code produces.
 */
#ifndef LETTS_TEST_CONFIG_HELPERS_H
#define LETTS_TEST_CONFIG_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "letts/common.h"
#include "letts/config.h"
#include "letts/error.h"
#include "letts/string_list.h"
#include "letts/target.h"

/* The name every string load is given; it stands for the path in messages. */
#define TEST_SOURCE_NAME "cat.yaml"

/* ---- messages ----------------------------------------------------------- */

/* 1 when `msg` contains `needle`. */
int msg_contains(const char *msg, const char *needle);

/* Asserts that `rc` and the error in `*errp` have status `want` and that the
 * message contains every needle (NULL-terminated list). Frees the error and
 * sets *errp to NULL. */
void check_error_(const char *file, int line, letts_status rc, letts_error **errp,
                  letts_status want, const char *const *needles);
#define EXPECT_ERROR(rc, errp, want, ...)                                         \
    check_error_(__FILE__, __LINE__, (rc), (errp), (want),                        \
                 (const char *const[]){__VA_ARGS__, NULL})

/* Asserts that `rc` and the error in `*errp` have status `want` and that the
 * message is exactly `message`. Frees the error and sets *errp to NULL. */
void check_message_(const char *file, int line, letts_status rc, letts_error **errp,
                    letts_status want, const char *message);
#define EXPECT_MESSAGE(rc, errp, want, message)                                   \
    check_message_(__FILE__, __LINE__, (rc), (errp), (want), (message))

/* Fails the test (printing the message) when `rc` is not LETTS_OK; frees err. */
void check_ok_(const char *file, int line, letts_status rc, letts_error **errp);
#define EXPECT_OK(rc, errp) check_ok_(__FILE__, __LINE__, (rc), (errp))

/* Asserts that `msg` does not contain `needle`. */
void check_absent_(const char *file, int line, const char *msg, const char *needle);
#define EXPECT_ABSENT(msg, needle) check_absent_(__FILE__, __LINE__, (msg), (needle))

/* Asserts that `msg` contains `needle`. */
void check_present_(const char *file, int line, const char *msg, const char *needle);
#define EXPECT_PRESENT(msg, needle) check_present_(__FILE__, __LINE__, (msg), (needle))

/* ---- loading from strings ----------------------------------------------- */

/* Loads `yaml` (name TEST_SOURCE_NAME); fails the test on error. */
letts_config *load_ok_(const char *file, int line, const char *yaml);
#define LOAD_OK(yaml) load_ok_(__FILE__, __LINE__, (yaml))

/* Loads `yaml` and asserts LETTS_ERR_CONFIG, *out NULL, and a message that
 * names TEST_SOURCE_NAME and contains every needle. */
void load_fails_(const char *file, int line, const char *yaml, const char *const *needles);
#define LOAD_FAILS(yaml, ...)                                                     \
    load_fails_(__FILE__, __LINE__, (yaml), (const char *const[]){__VA_ARGS__, NULL})

/* ---- temporary files ---------------------------------------------------- */

/* Creates a fresh directory under $TMPDIR or /tmp; returns a malloc'd path. */
char *tmpdir_create(void);
/* Removes `dir` recursively (symlinks are removed, not followed) and frees it. */
void tmpdir_remove(char *dir);
/* Joins dir and rel into a malloc'd path. */
char *path_join(const char *dir, const char *rel);
/* Creates every missing directory of `path` (mode 0700). */
void mkdirs(const char *path);
/* Writes `content` to dir/rel (creating parents) with `mode`; returns the
 * malloc'd full path. */
char *write_file(const char *dir, const char *rel, const char *content, unsigned mode);

/* ---- environment -------------------------------------------------------- */

/* setenv / unsetenv that fail the test when the call fails. value NULL unsets. */
void env_set(const char *name, const char *value);

/* ---- JSON views of a configuration ------------------------------------- */

/* Parses letts_config_json(cfg); the caller cJSON_Delete()s it. */
cJSON *config_json(const letts_config *cfg);
/* The object of dugdales[] whose "id" is `id` (fails the test when absent). */
cJSON *json_dugdale(cJSON *root, const char *id);
/* Member `key` of `obj` (fails the test when absent). */
cJSON *json_get_(const char *file, int line, const cJSON *obj, const char *key);
#define JSON_GET(obj, key) json_get_(__FILE__, __LINE__, (obj), (key))
/* Asserts `arr` is an array of exactly the `n` strings in `want`, in order. */
void json_strings_equal_(const char *file, int line, const cJSON *arr,
                         const char *const *want, size_t n);
#define JSON_STRINGS(arr, ...)                                                    \
    json_strings_equal_(__FILE__, __LINE__, (arr), (const char *const[]){__VA_ARGS__}, \
                        sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))
/* Asserts `val` is a string equal to `want`. */
void json_string_is_(const char *file, int line, const cJSON *val, const char *want);
#define JSON_STRING_IS(val, want) json_string_is_(__FILE__, __LINE__, (val), (want))

/* Asserts `list` holds exactly the `n` strings of `want`, in order. */
void list_equal_(const char *file, int line, const letts_string_list *list,
                 const char *const *want, size_t n);
#define LIST_EQUAL(list, n, ...)                                                  \
    list_equal_(__FILE__, __LINE__, (list), (const char *const[]){__VA_ARGS__}, (n))

/* ---- targets ------------------------------------------------------------ */

/* A target built from the given parts (NULL = not set). */
letts_target *make_target(const char *route, const char *host, const char *lane,
                          const char *const *match, size_t n_match);

/* Resolves and expects success; returns the dugdale id (malloc'd with
 * letts_free semantics: free with letts_free) and stores the lane in
 * *lane_out (free with letts_free) unless lane_out is NULL. */
char *resolve_ok_(const char *file, int line, const letts_target *t, const letts_config *cfg,
                  const char *const *scope, size_t n_scope, char **lane_out);
#define RESOLVE_OK(t, cfg, scope, n_scope, lane_out)                              \
    resolve_ok_(__FILE__, __LINE__, (t), (cfg), (scope), (n_scope), (lane_out))

#endif /* LETTS_TEST_CONFIG_HELPERS_H */
