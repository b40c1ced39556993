// The help texts: `letts --help`, `letts COMMAND --help`, and the list of
// commands main() dispatches (one table, so help and dispatch agree).
#pragma once

#include <string>
#include <vector>

#include "commands.hpp"

namespace letts_cli {

struct CommandEntry {
    const char* path;     // "ctl missions list"
    int (*run)(const Invocation&);
    const char* summary;  // one line for the command lists
    const char* usage;    // synopsis and flags for `letts PATH --help`
};

const std::vector<CommandEntry>& command_table();

// Help for `path`: the root ("" ), a group ("ctl", "ctl missions") or a
// command; false when no command starts with `path`.
bool print_help(const std::string& path, std::FILE* out);

}  // namespace letts_cli
