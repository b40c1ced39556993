/*
 * letts/control.h end to end against an embedded devserver running real
 * shell missions: bulk restart and bulk delete chosen by ids or by a
 * selector (a list filter), the dry run, the per-id outcomes as the route
 * reports them, the whole restart answer, and the arguments refused before
 * anything is sent. What changed on the server is always checked by
 * listing or reading it afterwards, never taken from the answer alone.
 * Each test uses mission names of its own, so their selectors never
 * overlap.
 */
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
static letts_client *C;

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    const char *succeeding[] = {"dry_ok", "dry_other", "br_sel", "br_other", "bd_done",
                                "bdsel_a", "bdsel_b", "bdkeep", "rs_ok"};
    for (size_t i = 0; i < sizeof succeeding / sizeof succeeding[0]; i++) {
        ds_script(&S, succeeding[i], "cat >/dev/null; echo '{\"event\":\"success\"}' >&3");
    }
    ds_script(&S, "bd_sleeper", "sleep 30; echo '{\"event\":\"success\"}' >&3");
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

static void assert_contains(const char *text, const char *needle) {
    if (!text || !strstr(text, needle)) fail_msg("\"%s\" does not contain \"%s\"", text ? text : "(null)", needle);
}

/* Dispatches `mission` on lane default and waits until it is done. */
static void done_mission(const char *mission, char id[37]) {
    ds_dispatch(&S, mission, "default", NULL, NULL, id);
    cJSON_Delete(ds_wait_status(&S, id, "done", 15000));
}

/* A filter on the mission name (substring), status done. */
static letts_list_filter *name_filter(const char *mission) {
    letts_list_filter *filter = NULL;
    assert_int_equal(letts_list_filter_new(&filter, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_mission(filter, mission, NULL), LETTS_OK);
    return filter;
}

static letts_bulk_options *options_with(const letts_list_filter *filter, const char *const *ids, size_t n,
                                        int dry_run, int force) {
    letts_bulk_options *options = NULL;
    assert_int_equal(letts_bulk_options_new(&options, NULL), LETTS_OK);
    if (filter) assert_int_equal(letts_bulk_options_set_filter(options, filter, NULL), LETTS_OK);
    if (n) assert_int_equal(letts_bulk_options_set_ids(options, ids, n, NULL), LETTS_OK);
    assert_int_equal(letts_bulk_options_set_dry_run(options, dry_run, NULL), LETTS_OK);
    assert_int_equal(letts_bulk_options_set_force(options, force, NULL), LETTS_OK);
    return options;
}

/* The missions of `host` "dev" whose name contains `mission`, as a list. */
static letts_mission_list *listed(const char *mission) {
    letts_list_filter *filter = name_filter(mission);
    letts_mission_list *list = NULL;
    assert_int_equal(letts_client_list_missions(C, "dev", filter, &list, NULL), LETTS_OK);
    letts_list_filter_free(filter);
    return list;
}

static int list_has(const letts_mission_list *list, const char *id) {
    for (size_t i = 0; i < letts_mission_list_count(list); i++) {
        if (strcmp(letts_mission_info_mission_id(letts_mission_list_get(list, i)), id) == 0) return 1;
    }
    return 0;
}

/* How many missions of `list` were restarted from `id`. */
static int restarts_of(const letts_mission_list *list, const char *id) {
    int n = 0;
    for (size_t i = 0; i < letts_mission_list_count(list); i++) {
        const char *from = letts_mission_info_restarted_from(letts_mission_list_get(list, i));
        if (from && strcmp(from, id) == 0) n++;
    }
    return n;
}

static int result_has(const letts_bulk_result *result, const char *id) {
    for (size_t i = 0; i < letts_bulk_result_count(result); i++) {
        if (strcmp(letts_bulk_result_id(result, i), id) == 0) return 1;
    }
    return 0;
}

/* ---- dry run ------------------------------------------------------------ */

static void test_a_dry_run_lists_the_selection_and_changes_nothing(void **state) {
    (void)state;
    char a[37], b[37], other[37];
    done_mission("dry_ok", a);
    done_mission("dry_ok", b);
    done_mission("dry_other", other);
    letts_list_filter *filter = name_filter("dry_ok");
    letts_bulk_options *options = options_with(filter, NULL, 0, 1, 1);
    letts_list_filter_free(filter); /* the options hold a copy */

    letts_bulk_result *restart = NULL, *removal = NULL;
    assert_int_equal(letts_client_bulk_restart(C, "dev", options, &restart, NULL), LETTS_OK);
    assert_int_equal(letts_client_bulk_delete(C, "dev", options, &removal, NULL), LETTS_OK);
    const letts_bulk_result *results[] = {restart, removal};
    for (size_t r = 0; r < 2; r++) {
        const letts_bulk_result *result = results[r];
        assert_int_equal(letts_bulk_result_dry_run(result), 1);
        assert_int_equal(letts_bulk_result_count(result), 2);
        assert_true(result_has(result, a));
        assert_true(result_has(result, b));
        assert_false(result_has(result, other));
        assert_int_equal(letts_bulk_result_failed_count(result), 0);
        for (size_t i = 0; i < 2; i++) {
            assert_int_equal(letts_bulk_result_ok(result, i), 0);
            assert_null(letts_bulk_result_mission_id(result, i));
            assert_null(letts_bulk_result_status(result, i));
            assert_null(letts_bulk_result_error(result, i));
        }
        assert_null(letts_bulk_result_json(result));
    }
    letts_bulk_result_free(restart);
    letts_bulk_result_free(removal);
    letts_bulk_options_free(options);

    /* Nothing was restarted nor deleted: the same three missions, all done. */
    letts_mission_list *after = listed("dry_");
    assert_int_equal(letts_mission_list_count(after), 3);
    assert_true(list_has(after, a) && list_has(after, b) && list_has(after, other));
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(letts_mission_info_status(letts_mission_list_get(after, i)), "done");
    }
    letts_mission_list_free(after);
}

