/*
 * letts.yaml load-time validation through the C API (letts_config_load_string).
 *
 * One row per case of the catalogue in spec/client-config.md §13.2 (rows 1
 * and 31 need files and live in test_load_file.c), plus the general rules of
 * §3 (document, scalar typing, unknown keys), §4 (key reference) and §5
 * (names): the YAML loaded as "cat.yaml", the status, and the whole error
 * message the load must produce (NULL: the load succeeds). Each row is its
 * own cmocka test, named after the row. The cases that inspect the loaded
 * configuration are functions after the table.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D1 "dugdales:\n  - {id: s1, host: h}\n"

/* Names at and one past their length limit (64 for ids, 32 for lanes and labels). */
#define ID_64 "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
#define ID_65 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LANE_32 "llllllllllllllllllllllllllllllll"
#define LANE_33 "lllllllllllllllllllllllllllllllll"
#define LABEL_33 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

struct load_case {
    const char *name;    /* the cmocka test's name */
    const char *yaml;    /* loaded as TEST_SOURCE_NAME */
    letts_status status; /* LETTS_OK or the error's status */
    const char *message; /* the error's whole message; NULL for LETTS_OK */
};

static const struct load_case load_cases[] = {
    /* ---- §13.2 #2 / §3.1: document ----------------------------------------- */
    {"test_yaml_syntax_error_rejected", "dugdales: [\n  {id: s1, host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: yaml parse: line 3:1: did not find expected ',' or ']' (while parsing a flow sequence at line 1:11)"},
    {"test_yaml_bad_indentation_rejected", "dugdales:\n  - id: s1\n   host: h\n",
     LETTS_ERR_CONFIG, "cat.yaml: yaml parse: line 3:4: did not find expected '-' indicator (while parsing a block collection at line 2:3)"},

    /* §13.2 #3 */
    {"test_root_sequence_rejected", "- a\n",
     LETTS_ERR_CONFIG, "cat.yaml: yaml root must be a mapping"},
    {"test_root_scalar_rejected", "hello\n",
     LETTS_ERR_CONFIG, "cat.yaml: yaml root must be a mapping"},
    {"test_empty_file_rejected", "",
     LETTS_ERR_CONFIG, "cat.yaml: yaml root must be a mapping"},
    {"test_comment_only_file_rejected", "# nothing here\n",
     LETTS_ERR_CONFIG, "cat.yaml: yaml root must be a mapping"},
    {"test_empty_mapping_root_is_valid", "{}\n",
     LETTS_OK, NULL},
    {"test_duplicate_root_key_rejected", "dugdales: []\ndugdales: []\n",
     LETTS_ERR_CONFIG, "cat.yaml: root: duplicate key: dugdales (line 2:1)"},
    {"test_duplicate_dugdale_key_rejected", "dugdales:\n  - id: s1\n    host: h\n    host: g\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: duplicate key: host (line 4:5)"},

    /* ---- §13.2 #4 / §3.3: unknown keys at every level ----------------------- */
    {"test_root_unknown_key_rejected", "mystery_field: 42\n",
     LETTS_ERR_CONFIG, "cat.yaml: root: unknown key: mystery_field"},
    {"test_root_proxy_key_rejected", "proxy: http://p:3128\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: root: unknown key: proxy"},
    {"test_root_port_key_rejected", "port: 7180\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: root: unknown key: port"},
    {"test_auth_unknown_key_rejected", "auth: {tokn: x}\n",
     LETTS_ERR_CONFIG, "cat.yaml: auth: unknown key: tokn"},
    {"test_defaults_unknown_key_rejected", "defaults: {prot: 1}\n",
     LETTS_ERR_CONFIG, "cat.yaml: defaults: unknown key: prot"},
    {"test_selector_unknown_key_rejected", "selector: {matches: [a]}\n",
     LETTS_ERR_CONFIG, "cat.yaml: selector: unknown key: matches"},
    {"test_dugdale_unknown_key_rejected", "dugdales:\n  - {id: s1, host: h, dispach_token: x}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: unknown key: dispach_token"},
    {"test_template_unknown_key_rejected", "templates:\n  prod: {tokn: x}\n",
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"prod\"]: unknown key: tokn"},
    {"test_template_cannot_carry_host", "templates:\n  prod: {host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"prod\"]: unknown key: host"},
    {"test_template_cannot_carry_id", "templates:\n  prod: {id: s1}\n",
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"prod\"]: unknown key: id"},
    {"test_template_cannot_carry_port", "templates:\n  prod: {port: 7180}\n",
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"prod\"]: unknown key: port"},
    {"test_template_cannot_carry_url", "templates:\n  prod: {url: \"http://h\"}\n",
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"prod\"]: unknown key: url"},
    {"test_template_cannot_extend", "templates:\n  base: {}\n  prod: {extends: base}\n",
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"prod\"]: unknown key: extends"},
    {"test_dugdale_runtime_unknown_key_rejected",
     "dugdales:\n  - {id: s1, host: h, runtime: {mission_path: x}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].runtime: unknown key: mission_path"},
    {"test_template_runtime_unknown_key_rejected",
     "templates:\n  prod: {runtime: {validate: true}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"prod\"].runtime: unknown key: validate"},

    /* ---- §13.2 #5–#11: dugdale entries ------------------------------------- */
    {"test_dugdale_not_a_mapping_rejected", "dugdales: [x]\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: must be a mapping"},
    {"test_dugdales_not_a_sequence_rejected", "dugdales: {id: s1, host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales: must be a list, got a mapping"},
    {"test_dugdale_id_missing_rejected", "dugdales:\n  - {host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: id is required"},
    {"test_dugdale_id_empty_rejected", "dugdales:\n  - {id: \"\", host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: id is required"},
    {"test_dugdale_id_uppercase_rejected", "dugdales:\n  - {id: Web1, host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: invalid dugdale id \"Web1\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_dugdale_id_leading_digit_rejected", "dugdales:\n  - {id: 1s, host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: invalid dugdale id \"1s\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    /* A YAML integer is taken as its text "5", which is not a dugdale id. */
    {"test_dugdale_id_numeric_rejected", "dugdales:\n  - {id: 5, host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: invalid dugdale id \"5\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_dugdale_id_with_space_rejected", "dugdales:\n  - {id: with space, host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: invalid dugdale id \"with space\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_dugdale_id_non_ascii_rejected", "dugdales:\n  - {id: \"s\xc3\xa9\", host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: invalid dugdale id \"s\xc3\xa9\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_dugdale_id_trailing_newline_rejected", "dugdales:\n  - {id: \"s1\\n\", host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: invalid dugdale id \"s1\\n\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_dugdale_id_65_chars_rejected", "dugdales:\n  - {id: " ID_65 ", host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0]: invalid dugdale id \"" ID_65 "\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_dugdale_duplicate_id_rejected",
     "dugdales:\n  - {id: s1, host: h}\n  - {id: s1, host: g}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[1]: duplicate id \"s1\""},
    {"test_dugdale_port_above_range_rejected", "dugdales:\n  - {id: s1, host: h, port: 70000}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0] (\"s1\"): port 70000 out of range (1..65535; 0 = use default)"},
    {"test_dugdale_port_negative_rejected", "dugdales:\n  - {id: s1, host: h, port: -1}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0] (\"s1\"): port -1 out of range (1..65535; 0 = use default)"},
    {"test_dugdale_port_65536_rejected", "dugdales:\n  - {id: s1, host: h, port: 65536}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0] (\"s1\"): port 65536 out of range (1..65535; 0 = use default)"},
    {"test_dugdale_port_bounds_accepted",
     "dugdales:\n  - {id: s1, host: h, port: 0}\n"
     "  - {id: s2, host: h, port: 65535}\n",
     LETTS_OK, NULL},
    {"test_defaults_port_negative_rejected", "defaults: {port: -1}\n",
     LETTS_ERR_CONFIG, "cat.yaml: defaults.port -1 out of range (1..65535; 0 = use default)"},
    {"test_defaults_port_above_range_rejected", "defaults: {port: 65536}\n",
     LETTS_ERR_CONFIG, "cat.yaml: defaults.port 65536 out of range (1..65535; 0 = use default)"},
    {"test_dugdale_port_quoted_string_rejected",
     "dugdales:\n  - {id: s1, host: h, port: \"7180\"}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].port: must be an integer, got a string \"7180\""},
    {"test_dugdale_port_float_rejected", "dugdales:\n  - {id: s1, host: h, port: 7180.5}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].port: must be an integer, got a number \"7180.5\""},
    {"test_defaults_port_quoted_string_rejected", "defaults: {port: \"7180\"}\n",
     LETTS_ERR_CONFIG, "cat.yaml: defaults.port: must be an integer, got a string \"7180\""},
    {"test_lane_concurrency_quoted_string_rejected",
     "dugdales:\n  - {id: s1, host: h, lanes: {normal: {concurrency: \"3\"}}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].lanes: lane normal: concurrency: must be an integer, got a string \"3\""},

    /* ---- §13.2 #12 / §11.2: proxy syntax ----------------------------------- */
    {"test_dugdale_proxy_ftp_scheme_rejected",
     "dugdales:\n  - {id: s1, host: h, proxy: \"ftp://p\"}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0] (\"s1\"): proxy \"ftp://p\": scheme must be socks5, socks5h, http, or https"},
    {"test_dugdale_proxy_socks4_scheme_rejected",
     "dugdales:\n  - {id: s1, host: h, proxy: \"socks4://h:1080\"}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0] (\"s1\"): proxy \"socks4://h:1080\": scheme must be socks5, socks5h, http, or https"},
    {"test_dugdale_proxy_not_a_url_rejected",
     "dugdales:\n  - {id: s1, host: h, proxy: \"not a url at all ::::\"}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0] (\"s1\"): invalid proxy url \"not a url at all ::::\": contains a space or a control character"},
    {"test_dugdale_proxy_valid_forms_accepted",
     "dugdales:\n"
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
     "  - {id: b2, host: h, proxy: null}\n",
     LETTS_OK, NULL},

    /* ---- §13.2 #13–#16: lanes and labels ----------------------------------- */
    {"test_lane_name_uppercase_rejected",
     "dugdales:\n  - {id: s1, host: h, lanes: {Normal: {concurrency: 1}}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].lanes: invalid lane name \"Normal\" (must match ^[a-z][a-z0-9_-]{0,31}$)"},
    {"test_lane_name_33_chars_rejected",
     "dugdales:\n  - {id: s1, host: h, lanes: {" LANE_33 ": {concurrency: 1}}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].lanes: invalid lane name \"" LANE_33 "\" (must match ^[a-z][a-z0-9_-]{0,31}$)"},
    {"test_lane_name_32_chars_accepted",
     "dugdales:\n  - {id: s1, host: h, lanes: {" LANE_32 ": {concurrency: 1}}}\n",
     LETTS_OK, NULL},
    /* Integer-looking keys are normal keys, checked against the lane regex. */
    {"test_lane_numeric_key_checked_as_name",
     "dugdales:\n  - {id: s1, host: h, lanes: {5: {concurrency: 1}}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].lanes: invalid lane name \"5\" (must match ^[a-z][a-z0-9_-]{0,31}$)"},
    {"test_route_numeric_key_checked_as_name", "routes:\n  5: {host: s1, lane: a}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: routes[\"5\"]: invalid route name \"5\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_lane_without_concurrency_rejected",
     "dugdales:\n  - {id: s1, host: h, lanes: {normal: {}}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].lanes: lane normal: must have concurrency"},
    {"test_lane_only_paused_rejected",
     "dugdales:\n  - {id: s1, host: h, lanes: {normal: {paused: true}}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].lanes: lane normal: must have concurrency"},
    {"test_lane_not_a_mapping_rejected", "dugdales:\n  - {id: s1, host: h, lanes: {normal: 3}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].lanes: lane normal: must have concurrency"},
    {"test_lane_unknown_key_rejected",
     "dugdales:\n  - {id: s1, host: h, lanes: {normal: {concurrency: 1, paralellism: 8}}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].lanes: lane normal: unknown key: paralellism"},
    {"test_label_uppercase_rejected", "dugdales:\n  - {id: s1, host: h, labels: [prod, Prod]}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].labels: invalid label \"Prod\" (must match ^[a-z][a-z0-9_-]{0,31}$)"},
    {"test_label_33_chars_rejected", "dugdales:\n  - {id: s1, host: h, labels: [" LABEL_33 "]}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].labels: invalid label \"" LABEL_33 "\" (must match ^[a-z][a-z0-9_-]{0,31}$)"},
    {"test_labels_scalar_rejected", "dugdales:\n  - {id: s1, host: h, labels: prod}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].labels: must be a list of strings, got a string"},
    {"test_selector_match_scalar_rejected", "selector: {match: prod}\n",
     LETTS_ERR_CONFIG, "cat.yaml: selector.match: must be a list of strings, got a string"},
    {"test_command_template_scalar_rejected",
     "dugdales:\n  - {id: s1, host: h, runtime: {command_template: php}}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0].runtime.command_template: must be a list of strings, got a string"},

    /* ---- §13.2 #17–#20, #32: templates ------------------------------------- */
    {"test_template_name_uppercase_rejected", "templates:\n  Prod: {labels: [a]}\n",
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"Prod\"]: invalid template name \"Prod\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_template_name_leading_digit_rejected", "templates:\n  1prod: {labels: [a]}\n",
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"1prod\"]: invalid template name \"1prod\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_template_not_a_mapping_rejected", "templates:\n  k: 1\n",
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"k\"]: must be a mapping"},
    /* An unused template is still validated. */
    {"test_template_lane_name_invalid_rejected",
     "templates:\n  k: {lanes: {Bad: {concurrency: 1}}}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"k\"].lanes: invalid lane name \"Bad\" (must match ^[a-z][a-z0-9_-]{0,31}$)"},
    {"test_template_label_invalid_rejected", "templates:\n  k: {labels: [ok, Bad]}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"k\"].labels: invalid label \"Bad\" (must match ^[a-z][a-z0-9_-]{0,31}$)"},
    {"test_template_proxy_invalid_rejected", "templates:\n  k: {proxy: \"ftp://p\"}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"k\"]: proxy \"ftp://p\": scheme must be socks5, socks5h, http, or https"},
    {"test_template_lane_without_concurrency_rejected",
     "templates:\n  k: {lanes: {alpha: {paused: false}}}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"k\"].lanes: lane alpha: must have concurrency"},
    {"test_template_lane_unknown_key_rejected",
     "templates:\n  k: {lanes: {alpha: {concurrency: 1, prio: 2}}}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"k\"].lanes: lane alpha: unknown key: prio"},
    {"test_template_null_lane_rejected", "templates:\n  k: {lanes: {alpha: null}}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: templates[\"k\"].lanes: lane alpha: must have concurrency"},
    /* proxy: null is recognised only in dugdales[]; in a template it is
     * simply "no proxy" (null = absent for strings). */
    {"test_template_null_proxy_not_a_marker",
     "templates:\n  k: {proxy: null}\n"
     "dugdales:\n  - {id: s1, host: h, extends: k}\n",
     LETTS_OK, NULL},
    {"test_extends_unknown_template_rejected", "dugdales:\n  - {id: s1, host: h, extends: nope}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0] (\"s1\"): extends unknown template \"nope\""},

    /* ---- §13.2 #21–#24, #33: routes ---------------------------------------- */
    {"test_route_name_uppercase_rejected", "routes:\n  Fast: {host: s1, lane: a}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: routes[\"Fast\"]: invalid route name \"Fast\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_route_missing_lane_rejected", "routes:\n  r: {host: s1}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: routes[\"r\"]: must have host and lane (lane is required)"},
    {"test_route_empty_lane_rejected", "routes:\n  r: {host: s1, lane: \"\"}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: routes[\"r\"]: must have host and lane (lane is required)"},
    {"test_route_missing_host_rejected", "routes:\n  r: {lane: a}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: routes[\"r\"]: must have host and lane (host is required)"},
    {"test_route_null_host_rejected", "routes:\n  r: {host: null, lane: a}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: routes[\"r\"]: must have host and lane (host is required)"},
    {"test_route_not_a_mapping_rejected", "routes:\n  r: s1\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: routes[\"r\"]: must have host and lane"},
    {"test_route_lane_invalid_rejected", "routes:\n  r: {host: s1, lane: Hi}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: routes[\"r\"].lane: invalid lane name \"Hi\" (must match ^[a-z][a-z0-9_-]{0,31}$)"},
    {"test_route_host_unknown_rejected", "routes:\n  r: {host: ghost, lane: a}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: routes[\"r\"]: host \"ghost\" is not a known dugdale id or alias"},
    /* Like the Go CLI and the PHP client, a host with ${ loads (it is only
       refused when the route is used, test_resolve_target.cpp). */
    {"test_route_host_with_placeholder_loads",
     "routes:\n  r: {host: \"${ROUTE_HOST}\", lane: a}\n" D1,
     LETTS_OK, NULL},
    {"test_route_unknown_key_rejected", "routes:\n  r: {host: s1, lane: a, note: y}\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: routes[\"r\"]: unknown key: note"},
    /* The host may be an alias; the lane need not be declared by the dugdale. */
    {"test_route_host_alias_and_undeclared_lane_accepted",
     "routes:\n  r: {host: primary, lane: undeclared}\n"
     "aliases:\n  primary: s1\n" D1,
     LETTS_OK, NULL},

    /* ---- §13.2 #25–#29: aliases -------------------------------------------- */
    {"test_alias_key_with_space_rejected", "aliases:\n  \"BAD KEY\": s1\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: aliases[\"BAD KEY\"]: invalid alias key \"BAD KEY\" (must match ^[a-z0-9][a-z0-9_-]{0,63}$)"},
    {"test_alias_key_uppercase_rejected", "aliases:\n  Prod: s1\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: aliases[\"Prod\"]: invalid alias key \"Prod\" (must match ^[a-z0-9][a-z0-9_-]{0,63}$)"},
    {"test_alias_key_equal_to_id_rejected",
     "aliases:\n  s1: s2\n"
     "dugdales:\n  - {id: s1, host: h}\n  - {id: s2, host: h}\n",
     LETTS_ERR_CONFIG, "cat.yaml: aliases[\"s1\"]: collides with existing dugdales[].id (would mask the dugdale on host \"s1\")"},
    {"test_alias_value_empty_rejected", "aliases:\n  prod: \"\"\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: aliases[\"prod\"]: empty value"},
    {"test_alias_value_invalid_id_rejected", "aliases:\n  prod: \"BAD ID\"\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: aliases[\"prod\"] value: invalid dugdale id \"BAD ID\" (must match ^[a-z][a-z0-9_-]{0,63}$)"},
    {"test_alias_value_placeholder_skips_regex",
     "aliases:\n  a: \"${X}-BAD\"\n  b: \"${Y}\"\n  c: b\n" D1,
     LETTS_OK, NULL},
    {"test_alias_self_reference_rejected", "aliases:\n  a: a\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: aliases[\"a\"]: self-referential value \"a\""},
    {"test_alias_cycle_rejected", "aliases:\n  a: b\n  b: a\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: aliases[\"a\"]: cycle detected at \"a\""},
    {"test_alias_dangling_rejected", "aliases:\n  a: ghost\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: aliases[\"a\"]: chain dead-ends at unknown id \"ghost\""},
    {"test_alias_chain_of_8_hops_rejected",
     "aliases:\n  h1: h2\n  h2: h3\n  h3: h4\n  h4: h5\n  h5: h6\n  h6: h7\n"
     "  h7: h8\n  h8: s1\n" D1,
     LETTS_ERR_CONFIG, "cat.yaml: aliases[\"h1\"]: chain exceeds max depth 8"},
    {"test_alias_chain_of_7_hops_accepted",
     "aliases:\n  h1: h2\n  h2: h3\n  h3: h4\n  h4: h5\n  h5: h6\n"
     "  h6: h7\n  h7: s1\n" D1,
     LETTS_OK, NULL},

    /* ---- §13.2 #30: host or url -------------------------------------------- */
    {"test_dugdale_without_host_or_url_rejected", "dugdales:\n  - {id: s1}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0] (\"s1\"): one of host or url is required"},
    {"test_dugdale_empty_host_and_url_rejected",
     "dugdales:\n  - {id: s1, host: \"\", url: \"\", port: 7180}\n",
     LETTS_ERR_CONFIG, "cat.yaml: dugdales[0] (\"s1\"): one of host or url is required"},
    {"test_dugdale_with_url_only_accepted", "dugdales:\n  - {id: s1, url: \"http://h:1\"}\n",
     LETTS_OK, NULL},

    /* ---- §13.1: first failure, path first ---------------------------------- */
    /* §8: the url scheme is checked when the dugdale is first used. */
    {"test_url_scheme_not_checked_at_load",
     "dugdales:\n  - {id: s1, url: \"ftp://h/x\"}\n",
     LETTS_OK,
     NULL},
};

enum { LOAD_CASES = sizeof load_cases / sizeof load_cases[0] };

static void test_load_case(void **state) {
    const struct load_case *c = *state;
    letts_config *cfg = (letts_config *)(uintptr_t)1; /* must be reset to NULL on failure */
    letts_error *err = NULL;
    const letts_status rc =
        letts_config_load_string(&cfg, c->yaml, strlen(c->yaml), TEST_SOURCE_NAME, &err);
    if (c->status == LETTS_OK) {
        EXPECT_OK(rc, &err);
        assert_non_null(cfg);
        letts_config_free(cfg);
        return;
    }
    if (rc == LETTS_OK) letts_config_free(cfg);
    assert_int_equal(rc, c->status);
    assert_null(cfg);
    assert_non_null(err);
    assert_int_equal(letts_error_status(err), c->status);
    const int same = strcmp(letts_error_message(err), c->message) == 0;
    if (!same) {
        print_error("message  \"%s\"\nexpected \"%s\"\n", letts_error_message(err), c->message);
    }
    letts_error_free(err);
    assert_true(same);
}

/* ---- cases that inspect the loaded configuration ----------------------- */

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

static void test_dugdale_id_valid_forms_accepted(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales:\n"
                                "  - {id: s1, host: h}\n"
                                "  - {id: server-1, host: h}\n"
                                "  - {id: web_prod, host: h}\n"
                                "  - {id: a, host: h}\n"
                                "  - {id: abc1_2-3, host: h}\n"
                                "  - {id: " ID_64 ", host: h}\n");
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_dugdales(cfg, NULL, 0, &ids, &err), &err);
    LIST_EQUAL(ids, 6, "s1", "server-1", "web_prod", "a", "abc1_2-3", ID_64);
    letts_string_list_free(ids);
    letts_config_free(cfg);
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

