// The §12 example of spec/client-config.md resolved: its tokens, proxies,
// candidates and merged model.
// Tested on the C++ internals (config/config.hpp); helpers in
// internal_support.hpp.
#include "internal_support.hpp"
#include "example_yaml.h"

namespace {

// ---- §12 example: tokens and proxies -----------------------------------------

void test_example_proxies(void**) {
    auto c = load(EXAMPLE_YAML);
    FakeEnv env;
    EXPECT_PROXY(prox(c, "web-1", false, env), "socks5h://bastion.example.net:1080");
    EXPECT_PROXY(prox(c, "web-2", false, env), nullptr);
    EXPECT_PROXY(prox(c, "edge-1", false, env), "http://squid.example.net:3128");
    EXPECT_PROXY(prox(c, "lab", false, env), nullptr);
}

void test_example_tokens(void**) {
    auto c = load(EXAMPLE_YAML);
    FakeEnv env{{"LETTS_DISPATCH_TOKEN", "d-global"}, {"LETTS_ADMIN_TOKEN", "a-global"},
                {"LETTS_EXEC_TOKEN", "e-global"},     {"LETTS_PROD_ADMIN", "a-prod"},
                {"EDGE1_DISPATCH_TOKEN", "d-edge"}};
    EXPECT_STR(NO_THROW(cfg::token(c, "web-1", cfg::Scope::dispatch, env.lookup())), "d-global");
    EXPECT_STR(NO_THROW(cfg::token(c, "web-1", cfg::Scope::admin, env.lookup())), "a-prod");
    EXPECT_STR(NO_THROW(cfg::token(c, "lab", cfg::Scope::admin, env.lookup())), "a-global");
    EXPECT_STR(NO_THROW(cfg::token(c, "lab", cfg::Scope::dispatch, env.lookup())),
               "lab-plaintext-token");
    EXPECT_STR(NO_THROW(cfg::token(c, "edge-1", cfg::Scope::dispatch, env.lookup())), "d-edge");
    EXPECT_STR(NO_THROW(cfg::token(c, "edge-1", cfg::Scope::exec, env.lookup())), "e-global");
}

void test_example_run_on_all_edge(void**) {
    auto c = load(EXAMPLE_YAML);
    auto v = cfg::candidates(c, "normal", {"edge"});
    assert_int_equal(v.size(), 1);
    EXPECT_STR(v[0]->id, "edge-1");
    auto bulk = cfg::candidates(c, "bulk", {"prod"});
    assert_int_equal(bulk.size(), 1);
    EXPECT_STR(bulk[0]->id, "web-1");
}

void test_example_merged_model(void**) {
    auto c = load(EXAMPLE_YAML);
    const cfg::Dugdale* w2 = c.find("web-2");
    assert_non_null(w2);
    assert_true(w2->proxy_disabled);
    EXPECT_STR(w2->proxy, "");
    assert_true(w2->declares_lane("heavy"));
    assert_true(w2->declares_lane("normal"));
    assert_false(w2->declares_lane("bulk"));
    assert_false(w2->carries_all({"web"}));
    assert_true(w2->carries_all({"prod", "batch"}));
    assert_null(c.find("nope"));
    EXPECT_STR(c.aliases.at("7"), "web-2");
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_proxies),
        cmocka_unit_test(test_example_tokens),
        cmocka_unit_test(test_example_run_on_all_edge),
        cmocka_unit_test(test_example_merged_model),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
