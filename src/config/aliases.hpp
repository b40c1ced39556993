// Aliases (section 7.1): the load-time chain check. The use-time walk is
// resolve_host() / resolve_route() of config.hpp.
#pragma once

#include "config/config.hpp"

namespace letts::config {

// Go's load-time rule: from every alias key, follow literal values (a value
// holding ${VAR} ends the walk: it is only known at use) for at most 8 rounds
// and reject self-references, cycles, dangling chains and chains that are
// too long. Keys are walked in sorted order, so the reported failure is
// stable.
void check_alias_chains(const Config& config);

// The bound shared by both walks: 7 alias hops resolve, an 8th does not.
inline constexpr int alias_max_depth = 8;

}  // namespace letts::config
