// Where a mission's input text comes from: stdin under dugdale, the command
// line (or stdin on request) when standalone.
#pragma once

#include <span>
#include <string>

namespace letts::mission {

// Reads `fd` to EOF. `what` names the source in the error message.
// Throws letts::Error(Status::io).
std::string read_all(int fd, const std::string& what);

// The input text selected by the standalone arguments (argv without the
// program name): the first argument starting with --input= (its value, or
// stdin for "-") or --input-file= (the file, or stdin for "-") decides;
// other arguments are ignored. Returns "" when there is none.
// Throws letts::Error(Status::io) naming the file that cannot be read.
struct StandaloneInput {
    std::string text;
    std::string origin;  // for messages: "--input", "--input-file=PATH", "stdin"
};
StandaloneInput standalone_input(std::span<const char* const> args);

}  // namespace letts::mission
