/*
 * Schedules against the embedded devserver (issue 20 §2): three schedulers
 * (threads, each its own client and schedule) run one 1-second interval
 * entry for 10 ticks and the devserver holds exactly 10 missions, whose ids
 * are the derived tick ids; the catch-up policies with the test-only clock.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devserver_harness.h"
#include "letts/letts.h"

static ds_server S;

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    for (const char *const *m = (const char *const[]){"sched_tick", "sched_cu_all", "sched_cu_once",
                                                      "sched_cu_skip", NULL};
         *m; m++) {
        ds_script(&S, *m, "cat >/dev/null; echo '{\"event\":\"success\"}' >&3");
    }
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static letts_client *client(void) {
    return ds_client(&(ds_client_spec){
        .url = S.url, .token = S.dispatch_token, .admin_token = S.admin_token, .retry_backoff_ms = 10});
}

/* The ids of the devserver's missions named exactly `mission`. */
static size_t missions_named(const char *mission, char ids[][37], size_t max) {
    char path[256];
    snprintf(path, sizeof path, "/v1/missions?mission=%s&limit=1000", mission);
    ds_resp r;
    assert_int_equal(ds_http(&S, "GET", path, S.admin_token, NULL, 0, NULL, &r), 200);
    cJSON *body = ds_json(&r);
    size_t n = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(body, "missions")) {
        if (strcmp(ds_str(m, "mission_name"), mission) != 0) continue;
        assert_true(n < max);
        snprintf(ids[n++], 37, "%s", ds_str(m, "mission_id"));
    }
    cJSON_Delete(body);
    ds_resp_free(&r);
    return n;
}

static int has_id(char ids[][37], size_t n, const char *id) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return 1;
    return 0;
}

/* Shared by the three schedulers: the distinct ticks seen, the dispatch count. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t ticks[64];
static size_t n_ticks, n_dispatches;
static letts_cancel *stop;

static void on_tick(void *data, const char *entry, int64_t tick, const char *mission_id) {
    (void)data;
    char *want = NULL;
    assert_int_equal(letts_schedule_tick_id(entry, tick, &want, NULL), LETTS_OK);
    int same = strcmp(want, mission_id) == 0;
    letts_free(want);
    pthread_mutex_lock(&mu);
    n_dispatches++;
    size_t i = 0;
    while (i < n_ticks && ticks[i] != tick) i++;
    if (i == n_ticks && n_ticks < 64) ticks[n_ticks++] = tick;
    if (n_ticks >= 10 || !same) letts_cancel_trigger(stop);
    pthread_mutex_unlock(&mu);
}

static void *scheduler(void *arg) {
    letts_status *status = arg;
    letts_client *c = client();
    letts_job *job = ds_job_on_dev("sched_tick", "default");
    letts_schedule *s = NULL;
    letts_schedule_new(&s, NULL);
    letts_schedule_add(s, "sched-tick", "@every 1s", NULL, job, NULL);
    letts_schedule_set_on_dispatch(s, on_tick, NULL, NULL);
    *status = letts_schedule_run(s, c, stop, NULL);
    letts_schedule_free(s);
    letts_job_free(job);
    letts_client_free(c);
    return NULL;
}

static void test_three_schedulers_ten_ticks_ten_missions(void **state) {
    (void)state;
    assert_int_equal(letts_cancel_new(&stop, NULL), LETTS_OK);
    pthread_t th[3];
    letts_status st[3];
    for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&th[i], NULL, scheduler, &st[i]), 0);
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 3; i++) assert_int_equal(st[i], LETTS_ERR_CANCELLED);
    letts_cancel_free(stop);
    assert_int_equal(n_ticks, 10);
    /* All three took part: far more dispatches than missions. */
    assert_true(n_dispatches >= 25);
    char ids[64][37];
    size_t n = missions_named("sched_tick", ids, 64);
    assert_int_equal(n, 10);
    for (size_t i = 0; i < n_ticks; i++) {
        assert_int_equal(ticks[i] % 1000, 0);
        char *id = NULL;
        assert_int_equal(letts_schedule_tick_id("sched-tick", ticks[i], &id, NULL), LETTS_OK);
        assert_true(has_id(ids, n, id));
        letts_free(id);
    }
}

/* The test-only clock and a record of the ticks one schedule dispatched. */
typedef struct {
    int64_t now;
    int64_t fired[16];
    size_t n;
} fake;

static int64_t fake_now(void *data) { return ((fake *)data)->now; }

static void record(void *data, const char *entry, int64_t tick, const char *mission_id) {
    (void)entry, (void)mission_id;
    fake *f = data;
    if (f->n < 16) f->fired[f->n++] = tick;
}

#define T0 1700000000000LL

/* A schedule on `mission` every second, started at T0, stepped at T0+`late`. */
static void catch_up(const char *mission, letts_catch_up policy, int64_t grace, int64_t max, int64_t late,
                     fake *f) {
    letts_client *c = client();
    letts_job *job = ds_job_on_dev(mission, "default");
    letts_schedule *s = NULL;
    assert_int_equal(letts_schedule_new(&s, NULL), LETTS_OK);
    assert_int_equal(letts_schedule_add_interval(s, mission, 1000, job, NULL), LETTS_OK);
    assert_int_equal(letts_schedule_set_catch_up(s, policy, grace, max, NULL), LETTS_OK);
    assert_int_equal(letts_schedule_set_clock(s, fake_now, f, NULL), LETTS_OK);
    assert_int_equal(letts_schedule_set_on_dispatch(s, record, f, NULL), LETTS_OK);
    f->now = T0;
    assert_int_equal(letts_schedule_step(s, c, NULL), LETTS_OK);
    assert_int_equal(f->n, 0);
    f->now = T0 + late;
    assert_int_equal(letts_schedule_step(s, c, NULL), LETTS_OK);
    letts_schedule_free(s);
    letts_job_free(job);
    letts_client_free(c);
}

static void test_catch_up_policies(void **state) {
    (void)state;
    fake all = {0}, once = {0}, skip_on_time = {0}, skip_late = {0};
    catch_up("sched_cu_all", LETTS_CATCH_UP_ALL, 1000, 3, 5500, &all);
    assert_int_equal(all.n, 3); /* 5 missed, bounded to the latest 3, oldest first */
    assert_int_equal(all.fired[0], T0 + 3000);
    assert_int_equal(all.fired[2], T0 + 5000);
    char ids[64][37];
    assert_int_equal(missions_named("sched_cu_all", ids, 64), 3);
    catch_up("sched_cu_once", LETTS_CATCH_UP_ONCE, 0, 100, 5500, &once);
    assert_int_equal(once.n, 1);
    assert_int_equal(once.fired[0], T0 + 5000);
    catch_up("sched_cu_skip", LETTS_CATCH_UP_SKIP, 200, 100, 5100, &skip_on_time);
    assert_int_equal(skip_on_time.n, 1); /* the latest tick is 100 ms late: within grace */
    assert_int_equal(skip_on_time.fired[0], T0 + 5000);
    catch_up("sched_cu_skip", LETTS_CATCH_UP_SKIP, 200, 100, 5500, &skip_late);
    assert_int_equal(skip_late.n, 0); /* 500 ms late: every missed tick dropped */
    assert_int_equal(missions_named("sched_cu_skip", ids, 64), 1);
    assert_int_equal(missions_named("sched_cu_once", ids, 64), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_schedulers_ten_ticks_ten_missions),
        cmocka_unit_test(test_catch_up_policies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
