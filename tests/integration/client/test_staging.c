/*
 * letts/staging.h end to end against an embedded devserver with exec
 * enabled: upload, HEAD, download whole and by range (to a file and through
 * a callback, the bytes compared with the local file), list of a mission's
 * files with paging and filter, by-content with the exec token and refused
 * with the dispatch token, delete and what the store says afterwards, and
 * the failures: each names what was wrong, and a failed or cut download
 * leaves neither the destination nor its .partial file behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "fault_proxy.h"
#include "letts/letts.h"

#define FILE_SIZE 200000

static ds_server S;
static letts_client *C;       /* dispatch + admin tokens */
static letts_client *EXEC;    /* dispatch + admin + exec tokens */
static char DIR_[256];        /* scratch files of this test */
static char SOURCE[300];      /* FILE_SIZE bytes of a pattern */
static unsigned char PATTERN[FILE_SIZE];

static letts_client *client_at(const char *url, int with_exec) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "auth: {token: \"dispatch-token\", admin_token: \"admin-token\"%s}\n"
             "dugdales:\n  - id: dev\n    url: \"%s\"\n    lanes: {default: {concurrency: 4}}\n",
             with_exec ? ", exec_token: \"exec-token\"" : "", url);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    if (letts_config_load_string(&cfg, yaml, strlen(yaml), "client.yaml", &err) != LETTS_OK)
        fail_msg("client.yaml: %s", letts_error_message(err));
    letts_client *client = NULL;
    assert_int_equal(letts_client_new(&client, cfg, NULL, &err), LETTS_OK);
    letts_config_free(cfg);
    return client;
}

static void write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The whole file; *len gets its size. Free with free(). */
static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    unsigned char *buf = malloc(FILE_SIZE + 1);
    assert_non_null(buf);
    *len = fread(buf, 1, FILE_SIZE + 1, f);
    fclose(f);
    return buf;
}

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static void scratch(const char *name, char *out, size_t size) { snprintf(out, size, "%s/%s", DIR_, name); }

static int setup(void **state) {
    (void)state;
    ds_start(&S, DS_YAML_HEAD "exec:\n  enabled: true\n  tokens: [exec-token]\n");
    ds_apply_lanes(&S, "{\"default\":{\"concurrency\":4}}");
    ds_script(&S, "holder", "cat >/dev/null; echo '{\"event\":\"success\"}' >&3");
    snprintf(DIR_, sizeof DIR_, "/tmp/letts-staging-test-XXXXXX");
    assert_non_null(mkdtemp(DIR_));
    for (size_t i = 0; i < FILE_SIZE; i++) PATTERN[i] = (unsigned char)((i * 7 + i / 251) & 0xff);
    scratch("source.bin", SOURCE, sizeof SOURCE);
    write_file(SOURCE, PATTERN, FILE_SIZE);
    C = client_at(S.url, 0);
    EXEC = client_at(S.url, 1);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    letts_client_free(C);
    letts_client_free(EXEC);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    assert_int_equal(system(cmd), 0);
    ds_stop(&S);
    return 0;
}

static void assert_contains(const char *text, const char *needle) {
    if (!text || !strstr(text, needle)) fail_msg("\"%s\" does not contain \"%s\"", text ? text : "(null)", needle);
}

/* sha256sum of a file, as an independent check of the library's hash. */
static void sha256_of(const char *path, char out[65]) {
    char cmd[400];
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%64s", out), 1);
    assert_int_equal(pclose(p), 0);
}

static letts_staged_file *stage(const char *path) {
    letts_staged_file *file = NULL;
    letts_error *err = NULL;
    if (letts_client_stage_file(C, "dev", path, &file, &err) != LETTS_OK)
        fail_msg("stage %s: %s", path, letts_error_message(err));
    return file;
}

/* A call's outcome: `status` expected, the error's message containing
 * `needle`. `errp` (not the error: the call sets it only when the
 * arguments have been evaluated) is reset for the next call. */
static void assert_error(letts_status got, letts_error **errp, letts_status status, const char *needle) {
    letts_error *err = *errp;
    *errp = NULL;
    if (got != status) fail_msg("status %d, expected %d: %s", got, status, err ? letts_error_message(err) : "");
    assert_non_null(err);
    assert_contains(letts_error_message(err), needle);
    letts_error_free(err);
}

/* ---- upload, HEAD, GET ---------------------------------------------------- */

