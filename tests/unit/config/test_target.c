/*
 * Target resolution through letts_target_* (spec/client-behavior.md §3.1–3.3,
 * spec/client-config.md §7): route / host / match precedence, the default
 * label filter (scope_match, then selector.match), addressing mistakes,
 * alias chains with ${VAR} hops, numeric alias keys, label selection and the
 * uniformly random pick. The resolutions that differ only in data are one
 * table (one row, one cmocka test, named after the row: the target, the
 * environment, and the (id, lane) or the status and whole message); the
 * cases that change the target or the environment between resolutions are
 * functions after it.
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

/* The cluster every case resolves against unless it brings its own YAML;
 * loaded afresh for each test, so no test sees another's state. */
static letts_config *cluster;

static int setup(void **state) {
    (void)state; /* holds the case of a table test */
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    if (letts_config_load_string(&cfg, cluster_yaml, strlen(cluster_yaml), "cluster.yaml",
                                 &err) != LETTS_OK) {
        print_error("cluster fixture failed to load: %s\n", letts_error_message(err));
        letts_error_free(err);
        return -1;
    }
    for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; ++i) unsetenv(env_vars[i]);
    cluster = cfg;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    letts_config_free(cluster);
    cluster = NULL;
    for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; ++i) unsetenv(env_vars[i]);
    return 0;
}

static const char *const DEV[] = {"dev"};
static const char *const PROD[] = {"prod"};
static const char *const WEB[] = {"web"};
static const char *const PROD_WEB[] = {"prod", "web"};

/* One resolution: the target's parts (NULL: not set), the scoped filter, an
 * environment variable set first, and either the (id, lane) it resolves to
 * or the status and whole message of its refusal. */
struct resolve_case {
    const char *name;                  /* the cmocka test's name */
    const char *yaml;                  /* NULL: the cluster above */
    const char *route, *host, *lane;
    const char *const *match;
    size_t n_match;
    const char *const *scope;
    size_t n_scope;
    const char *env_name, *env_value;  /* set before resolving unless env_name is NULL */
    const char *id, *resolved_lane;    /* the resolution (status LETTS_OK) */
    int times;                         /* resolutions that must all agree (0: one) */
    letts_status status;               /* or the refusal: status and whole message */
    const char *message;
};

