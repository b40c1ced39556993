#include "config/aliases.hpp"

#include <set>
#include <string>

#include "config/env.hpp"
#include "config/text.hpp"
#include "core/error.hpp"

namespace letts::config {

namespace {

[[noreturn]] void fail(std::string message) { throw Error(Status::config, std::move(message)); }

std::string alias_path(std::string_view key) { return "aliases[" + quote(key) + "]"; }

}  // namespace

void check_alias_chains(const Config& config) {
    for (const auto& entry : config.aliases) {
        const std::string& start = entry.first;
        std::set<std::string> visited{start};
        std::string current = start;
        bool resolved = false;
        for (int round = 0; round < alias_max_depth; ++round) {
            const auto alias = config.aliases.find(current);
            if (alias == config.aliases.end()) {
                if (!config.find(current))
                    fail(alias_path(start) + ": chain dead-ends at unknown id " + quote(current));
                resolved = true;
                break;
            }
            const std::string& next = alias->second;
            if (next.find("${") != std::string::npos) {
                resolved = true;
                break;
            }
            if (next == current)
                fail(alias_path(current) + ": self-referential value " + quote(next));
            if (!visited.insert(next).second)
                fail(alias_path(start) + ": cycle detected at " + quote(next));
            current = next;
        }
        if (!resolved)
            fail(alias_path(start) + ": chain exceeds max depth " +
                 std::to_string(alias_max_depth));
    }
}

std::string resolve_host(const Config& config, std::string_view host, const EnvLookup& env) {
    std::set<std::string, std::less<>> visited;
    std::string current(host);
    // Ids first: load validation keeps alias keys and ids apart anyway.
    for (int round = 0; round < alias_max_depth; ++round) {
        if (config.find(current)) return current;
        const auto alias = config.aliases.find(current);
        if (alias == config.aliases.end())
            fail("host " + quote(current) + " not found in aliases or dugdales[].id");
        std::string next =
            substitute_env_in(alias->second, env, "alias " + quote(current) + " value");
        if (next == current) fail("alias " + quote(current) + " is self-referential");
        if (!visited.insert(current).second)
            fail("alias cycle detected starting at " + quote(host));
        current = std::move(next);
    }
    fail("alias chain from " + quote(host) + " exceeds max depth " +
         std::to_string(alias_max_depth));
}

Resolved resolve_route(const Config& config, std::string_view route, const EnvLookup& env) {
    const auto found = config.routes.find(std::string(route));
    if (found == config.routes.end()) fail("route " + quote(route) + " not found in letts.yaml");
    try {
        return Resolved{resolve_host(config, found->second.host, env), found->second.lane};
    } catch (const Error& e) {
        // Go's prefix says which route led there; status and details stay.
        throw Error(e.status(), "route " + quote(route) + ": " + e.message())
            .details(e.details_json());
    }
}

}  // namespace letts::config
