/*
 * letts.yaml load-time validation through the C API (letts_config_load_string).
 *
 * One test per row of the catalogue in spec/client-config.md §13.2 (rows 1
 * and 31 need files and live in test_load_file.c), plus the general rules of
 * §3 (document, scalar typing, unknown keys), §4 (key reference) and §5
 * (names). Every failure must be LETTS_ERR_CONFIG with a message naming the
 * source ("cat.yaml"), the key path and the rule.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D1 "dugdales:\n  - {id: s1, host: h}\n"

/* ---- §13.2 #2 / §3.1: document ----------------------------------------- */

static void test_yaml_syntax_error_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales: [\n  {id: s1, host: h}\n", "yaml parse||yaml decode||yaml syntax");
}

static void test_yaml_bad_indentation_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - id: s1\n   host: h\n", "yaml parse||yaml decode||yaml syntax");
}

/* §13.2 #3 */
static void test_root_sequence_rejected(void **state) {
    (void)state;
    LOAD_FAILS("- a\n", "root", "must be a mapping");
}

static void test_root_scalar_rejected(void **state) {
    (void)state;
    LOAD_FAILS("hello\n", "root", "must be a mapping");
}

static void test_empty_file_rejected(void **state) {
    (void)state;
    LOAD_FAILS("", "root", "must be a mapping");
}

static void test_comment_only_file_rejected(void **state) {
    (void)state;
    LOAD_FAILS("# nothing here\n", "root", "must be a mapping");
}

static void test_only_empty_dugdales_is_valid(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales: []\n");
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_dugdales(cfg, NULL, 0, &ids, &err), &err);
    assert_int_equal(letts_string_list_count(ids), 0);
    letts_string_list_free(ids);
    letts_config_free(cfg);
}

static void test_empty_mapping_root_is_valid(void **state) {
    (void)state;
    letts_config_free(LOAD_OK("{}\n"));
}

static void test_duplicate_root_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales: []\ndugdales: []\n", "dugdales", "duplicate");
}

static void test_duplicate_dugdale_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - id: s1\n    host: h\n    host: g\n", "duplicate", "host");
}

static void test_yaml_anchors_and_aliases_accepted(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales:\n"
                                "  - {id: s1, host: h, labels: &l [prod, web]}\n"
                                "  - {id: s2, host: h, labels: *l}\n");
    cJSON *root = config_json(cfg);
    JSON_STRINGS(JSON_GET(json_dugdale(root, "s2"), "labels"), "prod", "web");
    cJSON_Delete(root);
    letts_config_free(cfg);
}

/* ---- §13.2 #4 / §3.3: unknown keys at every level ----------------------- */

static void test_root_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("mystery_field: 42\n", "root", "unknown key", "mystery_field");
}

static void test_root_proxy_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("proxy: http://p:3128\n" D1, "unknown key", "proxy");
}

static void test_root_port_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("port: 7180\n" D1, "unknown key", "port");
}

static void test_auth_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("auth: {tokn: x}\n", "auth", "unknown key", "tokn");
}

static void test_defaults_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("defaults: {prot: 1}\n", "defaults", "unknown key", "prot");
}

static void test_selector_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("selector: {matches: [a]}\n", "selector", "unknown key", "matches");
}

static void test_dugdale_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, dispach_token: x}\n", "dugdales[0]",
               "unknown key", "dispach_token");
}

static void test_template_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  prod: {tokn: x}\n", "templates[", "prod", "unknown key", "tokn");
}

static void test_template_cannot_carry_host(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  prod: {host: h}\n", "templates[", "prod", "unknown key", "host");
}

static void test_template_cannot_carry_id(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  prod: {id: s1}\n", "templates[", "unknown key", "id");
}

static void test_template_cannot_carry_port(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  prod: {port: 7180}\n", "templates[", "unknown key", "port");
}

static void test_template_cannot_carry_url(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  prod: {url: \"http://h\"}\n", "templates[", "unknown key", "url");
}

static void test_template_cannot_extend(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  base: {}\n  prod: {extends: base}\n", "templates[",
               "unknown key", "extends");
}

static void test_dugdale_runtime_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, runtime: {mission_path: x}}\n", "runtime",
               "unknown key", "mission_path");
}

static void test_template_runtime_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  prod: {runtime: {validate: true}}\n", "runtime", "unknown key",
               "validate");
}

/* ---- §13.2 #5–#11: dugdale entries ------------------------------------- */