static const struct resolve_case resolve_cases[] = {
    /* ---- route ------------------------------------------------------------ */
    {.name = "test_route_resolves_through_alias", .route = "reports", .id = "s1", .resolved_lane = "normal"},
    {.name = "test_route_lane_argument_ignored", .route = "direct", .lane = "normal",
     .id = "s2", .resolved_lane = "heavy"},
    {.name = "test_route_lane_used_as_written", .route = "undeclared", .id = "s3", .resolved_lane = "nowhere"},
    {.name = "test_route_unknown_rejected", .route = "nope",
     .status = LETTS_ERR_CONFIG, .message = "route \"nope\" not found in letts.yaml"},
    {.name = "test_route_ignores_scope_and_selector", .route = "reports", .scope = DEV, .n_scope = 1,
     .id = "s1", .resolved_lane = "normal"},

    /* ---- host ------------------------------------------------------------- */
    {.name = "test_host_id_resolves", .host = "s2", .lane = "heavy", .id = "s2", .resolved_lane = "heavy"},
    {.name = "test_host_alias_resolves", .host = "primary", .lane = "normal", .id = "s1", .resolved_lane = "normal"},
    {.name = "test_host_numeric_alias_resolves", .host = "7", .lane = "heavy", .id = "s2", .resolved_lane = "heavy"},
    {.name = "test_host_numeric_alias_chain_resolves", .host = "12", .lane = "normal",
     .id = "s1", .resolved_lane = "normal"},
    /* "0" is a host argument like any other (the integer 0 counts). */
    {.name = "test_host_zero_counts_as_host", .host = "0", .lane = "normal", .id = "s3", .resolved_lane = "normal"},
    {.name = "test_host_unknown_rejected", .host = "ghost", .lane = "normal",
     .status = LETTS_ERR_CONFIG, .message = "host \"ghost\" not found in aliases or dugdales[].id"},
    /* A scoped filter [dev] would exclude s1; an explicit host is never
     * turned into a match. */
    {.name = "test_host_ignores_scope_and_selector", .host = "s1", .lane = "normal", .scope = DEV, .n_scope = 1,
     .id = "s1", .resolved_lane = "normal"},
    {.name = "test_host_without_lane_rejected", .host = "s1",
     .status = LETTS_ERR_BAD_REQUEST, .message = LANE_REQUIRED},
    {.name = "test_host_lane_not_checked_against_lanes", .host = "s1", .lane = "heavy",
     .id = "s1", .resolved_lane = "heavy"},

    /* ---- combinations ----------------------------------------------------- */
    {.name = "test_route_and_host_rejected", .route = "reports", .host = "s1", .lane = "normal",
     .status = LETTS_ERR_BAD_REQUEST, .message = EXACTLY_ONE},
    {.name = "test_route_and_match_rejected", .route = "reports", .lane = "normal", .match = PROD, .n_match = 1,
     .status = LETTS_ERR_BAD_REQUEST, .message = EXACTLY_ONE},
    {.name = "test_host_and_match_rejected", .host = "s1", .lane = "normal", .match = PROD, .n_match = 1,
     .status = LETTS_ERR_BAD_REQUEST, .message = EXACTLY_ONE},
    {.name = "test_nothing_without_defaults_rejected",
     .yaml = "dugdales:\n  - {id: s1, host: h, lanes: {normal: {concurrency: 1}}}\n", .lane = "normal",
     .status = LETTS_ERR_BAD_REQUEST, .message = EXACTLY_ONE},
    {.name = "test_empty_target_without_defaults_rejected", .yaml = "dugdales:\n  - {id: s1, host: h}\n",
     .status = LETTS_ERR_BAD_REQUEST, .message = EXACTLY_ONE},
    {.name = "test_match_without_lane_rejected", .match = PROD, .n_match = 1,
     .status = LETTS_ERR_BAD_REQUEST, .message = LANE_REQUIRED},
    {.name = "test_default_filter_without_lane_rejected",
     .status = LETTS_ERR_BAD_REQUEST, .message = LANE_REQUIRED},

    /* ---- default label filter --------------------------------------------- */
    /* selector.match [prod], lane heavy: only s2 (s3 has heavy but not prod). */
    {.name = "test_lane_only_uses_selector_match", .lane = "heavy", .id = "s2", .resolved_lane = "heavy", .times = 64},
    {.name = "test_scope_match_overrides_selector", .lane = "normal", .scope = DEV, .n_scope = 1,
     .id = "s3", .resolved_lane = "normal", .times = 64},
    {.name = "test_call_match_overrides_scope", .lane = "normal", .match = WEB, .n_match = 1,
     .scope = DEV, .n_scope = 1, .id = "s1", .resolved_lane = "normal", .times = 64},
    /* n_scope 0 means no scoped filter, whatever the pointer. */
    {.name = "test_empty_scope_falls_back_to_selector", .lane = "heavy", .scope = DEV, .n_scope = 0,
     .id = "s2", .resolved_lane = "heavy", .times = 64},

    /* ---- label selection -------------------------------------------------- */
    {.name = "test_match_requires_every_label", .lane = "normal", .match = PROD_WEB, .n_match = 2,
     .id = "s1", .resolved_lane = "normal", .times = 64},
    {.name = "test_match_requires_lane", .lane = "heavy", .match = PROD, .n_match = 1,
     .id = "s2", .resolved_lane = "heavy", .times = 64},
    {.name = "test_match_is_case_sensitive", .lane = "normal", .match = (const char *const[]){"Prod"}, .n_match = 1,
     .status = LETTS_ERR_NO_MATCHING_DUGDALE, .message = "no dugdale matches labels: Prod (lane: normal)"},
    {.name = "test_match_no_candidate_for_lane", .lane = "heavy", .match = WEB, .n_match = 1,
     .status = LETTS_ERR_NO_MATCHING_DUGDALE, .message = "no dugdale matches labels: web (lane: heavy)"},
    {.name = "test_match_unknown_label_no_candidate", .lane = "normal", .match = (const char *const[]){"gpu"},
     .n_match = 1, .status = LETTS_ERR_NO_MATCHING_DUGDALE, .message = "no dugdale matches labels: gpu (lane: normal)"},

    /* ---- alias chains (§7.1) ---------------------------------------------- */
    {.name = "test_alias_chain_of_7_hops_resolves", .host = "g1", .lane = "normal",
     .id = "s1", .resolved_lane = "normal"},
    /* h1 .. h6 -> h7 -> ${LT_ALIAS_HOP}=s1: 7 hops. */
    {.name = "test_alias_chain_env_hop_of_7_resolves", .host = "h1", .lane = "normal",
     .env_name = "LT_ALIAS_HOP", .env_value = "s1", .id = "s1", .resolved_lane = "normal"},
    /* h1 .. h7 -> ${LT_ALIAS_HOP}=h8 -> s1: 8 hops. */
    {.name = "test_alias_chain_8th_hop_fails", .host = "h1", .lane = "normal",
     .env_name = "LT_ALIAS_HOP", .env_value = "h8",
     .status = LETTS_ERR_CONFIG, .message = "alias chain from \"h1\" exceeds max depth 8"},
    {.name = "test_alias_cycle_at_use_fails", .host = "ca", .lane = "normal",
     .env_name = "LT_ALIAS_CYCLE", .env_value = "cb",
     .status = LETTS_ERR_CONFIG, .message = "alias cycle detected starting at \"ca\""},
    {.name = "test_alias_self_reference_at_use_fails", .host = "selfie", .lane = "normal",
     .env_name = "LT_ALIAS_SELF", .env_value = "selfie",
     .status = LETTS_ERR_CONFIG, .message = "alias \"selfie\" is self-referential"},
    {.name = "test_alias_env_value_resolves", .host = "envhop", .lane = "heavy",
     .env_name = "LT_ALIAS_TARGET", .env_value = "s2", .id = "s2", .resolved_lane = "heavy"},
    {.name = "test_alias_env_empty_is_unknown_host", .host = "envhop", .lane = "normal",
     .env_name = "LT_ALIAS_TARGET", .env_value = "",
     .status = LETTS_ERR_CONFIG, .message = "host \"\" not found in aliases or dugdales[].id"},
    {.name = "test_alias_env_names_unknown_host", .host = "envhop", .lane = "normal",
     .env_name = "LT_ALIAS_TARGET", .env_value = "nowhere",
     .status = LETTS_ERR_CONFIG, .message = "host \"nowhere\" not found in aliases or dugdales[].id"},
    /* LT_ALIAS_TARGET is unset; resolving another alias must not need it. */
    {.name = "test_unrelated_alias_env_not_needed", .host = "primary", .lane = "normal",
     .id = "s1", .resolved_lane = "normal"},
};