/* ---- bulk restart ------------------------------------------------------- */

static void test_bulk_restart_by_selector_restarts_exactly_the_selection(void **state) {
    (void)state;
    char a[37], b[37], other[37];
    done_mission("br_sel", a);
    done_mission("br_sel", b);
    done_mission("br_other", other);
    letts_list_filter *filter = name_filter("br_sel");
    assert_int_equal(letts_list_filter_set_status(filter, "done", NULL), LETTS_OK);
    letts_bulk_options *options = options_with(filter, NULL, 0, 0, 0);
    letts_list_filter_free(filter);

    letts_bulk_result *result = NULL;
    assert_int_equal(letts_client_bulk_restart(C, "dev", options, &result, NULL), LETTS_OK);
    letts_bulk_options_free(options);
    assert_int_equal(letts_bulk_result_dry_run(result), 0);
    assert_int_equal(letts_bulk_result_count(result), 2);
    assert_int_equal(letts_bulk_result_failed_count(result), 0);
    assert_true(result_has(result, a) && result_has(result, b));
    assert_contains(letts_bulk_result_json(result), "\"results\"");
    char new_ids[2][37];
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(letts_bulk_result_ok(result, i), 1);
        assert_null(letts_bulk_result_error(result, i));
        assert_null(letts_bulk_result_details_json(result, i));
        assert_null(letts_bulk_result_status(result, i));
        const char *new_id = letts_bulk_result_mission_id(result, i);
        assert_non_null(new_id);
        assert_int_equal(strlen(new_id), 36);
        snprintf(new_ids[i], sizeof new_ids[i], "%s", new_id);
    }
    assert_null(letts_bulk_result_id(result, 2));
    assert_int_equal(letts_bulk_result_ok(result, 2), 0);

    /* On the server: one new mission per selected id, none for the other. */
    letts_mission_list *after = listed("br_");
    assert_int_equal(letts_mission_list_count(after), 5);
    assert_int_equal(restarts_of(after, a), 1);
    assert_int_equal(restarts_of(after, b), 1);
    assert_int_equal(restarts_of(after, other), 0);
    for (size_t i = 0; i < 2; i++) {
        assert_true(list_has(after, new_ids[i]));
        cJSON *resource = ds_mission(&S, new_ids[i]);
        assert_string_equal(ds_str(resource, "restarted_from"), letts_bulk_result_id(result, i));
        cJSON_Delete(resource);
        cJSON_Delete(ds_wait_status(&S, new_ids[i], "done", 15000));
    }
    letts_mission_list_free(after);
    letts_bulk_result_free(result);
}

