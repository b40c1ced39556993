/*
 * The example C missions (examples/c/missions), built against libletts'
 * mission runtime, run by a real letts-devserver: what dugdale records for
 * each of them — outcome, fail reason and message, return, progress events,
 * committed outputs — is what the runtime promised to report.
 *
 * Each example is started through a one-line wrapper in the server's mission
 * directory that execs the binary in the build tree, so the process dugdale
 * signals is the mission itself (same pid, same fd 3, same stdin).
 */
#include <openssl/sha.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "devserver_harness.h"

static ds_server S;

/* Short kill grace so that a kill or a timeout ends fast even if a mission
 * ignored SIGTERM; the examples react to SIGTERM well within it. */
static const char *const DUGDALE_YAML =
    "listen: 127.0.0.1:0\n"
    "data_dir: %DATA%\n"
    "auth:\n  tokens: [dispatch-token-for-tests]\n"
    "admin:\n  tokens: [admin-token-for-tests]\n"
    "limits:\n  default_kill_grace: 2s\n";


static void install_example(const char *name) {
    const char *dir = getenv("LETTS_EXAMPLE_MISSIONS");
    assert_non_null(dir);
    /* In the sanitizer build the examples are instrumented, and ASan would
     * turn crash's deliberate SIGSEGV into "exit 1". dugdale gives missions
     * a scratch environment, so the wrapper says it: a plain build ignores
     * the variable. */
    const char *env = strcmp(name, "crash") == 0 ? "export ASAN_OPTIONS=handle_segv=0:handle_abort=0; " : "";
    char body[1024];
    snprintf(body, sizeof body, "%sexec '%s/%s'", env, dir, name);
    ds_script(&S, name, body);
}

static int setup(void **state) {
    (void)state;
    ds_start(&S, DUGDALE_YAML);
    ds_apply_lanes(&S, "{\"default\":{\"concurrency\":4}}");
    const char *examples[] = {"hello", "progress", "output_file", "fail", "interruptible", "input_file",
                              "crash"};
    for (size_t i = 0; i < sizeof examples / sizeof *examples; ++i) install_example(examples[i]);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

/* Every event of the mission, as a JSON array of parsed NDJSON lines. */
static cJSON *events_of(const char *id) {
    char path[128];
    snprintf(path, sizeof path, "/v1/missions/%s/events", id);
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    cJSON *all = cJSON_CreateArray();
    char *line = r.body;
    while (line && *line) {
        char *end = strchr(line, '\n');
        if (end) *end = '\0';
        if (*line) {
            cJSON *ev = cJSON_Parse(line);
            assert_non_null(ev);
            cJSON_AddItemToArray(all, ev);
        }
        line = end ? end + 1 : NULL;
    }
    ds_resp_free(&r);
    return all;
}

static int count_events(const cJSON *events, const char *kind) {
    int n = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events) {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(ev, "event");
        if (cJSON_IsString(k) && strcmp(k->valuestring, kind) == 0) ++n;
    }
    return n;
}

/* The progress event whose message contains `needle`, or NULL. */
static const cJSON *progress_with(const cJSON *events, const char *needle) {
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events) {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(ev, "event");
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(ev, "message");
        if (cJSON_IsString(k) && strcmp(k->valuestring, "progress") == 0 && cJSON_IsString(msg) &&
            strstr(msg->valuestring, needle))
            return ev;
    }
    return NULL;
}

/* Polls the events until a progress event is recorded (within timeout_ms). */
static void wait_for_progress(const char *id, int timeout_ms) {
    const long long deadline = ds_now_ms() + timeout_ms;
    for (;;) {
        cJSON *events = events_of(id);
        const int seen = count_events(events, "progress");
        cJSON_Delete(events);
        if (seen > 0) return;
        assert_true(ds_now_ms() < deadline);
        const struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

static void sha256_hex(const void *data, size_t len, char hex[65]) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(data, len, digest);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

static void test_hello_returns_its_input(void **state) {
    (void)state;
    char id[37];
    /* An integer beyond 2^53 must come back exactly as sent. */
    ds_dispatch(&S, "hello", "default", "{\"name\":\"ada\",\"big\":9007199254740993}", NULL, id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    assert_int_equal((int)ds_num(m, "exit_code"), 0);
    char *ret = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(m, "return"));
    assert_non_null(ret);
    assert_non_null(strstr(ret, "\"name\":\"ada\""));
    free(ret);
    cJSON_Delete(m);

    /* The raw bytes of the return, as stored: the big integer unrounded. */
    char path[128];
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    assert_non_null(strstr(r.body, "9007199254740993"));
    ds_resp_free(&r);
}

static void test_hello_wraps_a_non_object_input(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "hello", "default", "[1,2,3]", NULL, id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    const cJSON *wrapped = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "return"), "input");
    assert_true(cJSON_IsArray(wrapped));
    assert_int_equal(cJSON_GetArraySize(wrapped), 3);
    cJSON_Delete(m);
}