enum { RESOLVE_CASES = sizeof resolve_cases / sizeof resolve_cases[0] };

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

/* Resolves, expects `status` and the whole `message`; both outputs must be
 * NULL afterwards. */
static void expect_refused(const letts_config *cfg, const letts_target *t, const char *const *scope,
                           size_t n_scope, letts_status status, const char *message) {
    char *id = (char *)"sentinel", *lane = (char *)"sentinel";
    letts_error *err = NULL;
    const letts_status rc = letts_target_resolve(t, cfg, scope, n_scope, &id, &lane, &err);
    assert_null(id);
    assert_null(lane);
    EXPECT_MESSAGE(rc, &err, status, message);
}

static void test_resolve_case(void **state) {
    const struct resolve_case *c = *state;
    if (c->env_name) env_set(c->env_name, c->env_value);
    letts_config *own = c->yaml ? LOAD_OK(c->yaml) : NULL;
    const letts_config *cfg = own ? own : cluster;
    letts_target *t = make_target(c->route, c->host, c->lane, c->match, c->n_match);
    if (c->message) {
        expect_refused(cfg, t, c->scope, c->n_scope, c->status, c->message);
    } else {
        for (int i = 0; i < (c->times ? c->times : 1); ++i)
            expect_resolves(cfg, t, c->scope, c->n_scope, c->id, c->resolved_lane);
    }
    letts_target_free(t);
    letts_config_free(own);
}

/* ---- cases that change the target or the environment between resolutions */

/* Resolving `t` fails with LETTS_ERR_MISSING_ENV, no outputs, details
 * {"name": "LT_ALIAS_TARGET"} and this whole message. */
static void expect_alias_target_missing(const letts_target *t, const char *message) {
    char *id = NULL, *lane = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_target_resolve(t, cluster, NULL, 0, &id, &lane, &err);
    assert_null(id);
    assert_null(lane);
    assert_int_equal(rc, LETTS_ERR_MISSING_ENV);
    assert_non_null(letts_error_details(err));
    cJSON *details = cJSON_Parse(letts_error_details(err));
    assert_non_null(details);
    assert_true(cJSON_IsObject(details));
    JSON_STRING_IS(JSON_GET(details, "name"), "LT_ALIAS_TARGET");
    cJSON_Delete(details);
    EXPECT_MESSAGE(rc, &err, LETTS_ERR_MISSING_ENV, message);
}

static void test_route_alias_missing_env(void **state) {
    (void)state;
    letts_target *t = make_target("viaenv", NULL, NULL, NULL, 0);
    expect_alias_target_missing(
        t, "route \"viaenv\": alias \"envhop\" value: environment variable \"LT_ALIAS_TARGET\" is not set");
    letts_target_free(t);
}

static void test_alias_env_unset_is_missing_env(void **state) {
    (void)state;
    letts_target *t = make_target(NULL, "envhop", "normal", NULL, 0);
    expect_alias_target_missing(t, "alias \"envhop\" value: environment variable \"LT_ALIAS_TARGET\" is not set");
    letts_target_free(t);
}

