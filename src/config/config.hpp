// letts.yaml as the C++ layers see it: the merged, validated model and the
// use-time resolutions (hosts, routes, labels, endpoints, tokens, proxies).
//
// Everything here follows spec/client-config.md; section numbers below refer
// to it. Loading is eager and strict (stage 1); anything that reads the
// environment is lazy and happens only in the resolution functions (stage 2),
// for the one value an operation needs.
//
// Failures are thrown as letts::Error:
//   Status::config                 the file or a value in it is wrong
//   Status::missing_env            a ${VAR} is unset (details {"name": VAR})
//   Status::no_matching_dugdale    no candidate for labels + lane
//   Status::bad_request            an addressing mistake of the caller
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace letts::config {

// Reads one environment variable; nullopt when unset. Injected so that tests
// and embedders control what "the environment" is; process_environment()
// reads the real one (getenv) at the moment of the call.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

// Chooses an index in [0, n) uniformly; n >= 1. Injected for tests;
// default_chooser() uses a CSPRNG-seeded generator, safe across threads.
using Chooser = std::function<std::size_t(std::size_t n)>;
Chooser default_chooser();

enum class Scope { dispatch, admin, exec };
std::string_view scope_name(Scope scope);  // "dispatch", "admin", "exec"

struct Lane {
    std::int64_t concurrency = 0;
    bool paused = false;
};

// Parsed, validated and inherited, never used by the client (section 4.10).
struct Runtime {
    std::string mission_path_template;
    std::optional<std::vector<std::string>> command_template;  // absent vs []
    std::optional<bool> validate_mission_file;                 // absent vs explicit
};

struct Template {
    std::string name;
    std::optional<std::vector<std::string>> labels;  // absent vs []
    std::map<std::string, Lane> lanes;
    std::string token, admin_token, exec_token;
    std::string proxy;
    std::string mission_dir;
    std::optional<Runtime> runtime;
};

// One entry of dugdales[] after its template was applied (section 6).
struct Dugdale {
    std::size_t index = 0;  // position in dugdales[], for messages
    std::string id;
    std::string host;
    std::int64_t port = 0;  // 0 = unset
    std::string url;
    // The effective proxy URL as written (unsubstituted); "" = none. When
    // proxy_disabled is true the dugdale said `proxy: null` (no proxy even
    // if the template has one) and proxy is "".
    std::string proxy;
    bool proxy_disabled = false;
    std::string extends;
    std::vector<std::string> labels;
    std::map<std::string, Lane> lanes;
    std::string token, admin_token, exec_token;
    std::string mission_dir;
    Runtime runtime;

    bool declares_lane(std::string_view lane) const;
    // True when every label of `wanted` is carried (AND, exact match).
    bool carries_all(const std::vector<std::string>& wanted) const;
};

struct Route {
    std::string host;
    std::string lane;
};

struct Auth {
    std::string token, admin_token, exec_token;
};

struct Config {
    std::string path;         // file loaded; "" when loaded from a string
    std::string source_name;  // path, or the name given for a string, for messages
    Auth auth;
    std::int64_t default_port = 0;
    std::vector<std::string> selector_match;
    std::map<std::string, Route> routes;
    std::map<std::string, std::string> aliases;
    std::map<std::string, Template> templates;
    std::vector<Dugdale> dugdales;  // merged, in file order

    const Dugdale* find(std::string_view id) const;  // nullptr when unknown
};

// ---- Stage 1: loading (section 1, 2, 3, 13) -------------------------------

struct LoadOptions {
    bool insecure_permissions = false;  // skip the 0600/0400 rule (10.4)
};

// Reads, parses, validates, merges and permission-checks `path`.
Config load_file(const std::string& path, const LoadOptions& options);

// Same pipeline on bytes in memory; `name` stands for the path in messages.
// No permission rule (there is no file).
Config load_string(std::string_view yaml, const std::string& name);

// The discovery cascade (section 2): returns the path to load. `explicit_path`
// (may be empty) wins; then $LETTS_CONFIG, ./letts.yaml,
// $XDG_CONFIG_HOME/letts/letts.yaml, ~/.letts/letts.yaml,
// /etc/letts/letts.yaml. `env` supplies LETTS_CONFIG, XDG_CONFIG_HOME, HOME.
std::string discover(const std::string& explicit_path, const EnvLookup& env);

// The merged configuration as JSON, strings unsubstituted (letts_config_json).
std::string to_json(const Config& config);

// ---- Stage 2: use-time resolution -----------------------------------------

// ${NAME} substitution (section 9.1/9.3). Throws missing_env for the first
// unset variable, left to right.
std::string substitute_env(std::string_view text, const EnvLookup& env);

// Section 9.4: a token is plain when it has any character outside ${NAME}
// placeholders. "" is not plain.
bool is_plain_token(std::string_view token);

// Host argument (id or alias) -> dugdale id, walking aliases (section 7.1).
std::string resolve_host(const Config& config, std::string_view host, const EnvLookup& env);

// Route name -> (dugdale id, lane) (section 7.2).
struct Resolved {
    std::string dugdale_id;
    std::string lane;
};
Resolved resolve_route(const Config& config, std::string_view route, const EnvLookup& env);

// Dugdales declaring `lane` (when non-empty) and carrying every label, file order.
std::vector<const Dugdale*> candidates(const Config& config, std::string_view lane,
                                       const std::vector<std::string>& labels);

// The ids of the dugdales carrying every label, file order: what a client
// and a loaded config list (letts_client_dugdales, letts_config_dugdales).
std::vector<std::string> ids_carrying(const Config& config, const std::vector<std::string>& labels);

// What the caller of a work-creating operation asked for (client-behavior §3).
struct TargetSpec {
    std::string route;                // "" = none
    std::string host;                 // "" = none
    std::string lane;                 // "" = none
    std::vector<std::string> match;   // empty = none
};

// client-behavior §3.2/§3.3: effective filter (call match, else none when a
// route or host is given, else `scope_match`, else selector.match), exactly
// one selector, lane required without route, random pick among candidates.
Resolved resolve_target(const Config& config, const TargetSpec& spec,
                        const std::vector<std::string>& scope_match, const EnvLookup& env,
                        const Chooser& choose);

// Section 8: base URL without trailing '/'. Throws config for an unknown id
// or a url whose scheme is not http/https.
std::string base_url(const Config& config, std::string_view dugdale_id);

// Section 10.2: the token for (dugdale, scope), substituted. Throws config
// (unknown id, no token, empty after substitution) or missing_env. The
// message never contains the token.
std::string token(const Config& config, std::string_view dugdale_id, Scope scope,
                  const EnvLookup& env);

// Section 11.3/11.4: the proxy to use for this dugdale after substitution,
// with a leading socks5:// rewritten to socks5h://; nullopt = connect
// directly. Throws config for a bad scheme after substitution, missing_env.
std::optional<std::string> proxy(const Config& config, std::string_view dugdale_id,
                                 bool ignore_proxy, const EnvLookup& env);

}  // namespace letts::config
