/*
 * The fully annotated example of spec/client-config.md §12 and the table of
 * what it resolves to, through the C API. (Tokens and proxies of the table
 * are checked in test_example_resolution.cpp, which can read them.)
 */
#include "helpers.h"
#include "example_yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct fixture {
    char *dir;
    char *path;
    letts_config *cfg;
};

static int setup(void **state) {
    struct fixture *f = calloc(1, sizeof *f);
    if (f == NULL) return -1;
    f->dir = tmpdir_create();
    f->path = write_file(f->dir, "letts.yaml", EXAMPLE_YAML, 0600);
    letts_error *err = NULL;
    if (letts_config_load_file(&f->cfg, f->path, 0, &err) != LETTS_OK) {
        print_error("the §12 example failed to load at mode 0600: %s\n",
                    letts_error_message(err));
        letts_error_free(err);
        free(f->path);
        tmpdir_remove(f->dir);
        free(f);
        return -1;
    }
    unsetenv("LETTS_EDGE_TARGET");
    *state = f;
    return 0;
}

static int teardown(void **state) {
    struct fixture *f = *state;
    letts_config_free(f->cfg);
    free(f->path);
    tmpdir_remove(f->dir);
    free(f);
    unsetenv("LETTS_EDGE_TARGET");
    return 0;
}

static letts_config *cfg_of(void **state) {
    return ((struct fixture *)*state)->cfg;
}

static void expect_url(const letts_config *cfg, const char *id, const char *want) {
    char *url = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_base_url(cfg, id, &url, &err), &err);
    assert_non_null(url);
    assert_string_equal(url, want);
    letts_free(url);
}

static void test_example_base_urls(void **state) {
    letts_config *cfg = cfg_of(state);
    expect_url(cfg, "web-1", "http://web1.internal:7181");
    expect_url(cfg, "web-2", "http://web2.internal:7999");
    expect_url(cfg, "edge-1", "https://edge1.example.com/letts");
    expect_url(cfg, "lab", "http://[::1]:7180");
}

/* Resolves the target (route, host, lane; NULL: not set) and asserts the
 * (id, lane) it names. */
static void expect_resolves(void **state, const char *route, const char *host, const char *lane,
                            const char *want_id, const char *want_lane) {
    letts_target *t = make_target(route, host, lane, NULL, 0);
    char *resolved_lane = NULL;
    char *id = RESOLVE_OK(t, cfg_of(state), NULL, 0, &resolved_lane);
    assert_string_equal(id, want_id);
    assert_string_equal(resolved_lane, want_lane);
    letts_free(id);
    letts_free(resolved_lane);
    letts_target_free(t);
}

static void test_example_route_reports(void **state) {
    expect_resolves(state, "reports", NULL, NULL, "web-1", "normal");
}

static void test_example_route_nightly(void **state) {
    expect_resolves(state, "nightly", NULL, NULL, "web-2", "heavy");
}

static void test_example_host_7_heavy(void **state) {
    expect_resolves(state, NULL, "7", "heavy", "web-2", "heavy");
}

static void test_example_host_edge_with_env(void **state) {
    env_set("LETTS_EDGE_TARGET", "edge-1");
    letts_target *t = make_target(NULL, "edge", "normal", NULL, 0);
    char *id = RESOLVE_OK(t, cfg_of(state), NULL, 0, NULL);
    assert_string_equal(id, "edge-1");
    letts_free(id);
    letts_target_free(t);
}

static void test_example_host_edge_without_env(void **state) {
    letts_target *t = make_target(NULL, "edge", "normal", NULL, 0);
    char *id = NULL, *lane = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_target_resolve(t, cfg_of(state), NULL, 0, &id, &lane, &err);
    assert_int_equal(rc, LETTS_ERR_MISSING_ENV);
    cJSON *details = cJSON_Parse(letts_error_details(err));
    assert_non_null(details);
    JSON_STRING_IS(JSON_GET(details, "name"), "LETTS_EDGE_TARGET");
    cJSON_Delete(details);
    EXPECT_ERROR(rc, &err, LETTS_ERR_MISSING_ENV, "LETTS_EDGE_TARGET");
    letts_target_free(t);
}

static void test_example_auto_select_normal_picks_both(void **state) {
    letts_target *t = make_target(NULL, NULL, "normal", NULL, 0);
    int web1 = 0, web2 = 0;
    for (int i = 0; i < 256; ++i) {
        char *id = RESOLVE_OK(t, cfg_of(state), NULL, 0, NULL);
        if (strcmp(id, "web-1") == 0) {
            ++web1;
        } else if (strcmp(id, "web-2") == 0) {
            ++web2;
        } else {
            print_error("auto-select picked \"%s\", not a [prod]+normal candidate\n", id);
            letts_free(id);
            fail();
        }
        letts_free(id);
    }
    assert_true(web1 > 0);
    assert_true(web2 > 0);
    letts_target_free(t);
}

