// The bulk (--selector) forms of `ctl missions restart|delete`.
#pragma once

#include "commands.hpp"

namespace letts_cli {

// Runs the bulk restart (or delete) `p` describes; p has --selector.
int run_bulk(const Parsed& p, bool restart);

}  // namespace letts_cli
