/*
 * Test harness for the mission runtime: plays dugdale inside the test
 * process. It puts the write end of a pipe on fd 3, the input on stdin (a
 * regular file, as dugdale does), sets the LETTS_* variables and a fresh
 * work directory, and reads back exactly what the runtime wrote on fd 3.
 */
#ifndef LETTS_TEST_MISSION_HARNESS_H
#define LETTS_TEST_MISSION_HARNESS_H

#include <stddef.h>

#include "letts/letts.h"

typedef struct harness {
    char workdir[256];
    int events;          /* read end of the fd 3 pipe (non-blocking) */
    letts_mission *m;    /* started by harness_start() */
    struct harness_drain *drain; /* see harness_drain_begin() */
    int prepared;        /* harness_prepare() ran, harness_finish() not yet */
} harness;

/*
 * Prepare dugdale's side: work directory (with in/, out/, tmp/), fd 3,
 * stdin holding `input` (NULL: empty stdin) and the environment. `env` is a
 * NULL-terminated list of extra NAME=VALUE strings (may be NULL).
 */
void harness_prepare(harness *h, const char *input, const char *const *env);

/* harness_prepare() then harness_begin(). */
void harness_start(harness *h, const char *input, const char *const *env);

/* letts_mission_start() with argv {"mission"} and `flags` into h->m;
 * asserts LETTS_OK. */
void harness_begin(harness *h, unsigned flags);

/* Redirects `fd` (1 or 2) into a temporary file until capture_end(), which
 * restores it and returns what was written (caller frees). */
typedef struct capture {
    int fd, saved, file;
} capture;
void capture_begin(capture *c, int fd);
char *capture_end(capture *c);

/*
 * Everything written on fd 3 since the last call, as a NUL-terminated
 * string the caller frees (free()). Every runtime call writes its line
 * completely before returning, so this never races.
 */
char *harness_take(harness *h);

/* Assert that fd 3 received exactly `expected` since the last take. */
void harness_expect(harness *h, const char *expected);

/*
 * For lines bigger than the pipe buffer: a thread drains fd 3 while the
 * mission writes. harness_drain_begin() starts it; harness_drain_end()
 * frees the mission (closing fd 3, so the thread sees EOF), joins the
 * thread and returns everything it read (caller frees) with its length.
 */
void harness_drain_begin(harness *h);
char *harness_drain_end(harness *h, size_t *len);

/* cmocka fixtures: a harness started with input {"name":"ada"} in *state,
 * and its teardown. */
int harness_setup(void **state);
int harness_teardown(void **state);

/* Free the mission (if any), close the pipe, clear the environment and
 * remove the work directory. */
void harness_finish(harness *h);

/* Writes `size` bytes of `data` to `path`; asserts success. */
void write_file(const char *path, const char *data, size_t size);

/* The whole content of `path` (caller frees), or NULL when unreadable. */
char *read_file(const char *path, size_t *size);

/* Asserts `status` and, when `message` is not NULL, the error message;
 * frees `*err` and sets it to NULL. */
void expect_error(letts_status status, letts_error **err, letts_status want,
                  const char *message);

#endif
