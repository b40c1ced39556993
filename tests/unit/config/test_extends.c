/*
 * Template inheritance (`extends`, spec/client-config.md §6) observed through
 * the merged configuration of letts_config_json() and the label listing of
 * letts_config_dugdales().
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

static const char *const merge_yaml =
    "templates:\n"
    "  prod:\n"
    "    labels: [prod, web]\n"
    "    lanes:\n"
    "      normal: {concurrency: 4}\n"
    "      bulk: {concurrency: 2, paused: true}\n"
    "    token: tpl-dispatch\n"
    "    admin_token: \"${TPL_ADMIN}\"\n"
    "    exec_token: tpl-exec\n"
    "    proxy: \"socks5h://bastion:1080\"\n"
    "    mission_dir: /srv/tpl\n"
    "    runtime:\n"
    "      mission_path_template: \"{mission}.php\"\n"
    "      command_template: [php, \"{mission_path}\"]\n"
    "      validate_mission_file: true\n"
    "dugdales:\n"
    "  - {id: inherit, host: h, extends: prod}\n"
    "  - id: own\n"
    "    host: h\n"
    "    extends: prod\n"
    "    labels: [batch]\n"
    "    lanes:\n"
    "      bulk: null\n"
    "      heavy: {concurrency: 1}\n"
    "      normal: {concurrency: 0}\n"
    "    token: own-dispatch\n"
    "    proxy: \"http://squid:3128\"\n"
    "    mission_dir: /srv/own\n"
    "    runtime:\n"
    "      mission_path_template: own.php\n"
    "      command_template: []\n"
    "      validate_mission_file: false\n"
    "  - {id: nolabels, host: h, extends: prod, labels: [], proxy: null}\n"
    "  - {id: after, host: h, extends: prod}\n"
    "  - id: emptystr\n"
    "    host: h\n"
    "    extends: prod\n"
    "    token: \"\"\n"
    "    proxy: \"\"\n"
    "    lanes: {bulk: ~, tilde: {concurrency: 1}}\n"
    "  - id: partial\n"
    "    host: h\n"
    "    extends: prod\n"
    "    runtime: {mission_path_template: part.php}\n"
    "  - id: onlyfalse\n"
    "    host: h\n"
    "    extends: prod\n"
    "    runtime: {validate_mission_file: false}\n"
    "  - {id: plain, host: h, labels: [batch], lanes: {normal: {concurrency: 1}}}\n";

struct merged {
    letts_config *cfg;
    cJSON *root;
};

static int setup(void **state) {
    struct merged *m = calloc(1, sizeof *m);
    if (m == NULL) return -1;
    letts_error *err = NULL;
    if (letts_config_load_string(&m->cfg, merge_yaml, strlen(merge_yaml), "merge.yaml", &err) !=
        LETTS_OK) {
        print_error("merge fixture failed to load: %s\n", letts_error_message(err));
        letts_error_free(err);
        free(m);
        return -1;
    }
    m->root = cJSON_Parse(letts_config_json(m->cfg));
    if (m->root == NULL) {
        print_error("letts_config_json is not valid JSON\n");
        letts_config_free(m->cfg);
        free(m);
        return -1;
    }
    *state = m;
    return 0;
}

static int teardown(void **state) {
    struct merged *m = *state;
    cJSON_Delete(m->root);
    letts_config_free(m->cfg);
    free(m);
    return 0;
}

static cJSON *dug(void **state, const char *id) {
    struct merged *m = *state;
    return json_dugdale(m->root, id);
}

static int lane_concurrency(const cJSON *lanes, const char *name) {
    const cJSON *lane = JSON_GET(lanes, name);
    const cJSON *c = JSON_GET(lane, "concurrency");
    assert_true(cJSON_IsNumber(c));
    return c->valueint;
}

static void assert_lane_names(const cJSON *lanes, const char *const *want, size_t n) {
    assert_true(cJSON_IsObject(lanes));
    assert_int_equal(cJSON_GetArraySize(lanes), n);
    for (size_t i = 0; i < n; ++i) JSON_GET(lanes, want[i]);
}

/* ---- labels ------------------------------------------------------------- */

static void test_labels_inherited_when_absent(void **state) {
    JSON_STRINGS(JSON_GET(dug(state, "inherit"), "labels"), "prod", "web");
}

static void test_labels_replaced_not_unioned(void **state) {
    JSON_STRINGS(JSON_GET(dug(state, "own"), "labels"), "batch");
}

