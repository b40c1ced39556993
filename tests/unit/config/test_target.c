/*
 * Target resolution through letts_target_* (spec/client-behavior.md §3.1–3.3,
 * spec/client-config.md §7): route / host / match precedence, the default
 * label filter (scope_match, then selector.match), addressing mistakes,
 * alias chains with ${VAR} hops, numeric alias keys, label selection and the
 * uniformly random pick.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#define EXACTLY_ONE "must specify exactly one of: route, host, match"
#define LANE_REQUIRED "lane is required when route is not used"

static const char *const cluster_yaml =
    "selector:\n"
    "  match: [prod]\n"
    "routes:\n"
    "  reports: {host: primary, lane: normal}\n"
    "  direct: {host: s2, lane: heavy}\n"
    "  undeclared: {host: s3, lane: nowhere}\n"
    "  viaenv: {host: envhop, lane: normal}\n"
    "aliases:\n"
    "  primary: s1\n"
    "  7: s2\n"
    "  \"12\": primary\n"
    "  \"0\": s3\n"
    "  envhop: \"${LT_ALIAS_TARGET}\"\n"
    "  h1: h2\n"
    "  h2: h3\n"
    "  h3: h4\n"
    "  h4: h5\n"
    "  h5: h6\n"
    "  h6: h7\n"
    "  h7: \"${LT_ALIAS_HOP}\"\n"
    "  h8: s1\n"
    "  g1: g2\n"
    "  g2: g3\n"
    "  g3: g4\n"
    "  g4: g5\n"
    "  g5: g6\n"
    "  g6: g7\n"
    "  g7: s1\n"
    "  ca: \"${LT_ALIAS_CYCLE}\"\n"
    "  cb: ca\n"
    "  selfie: \"${LT_ALIAS_SELF}\"\n"
    "dugdales:\n"
    "  - {id: s1, host: h1, labels: [prod, web], lanes: {normal: {concurrency: 1}}}\n"
    "  - id: s2\n"
    "    host: h2\n"
    "    labels: [prod, batch]\n"
    "    lanes: {normal: {concurrency: 1}, heavy: {concurrency: 1}}\n"
    "  - {id: s3, host: h3, labels: [dev], lanes: {normal: {concurrency: 1}, heavy: {concurrency: 1}}}\n";

static const char *const env_vars[] = {"LT_ALIAS_TARGET", "LT_ALIAS_HOP", "LT_ALIAS_CYCLE",
                                       "LT_ALIAS_SELF"};

static int setup(void **state) {
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    if (letts_config_load_string(&cfg, cluster_yaml, strlen(cluster_yaml), "cluster.yaml",
                                 &err) != LETTS_OK) {
        print_error("cluster fixture failed to load: %s\n", letts_error_message(err));
        letts_error_free(err);
        return -1;
    }
    for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; ++i) unsetenv(env_vars[i]);
    *state = cfg;
    return 0;
}

static int teardown(void **state) {
    letts_config_free(*state);
    for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; ++i) unsetenv(env_vars[i]);
    return 0;
}

/* Resolves and asserts (id, lane). */
static void expect_resolves(const letts_config *cfg, const letts_target *t,
                            const char *const *scope, size_t n_scope, const char *want_id,
                            const char *want_lane) {
    char *lane = NULL;
    char *id = RESOLVE_OK(t, cfg, scope, n_scope, &lane);
    assert_string_equal(id, want_id);
    assert_string_equal(lane, want_lane);
    letts_free(id);
    letts_free(lane);
}

/* Resolves, expects `status`; both outputs must be NULL afterwards. */
#define EXPECT_RESOLVE_ERROR(cfg, t, scope, n_scope, status, ...)                  \
    do {                                                                         \
        char *id_ = (char *)"sentinel", *lane_ = (char *)"sentinel";             \
        letts_error *err_ = NULL;                                                \
        letts_status rc_ = letts_target_resolve((t), (cfg), (scope), (n_scope), &id_, &lane_, \
                                                &err_);                          \
        assert_null(id_);                                                        \
        assert_null(lane_);                                                      \
        EXPECT_ERROR(rc_, &err_, (status), __VA_ARGS__);                         \
    } while (0)

/* ---- route -------------------------------------------------------------- */

