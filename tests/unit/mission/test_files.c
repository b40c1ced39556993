/*
 * Input files: roles from the LETTS_IN_<role> variables with their size and
 * sha256, open descriptors, and the standalone fallback where the input
 * member named like the role is the path (spec/mission-protocol.md 1.7,
 * 7.4). None of these calls writes on fd 3.
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

/* sha256("abc") and sha256("") */
#define SHA_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char photo_path[600], doc_path[600], quirk_path[600];

/* dugdale's view: in/photo with metadata, in/doc without any, and a role
 * named "a__SIZE" (legal: roles only may not *start* with "__"). */
static int setup(void **state) {
    harness *h = calloc(1, sizeof *h);
    harness_prepare(h, "{\"photo\":\"/not/used/under/dugdale\"}", NULL);
    snprintf(photo_path, sizeof photo_path, "%s/in/photo", h->workdir);
    snprintf(doc_path, sizeof doc_path, "%s/in/doc", h->workdir);
    snprintf(quirk_path, sizeof quirk_path, "%s/in/a__SIZE", h->workdir);
    write_file(photo_path, "abc", 3);
    write_file(doc_path, "", 0);
    write_file(quirk_path, "q", 1);
    setenv("LETTS_IN_photo", photo_path, 1);
    setenv("LETTS_IN_photo__SIZE", "3", 1);
    setenv("LETTS_IN_photo__SHA256", SHA_ABC, 1);
    setenv("LETTS_IN_doc", doc_path, 1);
    setenv("LETTS_IN_a__SIZE", quirk_path, 1);
    setenv("LETTS_IN_ghost", "/nonexistent/in/ghost", 1);
    setenv("LETTS_IN_ghost__SIZE", "12", 1);
    harness_begin(h, 0);
    *state = h;
    return 0;
}

static int teardown(void **state) {
    harness *h = *state;
    harness_expect(h, "");
    harness_finish(h);
    free(h);
    return 0;
}

static char *read_fd(int fd) {
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    assert_true(n >= 0);
    buf[n] = '\0';
    return strdup(buf);
}

static void roles_sorted(void **state) {
    harness *h = *state;
    letts_string_list *roles = NULL;
    assert_int_equal(letts_mission_file_roles(h->m, &roles, NULL), LETTS_OK);
    assert_int_equal(letts_string_list_count(roles), 4);
    assert_string_equal(letts_string_list_get(roles, 0), "a__SIZE");
    assert_string_equal(letts_string_list_get(roles, 1), "doc");
    assert_string_equal(letts_string_list_get(roles, 2), "ghost");
    assert_string_equal(letts_string_list_get(roles, 3), "photo");
    letts_string_list_free(roles);
}

/* Role `role` names the file at `want_path`, `want_size` bytes long with
 * sha256 `want_sha`. */
static void expect_file(const letts_mission *m, const char *role, const char *want_path, uint64_t want_size,
                        const char *want_sha) {
    const char *path = NULL, *sha = NULL;
    uint64_t size = 99;
    assert_int_equal(letts_mission_file_path(m, role, &path, NULL), LETTS_OK);
    assert_string_equal(path, want_path);
    assert_int_equal(letts_mission_file_size(m, role, &size, NULL), LETTS_OK);
    assert_int_equal(size, want_size);
    assert_int_equal(letts_mission_file_sha256(m, role, &sha, NULL), LETTS_OK);
    assert_string_equal(sha, want_sha);
}

static void path_size_sha256(void **state) {
    harness *h = *state;
    expect_file(h->m, "photo", photo_path, 3, SHA_ABC);
    const char *path = NULL, *sha = NULL;
    uint64_t size = 99;
    /* no metadata variables: size 0 and an empty hash, as dugdale gave none */
    assert_int_equal(letts_mission_file_size(h->m, "doc", &size, NULL), LETTS_OK);
    assert_int_equal(size, 0);
    assert_int_equal(letts_mission_file_sha256(h->m, "doc", &sha, NULL), LETTS_OK);
    assert_string_equal(sha, "");
    assert_int_equal(letts_mission_file_path(h->m, "a__SIZE", &path, NULL), LETTS_OK);
    assert_string_equal(path, quirk_path);
}

static void open_reads_the_file(void **state) {
    harness *h = *state;
    int fd = -2;
    assert_int_equal(letts_mission_file_open(h->m, "photo", &fd, NULL), LETTS_OK);
    assert_true(fd >= 0);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
    char *text = read_fd(fd);
    assert_string_equal(text, "abc");
    free(text);
    close(fd);
}