static void test_dugdale_not_a_mapping_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales: [x]\n", "dugdales[0]", "must be a mapping");
}

static void test_dugdales_not_a_sequence_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales: {id: s1, host: h}\n", "dugdales");
}

static void test_dugdale_id_missing_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {host: h}\n", "dugdales[0]",
               "id is required||invalid dugdale id \"\"");
}

static void test_dugdale_id_empty_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: \"\", host: h}\n", "dugdales[0]",
               "id is required||invalid dugdale id \"\"");
}

static void test_dugdale_id_uppercase_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: Web1, host: h}\n", "dugdales[0]",
               "invalid dugdale id \"Web1\"");
}

static void test_dugdale_id_leading_digit_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: 1s, host: h}\n", "dugdales[0]", "invalid dugdale id \"1s\"");
}

static void test_dugdale_id_numeric_rejected(void **state) {
    (void)state;
    /* A YAML integer is taken as its text "5", which is not a dugdale id. */
    LOAD_FAILS("dugdales:\n  - {id: 5, host: h}\n", "dugdales[0]", "invalid dugdale id \"5\"");
}

static void test_dugdale_id_with_space_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: with space, host: h}\n", "dugdales[0]",
               "invalid dugdale id \"with space\"");
}

static void test_dugdale_id_non_ascii_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: \"s\xc3\xa9\", host: h}\n", "dugdales[0]",
               "invalid dugdale id");
}

static void test_dugdale_id_trailing_newline_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: \"s1\\n\", host: h}\n", "dugdales[0]", "invalid dugdale id");
}

static void test_dugdale_id_65_chars_rejected(void **state) {
    (void)state;
    char yaml[256];
    char id[66];
    memset(id, 'a', 65);
    id[65] = '\0';
    snprintf(yaml, sizeof yaml, "dugdales:\n  - {id: %s, host: h}\n", id);
    char needle[128];
    snprintf(needle, sizeof needle, "invalid dugdale id \"%s\"", id);
    LOAD_FAILS(yaml, "dugdales[0]", needle);
}

static void test_dugdale_id_valid_forms_accepted(void **state) {
    (void)state;
    char id64[65];
    memset(id64, 'z', 64);
    id64[64] = '\0';
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "dugdales:\n"
             "  - {id: s1, host: h}\n"
             "  - {id: server-1, host: h}\n"
             "  - {id: web_prod, host: h}\n"
             "  - {id: a, host: h}\n"
             "  - {id: abc1_2-3, host: h}\n"
             "  - {id: %s, host: h}\n",
             id64);
    letts_config *cfg = LOAD_OK(yaml);
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_dugdales(cfg, NULL, 0, &ids, &err), &err);
    LIST_EQUAL(ids, 6, "s1", "server-1", "web_prod", "a", "abc1_2-3", id64);
    letts_string_list_free(ids);
    letts_config_free(cfg);
}

static void test_dugdale_duplicate_id_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h}\n  - {id: s1, host: g}\n", "dugdales[1]",
               "duplicate id \"s1\"");
}

static void test_dugdale_port_above_range_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, port: 70000}\n", "dugdales[0]",
               "port 70000 out of range");
}

static void test_dugdale_port_negative_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, port: -1}\n", "dugdales[0]",
               "port -1 out of range");
}

static void test_dugdale_port_65536_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, port: 65536}\n", "dugdales[0]",
               "port 65536 out of range");
}

static void test_dugdale_port_bounds_accepted(void **state) {
    (void)state;
    letts_config_free(LOAD_OK("dugdales:\n  - {id: s1, host: h, port: 0}\n"
                              "  - {id: s2, host: h, port: 65535}\n"));
}

static void test_defaults_port_negative_rejected(void **state) {
    (void)state;
    LOAD_FAILS("defaults: {port: -1}\n", "defaults.port -1 out of range");
}

static void test_defaults_port_above_range_rejected(void **state) {
    (void)state;
    LOAD_FAILS("defaults: {port: 65536}\n", "defaults.port 65536 out of range");
}

static void test_dugdale_port_quoted_string_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, port: \"7180\"}\n", "dugdales[0]", "port",
               "integer");
}

static void test_dugdale_port_float_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, port: 7180.5}\n", "dugdales[0]", "port",
               "integer");
}

static void test_defaults_port_quoted_string_rejected(void **state) {
    (void)state;
    LOAD_FAILS("defaults: {port: \"7180\"}\n", "defaults", "port", "integer");
}

