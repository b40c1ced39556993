// The per-host part of `letts exec`: dispatch, live output while it runs,
// the wait, and the report in upstream's output modes (raw, prefix, json,
// ndjson), for one dugdale or several at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "handles.hpp"

namespace letts_cli {

struct ExecPlan {
    std::vector<std::string> hosts;
    std::string mode;              // raw | prefix | json | ndjson
    std::string group_id;          // "" with one host and no --group-id
    bool detach = false;
    int64_t wait_ms = 0;           // 0: forever
    size_t buffer_cap = 64 * 1024; // json mode, per stream and host
    std::vector<std::pair<std::string, std::string>> outs;  // --out key, path
};

// A spec for one host (the caller's builder, so the flags are read once).
using SpecFor = ExecSpecPtr (*)(const void* ctx, const std::string& host);

// Runs the plan and returns the exit code: one host raw as upstream's
// single exec (the command's code, 125 abnormal, 255 before the end);
// several, the worst of them (0 < N < 124 < 125 < 255).
int exec_hosts(const letts_client* client, const ExecPlan& plan, SpecFor spec_for, const void* ctx);

}  // namespace letts_cli
