/*
 * Unique dispatch (issue 20 §1, letts_job_set_unique) against an embedded
 * devserver: 20 threads and then 4 processes dispatching one key get one
 * mission (same id everywhere, one mission listed); a payload conflict as
 * an error and as the existing id; ids across a window boundary; a job with
 * both a mission id and a unique key refused before anything is sent.
 *
 * The 4 processes are this binary run again (fork + exec of /proc/self/exe
 * with "--child URL TOKEN FD"): each builds its own client, waits on a pipe the parent
 * closes once all are started (so they dispatch together), prints its id.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "letts/letts.h"

#define HOUR_MS INT64_C(3600000)
#define AT_MS INT64_C(1764806400000) /* 2025-12-04T00:00:00Z, an hour's start */

static ds_server S;
static letts_client *C;

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    const char *missions[] = {"uq_threads", "uq_procs", "uq_conflict", "uq_window", "uq_both"};
    for (size_t i = 0; i < sizeof missions / sizeof missions[0]; i++) {
        ds_script(&S, missions[i], "cat >/dev/null; echo '{\"event\":\"success\"}' >&3");
    }
    C = ds_client(&(ds_client_spec){
        .url = S.url, .token = S.dispatch_token, .admin_token = S.admin_token, .retry_backoff_ms = 10});
    return 0;
}

static int teardown(void **state) {
    (void)state;
    letts_client_free(C);
    ds_stop(&S);
    return 0;
}

