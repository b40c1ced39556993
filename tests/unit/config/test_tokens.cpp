// Tokens (spec/client-config.md §10.2): which token a dugdale uses for each
// scope, looked up lazily, never shown in messages.
// Tested on the C++ internals (config/config.hpp); helpers in
// internal_support.hpp.
#include "internal_support.hpp"

namespace {

// ---- §10 tokens --------------------------------------------------------------

const char* const tokens_yaml =
    "auth: {token: \"${G_DISPATCH}\", admin_token: \"${G_ADMIN}\"}\n"
    "templates:\n"
    "  t: {admin_token: \"${T_ADMIN}\", exec_token: tpl-exec-secret}\n"
    "dugdales:\n"
    "  - {id: own, host: h, extends: t, token: \"own-secret-${OWN_SUFFIX}\"}\n"
    "  - {id: bare, host: h}\n"
    "  - {id: empty, host: h, token: \"${EMPTY_VAR}\"}\n"
    "  - {id: literal, host: h, token: lit-secret-value}\n";

void test_token_dugdale_own(void**) {
    auto c = load(tokens_yaml);
    FakeEnv env{{"OWN_SUFFIX", "1"}, {"G_DISPATCH", "global"}};
    EXPECT_STR(NO_THROW(cfg::token(c, "own", cfg::Scope::dispatch, env.lookup())), "own-secret-1");
}

void test_token_template_inherited(void**) {
    auto c = load(tokens_yaml);
    FakeEnv env{{"T_ADMIN", "tpl-admin"}, {"G_ADMIN", "global-admin"}};
    EXPECT_STR(NO_THROW(cfg::token(c, "own", cfg::Scope::admin, env.lookup())), "tpl-admin");
    EXPECT_STR(NO_THROW(cfg::token(c, "own", cfg::Scope::exec, env.lookup())), "tpl-exec-secret");
}

void test_token_global_fallback(void**) {
    auto c = load(tokens_yaml);
    FakeEnv env{{"G_DISPATCH", "global"}, {"G_ADMIN", "global-admin"}};
    EXPECT_STR(NO_THROW(cfg::token(c, "bare", cfg::Scope::dispatch, env.lookup())), "global");
    EXPECT_STR(NO_THROW(cfg::token(c, "bare", cfg::Scope::admin, env.lookup())), "global-admin");
}

void test_token_none_configured(void**) {
    auto c = load(tokens_yaml);
    FakeEnv env;
    EXPECT_THROW(cfg::token(c, "bare", cfg::Scope::exec, env.lookup()), Status::config,
                 "no exec token configured for dugdale \"bare\"");
}

void test_token_no_admin_token(void**) {
    auto c = load("dugdales:\n  - {id: x, host: h, token: t}\n");
    FakeEnv env;
    EXPECT_THROW(cfg::token(c, "x", cfg::Scope::admin, env.lookup()), Status::config,
                 "no admin token configured for dugdale \"x\"");
}

void test_token_unknown_dugdale(void**) {
    auto c = load(tokens_yaml);
    FakeEnv env;
    EXPECT_THROW(cfg::token(c, "nope", cfg::Scope::dispatch, env.lookup()), Status::config,
                 "dugdale \"nope\" not found in letts.yaml");
}

void test_token_empty_after_substitution(void**) {
    auto c = load(tokens_yaml);
    FakeEnv env{{"EMPTY_VAR", ""}};
    EXPECT_THROW(cfg::token(c, "empty", cfg::Scope::dispatch, env.lookup()), Status::config,
                 "dispatch token for dugdale \"empty\" resolved to empty");
}

void test_token_missing_env(void**) {
    auto c = load(tokens_yaml);
    FakeEnv env;
    auto e = EXPECT_THROW(cfg::token(c, "own", cfg::Scope::dispatch, env.lookup()),
                          Status::missing_env);
    EXPECT_MISSING(e, "OWN_SUFFIX");
}

void test_token_lookup_is_lazy(void**) {
    auto c = load(tokens_yaml);
    FakeEnv env{{"OWN_SUFFIX", "1"}, {"G_DISPATCH", "g"}, {"G_ADMIN", "a"}, {"T_ADMIN", "t"}};
    NO_THROW(cfg::token(c, "own", cfg::Scope::dispatch, env.lookup()));
    assert_int_equal(env.looked->size(), 1);
    assert_string_equal((*env.looked)[0].c_str(), "OWN_SUFFIX");
    env.looked->clear();
    NO_THROW(cfg::token(c, "own", cfg::Scope::exec, env.lookup()));
    assert_true(env.looked->empty());
    NO_THROW(cfg::token(c, "literal", cfg::Scope::dispatch, env.lookup()));
    assert_true(env.looked->empty());
}

void test_token_never_in_messages(void**) {
    auto c = load(tokens_yaml);
    std::vector<std::string> messages;
    {
        FakeEnv env;  // OWN_SUFFIX unset
        messages.push_back(EXPECT_THROW(cfg::token(c, "own", cfg::Scope::dispatch, env.lookup()),
                                        Status::missing_env)
                               .message());
    }
    {
        FakeEnv env{{"EMPTY_VAR", ""}};
        messages.push_back(EXPECT_THROW(cfg::token(c, "empty", cfg::Scope::dispatch, env.lookup()),
                                        Status::config)
                               .message());
    }
    {
        FakeEnv env;
        // G_ADMIN (the global fallback) unset.
        messages.push_back(EXPECT_THROW(cfg::token(c, "literal", cfg::Scope::admin, env.lookup()),
                                        Status::missing_env)
                               .message());
        messages.push_back(EXPECT_THROW(cfg::token(c, "literal", cfg::Scope::exec, env.lookup()),
                                        Status::config)
                               .message());
    }
    // A load failure in a file full of tokens.
    try {
        cfg::load_string("dugdales:\n  - {id: s1, host: h, token: lit-secret-value}\n"
                         "  - {id: s1, host: h, admin_token: adm-secret-value}\n",
                         "tok.yaml");
        print_error("duplicate id unexpectedly loaded\n");
        fail();
    } catch (const letts::Error& e) {
        messages.push_back(e.message());
    }
    for (const auto& m : messages) {
        for (const char* secret : {"own-secret", "lit-secret-value", "tpl-exec-secret",
                                   "adm-secret-value"}) {
            if (contains(m, secret)) {
                print_error("message \"%s\" reveals a token\n", m.c_str());
                fail();
            }
        }
    }
}

void test_scope_names(void**) {
    assert_string_equal(std::string(cfg::scope_name(cfg::Scope::dispatch)).c_str(), "dispatch");
    assert_string_equal(std::string(cfg::scope_name(cfg::Scope::admin)).c_str(), "admin");
    assert_string_equal(std::string(cfg::scope_name(cfg::Scope::exec)).c_str(), "exec");
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_dugdale_own),
        cmocka_unit_test(test_token_template_inherited),
        cmocka_unit_test(test_token_global_fallback),
        cmocka_unit_test(test_token_none_configured),
        cmocka_unit_test(test_token_no_admin_token),
        cmocka_unit_test(test_token_unknown_dugdale),
        cmocka_unit_test(test_token_empty_after_substitution),
        cmocka_unit_test(test_token_missing_env),
        cmocka_unit_test(test_token_lookup_is_lazy),
        cmocka_unit_test(test_token_never_in_messages),
        cmocka_unit_test(test_scope_names),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
