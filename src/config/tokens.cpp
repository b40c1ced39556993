// Section 10.2: which token a request to (dugdale, scope) carries.
#include <string>

#include "config/config.hpp"
#include "config/env.hpp"
#include "config/model.hpp"
#include "config/text.hpp"
#include "core/error.hpp"

namespace letts::config {

std::string_view scope_name(Scope scope) {
    switch (scope) {
    case Scope::dispatch: return "dispatch";
    case Scope::admin: return "admin";
    case Scope::exec: return "exec";
    }
    return "unknown";
}

namespace {

const std::string& own_token(const Dugdale& d, Scope scope) {
    switch (scope) {
    case Scope::admin: return d.admin_token;
    case Scope::exec: return d.exec_token;
    case Scope::dispatch: break;
    }
    return d.token;
}

const std::string& fallback_token(const Auth& auth, Scope scope) {
    switch (scope) {
    case Scope::admin: return auth.admin_token;
    case Scope::exec: return auth.exec_token;
    case Scope::dispatch: break;
    }
    return auth.token;
}

}  // namespace

// No message below may contain the token, written or substituted.
std::string token(const Config& config, std::string_view dugdale_id, Scope scope,
                  const EnvLookup& env) {
    const Dugdale& d = require_dugdale(config, dugdale_id);
    const std::string_view name = scope_name(scope);
    // The dugdale's own token already includes one inherited from its template.
    const std::string& own = own_token(d, scope);
    const std::string& written = own.empty() ? fallback_token(config.auth, scope) : own;
    if (written.empty())
        throw Error(Status::config, "no " + std::string(name) + " token configured for dugdale " +
                                        quote(dugdale_id));
    const std::string context = std::string(name) + " token for dugdale " + quote(dugdale_id);
    std::string value = substitute_env_in(written, env, context);
    if (value.empty())
        throw Error(Status::config, context + " resolved to empty (check its ${ENV} value)");
    return value;
}

}  // namespace letts::config