static void test_setters_clear_with_null_and_empty(void **state) {
    (void)state;
    letts_target *t = make_target("reports", "s1", "heavy", NULL, 0);
    assert_int_equal(letts_target_set_route(t, NULL, NULL), LETTS_OK);
    expect_resolves(cluster, t, NULL, 0, "s1", "heavy");
    assert_int_equal(letts_target_set_route(t, "reports", NULL), LETTS_OK);
    assert_int_equal(letts_target_set_host(t, "", NULL), LETTS_OK);
    expect_resolves(cluster, t, NULL, 0, "s1", "normal");
    assert_int_equal(letts_target_set_match(t, DEV, 1, NULL), LETTS_OK);
    assert_int_equal(letts_target_set_match(t, NULL, 0, NULL), LETTS_OK);
    expect_resolves(cluster, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

static void test_lane_cleared_with_empty(void **state) {
    (void)state;
    letts_target *t = make_target(NULL, "s1", "normal", NULL, 0);
    assert_int_equal(letts_target_set_lane(t, "", NULL), LETTS_OK);
    expect_refused(cluster, t, NULL, 0, LETTS_ERR_BAD_REQUEST, LANE_REQUIRED);
    letts_target_free(t);
}

static void test_target_copies_strings(void **state) {
    (void)state;
    char route[] = "reports";
    letts_target *t = make_target(route, NULL, NULL, NULL, 0);
    memcpy(route, "xxxxxxx", sizeof route);
    expect_resolves(cluster, t, NULL, 0, "s1", "normal");
    letts_target_free(t);
}

/* Resolves `t` 256 times: every pick is s1 or s2 (else `not_candidate`
 * explains why that is wrong) and both come up. With a uniform pick the
 * chance that 256 resolutions miss one of two candidates is 2^-255. */
static void expect_picks_s1_and_s2(const letts_target *t, const char *not_candidate) {
    int seen_s1 = 0, seen_s2 = 0;
    for (int i = 0; i < 256; ++i) {
        char *id = RESOLVE_OK(t, cluster, NULL, 0, NULL);
        if (strcmp(id, "s1") == 0) {
            ++seen_s1;
        } else if (strcmp(id, "s2") == 0) {
            ++seen_s2;
        } else {
            print_error("picked \"%s\", %s\n", id, not_candidate);
            letts_free(id);
            fail();
        }
        letts_free(id);
    }
    assert_true(seen_s1 > 0);
    assert_true(seen_s2 > 0);
}

static void test_match_picks_every_candidate(void **state) {
    /* [prod] + normal: s1 and s2. */
    (void)state;
    letts_target *t = make_target(NULL, NULL, "normal", PROD, 1);
    expect_picks_s1_and_s2(t, "not a candidate");
    letts_target_free(t);
}

static void test_selector_pick_is_random_too(void **state) {
    (void)state;
    letts_target *t = make_target(NULL, NULL, "normal", NULL, 0);
    expect_picks_s1_and_s2(t, "which does not carry selector label prod");
    letts_target_free(t);
}

static void test_alias_env_value_read_at_each_use(void **state) {
    (void)state;
    letts_target *t = make_target(NULL, "envhop", "normal", NULL, 0);
    env_set("LT_ALIAS_TARGET", "s1");
    expect_resolves(cluster, t, NULL, 0, "s1", "normal");
    env_set("LT_ALIAS_TARGET", "7");
    expect_resolves(cluster, t, NULL, 0, "s2", "normal");
    letts_target_free(t);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
    const struct CMUnitTest sequences[] = {
        T(test_route_alias_missing_env),
        T(test_setters_clear_with_null_and_empty),
        T(test_lane_cleared_with_empty),
        T(test_target_copies_strings),
        T(test_match_picks_every_candidate),
        T(test_selector_pick_is_random_too),
        T(test_alias_env_value_read_at_each_use),
        T(test_alias_env_unset_is_missing_env),
    };
    enum { SEQUENCES = sizeof sequences / sizeof sequences[0] };
    struct CMUnitTest tests[RESOLVE_CASES + SEQUENCES];
    for (size_t i = 0; i < RESOLVE_CASES; ++i) {
        tests[i] = (struct CMUnitTest){
            .name = resolve_cases[i].name,
            .test_func = test_resolve_case,
            .setup_func = setup,
            .teardown_func = teardown,
            .initial_state = (void *)&resolve_cases[i],
        };
    }
    for (size_t i = 0; i < SEQUENCES; ++i) tests[RESOLVE_CASES + i] = sequences[i];
    return cmocka_run_group_tests(tests, NULL, NULL);
}
