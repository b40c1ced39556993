/*
 * The C ABI contract of the configuration and target entry points
 * (include/letts/common.h, config.h, target.h): NULL arguments give
 * LETTS_ERR_INVALID_ARGUMENT, outputs are NULL after a failure, `err` may be
 * NULL, and an error already in `*err` is never overwritten.
 */
#include "helpers.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ONE_DUGDALE "dugdales:\n  - {id: s1, host: h, labels: [prod], lanes: {normal: {concurrency: 1}}}\n"

#define EXPECT_INVALID(call)                                                      \
    do {                                                                         \
        letts_error *err_ = NULL;                                                \
        letts_error **errp_ = &err_;                                             \
        (void)errp_;                                                             \
        letts_status rc_ = (call);                                               \
        EXPECT_ERROR(rc_, &err_, LETTS_ERR_INVALID_ARGUMENT, "");                \
    } while (0)

/* The call expressions below use `errp_` as their error argument. */

static void test_load_string_null_out(void **state) {
    (void)state;
    EXPECT_INVALID(letts_config_load_string(NULL, "dugdales: []\n", 13, "x", errp_));
}

static void test_load_string_null_yaml_with_length(void **state) {
    (void)state;
    letts_config *cfg = (letts_config *)(uintptr_t)1;
    EXPECT_INVALID(letts_config_load_string(&cfg, NULL, 5, "x", errp_));
    assert_null(cfg);
}

static void test_load_string_uses_length_not_nul(void **state) {
    (void)state;
    /* The bytes need not be NUL-terminated: only `len` bytes are read. */
    const char text[] = "dugdales: []\nmystery_field: 1\n";
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_load_string(&cfg, text, strlen("dugdales: []\n"), "x", &err), &err);
    assert_non_null(cfg);
    letts_config_free(cfg);
}

static void test_load_string_null_name_uses_placeholder(void **state) {
    (void)state;
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_load_string(&cfg, "mystery_field: 1\n", 17, NULL, &err);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, "<string>", "mystery_field");
}

static void test_load_file_null_out(void **state) {
    (void)state;
    EXPECT_INVALID(letts_config_load_file(NULL, "letts.yaml", 0, errp_));
}

static void test_load_file_null_path(void **state) {
    (void)state;
    letts_config *cfg = (letts_config *)(uintptr_t)1;
    EXPECT_INVALID(letts_config_load_file(&cfg, NULL, 0, errp_));
    assert_null(cfg);
}

static void test_load_file_unknown_flags(void **state) {
    (void)state;
    letts_config *cfg = NULL;
    EXPECT_INVALID(letts_config_load_file(&cfg, "/nonexistent/letts.yaml", 0x80, errp_));
    assert_null(cfg);
}

static void test_discover_null_out(void **state) {
    (void)state;
    EXPECT_INVALID(letts_config_discover(NULL, 0, errp_));
}

static void test_discover_unknown_flags(void **state) {
    (void)state;
    letts_config *cfg = NULL;
    EXPECT_INVALID(letts_config_discover(&cfg, 0x2, errp_));
    assert_null(cfg);
}

static void test_null_config_accessors(void **state) {
    (void)state;
    assert_null(letts_config_json(NULL));
    assert_null(letts_config_path(NULL));
    letts_config_free(NULL);
    letts_target_free(NULL);
    letts_string_list_free(NULL);
    letts_error_free(NULL);
    assert_int_equal(letts_string_list_count(NULL), 0);
    assert_null(letts_string_list_get(NULL, 0));
    assert_int_equal(letts_error_status(NULL), LETTS_OK);
    assert_string_equal(letts_error_message(NULL), "");
    assert_int_equal(letts_error_http_status(NULL), 0);
    assert_null(letts_error_code(NULL));
    assert_null(letts_error_dugdale(NULL));
    assert_null(letts_error_details(NULL));
}

static void test_json_never_null_for_config(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales: []\n");
    assert_non_null(letts_config_json(cfg));
    cJSON *root = config_json(cfg);
    assert_true(cJSON_IsObject(root));
    cJSON_Delete(root);
    letts_config_free(cfg);
}