static void test_an_upload_is_complete_with_its_hash_and_size(void **state) {
    (void)state;
    char sha[65];
    sha256_of(SOURCE, sha);
    letts_staged_file *file = stage(SOURCE);
    assert_int_equal(strlen(letts_staged_file_id(file)), 36);
    assert_string_equal(letts_staged_file_sha256(file), sha);
    assert_int_equal(letts_staged_file_size(file), FILE_SIZE);

    letts_staging_head *head = NULL;
    assert_int_equal(letts_client_staging_head(C, "dev", letts_staged_file_id(file), &head, NULL), LETTS_OK);
    assert_string_equal(letts_staging_head_state(head), "complete");
    assert_string_equal(letts_staging_head_sha256(head), sha);
    assert_int_equal(letts_staging_head_size(head), FILE_SIZE);
    assert_int_equal(letts_staging_head_bytes_received(head), FILE_SIZE);
    letts_staging_head_free(head);
    letts_staged_file_free(file);
}

static void test_a_download_brings_the_same_bytes_whole_and_by_range(void **state) {
    (void)state;
    letts_staged_file *file = stage(SOURCE);
    const char *id = letts_staged_file_id(file);
    char whole[300], part[300], tail[300];
    scratch("whole.bin", whole, sizeof whole);
    scratch("part.bin", part, sizeof part);
    scratch("tail.bin", tail, sizeof tail);
    letts_error *err = NULL;
    if (letts_client_staging_download(C, "dev", id, 0, 0, whole, &err) != LETTS_OK)
        fail_msg("download: %s", letts_error_message(err));
    assert_int_equal(letts_client_staging_download(C, "dev", id, 1000, 5000, part, NULL), LETTS_OK);
    /* A length past the end stops at the end. */
    assert_int_equal(letts_client_staging_download(C, "dev", id, FILE_SIZE - 10, 99, tail, NULL), LETTS_OK);
    size_t len = 0;
    unsigned char *got = read_file(whole, &len);
    assert_int_equal(len, FILE_SIZE);
    assert_memory_equal(got, PATTERN, FILE_SIZE);
    free(got);
    got = read_file(part, &len);
    assert_int_equal(len, 5000);
    assert_memory_equal(got, PATTERN + 1000, 5000);
    free(got);
    got = read_file(tail, &len);
    assert_int_equal(len, 10);
    assert_memory_equal(got, PATTERN + FILE_SIZE - 10, 10);
    free(got);
    char partial[320];
    snprintf(partial, sizeof partial, "%s.partial", whole);
    assert_false(exists(partial));
    letts_staged_file_free(file);
}

typedef struct collected {
    unsigned char *data;
    size_t len;
    int calls;
    int stop_after; /* 0: never */
} collected;

static int collect(const char *data, size_t len, void *user_data) {
    collected *c = user_data;
    assert_true(c->len + len <= FILE_SIZE);
    memcpy(c->data + c->len, data, len);
    c->len += len;
    c->calls++;
    return c->stop_after && c->calls >= c->stop_after;
}

static void test_a_read_hands_the_bytes_to_the_callback(void **state) {
    (void)state;
    letts_staged_file *file = stage(SOURCE);
    const char *id = letts_staged_file_id(file);
    collected c = {.data = malloc(FILE_SIZE)};
    assert_int_equal(letts_client_staging_read(C, "dev", id, 0, 0, collect, &c, NULL), LETTS_OK);
    assert_int_equal(c.len, FILE_SIZE);
    assert_memory_equal(c.data, PATTERN, FILE_SIZE);
    c.len = 0;
    assert_int_equal(letts_client_staging_read(C, "dev", id, 12345, 0, collect, &c, NULL), LETTS_OK);
    assert_int_equal(c.len, FILE_SIZE - 12345);
    assert_memory_equal(c.data, PATTERN + 12345, FILE_SIZE - 12345);
    /* A callback that stops ends the call with LETTS_ERR_INTERRUPTED. */
    c = (collected){.data = c.data, .stop_after = 1};
    letts_error *err = NULL;
    assert_error(letts_client_staging_read(C, "dev", id, 0, 0, collect, &c, &err), &err, LETTS_ERR_INTERRUPTED,
                 "stopped by the callback");
    assert_true(c.len < FILE_SIZE);
    free(c.data);
    letts_staged_file_free(file);
}

/* ---- list ------------------------------------------------------------------ */

static void dispatch_with(const char *role_a, const char *id_a, const char *role_b, const char *id_b, char mid[37]) {
    char extra[400];
    snprintf(extra, sizeof extra,
             "\"files\":[{\"role\":\"%s\",\"staging_id\":\"%s\"},{\"role\":\"%s\",\"staging_id\":\"%s\"}]",
             role_a, id_a, role_b, id_b);
    ds_dispatch(&S, "holder", "default", NULL, extra, mid);
}

