/* Stopping the server: letts_devserver_stop ends running missions as
 * killed/dugdale_shutdown, leaves no mission process and no file
 * descriptor behind (issue 3, acceptance "no orphan, no leaked fd"), and
 * the letts-devserver binary does the same on SIGTERM. */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "devserver_harness.h"

static int count_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - 1; /* the DIR's own fd */
}

/* The mission creates the file before it writes the pid into it: poll
 * until a whole line is there. */
static long read_pid(const char *path) {
    const long long deadline = ds_now_ms() + 10000;
    while (1) {
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char line[64] = "";
        const int got = fgets(line, sizeof line, f) != NULL;
        fclose(f);
        char *end = NULL;
        const long pid = got ? strtol(line, &end, 10) : 0;
        if (pid > 0 && end && *end == '\n') return pid;
        assert_true(ds_now_ms() < deadline);
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static void test_stop_kills_reaps_and_closes(void **state) {
    (void)state;
    /* Warm up libcurl and the resolver once so their lazily opened fds do
     * not count as leaks. */
    ds_server warm;
    ds_start(&warm, NULL);
    ds_resp r;
    ds_http(&warm, "GET", "/v1/healthz", NULL, NULL, 0, NULL, &r);
    ds_resp_free(&r);
    ds_stop(&warm);

    const int fds_before = count_fds();
    ds_server s;
    ds_start(&s, NULL);
    char pidfile[400], body[1200];
    ds_path(&s, "pids", pidfile, sizeof pidfile);
    /* The mission and a grandchild, both stubborn about SIGTERM's default. */
    snprintf(body, sizeof body,
             "sleep 300 & echo $! > \"%s.child.$LETTS_MISSION_ID\"; echo $$ > \"%s.$LETTS_MISSION_ID\"; wait",
             pidfile, pidfile);
    ds_script(&s, "long", body);
    char ids[3][37];
    long pids[3], children[3];
    for (int i = 0; i < 3; ++i) ds_dispatch(&s, "long", "default", NULL, NULL, ids[i]);
    for (int i = 0; i < 3; ++i) {
        char name[128], path[600];
        snprintf(name, sizeof name, "pids.%s", ids[i]);
        ds_wait_file(&s, name, 10000);
        snprintf(name, sizeof name, "pids.child.%s", ids[i]);
        ds_wait_file(&s, name, 10000);
        snprintf(path, sizeof path, "%s.%s", pidfile, ids[i]);
        pids[i] = read_pid(path);
        snprintf(path, sizeof path, "%s.child.%s", pidfile, ids[i]);
        children[i] = read_pid(path);
        assert_true(ds_pid_alive(pids[i]));
    }
    /* A follower open during stop must not keep the server alive. */
    letts_error *err = NULL;
    assert_int_equal(letts_devserver_stop(s.srv, &err), LETTS_OK);
    for (int i = 0; i < 3; ++i) {
        assert_false(ds_pid_alive(pids[i]));
        assert_false(ds_pid_alive(children[i]));
    }
    /* Nothing left to reap: no zombie of ours. */
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(letts_devserver_stop(s.srv, &err), LETTS_OK); /* idempotent */
    ds_stop(&s);
    assert_int_equal(count_fds(), fds_before);
}

static void test_binary_sigterm_kills_missions_and_exits_0(void **state) {
    (void)state;
    ds_server s;
    const pid_t pid = ds_binary_start(&s, NULL);
    char pidfile[300], body[1200];
    ds_path(&s, "pid", pidfile, sizeof pidfile);
    snprintf(body, sizeof body, "echo $$ > \"%s.tmp\"; mv \"%s.tmp\" \"%s\"; exec sleep 300", pidfile, pidfile,
             pidfile);
    ds_script(&s, "long", body);
    char id[37];
    ds_dispatch(&s, "long", "default", NULL, NULL, id);
    ds_wait_file(&s, "pid", 10000);
    const long mission_pid = read_pid(pidfile);
    ds_binary_stop(&s, pid); /* SIGTERM; asserts exit status 0 */
    assert_false(ds_pid_alive(mission_pid));
}

/* The outcome of a mission ended by the stop is published before the
 * server goes: a follower open during the stop receives the done event
 * (killed / dugdale_shutdown) and a complete response. */
static void test_stop_records_dugdale_shutdown(void **state) {
    (void)state;
    ds_server s;
    ds_start(&s, NULL);
    ds_script(&s, "long", "echo '{\"event\":\"progress\",\"message\":\"up\"}' >&3; while :; do sleep 0.02; done");
    char id[37], path[128];
    ds_dispatch(&s, "long", "default", NULL, NULL, id);
    snprintf(path, sizeof path, "/v1/missions/%s/events?follow=true", id);
    ds_follow *f = ds_follow_start(&s, path, s.dispatch_token);
    ds_follow_wait_for(f, "\"event\":\"progress\"", 10000);
    letts_error *err = NULL;
    assert_int_equal(letts_devserver_stop(s.srv, &err), LETTS_OK);
    long status = 0;
    int complete = 0;
    char *body = ds_follow_finish(f, 10000, &status, &complete);
    assert_int_equal(status, 200);
    assert_true(complete);
    /* The last line is the only done event. */
    const char *done = strstr(body, "\"event\":\"done\"");
    assert_non_null(done);
    assert_null(strstr(done + 1, "\"event\":\"done\""));
    const char *line = done;
    while (line > body && line[-1] != '\n') line--;
    const size_t len = strlen(line);
    assert_true(len > 0 && line[len - 1] == '\n');
    cJSON *ev = cJSON_ParseWithLength(line, len - 1);
    assert_non_null(ev);
    assert_string_equal(ds_str(ev, "outcome"), "killed");
    assert_string_equal(ds_str(ev, "fail_reason"), "dugdale_shutdown");
    assert_string_equal(ds_str(ev, "fail_message"), "killed because dugdale was shutting down");
    assert_string_equal(ds_str(ev, "signal"), "TERM");
    assert_int_equal((int)ds_num(ev, "exit_code"), -1);
    assert_true(ds_num(ev, "duration_ms") >= 0);
    cJSON_Delete(ev);
    free(body);
    ds_stop(&s);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stop_kills_reaps_and_closes),
        cmocka_unit_test(test_stop_records_dugdale_shutdown),
        cmocka_unit_test(test_binary_sigterm_kills_missions_and_exits_0),
    };
    const int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
