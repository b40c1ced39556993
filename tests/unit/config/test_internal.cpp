// The use-time (stage 2) resolutions of the configuration layer, tested on the
// C++ internals with an injected environment and a deterministic chooser:
// ${VAR} substitution (spec/client-config.md §9.1/9.3), plain-token
// classification (§9.4), tokens (§10.2), proxies (§11.3/11.4), target
// resolution (client-behavior.md §3), discovery with an injected environment
// (§2) and the token/proxy rows of the §12 example.
#include <cstdarg>
#include <cstddef>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

extern "C" {
#include <cmocka.h>
#include <cjson/cJSON.h>
}

#include "config/config.hpp"
#include "core/error.hpp"
#include "example_yaml.h"

namespace cfg = letts::config;
using letts::Status;

namespace {

// ---- helpers ----------------------------------------------------------------

// An environment made of a fixed map that records every name looked up.
struct FakeEnv {
    std::map<std::string, std::string> vars;
    std::shared_ptr<std::vector<std::string>> looked =
        std::make_shared<std::vector<std::string>>();

    FakeEnv() = default;
    FakeEnv(std::initializer_list<std::pair<const std::string, std::string>> init) : vars(init) {}

    cfg::EnvLookup lookup() const {
        auto copy = vars;
        auto log = looked;
        return [copy, log](const std::string& name) -> std::optional<std::string> {
            log->push_back(name);
            auto it = copy.find(name);
            if (it == copy.end()) return std::nullopt;
            return it->second;
        };
    }
};

const char* status_text(Status s) {
    switch (s) {
        case Status::ok: return "ok";
        case Status::bad_request: return "bad_request";
        case Status::config: return "config";
        case Status::missing_env: return "missing_env";
        case Status::no_matching_dugdale: return "no_matching_dugdale";
        case Status::invalid_argument: return "invalid_argument";
        default: return "other";
    }
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

// Runs `body`, which must throw letts::Error with `want`; returns the error.
template <class Body>
letts::Error expect_throw_(const char* file, int line, Body&& body, Status want,
                           std::initializer_list<const char*> needles) {
    try {
        body();
    } catch (const letts::Error& e) {
        bool ok = true;
        if (e.status() != want) {
            print_error("expected status %s, got %s: \"%s\"\n", status_text(want),
                        status_text(e.status()), e.message().c_str());
            ok = false;
        }
        for (const char* n : needles) {
            if (ok && !contains(e.message(), n)) {
                print_error("message \"%s\"\n  does not contain \"%s\"\n", e.message().c_str(), n);
                ok = false;
            }
        }
        if (!ok) _fail(file, line);
        return e;
    } catch (const std::exception& e) {
        print_error("expected letts::Error, got std::exception: %s\n", e.what());
        _fail(file, line);
    }
    print_error("expected letts::Error (%s), nothing was thrown\n", status_text(want));
    _fail(file, line);
    return letts::Error(Status::ok, "");
}
#define EXPECT_THROW(body, status, ...) \
    expect_throw_(__FILE__, __LINE__, [&] { (void)(body); }, (status), {__VA_ARGS__})

// Runs `body` and fails the test (with the message) if it throws.
template <class Body>
auto no_throw_(const char* file, int line, Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const letts::Error& e) {
        print_error("unexpected letts::Error (%s): %s\n", status_text(e.status()),
                    e.message().c_str());
        _fail(file, line);
    } catch (const std::exception& e) {
        print_error("unexpected exception: %s\n", e.what());
        _fail(file, line);
    }
    throw std::logic_error("unreachable");
}
#define NO_THROW(expr) no_throw_(__FILE__, __LINE__, [&] { return (expr); })

void expect_str_(const char* file, int line, const std::string& got, const std::string& want) {
    if (got != want) {
        print_error("got \"%s\", expected \"%s\"\n", got.c_str(), want.c_str());
        _fail(file, line);
    }
}
#define EXPECT_STR(got, want) expect_str_(__FILE__, __LINE__, (got), (want))

void expect_missing_name_(const char* file, int line, const letts::Error& e,
                          const char* name) {
    cJSON* details = cJSON_Parse(e.details_json().c_str());
    const cJSON* n = details ? cJSON_GetObjectItemCaseSensitive(details, "name") : nullptr;
    bool ok = cJSON_IsString(n) && std::strcmp(n->valuestring, name) == 0;
    cJSON_Delete(details);
    if (!ok) {
        print_error("details \"%s\" do not carry {\"name\": \"%s\"}\n", e.details_json().c_str(),
                    name);
        _fail(file, line);
    }
    if (!contains(e.message(), name)) {
        print_error("message \"%s\" does not name %s\n", e.message().c_str(), name);
        _fail(file, line);
    }
}
#define EXPECT_MISSING(err, name) expect_missing_name_(__FILE__, __LINE__, (err), (name))

cfg::Config load(const char* yaml) {
    try {
        return cfg::load_string(yaml, "internal.yaml");
    } catch (const letts::Error& e) {
        print_error("fixture failed to load: %s\n", e.message().c_str());
        fail();
    }
    throw std::logic_error("unreachable");
}

std::string sub(const char* text, const FakeEnv& env) {
    return NO_THROW(cfg::substitute_env(text, env.lookup()));
}

// ---- §9.1 / §9.3 substitute_env ---------------------------------------------

void test_substitute_every_placeholder(void**) {
    FakeEnv env{{"A", "1"}, {"B", "2"}};
    EXPECT_STR(sub("prefix-${A}-${B}-${A}", env), "prefix-1-2-1");
}

void test_substitute_no_recursion(void**) {
    FakeEnv env{{"A", "${B}"}, {"B", "x"}};
    EXPECT_STR(sub("${A}", env), "${B}");
}

void test_substitute_no_rescan_across_boundary(void**) {
    FakeEnv env{{"D", "$"}, {"B", "x"}};
    EXPECT_STR(sub("${D}{B}", env), "${B}");
}

void test_substitute_dollar_name_is_literal(void**) {
    FakeEnv env{{"NAME", "v"}};
    EXPECT_STR(sub("a$NAME-${NAME}", env), "a$NAME-v");
}

void test_substitute_empty_braces_literal(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("${}-${A}", env), "${}-1");
}

