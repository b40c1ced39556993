/* The mission supervisor under load (issue 15): many missions running at
 * once cost the server a bounded number of threads, not one each, and every
 * one of them still gets its own outcome, output, timeout and kill. The
 * server is embedded, so its threads are this process's /proc/self/task. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"

enum { MANY = 200 };

/* Far below one thread per mission, above what the HTTP layer and the
 * supervisor need whatever model they use. */
enum { THREAD_BOUND = 48 };

static ds_server S;

static const char *YAML =
    DS_YAML_HEAD
    "limits:\n  default_kill_grace: 300ms\n  max_output_buffer: 1000\n";

static int setup(void **state) {
    (void)state;
    ds_start(&S, YAML);
    ds_apply_lanes(&S, "{\"wide\":{\"concurrency\":256}}");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static int count_entries(const char *dir, const char *prefix) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && strncmp(e->d_name, prefix, strlen(prefix)) == 0) ++n;
    closedir(d);
    return n;
}

static void pause_briefly(void) {
    struct timespec ts = {0, 5 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

/* Polls until `want` files named `prefix`* exist in the mission dir. */
static void wait_count(const char *prefix, int want, int timeout_ms) {
    const long long deadline = ds_now_ms() + timeout_ms;
    int n;
    while ((n = count_entries(S.mission_dir, prefix)) < want) {
        if (ds_now_ms() > deadline) fail_msg("%d of %d %s files within %d ms", n, want, prefix, timeout_ms);
        pause_briefly();
    }
}

static void write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        const ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        assert_true(n > 0);
        data += n;
        len -= (size_t)n;
    }
}

/* MANY missions blocked on a FIFO the test holds open (read-write, so
 * neither side's open blocks); each takes one byte (one read(2) of one
 * byte: concurrent readers cannot split a token) and succeeds. While all
 * of them run, the process has fewer than THREAD_BOUND threads. */
static void test_many_running_missions_few_threads(void **state) {
    (void)state;
    char fifo[400], body[1200];
    ds_path(&S, "go.fifo", fifo, sizeof fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const int hold = open(fifo, O_RDWR | O_CLOEXEC);
    assert_true(hold >= 0);
    snprintf(body, sizeof body,
             "line=$(dd bs=1 count=1 2>/dev/null <> \"%s\") || exit 9\n"
             "touch \"%s.done.$LETTS_MISSION_ID\"\n"
             "printf '{\"event\":\"success\",\"return\":{\"line\":\"%%s\"}}\\n' \"$line\" >&3",
             fifo, fifo);
    /* `started` is written before the read: a mission counted as started
     * may not be reading yet, which the lines already in the FIFO cover. */
    char started[2048];
    snprintf(started, sizeof started, "touch \"%s.started.$LETTS_MISSION_ID\"\n%s", fifo, body);
    ds_script(&S, "blocked", started);

    static char ids[MANY][37];
    for (int i = 0; i < MANY; ++i) ds_dispatch(&S, "blocked", "wide", NULL, NULL, ids[i]);
    wait_count("go.fifo.started.", MANY, 60000);
    assert_int_equal(count_entries(S.mission_dir, "go.fifo.done."), 0);

    const int threads = count_entries("/proc/self/task", "");
    if (threads >= THREAD_BOUND) fail_msg("%d threads while %d missions run (bound %d)", threads, MANY, THREAD_BOUND);

    for (int i = 0; i < MANY; ++i) write_all(hold, "g", 1);
    for (int i = 0; i < MANY; ++i) {
        cJSON *m = ds_wait_outcome(&S, ids[i], "success", "", 60000);
        const cJSON *ret = cJSON_GetObjectItemCaseSensitive(m, "return");
        assert_string_equal(ds_str(ret, "line"), "g");
        assert_false(ds_pid_alive((long)ds_num(m, "pid")));
        cJSON_Delete(m);
    }
    close(hold);
}

/* Timeouts of concurrent missions come from one deadline queue: each ends
 * at its own, in order, and a mission without one is left running. */
static void test_concurrent_timeouts_each_at_its_own(void **state) {
    (void)state;
    ds_script(&S, "forever", "exec sleep 30");
    char slow[37], fast[37], mid[37], none[37];
    ds_dispatch(&S, "forever", "wide", NULL, "\"timeout\":\"900ms\"", slow);
    ds_dispatch(&S, "forever", "wide", NULL, "\"timeout\":\"100ms\"", fast);
    ds_dispatch(&S, "forever", "wide", NULL, "\"timeout\":\"500ms\"", mid);
    ds_dispatch(&S, "forever", "wide", NULL, NULL, none);
    double finished[3];
    const char *ids[3] = {fast, mid, slow};
    const int ms[3] = {100, 500, 900};
    for (int i = 0; i < 3; ++i) {
        cJSON *m = ds_wait_outcome(&S, ids[i], "timeout", "", 20000);
        assert_int_equal((int)ds_num(m, "timeout_ms"), ms[i]);
        assert_true(ds_num(m, "duration_ms") >= ms[i]);
        finished[i] = ds_num(m, "time_finished");
        cJSON_Delete(m);
    }
    assert_true(finished[0] <= finished[1] && finished[1] <= finished[2]);
    cJSON *m = ds_mission(&S, none);
    assert_string_equal(ds_str(m, "status"), "running");
    cJSON_Delete(m);
    ds_resp r;
    assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/kill", none, &r), 200);
    ds_resp_free(&r);
    cJSON_Delete(ds_wait_outcome(&S, none, "killed", "killed_by_api", 20000));
}

/* A kill that arrives while the mission is being launched (right after the
 * dispatch) still ends it as killed_by_api, whether it was seen before the
 * spawn or after; nothing of it survives. */
static void test_kill_right_after_dispatch(void **state) {
    (void)state;
    ds_script(&S, "spin", "while :; do sleep 0.05; done");
    for (int i = 0; i < 10; ++i) {
        char id[37];
        ds_dispatch(&S, "spin", "wide", NULL, NULL, id);
        ds_resp r;
        assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/kill", id, &r), 200);
        ds_resp_free(&r);
        cJSON *m = ds_wait_outcome(&S, id, "killed", "killed_by_api", 20000);
        const cJSON *pid = cJSON_GetObjectItemCaseSensitive(m, "pid");
        if (cJSON_IsNumber(pid)) assert_false(ds_pid_alive((long)pid->valuedouble));
        cJSON_Delete(m);
    }
}

/* Kill sequences of several stubborn missions (SIGTERM ignored) run side by
 * side: each is escalated to SIGKILL after its own grace. */
static void test_concurrent_kill_sequences(void **state) {
    (void)state;
    char gate[400], body[800];
    ds_path(&S, "stubborn", gate, sizeof gate);
    snprintf(body, sizeof body, "trap '' TERM; touch \"%s.started.$LETTS_MISSION_ID\"; while :; do sleep 0.05; done",
             gate);
    ds_script(&S, "stubborn", body);
    char ids[4][37];
    for (int i = 0; i < 4; ++i) ds_dispatch(&S, "stubborn", "wide", NULL, NULL, ids[i]);
    wait_count("stubborn.started.", 4, 20000);
    const long long t0 = ds_now_ms();
    for (int i = 0; i < 4; ++i) {
        ds_resp r;
        assert_int_equal(ds_admin(&S, "POST", "/v1/missions/%s/kill", ids[i], &r), 200);
        ds_resp_free(&r);
    }
    for (int i = 0; i < 4; ++i) {
        cJSON *m = ds_wait_outcome(&S, ids[i], "killed", "killed_by_api", 20000);
        assert_string_equal(ds_str(m, "signal"), "KILL");
        assert_false(ds_pid_alive((long)ds_num(m, "pid")));
        cJSON_Delete(m);
    }
    assert_true(ds_now_ms() - t0 >= 300);
}

/* Output of concurrent missions lands in each one's own capture, with the
 * shared budget and truncation marker applied per mission. */
static void test_concurrent_output_capture(void **state) {
    (void)state;
    /* 2000 bytes of 'a' (over max_output_buffer 1000) on stdout, then success. */
    ds_script(&S, "chatty",
              "i=0; while [ $i -lt 20 ]; do printf '%0100d' 0 | tr 0 \"$(printf %s \"$LETTS_MISSION_ID\" | tail -c 1)\"; "
              "i=$((i+1)); done; echo '{\"event\":\"success\"}' >&3");
    char ids[8][37];
    for (int i = 0; i < 8; ++i) ds_dispatch(&S, "chatty", "wide", NULL, NULL, ids[i]);
    for (int i = 0; i < 8; ++i) {
        cJSON *m = ds_wait_outcome(&S, ids[i], "success", "", 20000);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "truncated_stdout")));
        cJSON_Delete(m);
        char path[512];
        snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stdout", ids[i]);
        ds_resp r;
        assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
        const char *marker = "\n[--- truncated, exceeded 1000 bytes ---]\n";
        assert_int_equal(r.len, 1000 + strlen(marker));
        for (size_t k = 0; k < 1000; ++k)
            if (r.body[k] != ids[i][35]) fail_msg("byte %zu of %s is %c", k, ids[i], r.body[k]);
        assert_memory_equal(r.body + 1000, marker, strlen(marker));
        ds_resp_free(&r);
    }
}