static void test_lane_concurrency_quoted_string_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, lanes: {normal: {concurrency: \"3\"}}}\n",
               "concurrency", "integer");
}

/* ---- §13.2 #12 / §11.2: proxy syntax ----------------------------------- */

#define PROXY_SCHEME_RULE "scheme must be socks5, socks5h, http, or https"

static void test_dugdale_proxy_ftp_scheme_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, proxy: \"ftp://p\"}\n", "dugdales[0]",
               "proxy", "ftp://p", PROXY_SCHEME_RULE);
}

static void test_dugdale_proxy_socks4_scheme_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, proxy: \"socks4://h:1080\"}\n", "dugdales[0]",
               "proxy", "socks4://h:1080", PROXY_SCHEME_RULE);
}

static void test_dugdale_proxy_not_a_url_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, proxy: \"not a url at all ::::\"}\n",
               "dugdales[0]", "proxy", "not a url at all ::::");
}

static void test_dugdale_proxy_valid_forms_accepted(void **state) {
    (void)state;
    letts_config_free(LOAD_OK("dugdales:\n"
                              "  - {id: a1, host: h, proxy: \"socks5://127.0.0.1:1080\"}\n"
                              "  - {id: a2, host: h, proxy: \"socks5h://h:1080\"}\n"
                              "  - {id: a3, host: h, proxy: \"socks5h://u:p@h:1080\"}\n"
                              "  - {id: a4, host: h, proxy: \"http://h:3128\"}\n"
                              "  - {id: a5, host: h, proxy: \"https://h:3129\"}\n"
                              "  - {id: a6, host: h, proxy: \"${PROXY}\"}\n"
                              "  - {id: a7, host: h, proxy: \"socks5h://${HOST}:1080\"}\n"
                              "  - {id: a8, host: h, proxy: \"SOCKS5H://h:1080\"}\n"
                              "  - {id: a9, host: h, proxy: \"HTTP://h:3128\"}\n"
                              "  - {id: b1, host: h, proxy: \"\"}\n"
                              "  - {id: b2, host: h, proxy: null}\n"));
}

/* ---- §13.2 #13–#16: lanes and labels ----------------------------------- */

static void test_lane_name_uppercase_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, lanes: {Normal: {concurrency: 1}}}\n",
               "dugdales[0].lanes", "invalid lane name \"Normal\"");
}

static void test_lane_name_33_chars_rejected(void **state) {
    (void)state;
    char name[34];
    memset(name, 'l', 33);
    name[33] = '\0';
    char yaml[256], needle[96];
    snprintf(yaml, sizeof yaml, "dugdales:\n  - {id: s1, host: h, lanes: {%s: {concurrency: 1}}}\n",
             name);
    snprintf(needle, sizeof needle, "invalid lane name \"%s\"", name);
    LOAD_FAILS(yaml, "dugdales[0].lanes", needle);
}

static void test_lane_name_32_chars_accepted(void **state) {
    (void)state;
    char name[33];
    memset(name, 'l', 32);
    name[32] = '\0';
    char yaml[256];
    snprintf(yaml, sizeof yaml, "dugdales:\n  - {id: s1, host: h, lanes: {%s: {concurrency: 1}}}\n",
             name);
    letts_config_free(LOAD_OK(yaml));
}

static void test_lane_numeric_key_checked_as_name(void **state) {
    (void)state;
    /* Integer-looking keys are normal keys, checked against the lane regex. */
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, lanes: {5: {concurrency: 1}}}\n",
               "dugdales[0].lanes", "invalid lane name \"5\"");
}

static void test_route_numeric_key_checked_as_name(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  5: {host: s1, lane: a}\n" D1, "routes[\"5\"]", "invalid route name");
}

static void test_lane_without_concurrency_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, lanes: {normal: {}}}\n", "normal",
               "must have concurrency");
}

static void test_lane_only_paused_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, lanes: {normal: {paused: true}}}\n", "normal",
               "must have concurrency");
}

static void test_lane_not_a_mapping_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, lanes: {normal: 3}}\n", "normal",
               "must have concurrency");
}