static int list_index(const letts_staging_list *list, const char *id) {
    for (size_t i = 0; i < letts_staging_list_count(list); i++) {
        if (strcmp(letts_staging_list_id(list, i), id) == 0) return (int)i;
    }
    return -1;
}

static void test_the_list_of_a_mission_holds_its_files_page_by_page(void **state) {
    (void)state;
    letts_staged_file *a = stage(SOURCE);
    letts_staged_file *b = stage(SOURCE);
    char mid[37];
    dispatch_with("first", letts_staged_file_id(a), "second", letts_staged_file_id(b), mid);

    letts_staging_list *list = NULL;
    letts_error *err = NULL;
    if (letts_client_staging_list(C, "dev", mid, NULL, 0, NULL, &list, &err) != LETTS_OK)
        fail_msg("list: %s", letts_error_message(err));
    assert_int_equal(letts_staging_list_count(list), 2);
    const int i = list_index(list, letts_staged_file_id(a));
    assert_true(i >= 0);
    assert_string_equal(letts_staging_list_state(list, (size_t)i), "complete");
    assert_string_equal(letts_staging_list_ref_kind(list, (size_t)i), "input");
    assert_string_equal(letts_staging_list_role(list, (size_t)i), "first");
    assert_string_equal(letts_staging_list_sha256(list, (size_t)i), letts_staged_file_sha256(a));
    assert_int_equal(letts_staging_list_size(list, (size_t)i), FILE_SIZE);
    assert_true(letts_staging_list_time_created(list, (size_t)i) > 0);
    assert_null(letts_staging_list_next_cursor(list));
    assert_null(letts_staging_list_id(list, 2));
    assert_contains(letts_staging_list_json(list), letts_staged_file_id(b));
    letts_staging_list_free(list);

    /* One row a page: the cursor leads to the other row, then the end. */
    letts_staging_list *first = NULL, *second = NULL;
    assert_int_equal(letts_client_staging_list(C, "dev", mid, "input", 1, NULL, &first, NULL), LETTS_OK);
    assert_int_equal(letts_staging_list_count(first), 1);
    assert_non_null(letts_staging_list_next_cursor(first));
    assert_int_equal(letts_client_staging_list(C, "dev", mid, "input", 1, letts_staging_list_next_cursor(first),
                                               &second, NULL),
                     LETTS_OK);
    assert_int_equal(letts_staging_list_count(second), 1);
    assert_string_not_equal(letts_staging_list_id(first, 0), letts_staging_list_id(second, 0));
    letts_staging_list_free(first);
    letts_staging_list_free(second);

    /* The filter is sent: no output rows. */
    assert_int_equal(letts_client_staging_list(C, "dev", mid, "output", 0, NULL, &list, NULL), LETTS_OK);
    assert_int_equal(letts_staging_list_count(list), 0);
    letts_staging_list_free(list);
    letts_staged_file_free(a);
    letts_staged_file_free(b);
}

static void test_a_list_without_a_mission_id_is_refused_naming_it(void **state) {
    (void)state;
    letts_staging_list *list = NULL;
    letts_error *err = NULL;
    assert_error(letts_client_staging_list(C, "dev", NULL, NULL, 0, NULL, &list, &err), &err,
                 LETTS_ERR_BAD_REQUEST, "mission_id");
    assert_null(list);
    assert_error(letts_client_staging_list(C, "dev", "01923b6e-7a02-7d11-8e3f-0a1b2c3d4e5f", "bogus", 0, NULL,
                                           &list, &err), &err, LETTS_ERR_BAD_REQUEST, "ref_kind");
}

/* ---- by content ------------------------------------------------------------ */