static void test_explicit_empty_labels_mean_no_labels(void **state) {
    const cJSON *labels = JSON_GET(dug(state, "nolabels"), "labels");
    assert_true(cJSON_IsArray(labels));
    assert_int_equal(cJSON_GetArraySize(labels), 0);
}

static void test_label_listing_uses_merged_labels(void **state) {
    struct merged *m = *state;
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    const char *web[] = {"web"};
    EXPECT_OK(letts_config_dugdales(m->cfg, web, 1, &ids, &err), &err);
    LIST_EQUAL(ids, 5, "inherit", "after", "emptystr", "partial", "onlyfalse");
    letts_string_list_free(ids);

    const char *batch[] = {"batch"};
    EXPECT_OK(letts_config_dugdales(m->cfg, batch, 1, &ids, &err), &err);
    LIST_EQUAL(ids, 2, "own", "plain");
    letts_string_list_free(ids);
}

static void test_label_listing_requires_every_label(void **state) {
    struct merged *m = *state;
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    const char *both[] = {"prod", "batch"};
    EXPECT_OK(letts_config_dugdales(m->cfg, both, 2, &ids, &err), &err);
    assert_int_equal(letts_string_list_count(ids), 0);
    letts_string_list_free(ids);
}

static void test_label_listing_is_case_sensitive(void **state) {
    struct merged *m = *state;
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    const char *upper[] = {"Prod"};
    EXPECT_OK(letts_config_dugdales(m->cfg, upper, 1, &ids, &err), &err);
    assert_int_equal(letts_string_list_count(ids), 0);
    letts_string_list_free(ids);
}

static void test_label_listing_without_labels_lists_all_in_file_order(void **state) {
    struct merged *m = *state;
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_dugdales(m->cfg, NULL, 0, &ids, &err), &err);
    LIST_EQUAL(ids, 8, "inherit", "own", "nolabels", "after", "emptystr", "partial", "onlyfalse",
               "plain");
    letts_string_list_free(ids);
}

/* ---- lanes -------------------------------------------------------------- */

static void test_lanes_inherited(void **state) {
    const cJSON *lanes = JSON_GET(dug(state, "inherit"), "lanes");
    const char *want[] = {"normal", "bulk"};
    assert_lane_names(lanes, want, 2);
    assert_int_equal(lane_concurrency(lanes, "normal"), 4);
    assert_int_equal(lane_concurrency(lanes, "bulk"), 2);
    assert_true(cJSON_IsTrue(JSON_GET(JSON_GET(lanes, "bulk"), "paused")));
}

static void test_lanes_unioned_with_null_deleting(void **state) {
    const cJSON *lanes = JSON_GET(dug(state, "own"), "lanes");
    const char *want[] = {"normal", "heavy"};
    assert_lane_names(lanes, want, 2);
    assert_null(cJSON_GetObjectItemCaseSensitive(lanes, "bulk"));
    assert_int_equal(lane_concurrency(lanes, "heavy"), 1);
}

static void test_dugdale_lane_wins_entirely(void **state) {
    const cJSON *lanes = JSON_GET(dug(state, "own"), "lanes");
    assert_int_equal(lane_concurrency(lanes, "normal"), 0);
    assert_true(cJSON_IsFalse(JSON_GET(JSON_GET(lanes, "normal"), "paused")));
}

static void test_lane_deletion_only_affects_its_dugdale(void **state) {
    /* "after" comes after "own" (which deleted bulk) and keeps it. */
    const cJSON *lanes = JSON_GET(dug(state, "after"), "lanes");
    const char *want[] = {"normal", "bulk"};
    assert_lane_names(lanes, want, 2);
    assert_int_equal(lane_concurrency(lanes, "bulk"), 2);
}

static void test_tilde_null_lane_deletes(void **state) {
    const cJSON *lanes = JSON_GET(dug(state, "emptystr"), "lanes");
    const char *want[] = {"normal", "tilde"};
    assert_lane_names(lanes, want, 2);
}

static void test_empty_value_null_lane_deletes(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("templates:\n  t: {lanes: {a: {concurrency: 1}, b: {concurrency: 1}}}\n"
                                "dugdales:\n"
                                "  - id: s1\n"
                                "    host: h\n"
                                "    extends: t\n"
                                "    lanes:\n"
                                "      a:\n");
    cJSON *root = config_json(cfg);
    const cJSON *lanes = JSON_GET(json_dugdale(root, "s1"), "lanes");
    const char *want[] = {"b"};
    assert_lane_names(lanes, want, 1);
    cJSON_Delete(root);
    letts_config_free(cfg);
}