static void test_lane_concurrency_zero_accepted(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK(
        "dugdales:\n  - {id: s1, host: h, lanes: {normal: {concurrency: 0, paused: true}}}\n");
    cJSON *root = config_json(cfg);
    cJSON *lane = JSON_GET(JSON_GET(json_dugdale(root, "s1"), "lanes"), "normal");
    assert_true(cJSON_IsNumber(JSON_GET(lane, "concurrency")));
    assert_int_equal(JSON_GET(lane, "concurrency")->valueint, 0);
    assert_true(cJSON_IsTrue(JSON_GET(lane, "paused")));
    cJSON_Delete(root);
    letts_config_free(cfg);
}

static void test_lane_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS(
        "dugdales:\n  - {id: s1, host: h, lanes: {normal: {concurrency: 1, paralellism: 8}}}\n",
        "normal", "unknown key", "paralellism");
}

static void test_null_lane_without_extends_declares_nothing(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales:\n  - {id: s1, host: h, lanes: {gone: null}}\n");
    cJSON *root = config_json(cfg);
    cJSON *lanes = JSON_GET(json_dugdale(root, "s1"), "lanes");
    assert_null(cJSON_GetObjectItemCaseSensitive(lanes, "gone"));
    cJSON_Delete(root);
    letts_config_free(cfg);
}

static void test_label_uppercase_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, labels: [prod, Prod]}\n", "dugdales[0].labels",
               "invalid label \"Prod\"");
}

static void test_label_33_chars_rejected(void **state) {
    (void)state;
    char name[34];
    memset(name, 'b', 33);
    name[33] = '\0';
    char yaml[256], needle[96];
    snprintf(yaml, sizeof yaml, "dugdales:\n  - {id: s1, host: h, labels: [%s]}\n", name);
    snprintf(needle, sizeof needle, "invalid label \"%s\"", name);
    LOAD_FAILS(yaml, "dugdales[0].labels", needle);
}

static void test_labels_scalar_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, labels: prod}\n", "dugdales[0]", "labels");
}

static void test_selector_match_scalar_rejected(void **state) {
    (void)state;
    LOAD_FAILS("selector: {match: prod}\n", "selector", "match");
}

static void test_command_template_scalar_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, runtime: {command_template: php}}\n",
               "command_template");
}

static void test_selector_match_not_validated(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("selector: {match: [Prod, \"with space\"]}\n" D1);
    cJSON *root = config_json(cfg);
    JSON_STRINGS(JSON_GET(JSON_GET(root, "selector"), "match"), "Prod", "with space");
    cJSON_Delete(root);
    letts_config_free(cfg);
}

static void test_unconsumed_keys_accepted(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales:\n"
                                "  - id: s1\n"
                                "    host: h\n"
                                "    mission_dir: /srv/m\n"
                                "    runtime:\n"
                                "      mission_path_template: \"{mission}.php\"\n"
                                "      command_template: [php, \"{mission_path}\"]\n"
                                "      validate_mission_file: true\n");
    cJSON *root = config_json(cfg);
    cJSON *d = json_dugdale(root, "s1");
    JSON_STRING_IS(JSON_GET(d, "mission_dir"), "/srv/m");
    cJSON *rt = JSON_GET(d, "runtime");
    JSON_STRING_IS(JSON_GET(rt, "mission_path_template"), "{mission}.php");
    JSON_STRINGS(JSON_GET(rt, "command_template"), "php", "{mission_path}");
    assert_true(cJSON_IsTrue(JSON_GET(rt, "validate_mission_file")));
    cJSON_Delete(root);
    letts_config_free(cfg);
}

static void test_null_string_is_absent(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales:\n  - {id: s1, host: h, token: null, url: ~}\n");
    cJSON *root = config_json(cfg);
    cJSON *d = json_dugdale(root, "s1");
    JSON_STRING_IS(JSON_GET(d, "token"), "");
    JSON_STRING_IS(JSON_GET(d, "url"), "");
    cJSON_Delete(root);
    letts_config_free(cfg);
}

static void test_scalar_host_taken_as_text(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales:\n  - {id: s1, host: 10.0.0.7}\n");
    cJSON *root = config_json(cfg);
    JSON_STRING_IS(JSON_GET(json_dugdale(root, "s1"), "host"), "10.0.0.7");
    cJSON_Delete(root);
    letts_config_free(cfg);
}

/* ---- §13.2 #17–#20, #32: templates ------------------------------------- */

static void test_template_name_uppercase_rejected(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  Prod: {labels: [a]}\n", "templates[\"Prod\"]",
               "invalid template name");
}

static void test_template_name_leading_digit_rejected(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  1prod: {labels: [a]}\n", "templates[\"1prod\"]",
               "invalid template name");
}