static void test_by_content_finds_the_file_with_the_exec_token_only(void **state) {
    (void)state;
    char path[300];
    scratch("unique.txt", path, sizeof path);
    write_file(path, "content only this test uploads\n", 31);
    letts_staged_file *file = stage(path);
    letts_staged_file *found = NULL;
    letts_error *err = NULL;
    if (letts_client_staging_by_content(EXEC, "dev", LETTS_SCOPE_EXEC, letts_staged_file_sha256(file), 31, &found,
                                        &err) != LETTS_OK)
        fail_msg("by content: %s", letts_error_message(err));
    assert_string_equal(letts_staged_file_id(found), letts_staged_file_id(file));
    assert_string_equal(letts_staged_file_sha256(found), letts_staged_file_sha256(file));
    assert_int_equal(letts_staged_file_size(found), 31);
    letts_staged_file_free(found);

    /* The dispatch token is refused by the daemon: 403 forbidden. */
    found = NULL;
    assert_int_equal(letts_client_staging_by_content(EXEC, "dev", LETTS_SCOPE_DISPATCH,
                                                     letts_staged_file_sha256(file), 31, &found, &err),
                     LETTS_ERR_AUTH);
    assert_null(found);
    assert_int_equal(letts_error_http_status(err), 403);
    assert_string_equal(letts_error_code(err), "forbidden");
    letts_error_free(err);
    err = NULL;
    /* A client without an exec token says so before sending anything. */
    assert_error(letts_client_staging_by_content(C, "dev", LETTS_SCOPE_EXEC, letts_staged_file_sha256(file), 31,
                                                 &found, &err), &err, LETTS_ERR_CONFIG, "exec");
    /* Another size: not found. */
    assert_error(letts_client_staging_by_content(EXEC, "dev", LETTS_SCOPE_EXEC, letts_staged_file_sha256(file), 32,
                                                 &found, &err), &err, LETTS_ERR_NOT_FOUND, "");
    assert_error(letts_client_staging_by_content(EXEC, "dev", LETTS_SCOPE_EXEC, "abc", 31, &found, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "sha256 must be 64 hex digits");
    assert_error(letts_client_staging_by_content(EXEC, "dev", LETTS_SCOPE_EXEC, letts_staged_file_sha256(file), 0,
                                                 &found, &err), &err, LETTS_ERR_INVALID_ARGUMENT, "size must be > 0");
    letts_staged_file_free(file);
}

/* ---- delete ---------------------------------------------------------------- */

static void test_a_deleted_file_is_gone_from_every_view(void **state) {
    (void)state;
    char path[300], dest[300];
    scratch("doomed.txt", path, sizeof path);
    scratch("doomed.out", dest, sizeof dest);
    write_file(path, "to be deleted by the test\n", 26);
    letts_staged_file *file = stage(path);
    const char *id = letts_staged_file_id(file);
    letts_error *err = NULL;
    if (letts_client_staging_delete(C, "dev", id, 0, &err) != LETTS_OK)
        fail_msg("delete: %s", letts_error_message(err));
    /* Deleting again is still a success (202 for a row already deleting). */
    assert_int_equal(letts_client_staging_delete(C, "dev", id, 0, NULL), LETTS_OK);

    /* The row is a tombstone until the collector removes it. */
    letts_staging_head *head = NULL;
    assert_int_equal(letts_client_staging_head(C, "dev", id, &head, NULL), LETTS_OK);
    assert_string_equal(letts_staging_head_state(head), "deleting");
    letts_staging_head_free(head);
    assert_error(letts_client_staging_download(C, "dev", id, 0, 0, dest, &err), &err, LETTS_ERR_STAGING,
                 "is deleting, not complete");
    assert_false(exists(dest));
    letts_staged_file *found = NULL;
    assert_error(letts_client_staging_by_content(EXEC, "dev", LETTS_SCOPE_EXEC, letts_staged_file_sha256(file), 26,
                                                 &found, &err), &err, LETTS_ERR_NOT_FOUND, "no staging file with that content");
    letts_staged_file_free(file);
}

static void test_an_unknown_id_is_not_found_everywhere(void **state) {
    (void)state;
    char id[37], dest[300];
    ds_uuidv7(id);
    scratch("never.out", dest, sizeof dest);
    letts_staging_head *head = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_staging_head(C, "dev", id, &head, &err), LETTS_ERR_NOT_FOUND);
    assert_null(head);
    assert_int_equal(letts_error_http_status(err), 404);
    assert_contains(letts_error_message(err), id);
    letts_error_free(err);
    err = NULL;
    assert_error(letts_client_staging_download(C, "dev", id, 0, 0, dest, &err), &err, LETTS_ERR_NOT_FOUND, id);
    assert_false(exists(dest));
    assert_error(letts_client_staging_delete(C, "dev", id, 0, &err), &err, LETTS_ERR_NOT_FOUND, "not found");
}

static void test_a_referenced_file_is_deleted_only_with_force(void **state) {
    (void)state;
    letts_staged_file *a = stage(SOURCE);
    letts_staged_file *b = stage(SOURCE);
    char mid[37];
    dispatch_with("one", letts_staged_file_id(a), "two", letts_staged_file_id(b), mid);
    letts_error *err = NULL;
    assert_int_equal(letts_client_staging_delete(C, "dev", letts_staged_file_id(a), 0, &err), LETTS_ERR_CONFLICT);
    assert_string_equal(letts_error_code(err), "staging_in_use");
    assert_contains(letts_error_details(err), mid);
    letts_error_free(err);
    err = NULL;
    if (letts_client_staging_delete(C, "dev", letts_staged_file_id(a), 1, &err) != LETTS_OK)
        fail_msg("forced delete: %s", letts_error_message(err));
    letts_staging_head *head = NULL;
    assert_int_equal(letts_client_staging_head(C, "dev", letts_staged_file_id(a), &head, NULL), LETTS_OK);
    assert_string_equal(letts_staging_head_state(head), "deleting");
    letts_staging_head_free(head);
    letts_staged_file_free(a);
    letts_staged_file_free(b);
}