static letts_job *unique_job(const char *mission, const char *key, int64_t window_ms, int64_t at_ms) {
    letts_job *job = ds_job_on_dev(mission, "default");
    assert_int_equal(letts_job_set_unique(job, key, window_ms, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_unique_at_ms(job, at_ms, NULL), LETTS_OK);
    return job;
}

static char *derived(const char *key, int64_t window_ms, int64_t at_ms) {
    char *id = NULL;
    assert_int_equal(letts_unique_id(key, window_ms, at_ms, &id, NULL), LETTS_OK);
    return id;
}

/* How many missions named `mission` the devserver lists. */
static size_t listed(const char *mission) {
    letts_list_filter *filter = NULL;
    letts_mission_list *list = NULL;
    assert_int_equal(letts_list_filter_new(&filter, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_mission(filter, mission, NULL), LETTS_OK);
    assert_int_equal(letts_client_list_missions(C, "dev", filter, &list, NULL), LETTS_OK);
    const size_t n = letts_mission_list_count(list);
    letts_mission_list_free(list);
    letts_list_filter_free(filter);
    return n;
}

typedef struct racer {
    const letts_job *job;
    pthread_barrier_t *start;
    letts_status status;
    char *id;
} racer;

static void *race(void *arg) {
    racer *r = arg;
    pthread_barrier_wait(r->start);
    r->status = letts_client_dispatch(C, r->job, &r->id, NULL);
    return NULL;
}

static void test_twenty_threads_one_mission(void **state) {
    (void)state;
    enum { N = 20 };
    letts_job *job = unique_job("uq_threads", "invoice-42", HOUR_MS, AT_MS + 1234);
    char *expected = derived("invoice-42", HOUR_MS, AT_MS);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    racer racers[N];
    pthread_t threads[N];
    for (int i = 0; i < N; i++) {
        racers[i] = (racer){.job = job, .start = &start};
        assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(racers[i].status, LETTS_OK);
        assert_string_equal(racers[i].id, expected);
        letts_free(racers[i].id);
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(listed("uq_threads"), 1);
    cJSON_Delete(ds_mission(&S, expected)); /* the mission has exactly that id */
    letts_free(expected);
    letts_job_free(job);
}

/* The child of the 4-process test: argv = self --child URL TOKEN GATE_FD. */
static int child_main(const char *url, const char *token, int gate_fd) {
    letts_client *client = ds_client(&(ds_client_spec){.url = url, .token = token, .retry_backoff_ms = 10});
    letts_job *job = unique_job("uq_procs", "invoice-7", HOUR_MS, AT_MS + 99);
    char byte;
    while (read(gate_fd, &byte, 1) > 0) {
    } /* EOF: the parent started every child */
    char *id = NULL;
    const letts_status status = letts_client_dispatch(client, job, &id, NULL);
    if (status == LETTS_OK) printf("%s\n", id);
    letts_free(id);
    letts_job_free(job);
    letts_client_free(client);
    return status == LETTS_OK ? 0 : 10 + (int)status;
}

static pid_t spawn_child(int gate_fd, int gate_write, int *out_fd) {
    int out[2];
    assert_int_equal(pipe(out), 0);
    const pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(gate_write);
        close(out[0]);
        dup2(out[1], STDOUT_FILENO);
        char fd_text[16];
        snprintf(fd_text, sizeof fd_text, "%d", gate_fd);
        execl("/proc/self/exe", "test_client_unique", "--child", S.url, S.dispatch_token, fd_text, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    *out_fd = out[0];
    return pid;
}

static void test_four_processes_one_mission(void **state) {
    (void)state;
    enum { N = 4 };
    int gate[2];
    assert_int_equal(pipe(gate), 0);
    pid_t pids[N];
    int outs[N];
    for (int i = 0; i < N; i++) pids[i] = spawn_child(gate[0], gate[1], &outs[i]);
    close(gate[0]);
    close(gate[1]); /* every child reads EOF now: they dispatch together */
    char *expected = derived("invoice-7", HOUR_MS, AT_MS);
    for (int i = 0; i < N; i++) {
        char line[64] = {0};
        size_t used = 0;
        ssize_t n;
        while (used < sizeof line - 1 && (n = read(outs[i], line + used, sizeof line - 1 - used)) > 0) used += (size_t)n;
        close(outs[i]);
        int wstatus = 0;
        assert_int_equal(waitpid(pids[i], &wstatus, 0), pids[i]);
        assert_true(WIFEXITED(wstatus));
        assert_int_equal(WEXITSTATUS(wstatus), 0);
        line[strcspn(line, "\n")] = '\0';
        assert_string_equal(line, expected);
    }
    assert_int_equal(listed("uq_procs"), 1);
    letts_free(expected);
}

static void test_conflict_error_or_existing_id(void **state) {
    (void)state;
    letts_job *job = unique_job("uq_conflict", "order-9", 0, -1);
    char *expected = derived("order-9", 0, 0);
    char *first = NULL, *other = NULL, *tolerated = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_job_set_input_json(job, "{\"n\":1}", NULL), LETTS_OK);
    assert_int_equal(letts_client_dispatch(C, job, &first, NULL), LETTS_OK);
    assert_string_equal(first, expected);
    /* The daemon holds the mission under the derived id: the same dispatch
     * sent by hand is a replay (200), not a new mission (202). */
    char body[256], key[80];
    snprintf(body, sizeof body,
             "{\"mission_id\":\"%s\",\"mission\":\"uq_conflict\",\"lane\":\"default\","
             "\"input\":{\"n\":1},\"files\":[]}", expected);
    snprintf(key, sizeof key, "Idempotency-Key: %s", expected);
    const char *headers[] = {key, "Content-Type: application/json", NULL};
    ds_resp replay;
    assert_int_equal(ds_http(&S, "POST", "/v1/dispatch", S.dispatch_token, body, strlen(body), headers, &replay), 200);
    ds_resp_free(&replay);
    assert_int_equal(letts_job_set_input_json(job, "{\"n\":2}", NULL), LETTS_OK);
    assert_int_equal(letts_client_dispatch(C, job, &other, &err), LETTS_ERR_CONFLICT);
    assert_null(other);
    assert_int_equal(letts_error_http_status(err), 409);
    letts_error_free(err);
    assert_int_equal(letts_job_set_unique_conflict_is_error(job, 0, NULL), LETTS_OK);
    assert_int_equal(letts_client_dispatch(C, job, &tolerated, NULL), LETTS_OK);
    assert_string_equal(tolerated, expected);
    assert_int_equal(listed("uq_conflict"), 1);
    cJSON *mission = ds_mission(&S, expected);
    char *text = cJSON_PrintUnformatted(mission);
    assert_non_null(strstr(text, "\"input\":{\"n\":1}")); /* the first payload, unchanged */
    cJSON_free(text);
    cJSON_Delete(mission);
    letts_free(first);
    letts_free(tolerated);
    letts_free(expected);
    letts_job_free(job);
}

static void test_window_boundaries(void **state) {
    (void)state;
    const int64_t last = AT_MS + HOUR_MS - 1, next = AT_MS + HOUR_MS;
    letts_job *job = unique_job("uq_window", "report-1", HOUR_MS, AT_MS);
    char *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(letts_client_dispatch(C, job, &a, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_unique_at_ms(job, last, NULL), LETTS_OK);
    assert_int_equal(letts_client_dispatch(C, job, &b, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_unique_at_ms(job, next, NULL), LETTS_OK);
    assert_int_equal(letts_client_dispatch(C, job, &c, NULL), LETTS_OK);
    assert_string_equal(a, b);       /* first and last millisecond of one hour */
    assert_string_not_equal(b, c);   /* the next hour is a new mission */
    assert_memory_equal(a, "019ae6a8-9800-7", 15); /* the time bits: the window start */
    assert_int_equal(listed("uq_window"), 2);
    /* Unpinned, the clock picks the window: the id is the one of now's hour. */
    assert_int_equal(letts_job_set_unique_at_ms(job, -1, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_unique(job, "report-now", 0, NULL), LETTS_OK);
    char *now = NULL, *expected = derived("report-now", 0, 0);
    assert_int_equal(letts_client_dispatch(C, job, &now, NULL), LETTS_OK);
    assert_string_equal(now, expected);
    letts_free(a);
    letts_free(b);
    letts_free(c);
    letts_free(now);
    letts_free(expected);
    letts_job_free(job);
}

static void test_mission_id_and_unique_refused(void **state) {
    (void)state;
    char id[37];
    ds_uuidv7(id);
    letts_job *job = unique_job("uq_both", "k", 0, -1);
    assert_int_equal(letts_job_set_mission_id(job, id, NULL), LETTS_OK);
    char *got = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_client_dispatch(C, job, &got, &err), LETTS_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(letts_error_message(err), "not both"));
    letts_error_free(err);
    assert_int_equal(listed("uq_both"), 0);
    assert_int_equal(letts_job_set_unique(job, "k", -1, NULL), LETTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(letts_job_set_unique_at_ms(job, -2, NULL), LETTS_ERR_INVALID_ARGUMENT);
    letts_job_free(job);
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "--child") == 0) return child_main(argv[2], argv[3], atoi(argv[4]));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_twenty_threads_one_mission),
        cmocka_unit_test(test_four_processes_one_mission),
        cmocka_unit_test(test_conflict_error_or_existing_id),
        cmocka_unit_test(test_window_boundaries),
        cmocka_unit_test(test_mission_id_and_unique_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