static void test_template_not_a_mapping_rejected(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  k: 1\n", "templates[k]||templates[\"k\"]", "must be a mapping");
}

static void test_template_lane_name_invalid_rejected(void **state) {
    (void)state;
    /* An unused template is still validated. */
    LOAD_FAILS("templates:\n  k: {lanes: {Bad: {concurrency: 1}}}\n" D1,
               "templates[\"k\"].lanes||templates[k].lanes", "invalid lane name \"Bad\"");
}

static void test_template_label_invalid_rejected(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  k: {labels: [ok, Bad]}\n" D1,
               "templates[\"k\"].labels||templates[k].labels", "invalid label \"Bad\"");
}

static void test_template_proxy_invalid_rejected(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  k: {proxy: \"ftp://p\"}\n" D1, "templates[\"k\"]||templates[k]",
               "ftp://p", PROXY_SCHEME_RULE);
}

static void test_template_lane_without_concurrency_rejected(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  k: {lanes: {alpha: {paused: false}}}\n" D1, "alpha",
               "must have concurrency");
}

static void test_template_lane_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  k: {lanes: {alpha: {concurrency: 1, prio: 2}}}\n" D1, "alpha",
               "unknown key", "prio");
}

static void test_template_null_lane_rejected(void **state) {
    (void)state;
    LOAD_FAILS("templates:\n  k: {lanes: {alpha: null}}\n" D1, "alpha",
               "must have concurrency||null");
}

static void test_template_null_proxy_not_a_marker(void **state) {
    (void)state;
    /* proxy: null is recognised only in dugdales[]; in a template it is
     * simply "no proxy" (null = absent for strings). */
    letts_config *cfg = LOAD_OK("templates:\n  k: {proxy: null}\n"
                                "dugdales:\n  - {id: s1, host: h, extends: k}\n");
    letts_config_free(cfg);
}

static void test_extends_unknown_template_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: h, extends: nope}\n", "dugdales[", "s1",
               "unknown template", "nope");
}

/* ---- §13.2 #21–#24, #33: routes ---------------------------------------- */

static void test_route_name_uppercase_rejected(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  Fast: {host: s1, lane: a}\n" D1, "routes[\"Fast\"]",
               "invalid route name");
}

static void test_route_missing_lane_rejected(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  r: {host: s1}\n" D1, "routes[\"r\"]||routes[r]",
               "must have host and lane||lane is required");
}

static void test_route_empty_lane_rejected(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  r: {host: s1, lane: \"\"}\n" D1, "routes[\"r\"]||routes[r]",
               "must have host and lane||lane is required");
}

static void test_route_missing_host_rejected(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  r: {lane: a}\n" D1, "routes[\"r\"]||routes[r]",
               "must have host and lane||host is required");
}

static void test_route_null_host_rejected(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  r: {host: null, lane: a}\n" D1, "routes[\"r\"]||routes[r]",
               "must have host and lane||host is required");
}

static void test_route_not_a_mapping_rejected(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  r: s1\n" D1, "routes[\"r\"]||routes[r]",
               "must have host and lane||must be a mapping");
}

static void test_route_lane_invalid_rejected(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  r: {host: s1, lane: Hi}\n" D1, "routes[\"r\"].lane",
               "invalid lane name", "Hi");
}

static void test_route_host_unknown_rejected(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  r: {host: ghost, lane: a}\n" D1, "routes[\"r\"]",
               "host \"ghost\" is not a known dugdale id or alias");
}

static void test_route_host_with_placeholder_rejected(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  r: {host: \"${ROUTE_HOST}\", lane: a}\n" D1, "routes[\"r\"]", "host");
}

static void test_route_unknown_key_rejected(void **state) {
    (void)state;
    LOAD_FAILS("routes:\n  r: {host: s1, lane: a, note: y}\n" D1, "routes[", "unknown key",
               "note");
}

static void test_route_host_alias_and_undeclared_lane_accepted(void **state) {
    (void)state;
    /* The host may be an alias; the lane need not be declared by the dugdale. */
    letts_config_free(LOAD_OK("routes:\n  r: {host: primary, lane: undeclared}\n"
                              "aliases:\n  primary: s1\n" D1));
}

/* ---- §13.2 #25–#29: aliases -------------------------------------------- */