static void test_bulk_restart_reports_each_failed_id(void **state) {
    (void)state;
    char done[37], unknown[37];
    done_mission("br_other", done);
    ds_uuidv7(unknown);
    const char *ids[] = {unknown, "not-a-uuid", done};
    letts_bulk_options *options = options_with(NULL, ids, 3, 0, 0);
    letts_bulk_result *result = NULL;
    assert_int_equal(letts_client_bulk_restart(C, "dev", options, &result, NULL), LETTS_OK);
    letts_bulk_options_free(options);
    assert_int_equal(letts_bulk_result_count(result), 3);
    assert_int_equal(letts_bulk_result_failed_count(result), 2);
    /* In the order given. */
    assert_string_equal(letts_bulk_result_id(result, 0), unknown);
    assert_string_equal(letts_bulk_result_id(result, 1), "not-a-uuid");
    assert_string_equal(letts_bulk_result_id(result, 2), done);
    assert_int_equal(letts_bulk_result_ok(result, 0), 0);
    assert_string_equal(letts_bulk_result_error(result, 0), "not_found");
    assert_null(letts_bulk_result_mission_id(result, 0));
    assert_string_equal(letts_bulk_result_error(result, 1), "bad_request");
    assert_int_equal(letts_bulk_result_ok(result, 2), 1);
    const char *new_id = letts_bulk_result_mission_id(result, 2);
    assert_non_null(new_id);
    cJSON *resource = ds_mission(&S, new_id);
    assert_string_equal(ds_str(resource, "restarted_from"), done);
    cJSON_Delete(resource);
    cJSON_Delete(ds_wait_status(&S, new_id, "done", 15000));
    letts_bulk_result_free(result);
}

/* ---- bulk delete -------------------------------------------------------- */

static void test_bulk_delete_by_ids_with_per_id_outcomes(void **state) {
    (void)state;
    char first[37], second[37], running[37], unknown[37];
    done_mission("bd_done", first);
    done_mission("bd_done", second);
    ds_dispatch(&S, "bd_sleeper", "default", NULL, NULL, running);
    cJSON_Delete(ds_wait_status(&S, running, "running", 15000));
    ds_uuidv7(unknown);
    const char *ids[] = {first, running, unknown, second};
    letts_bulk_options *options = options_with(NULL, ids, 4, 0, 0);
    letts_bulk_result *result = NULL;
    assert_int_equal(letts_client_bulk_delete(C, "dev", options, &result, NULL), LETTS_OK);
    letts_bulk_options_free(options);
    assert_int_equal(letts_bulk_result_count(result), 4);
    assert_int_equal(letts_bulk_result_failed_count(result), 2);
    assert_int_equal(letts_bulk_result_ok(result, 0), 1);
    assert_string_equal(letts_bulk_result_status(result, 0), "deletion_pending");
    assert_null(letts_bulk_result_mission_id(result, 0));
    assert_int_equal(letts_bulk_result_ok(result, 1), 0);
    assert_string_equal(letts_bulk_result_error(result, 1), "mission_running");
    assert_contains(letts_bulk_result_details_json(result, 1), "\"hint\"");
    assert_null(letts_bulk_result_status(result, 1));
    assert_string_equal(letts_bulk_result_error(result, 2), "not_found");
    assert_int_equal(letts_bulk_result_ok(result, 3), 1);
    letts_bulk_result_free(result);

    /* The two done missions are gone, the running one is still there. */
    letts_mission_info *info = NULL;
    assert_int_equal(letts_client_get_mission(C, "dev", first, &info, NULL), LETTS_OK);
    assert_null(info);
    assert_int_equal(letts_client_get_mission(C, "dev", second, &info, NULL), LETTS_OK);
    assert_null(info);
    assert_int_equal(letts_client_get_mission(C, "dev", running, &info, NULL), LETTS_OK);
    assert_non_null(info);
    assert_string_equal(letts_mission_info_status(info), "running");
    letts_mission_info_free(info);

    /* With force, the running one goes too (killed first). */
    options = options_with(NULL, ids + 1, 1, 0, 1);
    assert_int_equal(letts_client_bulk_delete(C, "dev", options, &result, NULL), LETTS_OK);
    letts_bulk_options_free(options);
    assert_int_equal(letts_bulk_result_count(result), 1);
    assert_int_equal(letts_bulk_result_ok(result, 0), 1);
    assert_string_equal(letts_bulk_result_status(result, 0), "deletion_pending");
    letts_bulk_result_free(result);
    assert_int_equal(letts_client_get_mission(C, "dev", running, &info, NULL), LETTS_OK);
    assert_null(info);
}