static void test_progress_events_are_recorded_in_order(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "progress", "default", "{\"steps\":4}", NULL, id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    assert_int_equal((int)ds_num(cJSON_GetObjectItemCaseSensitive(m, "return"), "steps"), 4);
    cJSON_Delete(m);

    cJSON *events = events_of(id);
    assert_int_equal(count_events(events, "progress"), 4);
    assert_int_equal(count_events(events, "done"), 1);
    double expect = 0.25;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events) {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(ev, "event");
        if (strcmp(k->valuestring, "progress") != 0) continue;
        assert_true(ds_num(ev, "value") > expect - 1e-9 && ds_num(ev, "value") < expect + 1e-9);
        expect += 0.25;
    }
    assert_non_null(progress_with(events, "step 4"));
    cJSON_Delete(events);
}

static void test_output_file_is_committed_with_sha256(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "output_file", "default", "{\"key\":\"report\",\"text\":\"line\\n\",\"repeat\":3}", NULL, id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    const char *content = "line\nline\nline\n";
    char hex[65];
    sha256_hex(content, strlen(content), hex);
    const cJSON *report = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "outputs"), "report");
    assert_non_null(report);
    assert_string_equal(ds_str(report, "sha256"), hex);
    assert_int_equal((int)ds_num(report, "size"), (int)strlen(content));
    assert_int_equal((int)ds_num(cJSON_GetObjectItemCaseSensitive(m, "return"), "bytes"), (int)strlen(content));

    char path[128];
    snprintf(path, sizeof path, "/v1/staging/%s", ds_str(report, "staging_id"));
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, S.dispatch_token, NULL, 0, NULL, &r), 200);
    assert_int_equal(r.len, strlen(content));
    assert_memory_equal(r.body, content, r.len);
    ds_resp_free(&r);
    cJSON_Delete(m);
}

static void test_explicit_fail_is_recorded(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "fail", "default",
                "{\"message\":\"upstream returned HTTP 503\",\"reason\":\"upstream_down\","
                "\"details\":{\"status\":503},\"exit_code\":3}",
                NULL, id);
    cJSON *m = ds_wait_outcome(&S, id, "failed", "upstream_down", 10000);
    assert_string_equal(ds_str(m, "fail_message"), "upstream returned HTTP 503");
    assert_int_equal((int)ds_num(cJSON_GetObjectItemCaseSensitive(m, "fail_details"), "status"), 503);
    assert_int_equal((int)ds_num(m, "exit_code"), 3);
    cJSON_Delete(m);
}

static void test_fail_then_exit_zero_is_a_contradiction(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "fail", "default", "{\"message\":\"half done\",\"exit_zero\":true}", NULL, id);
    cJSON *m = ds_wait_outcome(&S, id, "failed", "fail_then_zero_exit", 10000);
    assert_int_equal((int)ds_num(m, "exit_code"), 0);
    cJSON_Delete(m);
}

static void test_fail_exit_code_zero_is_coerced_to_one(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "fail", "default", "{\"message\":\"no\",\"exit_code\":0}", NULL, id);
    cJSON *m = ds_wait_outcome(&S, id, "failed", "explicit", 10000);
    assert_int_equal((int)ds_num(m, "exit_code"), 1);
    assert_string_equal(ds_str(m, "fail_message"), "no");
    cJSON_Delete(m);
}

static void test_segfault_is_failed_segfault(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "crash", "default", "{\"crash\":\"segv\"}", NULL, id);
    cJSON *m = ds_wait_outcome(&S, id, "failed", "segfault", 10000);
    assert_string_equal(ds_str(m, "signal"), "SEGV"); /* mission-protocol.md 8.1 */
    assert_int_equal((int)ds_num(m, "exit_code"), -1);
    cJSON_Delete(m);
}

