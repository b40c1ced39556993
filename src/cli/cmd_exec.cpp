// `letts exec (--host ID[,ID…] | --match LABEL,… | --all) --lane L [flags]
// -- COMMAND ARGS…`: an ad-hoc command (not a named mission) with the exec
// token, on one dugdale or several at once, as upstream's exec. This file
// reads and checks the flags, picks the dugdales and reads stdin once;
// exec_hosts.cpp runs and reports.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <algorithm>
#include <iterator>
#include <iostream>
#include <set>

#include "commands.hpp"
#include "error.hpp"
#include "exec_hosts.hpp"
#include "job_flags.hpp"
#include "locate.hpp"
#include "output.hpp"

namespace letts_cli {

namespace {

// What every host's spec is built from (flags read once).
struct ExecInput {
    const Parsed* p;
    std::string group_id;
    std::string stdin_mode;  // none | single | broadcast
    std::string stdin_bytes;
};

ExecSpecPtr build_spec(const void* ctx, const std::string& host) {
    const ExecInput& in = *static_cast<const ExecInput*>(ctx);
    const Args& a = in.p->args;
    letts_exec_spec* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_exec_spec_new(&raw, &err), err);
    ExecSpecPtr spec(raw);
    check(letts_exec_spec_set_host(raw, host.c_str(), &err), err, "--host");
    check(letts_exec_spec_set_lane(raw, a.get("lane")->c_str(), &err), err, "--lane");
    // Upstream sends a --script without a command; the exec API wants a
    // command, so the script is run by sh from where dugdale stages it.
    std::vector<std::string> argv = a.positional();
    if (argv.empty()) argv = {"sh", "script/script"};
    std::vector<const char*> v;
    for (const auto& s : argv) v.push_back(s.c_str());
    check(letts_exec_spec_set_command(raw, v.data(), v.size(), &err), err, "command");
    if (a.has("script")) check(letts_exec_spec_set_script_file(raw, a.get("script")->c_str(), &err), err, "--script");
    for (const auto& item : a.list("in")) {
        auto [key, path] = split_role_path(item, "--in");
        check(letts_exec_spec_add_input_file(raw, key.c_str(), path.c_str(), &err), err, "--in " + key);
    }
    for (const auto& item : a.list("out"))
        check(letts_exec_spec_add_output(raw, split_role_path(item, "--out").first.c_str(), &err), err, "--out");
    if (a.has("timeout"))
        check(letts_exec_spec_set_timeout_ms(raw, parse_duration_flag(*a.get("timeout"), "--timeout"), &err), err);
    if (a.has("mission-id")) check(letts_exec_spec_set_exec_id(raw, a.get("mission-id")->c_str(), &err), err, "--mission-id");
    if (!in.group_id.empty()) check(letts_exec_spec_set_group_id(raw, in.group_id.c_str(), &err), err, "--group-id");
    if (in.stdin_mode != "none" && !in.stdin_bytes.empty())
        check(letts_exec_spec_set_stdin(raw, in.stdin_bytes.data(), in.stdin_bytes.size(), &err), err, "--stdin");
    return spec;
}

void check_flags(const Parsed& p) {
    const Args& a = p.args;
    if (!a.has("lane")) throw usage_error("exec: --lane is required");
    int picks = (a.has("host") ? 1 : 0) + (a.list("match").empty() ? 0 : 1) + (a.has("all") ? 1 : 0);
    if (picks != 1) throw usage_error("exec: exactly one of --host, --match, --all is required");
    if (a.positional().empty() && !a.has("script")) throw usage_error("exec: either --script or '-- command' is required");
    if (a.has("script")) {
        std::ifstream probe(*a.get("script"));
        if (!probe) throw usage_error("--script: cannot read " + *a.get("script"));
    }
    for (const char* flag : {"in", "out"}) {
        std::set<std::string> keys;
        for (const auto& item : a.list(flag))
            if (!keys.insert(split_role_path(item, std::string("--") + flag).first).second)
                throw usage_error(std::string("--") + flag + ": key given twice");
    }
    std::string mode = a.get_or("output", "");
    if (!mode.empty() && mode != "raw" && mode != "prefix" && mode != "json" && mode != "ndjson")
        throw usage_error("--output: want raw, prefix, json or ndjson, got \"" + mode + "\"");
}

}  // namespace


namespace {

// A dugdale whose letts.yaml entry lists lanes takes part only when `lane`
// is one of them (upstream's candidates for --match/--all).
bool has_lane(const cJSON* cfg, const std::string& host, const std::string& lane) {
    const cJSON* d = nullptr;
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(cfg, "dugdales")) {
        const cJSON* id = cJSON_GetObjectItemCaseSensitive(d, "id");
        if (!cJSON_IsString(id) || host != id->valuestring) continue;
        const cJSON* lanes = cJSON_GetObjectItemCaseSensitive(d, "lanes");
        return !cJSON_IsObject(lanes) || !lanes->child || cJSON_GetObjectItemCaseSensitive(lanes, lane.c_str());
    }
    return true;
}

