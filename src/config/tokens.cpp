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

// Which member holds a scope's token; a dugdale and the auth section name
// them alike (token, admin_token, exec_token).
template <class Holder>
const std::string& token_of(const Holder& holder, Scope scope) {
    switch (scope) {
    case Scope::admin: return holder.admin_token;
    case Scope::exec: return holder.exec_token;
    case Scope::dispatch: break;
    }
    return holder.token;
}

}  // namespace

// No message below may contain the token, written or substituted.
std::string token(const Config& config, std::string_view dugdale_id, Scope scope,
                  const EnvLookup& env) {
    const Dugdale& d = require_dugdale(config, dugdale_id);
    const std::string_view name = scope_name(scope);
    // The dugdale's own token already includes one inherited from its template.
    const std::string& own = token_of(d, scope);
    const std::string& written = own.empty() ? token_of(config.auth, scope) : own;
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
