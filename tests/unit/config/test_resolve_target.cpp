// Target resolution (client-behavior.md §3) with a deterministic chooser:
// routes, aliases, hosts, selectors and lanes.
// Tested on the C++ internals (config/config.hpp); helpers in
// internal_support.hpp.
#include "internal_support.hpp"

namespace {

// ---- client-behavior §3 resolve_target with a deterministic chooser ---------

const char* const cluster_yaml =
    "selector: {match: [prod]}\n"
    "routes:\n"
    "  reports: {host: primary, lane: normal}\n"
    "aliases:\n"
    "  primary: s1\n"
    "  5: s2\n"
    "  envhop: \"${LT_HOP}\"\n"
    "dugdales:\n"
    "  - {id: s1, host: h, labels: [prod, web], lanes: {normal: {concurrency: 1}}}\n"
    "  - {id: s2, host: h, labels: [prod], lanes: {normal: {concurrency: 1}, heavy: {concurrency: 1}}}\n"
    "  - {id: s3, host: h, labels: [dev], lanes: {normal: {concurrency: 1}}}\n"
    "  - {id: s4, host: h, labels: [web, prod], lanes: {normal: {concurrency: 1}}}\n";

struct RecordingChooser {
    std::size_t answer_from_end = 0;  // 0 = pick the last candidate
    bool pick_first = false;
    std::shared_ptr<std::vector<std::size_t>> calls = std::make_shared<std::vector<std::size_t>>();