static void test_alias_key_with_space_rejected(void **state) {
    (void)state;
    LOAD_FAILS("aliases:\n  \"BAD KEY\": s1\n" D1, "aliases[\"BAD KEY\"]", "invalid alias key");
}

static void test_alias_key_uppercase_rejected(void **state) {
    (void)state;
    LOAD_FAILS("aliases:\n  Prod: s1\n" D1, "aliases[\"Prod\"]", "invalid alias key");
}

static void test_alias_key_numeric_accepted(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("aliases:\n  5: s1\n  \"0\": s1\n  5srv: s1\n" D1);
    cJSON *root = config_json(cfg);
    cJSON *aliases = JSON_GET(root, "aliases");
    JSON_STRING_IS(JSON_GET(aliases, "5"), "s1");
    JSON_STRING_IS(JSON_GET(aliases, "0"), "s1");
    JSON_STRING_IS(JSON_GET(aliases, "5srv"), "s1");
    cJSON_Delete(root);
    letts_config_free(cfg);
}

static void test_alias_key_equal_to_id_rejected(void **state) {
    (void)state;
    LOAD_FAILS("aliases:\n  s1: s2\n"
               "dugdales:\n  - {id: s1, host: h}\n  - {id: s2, host: h}\n",
               "aliases[\"s1\"]", "collides with existing dugdales[].id");
}

static void test_alias_value_empty_rejected(void **state) {
    (void)state;
    LOAD_FAILS("aliases:\n  prod: \"\"\n" D1, "aliases[\"prod\"]", "empty value");
}

static void test_alias_value_invalid_id_rejected(void **state) {
    (void)state;
    LOAD_FAILS("aliases:\n  prod: \"BAD ID\"\n" D1, "aliases[\"prod\"] value",
               "invalid dugdale id \"BAD ID\"");
}

static void test_alias_value_placeholder_skips_regex(void **state) {
    (void)state;
    letts_config_free(LOAD_OK("aliases:\n  a: \"${X}-BAD\"\n  b: \"${Y}\"\n  c: b\n" D1));
}

static void test_alias_self_reference_rejected(void **state) {
    (void)state;
    LOAD_FAILS("aliases:\n  a: a\n" D1, "aliases[\"a\"]", "self-referential value \"a\"");
}

static void test_alias_cycle_rejected(void **state) {
    (void)state;
    LOAD_FAILS("aliases:\n  a: b\n  b: a\n" D1, "aliases[\"", "cycle detected at");
}

static void test_alias_dangling_rejected(void **state) {
    (void)state;
    LOAD_FAILS("aliases:\n  a: ghost\n" D1, "aliases[\"a\"]",
               "chain dead-ends at unknown id \"ghost\"");
}

static void test_alias_chain_of_8_hops_rejected(void **state) {
    (void)state;
    LOAD_FAILS("aliases:\n  h1: h2\n  h2: h3\n  h3: h4\n  h4: h5\n  h5: h6\n  h6: h7\n"
               "  h7: h8\n  h8: s1\n" D1,
               "aliases[\"h1\"]", "chain exceeds max depth 8");
}

static void test_alias_chain_of_7_hops_accepted(void **state) {
    (void)state;
    letts_config_free(LOAD_OK("aliases:\n  h1: h2\n  h2: h3\n  h3: h4\n  h4: h5\n  h5: h6\n"
                              "  h6: h7\n  h7: s1\n" D1));
}

/* ---- §13.2 #30: host or url -------------------------------------------- */

static void test_dugdale_without_host_or_url_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1}\n", "dugdales[0]", "one of host or url is required");
}

static void test_dugdale_empty_host_and_url_rejected(void **state) {
    (void)state;
    LOAD_FAILS("dugdales:\n  - {id: s1, host: \"\", url: \"\", port: 7180}\n", "dugdales[0]",
               "one of host or url is required");
}

static void test_dugdale_with_url_only_accepted(void **state) {
    (void)state;
    letts_config_free(LOAD_OK("dugdales:\n  - {id: s1, url: \"http://h:1\"}\n"));
}

/* ---- §13.1: first failure, path first ---------------------------------- */

static void test_url_scheme_not_checked_at_load(void **state) {
    (void)state;
    /* §8: the url scheme is checked when the dugdale is first used. */
    letts_config_free(LOAD_OK("dugdales:\n  - {id: s1, url: \"ftp://h/x\"}\n"));
}