/* A mission that writes nothing has its capture files created lazily (that
 * is, never): every output stream still answers 200 with an empty body, and
 * one that writes only to stderr has the bytes there and nothing in stdout. */
static void test_quiet_mission_has_empty_output(void **state) {
    (void)state;
    ds_script(&S, "quiet", "echo '{\"event\":\"success\"}' >&3");
    ds_script(&S, "erronly", "printf 'only err' >&2; echo '{\"event\":\"success\"}' >&3");
    char quiet[37], erronly[37];
    ds_dispatch(&S, "quiet", "wide", NULL, NULL, quiet);
    ds_dispatch(&S, "erronly", "wide", NULL, NULL, erronly);
    cJSON_Delete(ds_wait_outcome(&S, quiet, "success", "", 20000));
    cJSON_Delete(ds_wait_outcome(&S, erronly, "success", "", 20000));
    const char *streams[3] = {"stdout", "stderr", "combined"};
    for (int i = 0; i < 3; ++i) {
        char path[512];
        ds_resp r;
        snprintf(path, sizeof path, "/v1/missions/%s/output?stream=%s", quiet, streams[i]);
        assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
        assert_int_equal(r.len, 0);
        ds_resp_free(&r);
    }
    char path[512];
    ds_resp r;
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stdout", erronly);
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    assert_int_equal(r.len, 0);
    ds_resp_free(&r);
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=stderr", erronly);
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    assert_int_equal(r.len, 8);
    assert_memory_equal(r.body, "only err", 8);
    ds_resp_free(&r);
    snprintf(path, sizeof path, "/v1/missions/%s/output?stream=combined", erronly);
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    assert_non_null(strstr(r.body, "\"stream\":\"stderr\",\"data\":\"only err\""));
    assert_null(strstr(r.body, "\"stdout\""));
    ds_resp_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_many_running_missions_few_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_timeouts_each_at_its_own, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_right_after_dispatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_kill_sequences, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_output_capture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quiet_mission_has_empty_output, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
