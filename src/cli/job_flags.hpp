// The dispatch flags `dispatch` and `run` share (upstream dispatch.go /
// run.go): where to (--route, --host, --match, --lane), what (--mission,
// --input, --input-file, --file), and how (--timeout, --mission-id). All of
// it is checked before letts.yaml is read or anything is sent.
#pragma once

#include <string>
#include <vector>

#include "args.hpp"
#include "handles.hpp"

namespace letts_cli {

struct DispatchFlags {
    std::string mission;
    std::string route;
    std::vector<std::string> hosts;  // --host a,b: more than one only for run
    std::vector<std::string> match;
    std::string lane;
    std::string input_json;          // "" when neither --input nor --input-file
    std::vector<std::pair<std::string, std::string>> files;  // role, path
    int64_t timeout_ms = -1;         // -1: the lane's
    std::string mission_id;
};

std::vector<FlagSpec> dispatch_flag_specs();

// Reads and validates the flags: a usage error names the flag and what is
// wrong with it (malformed JSON, an unreadable file, a bad duration).
DispatchFlags read_dispatch_flags(const Args& args, bool allow_many_hosts);

// The job for `host` ("" keeps route/match addressing) in `lane` ("": none).
JobPtr build_job(const DispatchFlags& f, const std::string& host, const std::string& lane);

// "role=path" split at the first '='; a usage error for `flag` otherwise.
std::pair<std::string, std::string> split_role_path(const std::string& item,
                                                    const std::string& flag);

// A Go-style duration ("90s", "5m") of `flag` in milliseconds.
int64_t parse_duration_flag(const std::string& text, const std::string& flag);

}  // namespace letts_cli