void test_substitute_digit_start_literal(void**) {
    FakeEnv env{{"A", "1"}, {"1X", "no"}};
    EXPECT_STR(sub("${1X}${A}", env), "${1X}1");
}

void test_substitute_dash_name_literal(void**) {
    FakeEnv env{{"A", "1"}, {"B", "2"}};
    EXPECT_STR(sub("${A-B}", env), "${A-B}");
}

void test_substitute_default_syntax_literal(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("${A:-default}", env), "${A:-default}");
    EXPECT_STR(sub("${UNSET:-default}", env), "${UNSET:-default}");
}

void test_substitute_no_escape_sequence(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("$${A}", env), "$1");
}

void test_substitute_nested_braces(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("${${A}}", env), "${1}");
}

void test_substitute_unterminated_literal(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("x-${A", env), "x-${A");
}

void test_substitute_name_forms(void**) {
    FakeEnv env{{"_a1", "u"}, {"lower", "l"}, {"A1_B2", "m"}};
    EXPECT_STR(sub("${_a1}|${lower}|${A1_B2}", env), "u|l|m");
}

void test_substitute_value_kept_verbatim(void**) {
    FakeEnv env{{"V", " sp\xc3\xa9\x63ial $ {} \\ "}};
    EXPECT_STR(sub("<${V}>", env), "< sp\xc3\xa9\x63ial $ {} \\ >");
}

void test_substitute_without_placeholder_skips_env(void**) {
    FakeEnv env{{"A", "1"}};
    EXPECT_STR(sub("plain $A text {A}", env), "plain $A text {A}");
    assert_true(env.looked->empty());
}

void test_substitute_empty_value(void**) {
    FakeEnv env{{"E", ""}};
    EXPECT_STR(sub("a${E}b", env), "ab");
    EXPECT_STR(sub("${E}", env), "");
}

void test_substitute_unset_is_missing_env(void**) {
    FakeEnv env;
    auto e = EXPECT_THROW(cfg::substitute_env("x-${NOPE}", env.lookup()), Status::missing_env);
    EXPECT_MISSING(e, "NOPE");
}

void test_substitute_first_missing_reported(void**) {
    FakeEnv env{{"SET", "s"}};
    auto e = EXPECT_THROW(cfg::substitute_env("${X}${Y}", env.lookup()), Status::missing_env);
    EXPECT_MISSING(e, "X");
    auto e2 =
        EXPECT_THROW(cfg::substitute_env("${SET}-${Y}-${X}", env.lookup()), Status::missing_env);
    EXPECT_MISSING(e2, "Y");
}

