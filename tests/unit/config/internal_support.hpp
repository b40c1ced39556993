// Shared by the config unit tests of the C++ internals (test_substitution,
// test_tokens, test_proxies, test_resolve_target, test_discovery,
// test_example_resolution): an injected environment that records what it is
// asked, checks for thrown letts::Error values, and loading a fixture.
// Each topic is its own executable; the helpers are inline so that a file
// that does not use one of them compiles without a warning.
#pragma once

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

namespace cfg = letts::config;
using letts::Status;

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

inline const char* status_text(Status s) {
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

inline bool contains(const std::string& hay, const std::string& needle) {
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

inline void expect_str_(const char* file, int line, const std::string& got, const std::string& want) {
    if (got != want) {
        print_error("got \"%s\", expected \"%s\"\n", got.c_str(), want.c_str());
        _fail(file, line);
    }
}
#define EXPECT_STR(got, want) expect_str_(__FILE__, __LINE__, (got), (want))

inline void expect_missing_name_(const char* file, int line, const letts::Error& e,
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

inline cfg::Config load(const char* yaml) {
    try {
        return cfg::load_string(yaml, "internal.yaml");
    } catch (const letts::Error& e) {
        print_error("fixture failed to load: %s\n", e.message().c_str());
        fail();
    }
    throw std::logic_error("unreachable");
}

inline std::string sub(const char* text, const FakeEnv& env) {
    return NO_THROW(cfg::substitute_env(text, env.lookup()));
}

// Resolves the proxy of dugdale `id`; fails the test if that throws.
inline std::optional<std::string> prox(const cfg::Config& c, const char* id, bool ignore,
                                       const FakeEnv& env) {
    return NO_THROW(cfg::proxy(c, id, ignore, env.lookup()));
}

inline void expect_proxy_(const char* file, int line, const std::optional<std::string>& got,
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
