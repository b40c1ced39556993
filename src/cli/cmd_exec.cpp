// `letts exec --host ID --lane L [flags] -- COMMAND ARGS…`: an ad-hoc
// command (not a named mission) on one dugdale, with the exec token. Its
// stdout and stderr become ours, and its exit code ours, with upstream's
// mapping: 124/125/255 from the command and any abnormal end become 125,
// a failure before the end (transport, auth, config, refusal) 255.
#include <cstdio>
#include <fstream>
#include <memory>

#include "commands.hpp"
#include "error.hpp"
#include "interrupt.hpp"
#include "job_flags.hpp"
#include "locate.hpp"

namespace letts_cli {

namespace {

constexpr int kExitExecTransport = 255;

using ExecSpecPtr = std::unique_ptr<letts_exec_spec, Deleter<letts_exec_spec_free>>;

int exec_exit(const letts_run_result* r) {
    std::string outcome = letts_run_result_outcome(r) ? letts_run_result_outcome(r) : "";
    int64_t code = 0;
    bool has_code = letts_run_result_exit_code(r, &code) != 0;
    if (outcome != "success" && outcome != "failed") return kExitAbnormal;
    if (code == 124 || code == 125 || code == 255) return kExitAbnormal;
    if (outcome == "failed" && (!has_code || code == 0)) return kExitFailure;
    return static_cast<int>(code & 0xff);
}

// Everything before the command's end that is not the user's mistake is
// upstream's "transport" class.
[[noreturn]] void fail_pre_terminal(letts_status st, letts_error* err) {
    try {
        throw_letts(st, err);
    } catch (const CliError& e) {
        int code = e.code();
        if (code != kExitUsage && code != kExitWaitTimeout && code != kExitInterrupted) code = kExitExecTransport;
        throw CliError(code, e.what());
    }
}

ExecSpecPtr build_spec(const Parsed& p, const std::string& host) {
    letts_exec_spec* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_exec_spec_new(&raw, &err), err);
    ExecSpecPtr spec(raw);
    check(letts_exec_spec_set_host(raw, host.c_str(), &err), err, "--host");
    check(letts_exec_spec_set_lane(raw, p.args.get("lane")->c_str(), &err), err, "--lane");
    // Upstream sends a --script without a command; the exec API wants a
    // command, so the script is run by sh from where dugdale stages it.
    std::vector<std::string> argv = p.args.positional();
    if (argv.empty()) argv = {"sh", "script/script"};
    std::vector<const char*> v;
    for (const auto& a : argv) v.push_back(a.c_str());
    check(letts_exec_spec_set_command(raw, v.data(), v.size(), &err), err, "command");
    if (p.args.has("script")) check(letts_exec_spec_set_script_file(raw, p.args.get("script")->c_str(), &err), err, "--script");
    for (const auto& item : p.args.list("in")) {
        auto [key, path] = split_role_path(item, "--in");
        check(letts_exec_spec_add_input_file(raw, key.c_str(), path.c_str(), &err), err, "--in " + key);
    }
    for (const auto& item : p.args.list("out")) {
        auto kp = split_role_path(item, "--out");
        check(letts_exec_spec_add_output(raw, kp.first.c_str(), &err), err, "--out " + kp.first);
    }
    if (p.args.has("timeout"))
        check(letts_exec_spec_set_timeout_ms(raw, parse_duration_flag(*p.args.get("timeout"), "--timeout"), &err), err);
    if (p.args.has("mission-id")) check(letts_exec_spec_set_exec_id(raw, p.args.get("mission-id")->c_str(), &err), err, "--mission-id");
    return spec;
}

void check_flags(const Parsed& p) {
    if (!p.args.has("host")) throw usage_error("exec: --host is required (--match and --all are not supported yet)");
    if (p.args.get("host")->find(',') != std::string::npos) throw usage_error("exec: one --host only (fan-out is not supported yet)");
    if (!p.args.has("lane")) throw usage_error("exec: --lane is required");
    if (p.args.positional().empty() && !p.args.has("script")) throw usage_error("exec: either --script or '-- command' is required");
    if (p.args.has("script")) {
        std::ifstream probe(*p.args.get("script"));
        if (!probe) throw usage_error("--script: cannot read " + *p.args.get("script"));
    }
}

void write_outputs(const letts_client* client, const letts_run_result* r, const Parsed& p) {
    for (const auto& item : p.args.list("out")) {
        auto [key, path] = split_role_path(item, "--out");
        char* data = nullptr;
        size_t len = 0;
        letts_error* err = nullptr;
        letts_status st = letts_client_download_output(client, r, key.c_str(), &data, &len, &err);
        if (st != LETTS_OK) fail_pre_terminal(st, err);
        OwnedString owned(data);
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(data, static_cast<std::streamsize>(len));
        if (!out) throw CliError(kExitExecTransport, "--out " + key + ": cannot write " + path);
    }
}

}  // namespace

int cmd_exec(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"lane", 0, true, false},
                                      {"script", 0, true, false}, {"in", 0, true, true},
                                      {"out", 0, true, true}, {"timeout", 0, true, false},
                                      {"wait-timeout", 0, true, false}, {"detach", 0, false, false},
                                      {"mission-id", 0, true, false}});
    check_flags(p);
    ClientPtr client = make_client(p.globals);
    std::string host = single_host(client.get(), *p.args.get("host"));
    ExecSpecPtr spec = build_spec(p, host);
    letts_error* err = nullptr;
    if (p.args.has("detach")) {
        char* id = nullptr;
        letts_status st = letts_client_exec_dispatch(client.get(), spec.get(), &id, &err);
        if (st != LETTS_OK) fail_pre_terminal(st, err);
        OwnedString owned(id);
        std::printf("%s\n", id);
        return 0;
    }
    int64_t wait_ms = p.args.has("wait-timeout") ? parse_duration_flag(*p.args.get("wait-timeout"), "--wait-timeout")
                      : p.args.has("timeout")    ? parse_duration_flag(*p.args.get("timeout"), "--timeout") + 30000
                                                 : 0;
    InterruptGuard guard;
    letts_run_options* raw_opts = nullptr;
    check(letts_run_options_new(&raw_opts, &err), err);
    RunOptionsPtr opts(raw_opts);
    check(letts_run_options_set_wait_timeout_ms(raw_opts, wait_ms, &err), err);
    check(letts_run_options_set_cancel(raw_opts, guard.cancel(), &err), err);
    check(letts_run_options_set_failure_as_error(raw_opts, 0, &err), err);
    check(letts_run_options_set_fetch_logs(raw_opts, 1, &err), err);
    letts_run_result* raw = nullptr;
    letts_status st = letts_client_exec_run(client.get(), spec.get(), raw_opts, &raw, &err);
    RunResultPtr result(raw);
    if (st != LETTS_OK) fail_pre_terminal(st, err);
    size_t len = 0;
    const char* out = letts_run_result_stdout(raw, &len);
    if (out) std::fwrite(out, 1, len, stdout);
    std::fflush(stdout);
    out = letts_run_result_stderr(raw, &len);
    if (out) std::fwrite(out, 1, len, stderr);
    if (letts_run_result_is_success(raw)) write_outputs(client.get(), raw, p);
    return exec_exit(raw);
}

}  // namespace letts_cli
