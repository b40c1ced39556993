// What an exec dispatch asks for (http-api.md §5.6, the Go client's
// ExecRequest): an argv run verbatim on a lane, with local files the client
// stages first (a script, `in` files, standard input) and the names of the
// files the process leaves under out/ to be collected.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace letts::client {

struct ExecSpec {
    std::string host;                  // dugdale id or alias (required)
    std::string lane;                  // required
    std::vector<std::string> command;  // argv, non-empty
    std::string script_path;           // "" = no script
    std::vector<std::pair<std::string, std::string>> in;  // key -> local path, in order
    std::vector<std::string> out;      // keys, in order
    std::string stdin_path;            // "" = none (or stdin_bytes)
    std::optional<std::string> stdin_bytes;  // staged from memory
    std::string timeout;               // Go duration text; "" = none
    std::string group_id;              // "" = none
    std::string display_name;          // "" = none
    std::string exec_id;               // "" = a fresh UUIDv7 (the idempotency key)
};

// The staging ids of an exec's files once uploaded.
struct ExecStaged {
    std::string script;                                   // "" = none
    std::vector<std::pair<std::string, std::string>> in;  // key -> staging id
    std::string stdin_id;                                 // "" = none
};

// The body of POST /v1/exec/dispatch: the spec's keys, optional ones left
// out when empty (as the Go client's omitempty does).
std::string exec_body(const ExecSpec& spec, const ExecStaged& staged);

// The spec's own mistakes, found before anything is staged or sent:
// Status::invalid_argument naming what is wrong.
void check_exec_spec(const ExecSpec& spec);

}  // namespace letts::client