static void test_templates_not_modified_by_merge(void **state) {
    struct merged *m = *state;
    const cJSON *tpl = JSON_GET(JSON_GET(m->root, "templates"), "prod");
    JSON_STRINGS(JSON_GET(tpl, "labels"), "prod", "web");
    const cJSON *lanes = JSON_GET(tpl, "lanes");
    const char *want[] = {"normal", "bulk"};
    assert_lane_names(lanes, want, 2);
    assert_int_equal(lane_concurrency(lanes, "normal"), 4);
    JSON_STRING_IS(JSON_GET(tpl, "proxy"), "socks5h://bastion:1080");
}

/* ---- tokens, mission_dir ------------------------------------------------ */

static void test_tokens_inherited_when_empty(void **state) {
    const cJSON *d = dug(state, "inherit");
    JSON_STRING_IS(JSON_GET(d, "token"), "tpl-dispatch");
    JSON_STRING_IS(JSON_GET(d, "admin_token"), "${TPL_ADMIN}");
    JSON_STRING_IS(JSON_GET(d, "exec_token"), "tpl-exec");
}

static void test_dugdale_token_wins(void **state) {
    const cJSON *d = dug(state, "own");
    JSON_STRING_IS(JSON_GET(d, "token"), "own-dispatch");
    JSON_STRING_IS(JSON_GET(d, "admin_token"), "${TPL_ADMIN}");
}

static void test_explicit_empty_token_inherits(void **state) {
    JSON_STRING_IS(JSON_GET(dug(state, "emptystr"), "token"), "tpl-dispatch");
}

static void test_mission_dir_merge(void **state) {
    JSON_STRING_IS(JSON_GET(dug(state, "inherit"), "mission_dir"), "/srv/tpl");
    JSON_STRING_IS(JSON_GET(dug(state, "own"), "mission_dir"), "/srv/own");
}

/* ---- proxy -------------------------------------------------------------- */

static void test_proxy_inherited(void **state) {
    JSON_STRING_IS(JSON_GET(dug(state, "inherit"), "proxy"), "socks5h://bastion:1080");
}

static void test_dugdale_proxy_wins(void **state) {
    JSON_STRING_IS(JSON_GET(dug(state, "own"), "proxy"), "http://squid:3128");
}

static void test_proxy_null_disables_inherited(void **state) {
    assert_true(cJSON_IsNull(JSON_GET(dug(state, "nolabels"), "proxy")));
}

static void test_explicit_empty_proxy_inherits(void **state) {
    JSON_STRING_IS(JSON_GET(dug(state, "emptystr"), "proxy"), "socks5h://bastion:1080");
}

/* ---- runtime ------------------------------------------------------------ */

static void test_runtime_inherited(void **state) {
    const cJSON *rt = JSON_GET(dug(state, "inherit"), "runtime");
    JSON_STRING_IS(JSON_GET(rt, "mission_path_template"), "{mission}.php");
    JSON_STRINGS(JSON_GET(rt, "command_template"), "php", "{mission_path}");
    assert_true(cJSON_IsTrue(JSON_GET(rt, "validate_mission_file")));
}

static void test_runtime_dugdale_values_win(void **state) {
    const cJSON *rt = JSON_GET(dug(state, "own"), "runtime");
    JSON_STRING_IS(JSON_GET(rt, "mission_path_template"), "own.php");
    assert_true(cJSON_IsFalse(JSON_GET(rt, "validate_mission_file")));
}

static void test_runtime_empty_command_template_replaces(void **state) {
    const cJSON *ct = JSON_GET(JSON_GET(dug(state, "own"), "runtime"), "command_template");
    assert_true(cJSON_IsArray(ct));
    assert_int_equal(cJSON_GetArraySize(ct), 0);
}

static void test_runtime_partial_block_inherits_rest(void **state) {
    const cJSON *rt = JSON_GET(dug(state, "partial"), "runtime");
    JSON_STRING_IS(JSON_GET(rt, "mission_path_template"), "part.php");
    JSON_STRINGS(JSON_GET(rt, "command_template"), "php", "{mission_path}");
    assert_true(cJSON_IsTrue(JSON_GET(rt, "validate_mission_file")));
}

static void test_runtime_explicit_false_overrides_template_true(void **state) {
    const cJSON *rt = JSON_GET(dug(state, "onlyfalse"), "runtime");
    assert_true(cJSON_IsFalse(JSON_GET(rt, "validate_mission_file")));
    JSON_STRING_IS(JSON_GET(rt, "mission_path_template"), "{mission}.php");
    JSON_STRINGS(JSON_GET(rt, "command_template"), "php", "{mission_path}");
}