std::vector<std::string> resolve_targets(const letts_client* client, const Args& a) {
    std::vector<std::string> hosts;
    if (a.has("host")) {
        for (const auto& h : a.list("host")) {
            std::string one = single_host(client, h);
            if (std::find(hosts.begin(), hosts.end(), one) == hosts.end()) hosts.push_back(one);
        }
        return hosts;
    }
    std::vector<std::string> match = a.list("match");
    std::vector<const char*> labels;
    for (const auto& m : match) labels.push_back(m.c_str());
    letts_string_list* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_client_dugdales(client, labels.data(), labels.size(), &raw, &err), err, "--match");
    StringListPtr list(raw);
    const char* text = letts_client_config_json(client);
    Json cfg = parse_json(text ? text : "");
    std::string lane = *a.get("lane");
    for (size_t i = 0; i < letts_string_list_count(list.get()); ++i)
        if (has_lane(cfg.get(), letts_string_list_get(list.get(), i), lane)) hosts.emplace_back(letts_string_list_get(list.get(), i));
    if (hosts.empty()) {
        std::string joined;
        for (const auto& m : match) joined += (joined.empty() ? "" : " ") + m;
        std::string what = a.has("all") ? "--all" : "--match=[" + joined + "]";
        throw usage_error("no dugdales matched " + what + " with --lane=" + lane);
    }
    return hosts;
}

// Upstream's rules: piped stdin goes to one host by itself ("single"), to
// several only with --stdin=broadcast; a terminal is never read.
std::string stdin_mode(const std::string& flag, size_t hosts, bool tty) {
    if (flag.empty()) {
        if (tty) return "none";
        if (hosts == 1) return "single";
        throw usage_error("multi-host with non-TTY stdin requires --stdin=broadcast");
    }
    if (flag == "none") return flag;
    if (flag == "single" && hosts != 1) throw usage_error("--stdin=single requires exactly one --host");
    if (flag != "single" && flag != "broadcast") throw usage_error("--stdin: must be none|single|broadcast");
    if (tty) throw usage_error("--stdin=" + flag + " requires piped stdin (TTY detected)");
    return flag;
}

int64_t wait_ms(const Args& a) {
    if (a.has("wait-timeout")) return *a.get("wait-timeout") == "0" ? 0 : parse_duration_flag(*a.get("wait-timeout"), "--wait-timeout");
    if (a.has("timeout")) return parse_duration_flag(*a.get("timeout"), "--timeout") + 30000;
    return 0;
}

size_t output_buffer(const std::string& v) {
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < 1 || n > (1LL << 30))
        throw usage_error("--output-buffer: want a number of bytes, got \"" + v + "\"");
    return static_cast<size_t>(n);
}

std::string fresh_uuid() {
    char* id = nullptr;
    letts_error* err = nullptr;
    check(letts_uuidv7_generate(&id, &err), err);
    OwnedString owned(id);
    return id;
}

}  // namespace

int cmd_exec(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, true}, {"match", 0, true, true}, {"all", 0, false, false},
                                      {"lane", 0, true, false}, {"script", 0, true, false}, {"in", 0, true, true},
                                      {"out", 0, true, true}, {"stdin", 0, true, false}, {"timeout", 0, true, false},
                                      {"wait-timeout", 0, true, false}, {"detach", 0, false, false},
                                      {"output", 'o', true, false}, {"output-buffer", 0, true, false},
                                      {"mission-id", 0, true, false}, {"group-id", 0, true, false}},
                                false);
    check_flags(p);
    const Args& a = p.args;
    ExecPlan plan;
    plan.detach = a.has("detach");
    plan.wait_ms = wait_ms(a);
    if (a.has("output-buffer")) plan.buffer_cap = output_buffer(*a.get("output-buffer"));
    for (const auto& item : a.list("out")) plan.outs.push_back(split_role_path(item, "--out"));
    ClientPtr client = make_client(p.globals);
    plan.hosts = resolve_targets(client.get(), a);
    bool many = plan.hosts.size() > 1;
    plan.mode = a.get_or("output", many ? "prefix" : "raw");
    if (many && plan.mode == "raw") throw usage_error("--output=raw requires a single host");
    if (many && a.has("mission-id")) throw usage_error("--mission-id not allowed with multiple hosts (would collide ids)");
    if (many && !plan.outs.empty()) throw usage_error("--out requires a single host");
    ExecInput in{&p, a.get_or("group-id", ""), stdin_mode(a.get_or("stdin", ""), plan.hosts.size(), isatty(0) != 0), {}};
    if (in.group_id.empty() && plan.mode != "raw") in.group_id = fresh_uuid();
    plan.group_id = in.group_id;
    if (in.stdin_mode != "none") {
        in.stdin_bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
        if (!std::cin.eof() && std::cin.bad()) throw CliError(255, "--stdin: cannot read standard input");
    }
    return exec_hosts(client.get(), plan, build_spec, &in);
}

}  // namespace letts_cli