// ---- §9.4 is_plain_token -----------------------------------------------------

void test_plain_token_table(void**) {
    assert_false(cfg::is_plain_token("${LETTS_TOKEN}"));
    assert_false(cfg::is_plain_token("${A}${B}"));
    assert_true(cfg::is_plain_token("tok-123"));
    assert_true(cfg::is_plain_token("prefix-${A}"));
    assert_true(cfg::is_plain_token("${A} "));
    assert_true(cfg::is_plain_token("${1X}"));
    assert_false(cfg::is_plain_token(""));
}

void test_plain_token_more_forms(void**) {
    assert_false(cfg::is_plain_token("${_x}"));
    assert_true(cfg::is_plain_token("$A"));
    assert_true(cfg::is_plain_token("${}"));
    assert_true(cfg::is_plain_token("${A"));
    assert_true(cfg::is_plain_token(" ${A}"));
    assert_true(cfg::is_plain_token("${A}-${B}"));
}

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

std::optional<std::string> prox(const cfg::Config& c, const char* id, bool ignore,
                                const FakeEnv& env) {
    return NO_THROW(cfg::proxy(c, id, ignore, env.lookup()));
}

void expect_proxy_(const char* file, int line, const std::optional<std::string>& got,
                   const char* want) {
    if (want == nullptr) {
        if (got.has_value()) {
            print_error("proxy \"%s\", expected a direct connection\n", got->c_str());
            _fail(file, line);
        }
        return;
    }
    if (!got.has_value() || *got != want) {
        print_error("proxy %s%s%s, expected \"%s\"\n", got ? "\"" : "",
                    got ? got->c_str() : "(direct)", got ? "\"" : "", want);
        _fail(file, line);
    }
}
#define EXPECT_PROXY(got, want) expect_proxy_(__FILE__, __LINE__, (got), (want))

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

// ---- §2 discovery with an injected environment -------------------------------

int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
    std::remove(path);
    return 0;
}

void make_dirs(const std::string& path) {
    for (std::size_t i = 1; i <= path.size(); ++i) {
        if (i == path.size() || path[i] == '/') mkdir(path.substr(0, i).c_str(), 0700);
    }
}