static void test_runtime_command_template_replaced_whole(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("templates:\n  t: {runtime: {command_template: [a, b, c]}}\n"
                                "dugdales:\n"
                                "  - {id: s1, host: h, extends: t, runtime: {command_template: [x]}}\n");
    cJSON *root = config_json(cfg);
    JSON_STRINGS(JSON_GET(JSON_GET(json_dugdale(root, "s1"), "runtime"), "command_template"), "x");
    cJSON_Delete(root);
    letts_config_free(cfg);
}

/* ---- identity fields ---------------------------------------------------- */

static void test_identity_fields_from_dugdale_only(void **state) {
    const cJSON *d = dug(state, "own");
    JSON_STRING_IS(JSON_GET(d, "id"), "own");
    JSON_STRING_IS(JSON_GET(d, "host"), "h");
    JSON_STRING_IS(JSON_GET(d, "extends"), "prod");
}

static void test_dugdale_without_extends_used_as_written(void **state) {
    const cJSON *d = dug(state, "plain");
    JSON_STRINGS(JSON_GET(d, "labels"), "batch");
    const char *want[] = {"normal"};
    assert_lane_names(JSON_GET(d, "lanes"), want, 1);
    JSON_STRING_IS(JSON_GET(d, "token"), "");
    JSON_STRING_IS(JSON_GET(d, "mission_dir"), "");
}

/* ---- lanes drive selection ---------------------------------------------- */

static void test_deleted_lane_not_selectable(void **state) {
    struct merged *m = *state;
    const char *match[] = {"batch"};
    letts_target *t = make_target(NULL, NULL, "bulk", match, 1);
    char *id = NULL, *lane = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_target_resolve(t, m->cfg, NULL, 0, &id, &lane, &err);
    assert_null(id);
    assert_null(lane);
    EXPECT_ERROR(rc, &err, LETTS_ERR_NO_MATCHING_DUGDALE, "bulk");
    letts_target_free(t);
}

static void test_inherited_lane_selectable(void **state) {
    struct merged *m = *state;
    const char *match[] = {"web"};
    letts_target *t = make_target(NULL, NULL, "bulk", match, 1);
    /* web + bulk: inherit, after, partial, onlyfalse (emptystr deleted bulk). */
    for (int i = 0; i < 64; ++i) {
        char *id = RESOLVE_OK(t, m->cfg, NULL, 0, NULL);
        if (strcmp(id, "inherit") != 0 && strcmp(id, "after") != 0 &&
            strcmp(id, "partial") != 0 && strcmp(id, "onlyfalse") != 0) {
            print_error("picked \"%s\", which does not declare bulk with label web\n", id);
            letts_free(id);
            fail();
        }
        letts_free(id);
    }
    letts_target_free(t);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_labels_inherited_when_absent),
        T(test_labels_replaced_not_unioned),
        T(test_explicit_empty_labels_mean_no_labels),
        T(test_label_listing_uses_merged_labels),
        T(test_label_listing_requires_every_label),
        T(test_label_listing_is_case_sensitive),
        T(test_label_listing_without_labels_lists_all_in_file_order),
        T(test_lanes_inherited),
        T(test_lanes_unioned_with_null_deleting),
        T(test_dugdale_lane_wins_entirely),
        T(test_lane_deletion_only_affects_its_dugdale),
        T(test_tilde_null_lane_deletes),
        T(test_empty_value_null_lane_deletes),
        T(test_templates_not_modified_by_merge),
        T(test_tokens_inherited_when_empty),
        T(test_dugdale_token_wins),
        T(test_explicit_empty_token_inherits),
        T(test_mission_dir_merge),
        T(test_proxy_inherited),
        T(test_dugdale_proxy_wins),
        T(test_proxy_null_disables_inherited),
        T(test_explicit_empty_proxy_inherits),
        T(test_runtime_inherited),
        T(test_runtime_dugdale_values_win),
        T(test_runtime_empty_command_template_replaces),
        T(test_runtime_partial_block_inherits_rest),
        T(test_runtime_explicit_false_overrides_template_true),
        T(test_runtime_command_template_replaced_whole),
        T(test_identity_fields_from_dugdale_only),
        T(test_dugdale_without_extends_used_as_written),
        T(test_deleted_lane_not_selectable),
        T(test_inherited_lane_selectable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