static void unknown_role_refused(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    const char *s = "untouched";
    uint64_t size = 0;
    int fd = 5;
    const char *want = "no input file with key \"nope\"";
    expect_error(letts_mission_file_path(h->m, "nope", &s, &err), &err, LETTS_ERR_NOT_FOUND,
                 want);
    assert_null(s);
    expect_error(letts_mission_file_size(h->m, "nope", &size, &err), &err, LETTS_ERR_NOT_FOUND,
                 want);
    expect_error(letts_mission_file_sha256(h->m, "nope", &s, &err), &err, LETTS_ERR_NOT_FOUND,
                 want);
    expect_error(letts_mission_file_open(h->m, "nope", &fd, &err), &err, LETTS_ERR_NOT_FOUND,
                 want);
    assert_int_equal(fd, -1);
    /* metadata variables are not roles */
    expect_error(letts_mission_file_path(h->m, "photo__SIZE", &s, &err), &err,
                 LETTS_ERR_NOT_FOUND, "no input file with key \"photo__SIZE\"");
    /* under dugdale the input is not consulted */
    expect_error(letts_mission_file_path(h->m, "", &s, &err), &err, LETTS_ERR_NOT_FOUND,
                 "no input file with key \"\"");
}

static void open_failure_names_the_file(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    int fd = 5;
    expect_error(letts_mission_file_open(h->m, "ghost", &fd, &err), &err, LETTS_ERR_IO,
                 "cannot open input file \"ghost\" at /nonexistent/in/ghost: No such file or "
                 "directory");
    assert_int_equal(fd, -1);
}

static void bad_arguments_refused(void **state) {
    harness *h = *state;
    letts_error *err = NULL;
    const char *s = NULL;
    uint64_t size = 0;
    int fd = 0;
    letts_string_list *roles = NULL;
    expect_error(letts_mission_file_roles(NULL, &roles, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "letts_mission_file_roles: m is NULL");
    expect_error(letts_mission_file_roles(h->m, NULL, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                 "letts_mission_file_roles: out is NULL");
    expect_error(letts_mission_file_path(h->m, NULL, &s, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_file_path: role is NULL");
    expect_error(letts_mission_file_size(h->m, "photo", NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_file_size: out is NULL");
    expect_error(letts_mission_file_sha256(NULL, "photo", &s, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_file_sha256: m is NULL");
    expect_error(letts_mission_file_open(h->m, "photo", NULL, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "letts_mission_file_open: fd is NULL");
    (void)size;
    (void)fd;
}

/* ----------------------------------------------------------- standalone -- */

static void standalone_role_is_an_input_path(void **state) {
    harness *h = *state;
    letts_mission_free(h->m);
    h->m = NULL;
    unsetenv("LETTS_MISSION_ID");
    char arg[2000];
    snprintf(arg, sizeof arg,
             "--input={\"photo\":\"%s\",\"doc\":\"%s\",\"n\":5,\"nested\":{\"x\":\"%s\"},"
             "\"gone\":\"/nonexistent/file\"}",
             photo_path, doc_path, photo_path);
    const char *argv[] = {"mission", arg, NULL};
    assert_int_equal(letts_mission_start(&h->m, 2, argv, 0, NULL), LETTS_OK);

    /* dugdale announced nothing: no roles, whatever the environment says */
    letts_string_list *roles = NULL;
    assert_int_equal(letts_mission_file_roles(h->m, &roles, NULL), LETTS_OK);
    assert_int_equal(letts_string_list_count(roles), 0);
    letts_string_list_free(roles);

    /* size and hash come from the file itself */
    expect_file(h->m, "photo", photo_path, 3, SHA_ABC);
    const char *sha = NULL;
    uint64_t size = 0;
    assert_int_equal(letts_mission_file_sha256(h->m, "doc", &sha, NULL), LETTS_OK);
    assert_string_equal(sha, SHA_EMPTY);
    int fd = -1;
    assert_int_equal(letts_mission_file_open(h->m, "photo", &fd, NULL), LETTS_OK);
    char *text = read_fd(fd);
    assert_string_equal(text, "abc");
    free(text);
    close(fd);

    letts_error *err = NULL;
    const char *s = NULL;
    expect_error(letts_mission_file_path(h->m, "n", &s, &err), &err, LETTS_ERR_NOT_FOUND,
                 "no input file with key \"n\" (standalone: input.n must be a path)");
    expect_error(letts_mission_file_path(h->m, "missing", &s, &err), &err, LETTS_ERR_NOT_FOUND,
                 "no input file with key \"missing\" (standalone: input.missing must be a "
                 "path)");
    /* top-level members only, no dot paths */
    expect_error(letts_mission_file_path(h->m, "nested.x", &s, &err), &err,
                 LETTS_ERR_NOT_FOUND,
                 "no input file with key \"nested.x\" (standalone: input.nested.x must be a "
                 "path)");
    expect_error(letts_mission_file_size(h->m, "gone", &size, &err), &err, LETTS_ERR_IO,
                 "cannot examine input file \"gone\" at /nonexistent/file: No such file or "
                 "directory");
    expect_error(letts_mission_file_sha256(h->m, "gone", &s, &err), &err, LETTS_ERR_IO, NULL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(roles_sorted),
        T(path_size_sha256),
        T(open_reads_the_file),
        T(unknown_role_refused),
        T(open_failure_names_the_file),
        T(bad_arguments_refused),
        T(standalone_role_is_an_input_path),
    };
    return cmocka_run_group_tests_name("mission files", tests, NULL, NULL);
}
