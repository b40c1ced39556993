// Proxies (spec/client-config.md §11.3/§11.4): inheritance, opt-out, the
// socks5 rewrite, substitution, per-dugdale lookup.
// Tested on the C++ internals (config/config.hpp); helpers in
// internal_support.hpp.
#include "internal_support.hpp"

namespace {

// ---- §11 proxies -------------------------------------------------------------

const char* const proxy_yaml =
    "templates:\n"
    "  bastion: {proxy: \"socks5://bastion:1080\"}\n"
    "dugdales:\n"
    "  - {id: inherit, host: h, extends: bastion}\n"
    "  - {id: optout, host: h, extends: bastion, proxy: null}\n"
    "  - {id: own, host: h, extends: bastion, proxy: \"http://squid:3128\"}\n"
    "  - {id: none, host: h}\n"
    "  - {id: upper, host: h, proxy: \"SOCKS5://u:p@h:1080\"}\n"
    "  - {id: encoded, host: h, proxy: \"socks5://u:socks5%3A%2F%2Fx@h:1080\"}\n"
    "  - {id: https, host: h, proxy: \"https://h:3129\"}\n"
    "  - {id: s5h, host: h, proxy: \"socks5h://h:1080\"}\n"
    "  - {id: s5hupper, host: h, proxy: \"SOCKS5H://h:1080\"}\n"
    "  - {id: envp, host: h, proxy: \"${LT_PROXY}\"}\n"
    "  - {id: envhost, host: h, proxy: \"socks5h://${LT_PROXY_HOST}:1080\"}\n";

void test_proxy_inherited_and_socks5_rewritten(void**) {
    auto c = load(proxy_yaml);
    FakeEnv env;
    EXPECT_PROXY(prox(c, "inherit", false, env), "socks5h://bastion:1080");
    assert_true(env.looked->empty());
}

void test_proxy_null_opts_out(void**) {
    auto c = load(proxy_yaml);
    EXPECT_PROXY(prox(c, "optout", false, FakeEnv{}), nullptr);
}

void test_proxy_dugdale_overrides_template(void**) {
    auto c = load(proxy_yaml);
    EXPECT_PROXY(prox(c, "own", false, FakeEnv{}), "http://squid:3128");
}

void test_proxy_none_is_direct(void**) {
    auto c = load(proxy_yaml);
    EXPECT_PROXY(prox(c, "none", false, FakeEnv{}), nullptr);
}

void test_proxy_ignore_proxy_wins(void**) {
    auto c = load(proxy_yaml);
    FakeEnv env;  // LT_PROXY unset: not needed when proxies are ignored
    EXPECT_PROXY(prox(c, "inherit", true, env), nullptr);
    EXPECT_PROXY(prox(c, "own", true, env), nullptr);
    EXPECT_PROXY(prox(c, "envp", true, env), nullptr);
    assert_true(env.looked->empty());
}

void test_proxy_socks5_rewrite_case_insensitive(void**) {
    auto c = load(proxy_yaml);
    EXPECT_PROXY(prox(c, "upper", false, FakeEnv{}), "socks5h://u:p@h:1080");
}

void test_proxy_rewrite_only_leading_scheme(void**) {
    auto c = load(proxy_yaml);
    EXPECT_PROXY(prox(c, "encoded", false, FakeEnv{}), "socks5h://u:socks5%3A%2F%2Fx@h:1080");
}

void test_proxy_other_schemes_unchanged(void**) {
    auto c = load(proxy_yaml);
    EXPECT_PROXY(prox(c, "https", false, FakeEnv{}), "https://h:3129");
    EXPECT_PROXY(prox(c, "s5h", false, FakeEnv{}), "socks5h://h:1080");
    EXPECT_PROXY(prox(c, "s5hupper", false, FakeEnv{}), "SOCKS5H://h:1080");
}

void test_proxy_substituted_and_rewritten(void**) {
    auto c = load(proxy_yaml);
    FakeEnv env{{"LT_PROXY", "socks5://e:1080"}};
    EXPECT_PROXY(prox(c, "envp", false, env), "socks5h://e:1080");
    FakeEnv env2{{"LT_PROXY_HOST", "jump"}};
    EXPECT_PROXY(prox(c, "envhost", false, env2), "socks5h://jump:1080");
}

void test_proxy_empty_after_substitution_is_direct(void**) {
    auto c = load(proxy_yaml);
    EXPECT_PROXY(prox(c, "envp", false, FakeEnv{{"LT_PROXY", ""}}), nullptr);
}

void test_proxy_missing_env(void**) {
    auto c = load(proxy_yaml);
    FakeEnv env;
    auto e = EXPECT_THROW(cfg::proxy(c, "envp", false, env.lookup()), Status::missing_env);
    EXPECT_MISSING(e, "LT_PROXY");
}

void test_proxy_bad_scheme_after_substitution(void**) {
    auto c = load(proxy_yaml);
    FakeEnv env{{"LT_PROXY", "ftp://h:21"}};
    EXPECT_THROW(cfg::proxy(c, "envp", false, env.lookup()), Status::config);
    FakeEnv env2{{"LT_PROXY", "socks4://h:1080"}};
    EXPECT_THROW(cfg::proxy(c, "envp", false, env2.lookup()), Status::config);
}

void test_proxy_lookup_is_per_dugdale(void**) {
    auto c = load(proxy_yaml);
    FakeEnv env{{"LT_PROXY", "http://p:3128"}, {"LT_PROXY_HOST", "x"}};
    prox(c, "envp", false, env);
    assert_int_equal(env.looked->size(), 1);
    assert_string_equal((*env.looked)[0].c_str(), "LT_PROXY");
}

void test_proxy_unknown_dugdale(void**) {
    auto c = load(proxy_yaml);
    FakeEnv env;
    EXPECT_THROW(cfg::proxy(c, "ghost", false, env.lookup()), Status::config, "ghost");
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proxy_inherited_and_socks5_rewritten),
        cmocka_unit_test(test_proxy_null_opts_out),
        cmocka_unit_test(test_proxy_dugdale_overrides_template),
        cmocka_unit_test(test_proxy_none_is_direct),
        cmocka_unit_test(test_proxy_ignore_proxy_wins),
        cmocka_unit_test(test_proxy_socks5_rewrite_case_insensitive),
        cmocka_unit_test(test_proxy_rewrite_only_leading_scheme),
        cmocka_unit_test(test_proxy_other_schemes_unchanged),
        cmocka_unit_test(test_proxy_substituted_and_rewritten),
        cmocka_unit_test(test_proxy_empty_after_substitution_is_direct),
        cmocka_unit_test(test_proxy_missing_env),
        cmocka_unit_test(test_proxy_bad_scheme_after_substitution),
        cmocka_unit_test(test_proxy_lookup_is_per_dugdale),
        cmocka_unit_test(test_proxy_unknown_dugdale),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