static void test_bulk_delete_by_selector_deletes_exactly_the_selection(void **state) {
    (void)state;
    char a[37], b[37], keep[37];
    done_mission("bdsel_a", a);
    done_mission("bdsel_b", b);
    done_mission("bdkeep", keep);
    letts_list_filter *filter = NULL;
    assert_int_equal(letts_list_filter_new(&filter, NULL), LETTS_OK);
    assert_int_equal(letts_list_filter_set_mission_prefix(filter, "bdsel_", NULL), LETTS_OK);
    letts_bulk_options *options = options_with(filter, NULL, 0, 0, 0);
    letts_bulk_result *result = NULL;
    assert_int_equal(letts_client_bulk_delete(C, "dev", options, &result, NULL), LETTS_OK);
    assert_int_equal(letts_bulk_result_count(result), 2);
    assert_int_equal(letts_bulk_result_failed_count(result), 0);
    assert_true(result_has(result, a) && result_has(result, b));
    letts_bulk_result_free(result);

    letts_mission_list *left = NULL;
    assert_int_equal(letts_client_list_missions(C, "dev", filter, &left, NULL), LETTS_OK);
    assert_int_equal(letts_mission_list_count(left), 0);
    letts_mission_list_free(left);
    left = listed("bdkeep");
    assert_int_equal(letts_mission_list_count(left), 1);
    assert_true(list_has(left, keep));
    letts_mission_list_free(left);

    /* Now the selector selects nothing: nothing is sent, an empty answer. */
    assert_int_equal(letts_client_bulk_delete(C, "dev", options, &result, NULL), LETTS_OK);
    assert_int_equal(letts_bulk_result_count(result), 0);
    assert_int_equal(letts_bulk_result_dry_run(result), 0);
    assert_null(letts_bulk_result_json(result));
    letts_bulk_result_free(result);
    letts_bulk_options_free(options);
    letts_list_filter_free(filter);
}

/* ---- the whole restart answer ------------------------------------------- */