static void test_null_lane_without_extends_declares_nothing(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales:\n  - {id: s1, host: h, lanes: {gone: null}}\n");
    cJSON *root = config_json(cfg);
    cJSON *lanes = JSON_GET(json_dugdale(root, "s1"), "lanes");
    assert_null(cJSON_GetObjectItemCaseSensitive(lanes, "gone"));
    cJSON_Delete(root);
    letts_config_free(cfg);
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
    const struct CMUnitTest inspecting[] = {
        cmocka_unit_test(test_only_empty_dugdales_is_valid),
        cmocka_unit_test(test_yaml_anchors_and_aliases_accepted),
        cmocka_unit_test(test_dugdale_id_valid_forms_accepted),
        cmocka_unit_test(test_lane_concurrency_zero_accepted),
        cmocka_unit_test(test_null_lane_without_extends_declares_nothing),
        cmocka_unit_test(test_selector_match_not_validated),
        cmocka_unit_test(test_unconsumed_keys_accepted),
        cmocka_unit_test(test_null_string_is_absent),
        cmocka_unit_test(test_scalar_host_taken_as_text),
        cmocka_unit_test(test_alias_key_numeric_accepted),
        cmocka_unit_test(test_no_env_read_at_load),
    };
    enum { INSPECTING = sizeof inspecting / sizeof inspecting[0] };
    struct CMUnitTest tests[LOAD_CASES + INSPECTING];
    for (size_t i = 0; i < LOAD_CASES; ++i) {
        tests[i] = (struct CMUnitTest){
            .name = load_cases[i].name,
            .test_func = test_load_case,
            .initial_state = (void *)&load_cases[i],
        };
    }
    for (size_t i = 0; i < INSPECTING; ++i) tests[LOAD_CASES + i] = inspecting[i];
    return cmocka_run_group_tests(tests, NULL, NULL);
}