static void test_kill_is_seen_by_the_mission(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "interruptible", "default", "{\"seconds\":60}", NULL, id);
    /* Kill only once the mission is working: its first progress event. */
    wait_for_progress(id, 10000);
    ds_resp r;
    assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/kill", id, &r), 200);
    ds_resp_free(&r);
    cJSON *m = ds_wait_outcome(&S, id, "killed", "killed_by_api", 10000);
    /* The mission ended on SIGTERM's exit path, not by SIGKILL after the grace. */
    assert_int_equal((int)ds_num(m, "exit_code"), 128 + 15);
    cJSON_Delete(m);

    cJSON *events = events_of(id);
    assert_non_null(progress_with(events, "interrupted by signal 15"));
    assert_int_equal(count_events(events, "done"), 1);
    cJSON_Delete(events);

    char path[128];
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stderr", id);
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    assert_non_null(strstr(r.body, "interrupt received (signal 15)"));
    ds_resp_free(&r);
}

static void test_timeout_interrupts_the_mission(void **state) {
    (void)state;
    char id[37];
    ds_dispatch(&S, "interruptible", "default", "{\"seconds\":60}", "\"timeout\":\"1500ms\"", id);
    cJSON *m = ds_wait_outcome(&S, id, "timeout", "", 10000);
    assert_int_equal((int)ds_num(m, "timeout_ms"), 1500);
    cJSON_Delete(m);
    cJSON *events = events_of(id);
    assert_non_null(progress_with(events, "interrupted by signal 15"));
    cJSON_Delete(events);
}

static void test_input_file_is_read_from_staging(void **state) {
    (void)state;
    const char *data = "first line\nsecond line\n";
    char sha[65], sid[37], id[37], path[96], h_sha[128], files[160];
    sha256_hex(data, strlen(data), sha);
    ds_uuidv7(sid);
    snprintf(path, sizeof path, "/v1/staging/%s", sid);
    snprintf(h_sha, sizeof h_sha, "X-Letts-Sha256: %s", sha);
    const char *hdrs[] = {h_sha, "Content-Type: application/octet-stream", NULL};
    ds_resp r;
    assert_int_equal(ds_http(&S, "PUT", path, S.dispatch_token, data, strlen(data), hdrs, &r), 201);
    ds_resp_free(&r);

    snprintf(files, sizeof files, "\"files\":[{\"role\":\"doc\",\"staging_id\":\"%s\"}]", sid);
    ds_dispatch(&S, "input_file", "default", "{\"role\":\"doc\"}", files, id);
    cJSON *m = ds_wait_outcome(&S, id, "success", "", 10000);
    const cJSON *ret = cJSON_GetObjectItemCaseSensitive(m, "return");
    assert_string_equal(ds_str(ret, "sha256"), sha);
    assert_int_equal((int)ds_num(ret, "size"), (int)strlen(data));
    assert_int_equal((int)ds_num(ret, "bytes"), (int)strlen(data));
    assert_int_equal((int)ds_num(ret, "lines"), 2);
    cJSON_Delete(m);

    /* Without the file: the mission's own reason and exit code. */
    ds_dispatch(&S, "input_file", "default", "{\"role\":\"doc\"}", NULL, id);
    m = ds_wait_outcome(&S, id, "failed", "missing_input", 10000);
    assert_int_equal((int)ds_num(m, "exit_code"), 2);
    cJSON_Delete(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_returns_its_input),
        cmocka_unit_test(test_hello_wraps_a_non_object_input),
        cmocka_unit_test(test_progress_events_are_recorded_in_order),
        cmocka_unit_test(test_output_file_is_committed_with_sha256),
        cmocka_unit_test(test_explicit_fail_is_recorded),
        cmocka_unit_test(test_fail_then_exit_zero_is_a_contradiction),
        cmocka_unit_test(test_fail_exit_code_zero_is_coerced_to_one),
        cmocka_unit_test(test_segfault_is_failed_segfault),
        cmocka_unit_test(test_kill_is_seen_by_the_mission),
        cmocka_unit_test(test_timeout_interrupts_the_mission),
        cmocka_unit_test(test_input_file_is_read_from_staging),
    };
    return cmocka_run_group_tests_name("mission examples under letts-devserver", tests, setup, teardown);
}