static void test_no_env_read_at_load(void **state) {
    (void)state;
    /* Stage 1 never substitutes: unset variables in tokens, aliases and
     * proxies do not fail the load. */
    env_set("LT_LOAD_UNSET_A", NULL);
    env_set("LT_LOAD_UNSET_B", NULL);
    env_set("LT_LOAD_UNSET_C", NULL);
    letts_config *cfg = LOAD_OK("auth: {token: \"${LT_LOAD_UNSET_A}\"}\n"
                                "aliases: {x: \"${LT_LOAD_UNSET_B}\"}\n"
                                "dugdales:\n"
                                "  - {id: s1, host: h, proxy: \"${LT_LOAD_UNSET_C}\"}\n");
    cJSON *root = config_json(cfg);
    JSON_STRING_IS(JSON_GET(JSON_GET(root, "auth"), "token"), "${LT_LOAD_UNSET_A}");
    JSON_STRING_IS(JSON_GET(json_dugdale(root, "s1"), "proxy"), "${LT_LOAD_UNSET_C}");
    cJSON_Delete(root);
    letts_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_syntax_error_rejected),
        cmocka_unit_test(test_yaml_bad_indentation_rejected),
        cmocka_unit_test(test_root_sequence_rejected),
        cmocka_unit_test(test_root_scalar_rejected),
        cmocka_unit_test(test_empty_file_rejected),
        cmocka_unit_test(test_comment_only_file_rejected),
        cmocka_unit_test(test_only_empty_dugdales_is_valid),
        cmocka_unit_test(test_empty_mapping_root_is_valid),
        cmocka_unit_test(test_duplicate_root_key_rejected),
        cmocka_unit_test(test_duplicate_dugdale_key_rejected),
        cmocka_unit_test(test_yaml_anchors_and_aliases_accepted),
        cmocka_unit_test(test_root_unknown_key_rejected),
        cmocka_unit_test(test_root_proxy_key_rejected),
        cmocka_unit_test(test_root_port_key_rejected),
        cmocka_unit_test(test_auth_unknown_key_rejected),
        cmocka_unit_test(test_defaults_unknown_key_rejected),
        cmocka_unit_test(test_selector_unknown_key_rejected),
        cmocka_unit_test(test_dugdale_unknown_key_rejected),
        cmocka_unit_test(test_template_unknown_key_rejected),
        cmocka_unit_test(test_template_cannot_carry_host),
        cmocka_unit_test(test_template_cannot_carry_id),
        cmocka_unit_test(test_template_cannot_carry_port),
        cmocka_unit_test(test_template_cannot_carry_url),
        cmocka_unit_test(test_template_cannot_extend),
        cmocka_unit_test(test_dugdale_runtime_unknown_key_rejected),
        cmocka_unit_test(test_template_runtime_unknown_key_rejected),
        cmocka_unit_test(test_dugdale_not_a_mapping_rejected),
        cmocka_unit_test(test_dugdales_not_a_sequence_rejected),
        cmocka_unit_test(test_dugdale_id_missing_rejected),
        cmocka_unit_test(test_dugdale_id_empty_rejected),
        cmocka_unit_test(test_dugdale_id_uppercase_rejected),
        cmocka_unit_test(test_dugdale_id_leading_digit_rejected),
        cmocka_unit_test(test_dugdale_id_numeric_rejected),
        cmocka_unit_test(test_dugdale_id_with_space_rejected),
        cmocka_unit_test(test_dugdale_id_non_ascii_rejected),
        cmocka_unit_test(test_dugdale_id_trailing_newline_rejected),
        cmocka_unit_test(test_dugdale_id_65_chars_rejected),
        cmocka_unit_test(test_dugdale_id_valid_forms_accepted),
        cmocka_unit_test(test_dugdale_duplicate_id_rejected),
        cmocka_unit_test(test_dugdale_port_above_range_rejected),
        cmocka_unit_test(test_dugdale_port_negative_rejected),
        cmocka_unit_test(test_dugdale_port_65536_rejected),
        cmocka_unit_test(test_dugdale_port_bounds_accepted),
        cmocka_unit_test(test_defaults_port_negative_rejected),
        cmocka_unit_test(test_defaults_port_above_range_rejected),
        cmocka_unit_test(test_dugdale_port_quoted_string_rejected),
        cmocka_unit_test(test_dugdale_port_float_rejected),
        cmocka_unit_test(test_defaults_port_quoted_string_rejected),
        cmocka_unit_test(test_lane_concurrency_quoted_string_rejected),
        cmocka_unit_test(test_dugdale_proxy_ftp_scheme_rejected),
        cmocka_unit_test(test_dugdale_proxy_socks4_scheme_rejected),
        cmocka_unit_test(test_dugdale_proxy_not_a_url_rejected),
        cmocka_unit_test(test_dugdale_proxy_valid_forms_accepted),
        cmocka_unit_test(test_lane_name_uppercase_rejected),
        cmocka_unit_test(test_lane_name_33_chars_rejected),
        cmocka_unit_test(test_lane_name_32_chars_accepted),
        cmocka_unit_test(test_lane_numeric_key_checked_as_name),
        cmocka_unit_test(test_route_numeric_key_checked_as_name),
        cmocka_unit_test(test_lane_without_concurrency_rejected),
        cmocka_unit_test(test_lane_only_paused_rejected),
        cmocka_unit_test(test_lane_not_a_mapping_rejected),
        cmocka_unit_test(test_lane_concurrency_zero_accepted),
        cmocka_unit_test(test_lane_unknown_key_rejected),
        cmocka_unit_test(test_null_lane_without_extends_declares_nothing),
        cmocka_unit_test(test_label_uppercase_rejected),
        cmocka_unit_test(test_label_33_chars_rejected),
        cmocka_unit_test(test_labels_scalar_rejected),
        cmocka_unit_test(test_selector_match_scalar_rejected),
        cmocka_unit_test(test_command_template_scalar_rejected),
        cmocka_unit_test(test_selector_match_not_validated),
        cmocka_unit_test(test_unconsumed_keys_accepted),
        cmocka_unit_test(test_null_string_is_absent),
        cmocka_unit_test(test_scalar_host_taken_as_text),
        cmocka_unit_test(test_template_name_uppercase_rejected),
        cmocka_unit_test(test_template_name_leading_digit_rejected),
        cmocka_unit_test(test_template_not_a_mapping_rejected),
        cmocka_unit_test(test_template_lane_name_invalid_rejected),
        cmocka_unit_test(test_template_label_invalid_rejected),
        cmocka_unit_test(test_template_proxy_invalid_rejected),
        cmocka_unit_test(test_template_lane_without_concurrency_rejected),
        cmocka_unit_test(test_template_lane_unknown_key_rejected),
        cmocka_unit_test(test_template_null_lane_rejected),
        cmocka_unit_test(test_template_null_proxy_not_a_marker),
        cmocka_unit_test(test_extends_unknown_template_rejected),
        cmocka_unit_test(test_route_name_uppercase_rejected),
        cmocka_unit_test(test_route_missing_lane_rejected),
        cmocka_unit_test(test_route_empty_lane_rejected),
        cmocka_unit_test(test_route_missing_host_rejected),
        cmocka_unit_test(test_route_null_host_rejected),
        cmocka_unit_test(test_route_not_a_mapping_rejected),
        cmocka_unit_test(test_route_lane_invalid_rejected),
        cmocka_unit_test(test_route_host_unknown_rejected),
        cmocka_unit_test(test_route_host_with_placeholder_rejected),
        cmocka_unit_test(test_route_unknown_key_rejected),
        cmocka_unit_test(test_route_host_alias_and_undeclared_lane_accepted),
        cmocka_unit_test(test_alias_key_with_space_rejected),
        cmocka_unit_test(test_alias_key_uppercase_rejected),
        cmocka_unit_test(test_alias_key_numeric_accepted),
        cmocka_unit_test(test_alias_key_equal_to_id_rejected),
        cmocka_unit_test(test_alias_value_empty_rejected),
        cmocka_unit_test(test_alias_value_invalid_id_rejected),
        cmocka_unit_test(test_alias_value_placeholder_skips_regex),
        cmocka_unit_test(test_alias_self_reference_rejected),
        cmocka_unit_test(test_alias_cycle_rejected),
        cmocka_unit_test(test_alias_dangling_rejected),
        cmocka_unit_test(test_alias_chain_of_8_hops_rejected),
        cmocka_unit_test(test_alias_chain_of_7_hops_accepted),
        cmocka_unit_test(test_dugdale_without_host_or_url_rejected),
        cmocka_unit_test(test_dugdale_empty_host_and_url_rejected),
        cmocka_unit_test(test_dugdale_with_url_only_accepted),
        cmocka_unit_test(test_url_scheme_not_checked_at_load),
        cmocka_unit_test(test_no_env_read_at_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