static void test_the_restart_answer_is_what_the_new_mission_shows(void **state) {
    (void)state;
    char id[37];
    done_mission("rs_ok", id);
    /* The lane is paused so that the new mission stays as the answer says. */
    assert_int_equal(letts_client_pause_lane(C, "dev", "default", NULL), LETTS_OK);
    letts_restart_result *restarted = NULL;
    assert_int_equal(letts_client_restart_mission(C, "dev", id, &restarted, NULL), LETTS_OK);
    const char *new_id = letts_restart_result_mission_id(restarted);
    assert_int_equal(strlen(new_id), 36);
    assert_string_not_equal(new_id, id);
    assert_string_equal(letts_restart_result_restarted_from(restarted), id);
    assert_string_equal(letts_restart_result_status(restarted), "queued");
    assert_contains(letts_restart_result_json(restarted), "\"restarted_from\"");

    letts_mission_info *info = NULL;
    assert_int_equal(letts_client_get_mission(C, "dev", new_id, &info, NULL), LETTS_OK);
    assert_non_null(info);
    assert_string_equal(letts_mission_info_mission_id(info), new_id);
    assert_string_equal(letts_mission_info_restarted_from(info), letts_restart_result_restarted_from(restarted));
    assert_string_equal(letts_mission_info_status(info), letts_restart_result_status(restarted));
    letts_mission_info_free(info);
    assert_int_equal(letts_client_continue_lane(C, "dev", "default", NULL), LETTS_OK);
    cJSON_Delete(ds_wait_status(&S, new_id, "done", 15000));

    /* A mission that is not done cannot be restarted: the error, no result. */
    char running[37];
    ds_dispatch(&S, "bd_sleeper", "default", NULL, NULL, running);
    cJSON_Delete(ds_wait_status(&S, running, "running", 15000));
    letts_restart_result *refused = (letts_restart_result *)&S; /* must become NULL */
    letts_error *err = NULL;
    assert_int_equal(letts_client_restart_mission(C, "dev", running, &refused, &err), LETTS_ERR_CONFLICT);
    assert_null(refused);
    assert_string_equal(letts_error_code(err), "mission_not_done");
    letts_error_free(err);
    assert_int_equal(letts_client_delete(C, "dev", running, 1, NULL), LETTS_OK);
    letts_restart_result_free(restarted);
}

/* ---- refused arguments -------------------------------------------------- */

/* `errp` is read after the call that filled it (arguments are evaluated in
 * no fixed order). */
static void expect_refused(letts_status status, letts_error **errp, letts_status wanted, const char *needle) {
    letts_error *err = *errp;
    *errp = NULL;
    if (status != wanted) {
        fail_msg("expected %s, got %s (%s)", letts_status_name(wanted), letts_status_name(status),
                 err ? letts_error_message(err) : "");
    }
    assert_contains(letts_error_message(err), needle);
    letts_error_free(err);
}