static void test_route_resolves_through_alias(void **state) {
    letts_target *t = make_target("reports", NULL, NULL, NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

static void test_route_lane_argument_ignored(void **state) {
    letts_target *t = make_target("direct", NULL, "normal", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s2", "heavy");
    letts_target_free(t);
}

static void test_route_lane_used_as_written(void **state) {
    letts_target *t = make_target("undeclared", NULL, NULL, NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s3", "nowhere");
    letts_target_free(t);
}

static void test_route_unknown_rejected(void **state) {
    letts_target *t = make_target("nope", NULL, NULL, NULL, 0);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_CONFIG,
                         "route \"nope\" not found in letts.yaml");
    letts_target_free(t);
}

static void test_route_ignores_scope_and_selector(void **state) {
    const char *scope[] = {"dev"};
    letts_target *t = make_target("reports", NULL, NULL, NULL, 0);
    expect_resolves(*state, t, scope, 1, "s1", "normal");
    letts_target_free(t);
}

static void test_route_alias_missing_env(void **state) {
    letts_target *t = make_target("viaenv", NULL, NULL, NULL, 0);
    char *id = NULL, *lane = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_target_resolve(t, *state, NULL, 0, &id, &lane, &err);
    assert_int_equal(rc, LETTS_ERR_MISSING_ENV);
    cJSON *details = cJSON_Parse(letts_error_details(err));
    assert_non_null(details);
    JSON_STRING_IS(JSON_GET(details, "name"), "LT_ALIAS_TARGET");
    cJSON_Delete(details);
    EXPECT_ERROR(rc, &err, LETTS_ERR_MISSING_ENV, "LT_ALIAS_TARGET");
    letts_target_free(t);
}

/* ---- host --------------------------------------------------------------- */

static void test_host_id_resolves(void **state) {
    letts_target *t = make_target(NULL, "s2", "heavy", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s2", "heavy");
    letts_target_free(t);
}

static void test_host_alias_resolves(void **state) {
    letts_target *t = make_target(NULL, "primary", "normal", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

static void test_host_numeric_alias_resolves(void **state) {
    letts_target *t = make_target(NULL, "7", "heavy", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s2", "heavy");
    letts_target_free(t);
}

static void test_host_numeric_alias_chain_resolves(void **state) {
    letts_target *t = make_target(NULL, "12", "normal", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

static void test_host_zero_counts_as_host(void **state) {
    /* "0" is a host argument like any other (the integer 0 counts). */
    letts_target *t = make_target(NULL, "0", "normal", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s3", "normal");
    letts_target_free(t);
}

static void test_host_unknown_rejected(void **state) {
    letts_target *t = make_target(NULL, "ghost", "normal", NULL, 0);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_CONFIG,
                         "host \"ghost\" not found in aliases or dugdales[].id");
    letts_target_free(t);
}

static void test_host_ignores_scope_and_selector(void **state) {
    /* A scoped filter [dev] would exclude s1; an explicit host is never
     * turned into a match. */
    const char *scope[] = {"dev"};
    letts_target *t = make_target(NULL, "s1", "normal", NULL, 0);
    expect_resolves(*state, t, scope, 1, "s1", "normal");
    letts_target_free(t);
}

static void test_host_without_lane_rejected(void **state) {
    letts_target *t = make_target(NULL, "s1", NULL, NULL, 0);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_BAD_REQUEST, LANE_REQUIRED);
    letts_target_free(t);
}

static void test_host_lane_not_checked_against_lanes(void **state) {
    letts_target *t = make_target(NULL, "s1", "heavy", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s1", "heavy");
    letts_target_free(t);
}

/* ---- combinations ------------------------------------------------------- */

static void test_route_and_host_rejected(void **state) {
    letts_target *t = make_target("reports", "s1", "normal", NULL, 0);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_BAD_REQUEST, EXACTLY_ONE);
    letts_target_free(t);
}

static void test_route_and_match_rejected(void **state) {
    const char *match[] = {"prod"};
    letts_target *t = make_target("reports", NULL, "normal", match, 1);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_BAD_REQUEST, EXACTLY_ONE);
    letts_target_free(t);
}

static void test_host_and_match_rejected(void **state) {
    const char *match[] = {"prod"};
    letts_target *t = make_target(NULL, "s1", "normal", match, 1);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_BAD_REQUEST, EXACTLY_ONE);
    letts_target_free(t);
}

static void test_nothing_without_defaults_rejected(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales:\n  - {id: s1, host: h, lanes: {normal: {concurrency: 1}}}\n");
    letts_target *t = make_target(NULL, NULL, "normal", NULL, 0);
    EXPECT_RESOLVE_ERROR(cfg, t, NULL, 0, LETTS_ERR_BAD_REQUEST, EXACTLY_ONE);
    letts_target_free(t);
    letts_config_free(cfg);
}

static void test_empty_target_without_defaults_rejected(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales:\n  - {id: s1, host: h}\n");
    letts_target *t = make_target(NULL, NULL, NULL, NULL, 0);
    EXPECT_RESOLVE_ERROR(cfg, t, NULL, 0, LETTS_ERR_BAD_REQUEST, EXACTLY_ONE);
    letts_target_free(t);
    letts_config_free(cfg);
}

static void test_match_without_lane_rejected(void **state) {
    const char *match[] = {"prod"};
    letts_target *t = make_target(NULL, NULL, NULL, match, 1);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_BAD_REQUEST, LANE_REQUIRED);
    letts_target_free(t);
}

static void test_default_filter_without_lane_rejected(void **state) {
    letts_target *t = make_target(NULL, NULL, NULL, NULL, 0);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_BAD_REQUEST, LANE_REQUIRED);
    letts_target_free(t);
}

static void test_setters_clear_with_null_and_empty(void **state) {
    letts_target *t = make_target("reports", "s1", "heavy", NULL, 0);
    assert_int_equal(letts_target_set_route(t, NULL, NULL), LETTS_OK);
    expect_resolves(*state, t, NULL, 0, "s1", "heavy");
    assert_int_equal(letts_target_set_route(t, "reports", NULL), LETTS_OK);
    assert_int_equal(letts_target_set_host(t, "", NULL), LETTS_OK);
    expect_resolves(*state, t, NULL, 0, "s1", "normal");
    const char *match[] = {"dev"};
    assert_int_equal(letts_target_set_match(t, match, 1, NULL), LETTS_OK);
    assert_int_equal(letts_target_set_match(t, NULL, 0, NULL), LETTS_OK);
    expect_resolves(*state, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

static void test_lane_cleared_with_empty(void **state) {
    letts_target *t = make_target(NULL, "s1", "normal", NULL, 0);
    assert_int_equal(letts_target_set_lane(t, "", NULL), LETTS_OK);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_BAD_REQUEST, LANE_REQUIRED);
    letts_target_free(t);
}

static void test_target_copies_strings(void **state) {
    char route[] = "reports";
    letts_target *t = make_target(route, NULL, NULL, NULL, 0);
    memcpy(route, "xxxxxxx", sizeof route);
    expect_resolves(*state, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

/* ---- default label filter ----------------------------------------------- */

static void test_lane_only_uses_selector_match(void **state) {
    /* selector.match [prod], lane heavy: only s2 (s3 has heavy but not prod). */
    letts_target *t = make_target(NULL, NULL, "heavy", NULL, 0);
    for (int i = 0; i < 64; ++i) expect_resolves(*state, t, NULL, 0, "s2", "heavy");
    letts_target_free(t);
}

static void test_scope_match_overrides_selector(void **state) {
    const char *scope[] = {"dev"};
    letts_target *t = make_target(NULL, NULL, "normal", NULL, 0);
    for (int i = 0; i < 64; ++i) expect_resolves(*state, t, scope, 1, "s3", "normal");
    letts_target_free(t);
}

static void test_call_match_overrides_scope(void **state) {
    const char *scope[] = {"dev"};
    const char *match[] = {"web"};
    letts_target *t = make_target(NULL, NULL, "normal", match, 1);
    for (int i = 0; i < 64; ++i) expect_resolves(*state, t, scope, 1, "s1", "normal");
    letts_target_free(t);
}

static void test_empty_scope_falls_back_to_selector(void **state) {
    letts_target *t = make_target(NULL, NULL, "heavy", NULL, 0);
    const char *scope[] = {"dev"};
    /* n_scope 0 means no scoped filter, whatever the pointer. */
    for (int i = 0; i < 64; ++i) expect_resolves(*state, t, scope, 0, "s2", "heavy");
    letts_target_free(t);
}

/* ---- label selection ---------------------------------------------------- */

static void test_match_requires_every_label(void **state) {
    const char *match[] = {"prod", "web"};
    letts_target *t = make_target(NULL, NULL, "normal", match, 2);
    for (int i = 0; i < 64; ++i) expect_resolves(*state, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

static void test_match_requires_lane(void **state) {
    const char *match[] = {"prod"};
    letts_target *t = make_target(NULL, NULL, "heavy", match, 1);
    for (int i = 0; i < 64; ++i) expect_resolves(*state, t, NULL, 0, "s2", "heavy");
    letts_target_free(t);
}

static void test_match_is_case_sensitive(void **state) {
    const char *match[] = {"Prod"};
    letts_target *t = make_target(NULL, NULL, "normal", match, 1);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_NO_MATCHING_DUGDALE, "normal");
    letts_target_free(t);
}

static void test_match_no_candidate_for_lane(void **state) {
    const char *match[] = {"web"};
    letts_target *t = make_target(NULL, NULL, "heavy", match, 1);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_NO_MATCHING_DUGDALE, "heavy", "web");
    letts_target_free(t);
}

static void test_match_unknown_label_no_candidate(void **state) {
    const char *match[] = {"gpu"};
    letts_target *t = make_target(NULL, NULL, "normal", match, 1);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_NO_MATCHING_DUGDALE, "normal", "gpu");
    letts_target_free(t);
}

static void test_match_picks_every_candidate(void **state) {
    /* [prod] + normal: s1 and s2. With a uniform pick the chance that 256
     * resolutions miss one of two candidates is 2^-255. */
    const char *match[] = {"prod"};
    letts_target *t = make_target(NULL, NULL, "normal", match, 1);
    int seen_s1 = 0, seen_s2 = 0;
    for (int i = 0; i < 256; ++i) {
        char *id = RESOLVE_OK(t, *state, NULL, 0, NULL);
        if (strcmp(id, "s1") == 0) {
            ++seen_s1;
        } else if (strcmp(id, "s2") == 0) {
            ++seen_s2;
        } else {
            print_error("picked \"%s\", not a candidate\n", id);
            letts_free(id);
            fail();
        }
        letts_free(id);
    }
    assert_true(seen_s1 > 0);
    assert_true(seen_s2 > 0);
    letts_target_free(t);
}

static void test_selector_pick_is_random_too(void **state) {
    letts_target *t = make_target(NULL, NULL, "normal", NULL, 0);
    int seen_s1 = 0, seen_s2 = 0;
    for (int i = 0; i < 256; ++i) {
        char *id = RESOLVE_OK(t, *state, NULL, 0, NULL);
        if (strcmp(id, "s1") == 0) {
            ++seen_s1;
        } else if (strcmp(id, "s2") == 0) {
            ++seen_s2;
        } else {
            print_error("picked \"%s\", which does not carry selector label prod\n", id);
            letts_free(id);
            fail();
        }
        letts_free(id);
    }
    assert_true(seen_s1 > 0);
    assert_true(seen_s2 > 0);
    letts_target_free(t);
}

/* ---- alias chains (§7.1) ------------------------------------------------ */

static void test_alias_chain_of_7_hops_resolves(void **state) {
    letts_target *t = make_target(NULL, "g1", "normal", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

static void test_alias_chain_env_hop_of_7_resolves(void **state) {
    /* h1 .. h6 -> h7 -> ${LT_ALIAS_HOP}=s1: 7 hops. */
    env_set("LT_ALIAS_HOP", "s1");
    letts_target *t = make_target(NULL, "h1", "normal", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

static void test_alias_chain_8th_hop_fails(void **state) {
    /* h1 .. h7 -> ${LT_ALIAS_HOP}=h8 -> s1: 8 hops. */
    env_set("LT_ALIAS_HOP", "h8");
    letts_target *t = make_target(NULL, "h1", "normal", NULL, 0);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_CONFIG,
                         "alias chain from \"h1\" exceeds max depth 8");
    letts_target_free(t);
}

static void test_alias_cycle_at_use_fails(void **state) {
    env_set("LT_ALIAS_CYCLE", "cb");
    letts_target *t = make_target(NULL, "ca", "normal", NULL, 0);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_CONFIG,
                         "alias cycle detected starting at \"ca\"");
    letts_target_free(t);
}

static void test_alias_self_reference_at_use_fails(void **state) {
    env_set("LT_ALIAS_SELF", "selfie");
    letts_target *t = make_target(NULL, "selfie", "normal", NULL, 0);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_CONFIG,
                         "alias \"selfie\" is self-referential");
    letts_target_free(t);
}

static void test_alias_env_value_resolves(void **state) {
    env_set("LT_ALIAS_TARGET", "s2");
    letts_target *t = make_target(NULL, "envhop", "heavy", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s2", "heavy");
    letts_target_free(t);
}

static void test_alias_env_value_read_at_each_use(void **state) {
    letts_target *t = make_target(NULL, "envhop", "normal", NULL, 0);
    env_set("LT_ALIAS_TARGET", "s1");
    expect_resolves(*state, t, NULL, 0, "s1", "normal");
    env_set("LT_ALIAS_TARGET", "7");
    expect_resolves(*state, t, NULL, 0, "s2", "normal");
    letts_target_free(t);
}

static void test_alias_env_unset_is_missing_env(void **state) {
    letts_target *t = make_target(NULL, "envhop", "normal", NULL, 0);
    char *id = NULL, *lane = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_target_resolve(t, *state, NULL, 0, &id, &lane, &err);
    assert_null(id);
    assert_null(lane);
    assert_int_equal(rc, LETTS_ERR_MISSING_ENV);
    assert_non_null(letts_error_details(err));
    cJSON *details = cJSON_Parse(letts_error_details(err));
    assert_non_null(details);
    assert_true(cJSON_IsObject(details));
    JSON_STRING_IS(JSON_GET(details, "name"), "LT_ALIAS_TARGET");
    cJSON_Delete(details);
    EXPECT_ERROR(rc, &err, LETTS_ERR_MISSING_ENV, "LT_ALIAS_TARGET");
    letts_target_free(t);
}

static void test_alias_env_empty_is_unknown_host(void **state) {
    env_set("LT_ALIAS_TARGET", "");
    letts_target *t = make_target(NULL, "envhop", "normal", NULL, 0);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_CONFIG,
                         "host \"\" not found in aliases or dugdales[].id");
    letts_target_free(t);
}

static void test_alias_env_names_unknown_host(void **state) {
    env_set("LT_ALIAS_TARGET", "nowhere");
    letts_target *t = make_target(NULL, "envhop", "normal", NULL, 0);
    EXPECT_RESOLVE_ERROR(*state, t, NULL, 0, LETTS_ERR_CONFIG,
                         "host \"nowhere\" not found in aliases or dugdales[].id");
    letts_target_free(t);
}

static void test_unrelated_alias_env_not_needed(void **state) {
    /* LT_ALIAS_TARGET is unset; resolving another alias must not need it. */
    letts_target *t = make_target(NULL, "primary", "normal", NULL, 0);
    expect_resolves(*state, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_route_resolves_through_alias),
        T(test_route_lane_argument_ignored),
        T(test_route_lane_used_as_written),
        T(test_route_unknown_rejected),
        T(test_route_ignores_scope_and_selector),
        T(test_route_alias_missing_env),
        T(test_host_id_resolves),
        T(test_host_alias_resolves),
        T(test_host_numeric_alias_resolves),
        T(test_host_numeric_alias_chain_resolves),
        T(test_host_zero_counts_as_host),
        T(test_host_unknown_rejected),
        T(test_host_ignores_scope_and_selector),
        T(test_host_without_lane_rejected),
        T(test_host_lane_not_checked_against_lanes),
        T(test_route_and_host_rejected),
        T(test_route_and_match_rejected),
        T(test_host_and_match_rejected),
        T(test_nothing_without_defaults_rejected),
        T(test_empty_target_without_defaults_rejected),
        T(test_match_without_lane_rejected),
        T(test_default_filter_without_lane_rejected),
        T(test_setters_clear_with_null_and_empty),
        T(test_lane_cleared_with_empty),
        T(test_target_copies_strings),
        T(test_lane_only_uses_selector_match),
        T(test_scope_match_overrides_selector),
        T(test_call_match_overrides_scope),
        T(test_empty_scope_falls_back_to_selector),
        T(test_match_requires_every_label),
        T(test_match_requires_lane),
        T(test_match_is_case_sensitive),
        T(test_match_no_candidate_for_lane),
        T(test_match_unknown_label_no_candidate),
        T(test_match_picks_every_candidate),
        T(test_selector_pick_is_random_too),
        T(test_alias_chain_of_7_hops_resolves),
        T(test_alias_chain_env_hop_of_7_resolves),
        T(test_alias_chain_8th_hop_fails),
        T(test_alias_cycle_at_use_fails),
        T(test_alias_self_reference_at_use_fails),
        T(test_alias_env_value_resolves),
        T(test_alias_env_value_read_at_each_use),
        T(test_alias_env_unset_is_missing_env),
        T(test_alias_env_empty_is_unknown_host),
        T(test_alias_env_names_unknown_host),
        T(test_unrelated_alias_env_not_needed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