/* ---- failures -------------------------------------------------------------- */

static void test_local_problems_are_named(void **state) {
    (void)state;
    char empty[300], missing[300], dest[300];
    scratch("empty.txt", empty, sizeof empty);
    scratch("missing.txt", missing, sizeof missing);
    write_file(empty, "", 0);
    letts_staged_file *file = NULL;
    letts_error *err = NULL;
    assert_error(letts_client_stage_file(C, "dev", empty, &file, &err), &err, LETTS_ERR_STAGING,
                 "cannot stage an empty file");
    assert_error(letts_client_stage_file(C, "dev", missing, &file, &err), &err, LETTS_ERR_STAGING, missing);
    assert_null(file);
    assert_error(letts_client_stage_file(C, NULL, SOURCE, &file, &err), &err, LETTS_ERR_BAD_REQUEST, "stage");

    file = stage(SOURCE);
    const char *id = letts_staged_file_id(file);
    /* An offset at the end is outside the file. */
    scratch("offset.out", dest, sizeof dest);
    assert_error(letts_client_staging_download(C, "dev", id, FILE_SIZE, 0, dest, &err), &err,
                 LETTS_ERR_INVALID_ARGUMENT, "range offset 200000 is not inside the file (200000 bytes)");
    assert_false(exists(dest));
    /* A folder that does not exist: the file cannot be written. */
    scratch("no-such-dir/out.bin", dest, sizeof dest);
    assert_error(letts_client_staging_download(C, "dev", id, 0, 0, dest, &err), &err, LETTS_ERR_STAGING,
                 "cannot write");
    letts_staged_file_free(file);
}

static void test_a_cut_download_leaves_no_file_behind(void **state) {
    (void)state;
    letts_staged_file *file = stage(SOURCE);
    const char *id = letts_staged_file_id(file);
    char dest[300], partial[320];
    scratch("cut.bin", dest, sizeof dest);
    snprintf(partial, sizeof partial, "%s.partial", dest);
    /* What was at the destination before stays as it was. */
    write_file(dest, "old content", 11);

    const char *port = strrchr(S.url, ':');
    fault_proxy *proxy = fault_proxy_start(atoi(port + 1));
    letts_client *through = client_at(fault_proxy_url(proxy), 0);
    fault_proxy_add_rule(proxy, "GET", "/v1/staging/", 0, 50000, 1);
    letts_error *err = NULL;
    assert_error(letts_client_staging_download(through, "dev", id, 0, 0, dest, &err), &err, LETTS_ERR_STAGING, id);
    assert_int_equal(fault_proxy_count(proxy, "GET /v1/staging/"), 1);
    assert_false(exists(partial));
    size_t len = 0;
    unsigned char *kept = read_file(dest, &len);
    assert_int_equal(len, 11);
    assert_memory_equal(kept, "old content", 11);
    free(kept);
    /* The range was asked for with a Range header. */
    assert_int_equal(letts_client_staging_download(through, "dev", id, 10, 20, dest, NULL), LETTS_OK);
    char range[64];
    assert_true(fault_proxy_header(proxy, "GET /v1/staging/", 1, "Range", range, sizeof range));
    assert_string_equal(range, "bytes=10-29");
    letts_client_free(through);
    fault_proxy_stop(proxy);
    letts_staged_file_free(file);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_upload_is_complete_with_its_hash_and_size),
        cmocka_unit_test(test_a_download_brings_the_same_bytes_whole_and_by_range),
        cmocka_unit_test(test_a_read_hands_the_bytes_to_the_callback),
        cmocka_unit_test(test_the_list_of_a_mission_holds_its_files_page_by_page),
        cmocka_unit_test(test_a_list_without_a_mission_id_is_refused_naming_it),
        cmocka_unit_test(test_by_content_finds_the_file_with_the_exec_token_only),
        cmocka_unit_test(test_a_deleted_file_is_gone_from_every_view),
        cmocka_unit_test(test_an_unknown_id_is_not_found_everywhere),
        cmocka_unit_test(test_a_referenced_file_is_deleted_only_with_force),
        cmocka_unit_test(test_local_problems_are_named),
        cmocka_unit_test(test_a_cut_download_leaves_no_file_behind),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