struct TempDir {
    std::string path;
    TempDir() {
        const char* base = std::getenv("TMPDIR");
        std::string tmpl = std::string(base && *base ? base : "/tmp") + "/letts-cfgtest-XXXXXX";
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (mkdtemp(buf.data()) == nullptr) fail();
        path = buf.data();
    }
    ~TempDir() { nftw(path.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string write(const std::string& rel, const std::string& text) const {
        std::string full = path + "/" + rel;
        make_dirs(full.substr(0, full.rfind('/')));
        FILE* f = std::fopen(full.c_str(), "wb");
        if (f == nullptr) fail();
        std::size_t written = std::fwrite(text.data(), 1, text.size(), f);
        if (std::fclose(f) != 0 || written != text.size()) fail();
        chmod(full.c_str(), 0600);
        return full;
    }
};

struct Cwd {
    std::string old;
    explicit Cwd(const std::string& dir) {
        char buf[4096];
        if (getcwd(buf, sizeof buf) != nullptr) old = buf;
        if (chdir(dir.c_str()) != 0) fail();
    }
    ~Cwd() {
        if (!old.empty() && chdir(old.c_str()) != 0) std::abort();
    }
};

void test_discover_uses_injected_letts_config(void**) {
    TempDir t;
    std::string env_file = t.write("env.yaml", "dugdales: []\n");
    t.write("work/letts.yaml", "dugdales: []\n");
    Cwd cwd(t.path + "/work");
    FakeEnv env{{"LETTS_CONFIG", env_file}, {"HOME", t.path + "/home"}};
    EXPECT_STR(NO_THROW(cfg::discover("", env.lookup())), env_file);
}

void test_discover_explicit_path_wins(void**) {
    TempDir t;
    std::string env_file = t.write("env.yaml", "dugdales: []\n");
    std::string mine = t.write("mine.yaml", "dugdales: []\n");
    FakeEnv env{{"LETTS_CONFIG", env_file}};
    EXPECT_STR(NO_THROW(cfg::discover(mine, env.lookup())), mine);
}

void test_discover_explicit_missing_is_error(void**) {
    TempDir t;
    std::string env_file = t.write("env.yaml", "dugdales: []\n");
    FakeEnv env{{"LETTS_CONFIG", env_file}};
    std::string missing = t.path + "/missing.yaml";
    EXPECT_THROW(cfg::discover(missing, env.lookup()), Status::config, missing.c_str());
}

void test_discover_injected_xdg_and_home(void**) {
    TempDir t;
    std::string xdg_file = t.write("xdg/letts/letts.yaml", "dugdales: []\n");
    std::string home_file = t.write("home/.letts/letts.yaml", "dugdales: []\n");
    t.write("home/.config/letts/letts.yaml", "dugdales: []\n");
    make_dirs(t.path + "/work");
    Cwd cwd(t.path + "/work");
    FakeEnv with_xdg{{"XDG_CONFIG_HOME", t.path + "/xdg"}, {"HOME", t.path + "/home"}};
    EXPECT_STR(NO_THROW(cfg::discover("", with_xdg.lookup())), xdg_file);
    FakeEnv home_only{{"HOME", t.path + "/home"}};
    EXPECT_STR(NO_THROW(cfg::discover("", home_only.lookup())), home_file);
}

void test_discover_injected_missing_letts_config(void**) {
    TempDir t;
    t.write("work/letts.yaml", "dugdales: []\n");
    Cwd cwd(t.path + "/work");
    std::string missing = t.path + "/gone.yaml";
    FakeEnv env{{"LETTS_CONFIG", missing}};
    EXPECT_THROW(cfg::discover("", env.lookup()), Status::config,
                 ("config file \"" + missing + "\" does not exist (from $LETTS_CONFIG)").c_str());
}

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
        cmocka_unit_test(test_substitute_every_placeholder),
        cmocka_unit_test(test_substitute_no_recursion),
        cmocka_unit_test(test_substitute_no_rescan_across_boundary),
        cmocka_unit_test(test_substitute_dollar_name_is_literal),
        cmocka_unit_test(test_substitute_empty_braces_literal),
        cmocka_unit_test(test_substitute_digit_start_literal),
        cmocka_unit_test(test_substitute_dash_name_literal),
        cmocka_unit_test(test_substitute_default_syntax_literal),
        cmocka_unit_test(test_substitute_no_escape_sequence),
        cmocka_unit_test(test_substitute_nested_braces),
        cmocka_unit_test(test_substitute_unterminated_literal),
        cmocka_unit_test(test_substitute_name_forms),
        cmocka_unit_test(test_substitute_value_kept_verbatim),
        cmocka_unit_test(test_substitute_without_placeholder_skips_env),
        cmocka_unit_test(test_substitute_empty_value),
        cmocka_unit_test(test_substitute_unset_is_missing_env),
        cmocka_unit_test(test_substitute_first_missing_reported),
        cmocka_unit_test(test_plain_token_table),
        cmocka_unit_test(test_plain_token_more_forms),
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
        cmocka_unit_test(test_resolve_picks_with_chooser_in_file_order),
        cmocka_unit_test(test_resolve_selector_default),
        cmocka_unit_test(test_resolve_scope_overrides_selector),
        cmocka_unit_test(test_resolve_call_match_overrides_scope),
        cmocka_unit_test(test_resolve_host_and_route_do_not_choose),
        cmocka_unit_test(test_resolve_addressing_errors),
        cmocka_unit_test(test_resolve_no_candidate),
        cmocka_unit_test(test_resolve_alias_env_injected),
        cmocka_unit_test(test_resolve_host_and_route_functions),
        cmocka_unit_test(test_candidates_file_order_and_filters),
        cmocka_unit_test(test_discover_uses_injected_letts_config),
        cmocka_unit_test(test_discover_explicit_path_wins),
        cmocka_unit_test(test_discover_explicit_missing_is_error),
        cmocka_unit_test(test_discover_injected_xdg_and_home),
        cmocka_unit_test(test_discover_injected_missing_letts_config),
        cmocka_unit_test(test_example_proxies),
        cmocka_unit_test(test_example_tokens),
        cmocka_unit_test(test_example_run_on_all_edge),
        cmocka_unit_test(test_example_merged_model),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