static void test_example_auto_select_bulk_only_web1(void **state) {
    const char *match[] = {"prod"};
    letts_target *t = make_target(NULL, NULL, "bulk", match, 1);
    for (int i = 0; i < 64; ++i) {
        char *id = RESOLVE_OK(t, cfg_of(state), NULL, 0, NULL);
        assert_string_equal(id, "web-1");
        letts_free(id);
    }
    letts_target_free(t);
}

static void test_example_edge_label_lists_edge1(void **state) {
    const char *match[] = {"edge"};
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_dugdales(cfg_of(state), match, 1, &ids, &err), &err);
    LIST_EQUAL(ids, 1, "edge-1");
    letts_string_list_free(ids);
}

static void test_example_lab_never_auto_selected(void **state) {
    /* lab declares normal but carries no labels. */
    const char *match[] = {"prod"};
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_dugdales(cfg_of(state), match, 1, &ids, &err), &err);
    LIST_EQUAL(ids, 2, "web-1", "web-2");
    letts_string_list_free(ids);
}

static void test_example_merged_json(void **state) {
    cJSON *root = config_json(cfg_of(state));
    cJSON *w1 = json_dugdale(root, "web-1");
    JSON_STRINGS(JSON_GET(w1, "labels"), "prod", "web");
    JSON_GET(JSON_GET(w1, "lanes"), "normal");
    JSON_GET(JSON_GET(w1, "lanes"), "bulk");
    JSON_STRING_IS(JSON_GET(w1, "admin_token"), "${LETTS_PROD_ADMIN}");
    JSON_STRING_IS(JSON_GET(w1, "proxy"), "socks5h://bastion.example.net:1080");
    JSON_STRING_IS(JSON_GET(w1, "mission_dir"), "/srv/missions");

    cJSON *w2 = json_dugdale(root, "web-2");
    JSON_STRINGS(JSON_GET(w2, "labels"), "prod", "batch");
    cJSON *lanes = JSON_GET(w2, "lanes");
    assert_int_equal(cJSON_GetArraySize(lanes), 2);
    JSON_GET(lanes, "normal");
    JSON_GET(lanes, "heavy");
    assert_true(cJSON_IsNull(JSON_GET(w2, "proxy")));

    cJSON *aliases = JSON_GET(root, "aliases");
    JSON_STRING_IS(JSON_GET(aliases, "7"), "web-2");
    JSON_STRING_IS(JSON_GET(aliases, "edge"), "${LETTS_EDGE_TARGET}");
    assert_int_equal(JSON_GET(JSON_GET(root, "defaults"), "port")->valueint, 7180);
    cJSON_Delete(root);
}

static void test_example_mode_0644_rejected(void **state) {
    struct fixture *f = *state;
    assert_int_equal(chmod(f->path, 0644), 0);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_load_file(&cfg, f->path, 0, &err);
    assert_null(cfg);
    char want[4096];
    snprintf(want, sizeof want,
             "letts.yaml %s has unsafe permissions 0644 (contains plain-text tokens; require 0600 "
             "or 0400)",
             f->path);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, want);
}

static void test_example_mode_0644_insecure_accepted(void **state) {
    struct fixture *f = *state;
    assert_int_equal(chmod(f->path, 0644), 0);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_load_file(&cfg, f->path, LETTS_CONFIG_INSECURE_PERMISSIONS, &err), &err);
    assert_non_null(cfg);
    letts_config_free(cfg);
}

static void test_example_mode_0400_accepted(void **state) {
    struct fixture *f = *state;
    assert_int_equal(chmod(f->path, 0400), 0);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_load_file(&cfg, f->path, 0, &err), &err);
    letts_config_free(cfg);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_example_base_urls),
        T(test_example_route_reports),
        T(test_example_route_nightly),
        T(test_example_host_7_heavy),
        T(test_example_host_edge_with_env),
        T(test_example_host_edge_without_env),
        T(test_example_auto_select_normal_picks_both),
        T(test_example_auto_select_bulk_only_web1),
        T(test_example_edge_label_lists_edge1),
        T(test_example_lab_never_auto_selected),
        T(test_example_merged_json),
        T(test_example_mode_0644_rejected),
        T(test_example_mode_0644_insecure_accepted),
        T(test_example_mode_0400_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