static void test_bad_arguments_are_refused_naming_them(void **state) {
    (void)state;
    letts_mission_list *before = listed("");
    const size_t missions_before = letts_mission_list_count(before);
    letts_mission_list_free(before);

    letts_bulk_options *options = NULL;
    letts_bulk_result *result = (letts_bulk_result *)&S; /* must become NULL */
    letts_error *err = NULL;
    assert_int_equal(letts_bulk_options_new(NULL, &err), LETTS_ERR_INVALID_ARGUMENT);
    letts_error_free(err);
    assert_int_equal(letts_bulk_options_new(&options, NULL), LETTS_OK);

    err = NULL;
    expect_refused(letts_client_bulk_restart(C, "dev", NULL, &result, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                   "options");
    assert_null(result);
    err = NULL;
    expect_refused(letts_client_bulk_restart(C, "dev", options, &result, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                   "ids or a filter");
    err = NULL;
    expect_refused(letts_client_bulk_delete(C, "dev", options, NULL, &err), &err, LETTS_ERR_INVALID_ARGUMENT, "out");
    err = NULL;
    expect_refused(letts_client_bulk_delete(NULL, "dev", options, &result, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                   "client");

    /* ids: NULL with a count, a NULL entry, an empty entry, too many. */
    err = NULL;
    expect_refused(letts_bulk_options_set_ids(options, NULL, 2, &err), &err, LETTS_ERR_INVALID_ARGUMENT, "ids");
    const char *with_null[] = {"0190a000-0000-7000-8000-000000000001", NULL};
    err = NULL;
    expect_refused(letts_bulk_options_set_ids(options, with_null, 2, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                   "ids[1]");
    const char *with_empty[] = {"", "0190a000-0000-7000-8000-000000000001"};
    err = NULL;
    expect_refused(letts_bulk_options_set_ids(options, with_empty, 2, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                   "ids[0]");
    const char **many = calloc(1001, sizeof *many);
    assert_non_null(many);
    for (size_t i = 0; i < 1001; i++) many[i] = "0190a000-0000-7000-8000-000000000001";
    err = NULL;
    expect_refused(letts_bulk_options_set_ids(options, many, 1001, &err), &err, LETTS_ERR_INVALID_ARGUMENT, "1000");
    assert_int_equal(letts_bulk_options_set_ids(options, many, 1000, NULL), LETTS_OK);
    free(many);

    /* Both ids and a filter. */
    letts_list_filter *filter = name_filter("nothing-has-this-name");
    assert_int_equal(letts_bulk_options_set_filter(options, filter, NULL), LETTS_OK);
    err = NULL;
    expect_refused(letts_client_bulk_delete(C, "dev", options, &result, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                   "not both");
    /* Without a host. */
    assert_int_equal(letts_bulk_options_set_ids(options, NULL, 0, NULL), LETTS_OK);
    err = NULL;
    expect_refused(letts_client_bulk_restart(C, NULL, options, &result, &err), &err, LETTS_ERR_BAD_REQUEST,
                   "host is required for bulkRestart");
    err = NULL;
    expect_refused(letts_client_bulk_delete(C, "", options, &result, &err), &err, LETTS_ERR_BAD_REQUEST,
                   "host is required for bulkDelete");
    assert_null(result);
    letts_list_filter_free(filter);

    /* The setters and restart_mission refuse NULL. */
    err = NULL;
    expect_refused(letts_bulk_options_set_filter(NULL, NULL, &err), &err, LETTS_ERR_INVALID_ARGUMENT, "options");
    err = NULL;
    expect_refused(letts_bulk_options_set_dry_run(NULL, 1, &err), &err, LETTS_ERR_INVALID_ARGUMENT, "options");
    err = NULL;
    expect_refused(letts_bulk_options_set_force(NULL, 1, &err), &err, LETTS_ERR_INVALID_ARGUMENT, "options");
    letts_restart_result *restarted = (letts_restart_result *)&S;
    err = NULL;
    expect_refused(letts_client_restart_mission(C, "dev", NULL, &restarted, &err), &err, LETTS_ERR_INVALID_ARGUMENT,
                   "id");
    assert_null(restarted);
    err = NULL;
    expect_refused(letts_client_restart_mission(C, NULL, "0190a000-0000-7000-8000-000000000001", &restarted, &err),
                   &err, LETTS_ERR_BAD_REQUEST, "host is required for restart");
    letts_bulk_options_free(options);

    /* Accessors of NULL and the destructors accept NULL. */
    assert_int_equal(letts_bulk_result_dry_run(NULL), 0);
    assert_int_equal(letts_bulk_result_count(NULL), 0);
    assert_int_equal(letts_bulk_result_failed_count(NULL), 0);
    assert_null(letts_bulk_result_id(NULL, 0));
    assert_int_equal(letts_bulk_result_ok(NULL, 0), 0);
    assert_null(letts_bulk_result_mission_id(NULL, 0));
    assert_null(letts_bulk_result_status(NULL, 0));
    assert_null(letts_bulk_result_error(NULL, 0));
    assert_null(letts_bulk_result_details_json(NULL, 0));
    assert_null(letts_bulk_result_json(NULL));
    assert_null(letts_restart_result_mission_id(NULL));
    assert_null(letts_restart_result_restarted_from(NULL));
    assert_null(letts_restart_result_status(NULL));
    assert_null(letts_restart_result_json(NULL));
    letts_bulk_result_free(NULL);
    letts_restart_result_free(NULL);
    letts_bulk_options_free(NULL);

    /* Nothing of this reached the server. */
    letts_mission_list *after = listed("");
    assert_int_equal(letts_mission_list_count(after), missions_before);
    letts_mission_list_free(after);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_dry_run_lists_the_selection_and_changes_nothing),
        cmocka_unit_test(test_bulk_restart_by_selector_restarts_exactly_the_selection),
        cmocka_unit_test(test_bulk_restart_reports_each_failed_id),
        cmocka_unit_test(test_bulk_delete_by_ids_with_per_id_outcomes),
        cmocka_unit_test(test_bulk_delete_by_selector_deletes_exactly_the_selection),
        cmocka_unit_test(test_the_restart_answer_is_what_the_new_mission_shows),
        cmocka_unit_test(test_bad_arguments_are_refused_naming_them),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