static void test_dugdales_bad_arguments(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK(ONE_DUGDALE);
    letts_string_list *ids = (letts_string_list *)(uintptr_t)1;
    const char *with_null[] = {"prod", NULL};
    EXPECT_INVALID(letts_config_dugdales(NULL, NULL, 0, &ids, errp_));
    assert_null(ids);
    EXPECT_INVALID(letts_config_dugdales(cfg, NULL, 0, NULL, errp_));
    ids = (letts_string_list *)(uintptr_t)1;
    EXPECT_INVALID(letts_config_dugdales(cfg, NULL, 1, &ids, errp_));
    assert_null(ids);
    EXPECT_INVALID(letts_config_dugdales(cfg, with_null, 2, &ids, errp_));
    assert_null(ids);
    letts_config_free(cfg);
}

static void test_string_list_out_of_range(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK(ONE_DUGDALE);
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_dugdales(cfg, NULL, 0, &ids, &err), &err);
    assert_int_equal(letts_string_list_count(ids), 1);
    assert_string_equal(letts_string_list_get(ids, 0), "s1");
    assert_null(letts_string_list_get(ids, 1));
    letts_string_list_free(ids);
    letts_config_free(cfg);
}

static void test_base_url_bad_arguments(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK(ONE_DUGDALE);
    char *url = (char *)"sentinel";
    EXPECT_INVALID(letts_config_base_url(NULL, "s1", &url, errp_));
    assert_null(url);
    url = (char *)"sentinel";
    EXPECT_INVALID(letts_config_base_url(cfg, NULL, &url, errp_));
    assert_null(url);
    EXPECT_INVALID(letts_config_base_url(cfg, "s1", NULL, errp_));
    letts_config_free(cfg);
}

static void test_target_bad_arguments(void **state) {
    (void)state;
    const char *labels[] = {"prod"};
    const char *with_null[] = {"prod", NULL};
    EXPECT_INVALID(letts_target_new(NULL, errp_));
    EXPECT_INVALID(letts_target_set_route(NULL, "r", errp_));
    EXPECT_INVALID(letts_target_set_host(NULL, "h", errp_));
    EXPECT_INVALID(letts_target_set_lane(NULL, "l", errp_));
    EXPECT_INVALID(letts_target_set_match(NULL, labels, 1, errp_));
    letts_target *t = make_target(NULL, NULL, NULL, NULL, 0);
    EXPECT_INVALID(letts_target_set_match(t, NULL, 2, errp_));
    EXPECT_INVALID(letts_target_set_match(t, with_null, 2, errp_));
    letts_target_free(t);
}

static void test_resolve_bad_arguments(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK(ONE_DUGDALE);
    letts_target *t = make_target(NULL, "s1", "normal", NULL, 0);
    char *id = (char *)"sentinel", *lane = (char *)"sentinel";
    const char *with_null[] = {"prod", NULL};
    EXPECT_INVALID(letts_target_resolve(NULL, cfg, NULL, 0, &id, &lane, errp_));
    assert_null(id);
    assert_null(lane);
    id = (char *)"sentinel";
    lane = (char *)"sentinel";
    EXPECT_INVALID(letts_target_resolve(t, NULL, NULL, 0, &id, &lane, errp_));
    assert_null(id);
    assert_null(lane);
    EXPECT_INVALID(letts_target_resolve(t, cfg, NULL, 0, NULL, &lane, errp_));
    EXPECT_INVALID(letts_target_resolve(t, cfg, NULL, 0, &id, NULL, errp_));
    EXPECT_INVALID(letts_target_resolve(t, cfg, NULL, 1, &id, &lane, errp_));
    EXPECT_INVALID(letts_target_resolve(t, cfg, with_null, 2, &id, &lane, errp_));
    letts_target_free(t);
    letts_config_free(cfg);
}

/* ---- the *err contract -------------------------------------------------- */

static void test_null_err_accepted(void **state) {
    (void)state;
    letts_config *cfg = (letts_config *)(uintptr_t)1;
    assert_int_equal(letts_config_load_string(&cfg, "- a\n", 4, "x", NULL), LETTS_ERR_CONFIG);
    assert_null(cfg);
    assert_int_equal(letts_config_load_file(&cfg, NULL, 0, NULL), LETTS_ERR_INVALID_ARGUMENT);

    cfg = LOAD_OK(ONE_DUGDALE);
    char *url = NULL;
    assert_int_equal(letts_config_base_url(cfg, "ghost", &url, NULL), LETTS_ERR_CONFIG);
    assert_null(url);
    letts_target *t = make_target(NULL, "ghost", "normal", NULL, 0);
    char *id = NULL, *lane = NULL;
    assert_int_equal(letts_target_resolve(t, cfg, NULL, 0, &id, &lane, NULL), LETTS_ERR_CONFIG);
    assert_null(id);
    assert_null(lane);
    letts_target_free(t);
    letts_config_free(cfg);
}

