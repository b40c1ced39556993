// What `run` prints for a finished mission and the exit code it earns:
// text is the pretty `return`, json the upstream result object.
#pragma once

#include <letts/letts.h>

#include "output.hpp"

namespace letts_cli {

// {mission_id, host, outcome, return, exit_code, signal, fail_reason,
//  fail_message, duration_ms, logs:{stdout, stderr}} — upstream's object
// plus mission_id and host, which libletts knows and scripts need.
Json run_result_json(const letts_run_result* r);

// Prints the result as `format` asks.
void print_run_result(const letts_run_result* r, Format format);

// 0 for success; 1 with "mission failed: …" on stderr for failed; 125 with
// "mission did not exit normally: …" for killed, timeout, crashed, lost.
int outcome_exit(const letts_run_result* r);

}  // namespace letts_cli