    cfg::Chooser chooser() const {
        auto log = calls;
        bool first = pick_first;
        return [log, first](std::size_t n) -> std::size_t {
            log->push_back(n);
            return first ? 0 : n - 1;
        };
    }
};

cfg::TargetSpec spec(const char* route, const char* host, const char* lane,
                     std::vector<std::string> match = {}) {
    cfg::TargetSpec s;
    s.route = route ? route : "";
    s.host = host ? host : "";
    s.lane = lane ? lane : "";
    s.match = std::move(match);
    return s;
}

cfg::Resolved resolve(const cfg::Config& c, const cfg::TargetSpec& s,
                      const std::vector<std::string>& scope, const FakeEnv& env,
                      const RecordingChooser& ch) {
    return NO_THROW(cfg::resolve_target(c, s, scope, env.lookup(), ch.chooser()));
}

void test_resolve_picks_with_chooser_in_file_order(void**) {
    auto c = load(cluster_yaml);
    RecordingChooser last;
    auto r = resolve(c, spec(nullptr, nullptr, "normal", {"prod"}), {}, FakeEnv{}, last);
    EXPECT_STR(r.dugdale_id, "s4");
    EXPECT_STR(r.lane, "normal");
    assert_int_equal(last.calls->size(), 1);
    assert_int_equal((*last.calls)[0], 3);  // s1, s2, s4

    RecordingChooser first;
    first.pick_first = true;
    r = resolve(c, spec(nullptr, nullptr, "normal", {"prod"}), {}, FakeEnv{}, first);
    EXPECT_STR(r.dugdale_id, "s1");
}

void test_resolve_selector_default(void**) {
    auto c = load(cluster_yaml);
    RecordingChooser last;
    auto r = resolve(c, spec(nullptr, nullptr, "heavy"), {}, FakeEnv{}, last);
    EXPECT_STR(r.dugdale_id, "s2");
    RecordingChooser first;
    first.pick_first = true;
    r = resolve(c, spec(nullptr, nullptr, "normal"), {}, FakeEnv{}, first);
    EXPECT_STR(r.dugdale_id, "s1");
    assert_int_equal((*first.calls).back(), 3);
}

void test_resolve_scope_overrides_selector(void**) {
    auto c = load(cluster_yaml);
    RecordingChooser last;
    auto r = resolve(c, spec(nullptr, nullptr, "normal"), {"web"}, FakeEnv{}, last);
    EXPECT_STR(r.dugdale_id, "s4");
    assert_int_equal((*last.calls).back(), 2);  // s1, s4
    r = resolve(c, spec(nullptr, nullptr, "normal"), {"dev"}, FakeEnv{}, last);
    EXPECT_STR(r.dugdale_id, "s3");
}

void test_resolve_call_match_overrides_scope(void**) {
    auto c = load(cluster_yaml);
    RecordingChooser first;
    first.pick_first = true;
    auto r = resolve(c, spec(nullptr, nullptr, "normal", {"web", "prod"}), {"dev"}, FakeEnv{},
                     first);
    EXPECT_STR(r.dugdale_id, "s1");
    assert_int_equal((*first.calls).back(), 2);
}

void test_resolve_host_and_route_do_not_choose(void**) {
    auto c = load(cluster_yaml);
    RecordingChooser ch;
    auto r = resolve(c, spec(nullptr, "5", "heavy"), {"dev"}, FakeEnv{}, ch);
    EXPECT_STR(r.dugdale_id, "s2");
    EXPECT_STR(r.lane, "heavy");
    r = resolve(c, spec("reports", nullptr, "ignored"), {"dev"}, FakeEnv{}, ch);
    EXPECT_STR(r.dugdale_id, "s1");
    EXPECT_STR(r.lane, "normal");
    assert_true(ch.calls->empty());
}

void test_resolve_addressing_errors(void**) {
    auto c = load(cluster_yaml);
    FakeEnv env;
    RecordingChooser ch;
    const char* one = "must specify exactly one of: route, host, match";
    EXPECT_THROW(cfg::resolve_target(c, spec("reports", "s1", "normal"), {}, env.lookup(),
                                     ch.chooser()),
                 Status::bad_request, one);
    EXPECT_THROW(cfg::resolve_target(c, spec("reports", nullptr, "normal", {"prod"}), {},
                                     env.lookup(), ch.chooser()),
                 Status::bad_request, one);
    EXPECT_THROW(cfg::resolve_target(c, spec(nullptr, "s1", "normal", {"prod"}), {},
                                     env.lookup(), ch.chooser()),
                 Status::bad_request, one);
    EXPECT_THROW(cfg::resolve_target(c, spec(nullptr, "s1", nullptr), {}, env.lookup(),
                                     ch.chooser()),
                 Status::bad_request, "lane is required when route is not used");
    auto bare = load("dugdales:\n  - {id: s1, host: h, lanes: {normal: {concurrency: 1}}}\n");
    EXPECT_THROW(cfg::resolve_target(bare, spec(nullptr, nullptr, "normal"), {}, env.lookup(),
                                     ch.chooser()),
                 Status::bad_request, one);
    assert_true(ch.calls->empty());
}

void test_resolve_no_candidate(void**) {
    auto c = load(cluster_yaml);
    FakeEnv env;
    RecordingChooser ch;
    EXPECT_THROW(cfg::resolve_target(c, spec(nullptr, nullptr, "heavy", {"web"}), {},
                                     env.lookup(), ch.chooser()),
                 Status::no_matching_dugdale, "heavy", "web");
    assert_true(ch.calls->empty());
}

void test_resolve_alias_env_injected(void**) {
    auto c = load(cluster_yaml);
    RecordingChooser ch;
    auto r = resolve(c, spec(nullptr, "envhop", "normal"), {}, FakeEnv{{"LT_HOP", "5"}}, ch);
    EXPECT_STR(r.dugdale_id, "s2");
    FakeEnv unset;
    auto e = EXPECT_THROW(cfg::resolve_target(c, spec(nullptr, "envhop", "normal"), {},
                                              unset.lookup(), ch.chooser()),
                          Status::missing_env);
    EXPECT_MISSING(e, "LT_HOP");
}

void test_resolve_host_and_route_functions(void**) {
    auto c = load(cluster_yaml);
    FakeEnv env;
    EXPECT_STR(NO_THROW(cfg::resolve_host(c, "primary", env.lookup())), "s1");
    EXPECT_STR(NO_THROW(cfg::resolve_host(c, "5", env.lookup())), "s2");
    EXPECT_STR(NO_THROW(cfg::resolve_host(c, "s3", env.lookup())), "s3");
    auto r = NO_THROW(cfg::resolve_route(c, "reports", env.lookup()));
    EXPECT_STR(r.dugdale_id, "s1");
    EXPECT_STR(r.lane, "normal");
    EXPECT_THROW(cfg::resolve_host(c, "nope", env.lookup()), Status::config,
                 "host \"nope\" not found in aliases or dugdales[].id");
    EXPECT_THROW(cfg::resolve_route(c, "nope", env.lookup()), Status::config,
                 "route \"nope\" not found in letts.yaml");
}

// A route host is never substituted (client-config.md 4.5): one holding
// ${VAR} loads but fails when used, even with the variable set, with the
// resolver's "not found" message as in Go and PHP.
void test_route_host_with_placeholder_fails_at_use(void**) {
    auto c = load("routes:\n  r: {host: \"${LT_ROUTE}\", lane: normal}\n"
                  "dugdales:\n  - {id: s1, host: h, lanes: {normal: {concurrency: 1}}}\n");
    FakeEnv env{{"LT_ROUTE", "s1"}};
    EXPECT_THROW(cfg::resolve_route(c, "r", env.lookup()), Status::config,
                 "route \"r\": host \"${LT_ROUTE}\" not found in aliases or dugdales[].id");
}

void test_candidates_file_order_and_filters(void**) {
    auto c = load(cluster_yaml);
    auto ids = [](const std::vector<const cfg::Dugdale*>& v) {
        std::string s;
        for (const auto* d : v) s += d->id + ",";
        return s;
    };
    EXPECT_STR(ids(cfg::candidates(c, "normal", {"prod"})), "s1,s2,s4,");
    EXPECT_STR(ids(cfg::candidates(c, "normal", {"web", "prod"})), "s1,s4,");
    EXPECT_STR(ids(cfg::candidates(c, "heavy", {})), "s2,");
    EXPECT_STR(ids(cfg::candidates(c, "", {"web"})), "s1,s4,");
    EXPECT_STR(ids(cfg::candidates(c, "", {})), "s1,s2,s3,s4,");
    EXPECT_STR(ids(cfg::candidates(c, "normal", {"Prod"})), "");
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve_picks_with_chooser_in_file_order),
        cmocka_unit_test(test_resolve_selector_default),
        cmocka_unit_test(test_resolve_scope_overrides_selector),
        cmocka_unit_test(test_resolve_call_match_overrides_scope),
        cmocka_unit_test(test_resolve_host_and_route_do_not_choose),
        cmocka_unit_test(test_resolve_addressing_errors),
        cmocka_unit_test(test_resolve_no_candidate),
        cmocka_unit_test(test_resolve_alias_env_injected),
        cmocka_unit_test(test_resolve_host_and_route_functions),
        cmocka_unit_test(test_route_host_with_placeholder_fails_at_use),
        cmocka_unit_test(test_candidates_file_order_and_filters),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