static void test_existing_error_not_overwritten(void **state) {
    (void)state;
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_config_load_string(&cfg, "- a\n", 4, "first.yaml", &err),
                     LETTS_ERR_CONFIG);
    assert_non_null(err);
    letts_error *first = err;

    /* A second failure of another kind reports its status but keeps *err. */
    assert_int_equal(letts_config_load_string(NULL, "x", 1, "second.yaml", &err),
                     LETTS_ERR_INVALID_ARGUMENT);
    assert_ptr_equal(err, first);
    assert_int_equal(letts_config_load_string(&cfg, "mystery: 1\n", 11, "second.yaml", &err),
                     LETTS_ERR_CONFIG);
    assert_ptr_equal(err, first);
    assert_int_equal(letts_error_status(err), LETTS_ERR_CONFIG);
    EXPECT_PRESENT(letts_error_message(err), "first.yaml");
    EXPECT_ABSENT(letts_error_message(err), "second.yaml");
    letts_error_free(err);
}

static void test_existing_error_kept_on_success(void **state) {
    (void)state;
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_config_load_string(&cfg, "- a\n", 4, "first.yaml", &err),
                     LETTS_ERR_CONFIG);
    letts_error *first = err;
    assert_int_equal(letts_config_load_string(&cfg, "dugdales: []\n", 13, "ok.yaml", &err),
                     LETTS_OK);
    assert_ptr_equal(err, first);
    letts_config_free(cfg);
    letts_error_free(err);
}

static void test_success_leaves_err_null(void **state) {
    (void)state;
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_config_load_string(&cfg, ONE_DUGDALE, strlen(ONE_DUGDALE), "x", &err),
                     LETTS_OK);
    assert_null(err);
    letts_target *t = NULL;
    assert_int_equal(letts_target_new(&t, &err), LETTS_OK);
    assert_null(err);
    assert_int_equal(letts_target_set_host(t, "s1", &err), LETTS_OK);
    assert_int_equal(letts_target_set_lane(t, "normal", &err), LETTS_OK);
    char *id = NULL, *lane = NULL;
    assert_int_equal(letts_target_resolve(t, cfg, NULL, 0, &id, &lane, &err), LETTS_OK);
    assert_null(err);
    assert_string_equal(id, "s1");
    assert_string_equal(lane, "normal");
    letts_free(id);
    letts_free(lane);
    letts_target_free(t);
    letts_config_free(cfg);
}

static void test_config_error_has_no_http_facts(void **state) {
    (void)state;
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_config_load_string(&cfg, "- a\n", 4, "x", &err), LETTS_ERR_CONFIG);
    assert_int_equal(letts_error_http_status(err), 0);
    assert_null(letts_error_code(err));
    letts_error_free(err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_string_null_out),
        cmocka_unit_test(test_load_string_null_yaml_with_length),
        cmocka_unit_test(test_load_string_uses_length_not_nul),
        cmocka_unit_test(test_load_string_null_name_uses_placeholder),
        cmocka_unit_test(test_load_file_null_out),
        cmocka_unit_test(test_load_file_null_path),
        cmocka_unit_test(test_load_file_unknown_flags),
        cmocka_unit_test(test_discover_null_out),
        cmocka_unit_test(test_discover_unknown_flags),
        cmocka_unit_test(test_null_config_accessors),
        cmocka_unit_test(test_json_never_null_for_config),
        cmocka_unit_test(test_dugdales_bad_arguments),
        cmocka_unit_test(test_string_list_out_of_range),
        cmocka_unit_test(test_base_url_bad_arguments),
        cmocka_unit_test(test_target_bad_arguments),
        cmocka_unit_test(test_resolve_bad_arguments),
        cmocka_unit_test(test_null_err_accepted),
        cmocka_unit_test(test_existing_error_not_overwritten),
        cmocka_unit_test(test_existing_error_kept_on_success),
        cmocka_unit_test(test_success_leaves_err_null),
        cmocka_unit_test(test_config_error_has_no_http_facts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
