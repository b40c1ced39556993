// `letts run`: dispatch a mission and follow it to its end — progress on
// stderr, the result on stdout, the outcome as the exit code; Ctrl-C stops
// waiting (the mission keeps running unless --kill-on-interrupt).
#include <poll.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "commands.hpp"
#include "error.hpp"
#include "interrupt.hpp"
#include "job_flags.hpp"
#include "progress.hpp"
#include "run_result.hpp"
#include "target_defaults.hpp"

namespace letts_cli {

int run_ndjson(const letts_client* client, const letts_job* job, const std::string& host);

namespace {

struct RunFlags {
    DispatchFlags d;
    std::vector<std::pair<std::string, std::string>> output_files;
    std::string outputs_dir;
    int64_t wait_timeout_ms = 0;  // 0: wait forever
    bool no_progress = false;
    bool logs = false;
    bool kill_on_interrupt = false;
};

// Upstream's wait rule: an explicit --wait-timeout wins (0 = forever);
// otherwise a mission --timeout plus 30 s of grace; otherwise forever.
int64_t wait_deadline_ms(const Args& args, const DispatchFlags& d) {
    if (args.has("wait-timeout")) return parse_duration_flag(*args.get("wait-timeout"), "--wait-timeout");
    return d.timeout_ms > 0 ? d.timeout_ms + 30000 : 0;
}

RunFlags read_run_flags(const Args& args) {
    RunFlags f;
    if (!args.positional().empty())
        throw usage_error("run: unexpected argument \"" + args.positional()[0] + "\" (the mission is --mission NAME)");
    f.d = read_dispatch_flags(args, true);
    for (const auto& item : args.list("output-file"))
        f.output_files.push_back(split_role_path(item, "--output-file"));
    f.outputs_dir = args.get_or("outputs-dir", "");
    f.wait_timeout_ms = wait_deadline_ms(args, f.d);
    f.no_progress = args.has("no-progress");
    f.logs = args.has("logs");
    f.kill_on_interrupt = args.has("kill-on-interrupt");
    if (f.d.hosts.size() > 1 && !f.output_files.empty())
        throw usage_error("--output-file not supported with multiple --host (specify a single host)");
    if (f.d.hosts.size() > 1 && !f.d.mission_id.empty())
        throw usage_error("--mission-id not supported with multiple --host (would reuse the same id across hosts)");
    return f;
}

int on_progress(int has_value, double value, const char* message, void* user_data) {
    static_cast<ProgressView*>(user_data)->update(has_value != 0, value, message ? message : "");
    return 0;
}

RunOptionsPtr make_run_options(const RunFlags& f, letts_cancel* cancel, ProgressView* view) {
    letts_error* err = nullptr;
    letts_run_options* raw = nullptr;
    check(letts_run_options_new(&raw, &err), err);
    RunOptionsPtr opts(raw);
    check(letts_run_options_set_wait_timeout_ms(opts.get(), f.wait_timeout_ms, &err), err);
    check(letts_run_options_set_cancel(opts.get(), cancel, &err), err);
    check(letts_run_options_set_kill_on_cancel(opts.get(), f.kill_on_interrupt ? 1 : 0, &err), err);
    if (view) check(letts_run_options_set_progress(opts.get(), on_progress, view, &err), err);
    // The outcome decides the exit code here, so a failed mission is a
    // result to print, not an error.
    check(letts_run_options_set_failure_as_error(opts.get(), 0, &err), err);
    check(letts_run_options_set_fetch_logs(opts.get(), f.logs ? 1 : 0, &err), err);
    if (!f.outputs_dir.empty())
        check(letts_run_options_set_outputs_folder(opts.get(), f.outputs_dir.c_str(), &err), err,
              "--outputs-dir");
    return opts;
}

// The end of a run that stopped before the mission did: say which mission
// it was and how to pick it up again.
int report_unfinished(letts_status st, letts_error* err, bool killed) {
    ErrorPtr owned(err);
    const char* id = err ? letts_error_mission_id(err) : nullptr;
    const char* host = err ? letts_error_dugdale(err) : nullptr;
    std::string where = host && *host ? std::string(" --host ") + host : "";
    std::string what = st == LETTS_ERR_WAIT_TIMEOUT ? "client wait timeout" : "interrupted";
    if (!id) {
        std::fprintf(stderr, "letts: %s\n", what.c_str());
    } else if (killed && st != LETTS_ERR_WAIT_TIMEOUT) {
        std::fprintf(stderr, "letts: %s; mission %s was killed (--kill-on-interrupt)\n", what.c_str(), id);
    } else {
        std::fprintf(stderr, "letts: %s; mission %s keeps running\n", what.c_str(), id);
        std::fprintf(stderr, "letts: follow it with: letts events %s%s --follow\n", id, where.c_str());
    }
    return st == LETTS_ERR_WAIT_TIMEOUT ? kExitWaitTimeout : kExitInterrupted;
}

void download_outputs(const letts_client* client, const letts_run_result* r,
                      const std::vector<std::pair<std::string, std::string>>& pairs) {
    for (const auto& [role, path] : pairs) {
        char* data = nullptr;
        size_t len = 0;
        letts_error* err = nullptr;
        check(letts_client_download_output(client, r, role.c_str(), &data, &len, &err), err,
              "--output-file " + role);
        OwnedString owned(data);
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(data, static_cast<std::streamsize>(len));
        if (!out) throw CliError(kExitFailure, "--output-file " + role + ": cannot write " + path);
    }
}

using RunHandlePtr = std::unique_ptr<letts_run_handle, Deleter<letts_run_handle_free>>;

// letts_client_run() as a poll loop over a run handle, so that a progress
// bar's elapsed time moves once a second even between progress events.
letts_status drive_run(const letts_client* client, const letts_job* job, const letts_run_options* opts,
                       ProgressView& view, letts_run_result** result, letts_error** err) {
    letts_run_handle* raw = nullptr;
    letts_status st = letts_client_run_start(client, job, opts, &raw, err);
    if (st != LETTS_OK) return st;
    RunHandlePtr handle(raw);
    while (letts_run_handle_state(raw) != LETTS_RUN_DONE) {
        struct pollfd pfd = {letts_run_handle_fd(raw), POLLIN, 0};
        int ready = poll(&pfd, 1, view.ticks() ? 1000 : -1);
        if (ready == 0) view.tick();
        // EINTR (Ctrl-C) needs nothing here: the cancel makes the fd readable.
        st = letts_run_handle_step(raw, err);
        if (st != LETTS_OK) return st;
    }
    return letts_run_handle_result(raw, result, err);
}

// Each captured line on stderr behind "[stdout] " or "[stderr] ", as
// upstream marks the mission's output apart from its own messages.
void print_prefixed(const char* data, size_t len, const char* prefix) {
    size_t start = 0;
    while (data && start < len) {
        const void* nl = std::memchr(data + start, '\n', len - start);
        size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data) : len;
        std::fprintf(stderr, "%s%.*s\n", prefix, static_cast<int>(end - start), data + start);
        start = end + 1;
    }
}

void print_logs(const letts_run_result* r) {
    size_t len = 0;
    const char* out = letts_run_result_stdout(r, &len);
    print_prefixed(out, len, "[stdout] ");
    out = letts_run_result_stderr(r, &len);
    print_prefixed(out, len, "[stderr] ");
}

int run_single(const letts_client* client, const RunFlags& f, const Globals& g) {
    std::string host = f.d.hosts.empty() ? "" : f.d.hosts[0];
    std::string lane = lane_for(client, f.d, host);
    if (g.verbose)
        std::fprintf(stderr, "letts: running %s on %s, lane %s\n", f.d.mission.c_str(),
                     host.empty() ? "the dugdale letts.yaml selects" : host.c_str(),
                     lane.empty() ? "(the route's)" : lane.c_str());
    JobPtr job = build_job(f.d, host, lane);
    // Events need the host; a route or label filter picks it inside the
    // library, so those runs print the result object instead.
    if (g.format == Format::Ndjson && !host.empty() && f.output_files.empty() && f.outputs_dir.empty())
        return run_ndjson(client, job.get(), host);
    InterruptGuard guard;
    ProgressView view(ProgressView::choose(f.no_progress || g.quiet || g.format != Format::Text));
    RunOptionsPtr opts = make_run_options(f, guard.cancel(), &view);
    letts_run_result* raw = nullptr;
    letts_error* err = nullptr;
    letts_status st = drive_run(client, job.get(), opts.get(), view, &raw, &err);
    view.finish();
    RunResultPtr result(raw);
    if (st == LETTS_ERR_WAIT_TIMEOUT || (st == LETTS_ERR_CANCELLED && guard.interrupted()))
        return report_unfinished(st, err, f.kill_on_interrupt);
    check(st, err);
    if (letts_run_result_is_success(result.get())) download_outputs(client, result.get(), f.output_files);
    print_run_result(result.get(), g.format);
    if (f.logs && g.format == Format::Text) print_logs(result.get());
    return outcome_exit(result.get());
}

}  // namespace

int run_fanout(const letts_client* client, const std::vector<std::string>& hosts,
               const DispatchFlags& d, const letts_run_options* opts, Format format);

int cmd_run(const Invocation& inv) {
    std::vector<FlagSpec> specs = dispatch_flag_specs();
    specs.insert(specs.end(), {{"output-file", 0, true, true},
                               {"outputs-dir", 0, true, false},
                               {"wait-timeout", 0, true, false},
                               {"no-progress", 0, false, false},
                               {"logs", 0, false, false},
                               {"kill-on-interrupt", 0, false, false}});
    Parsed p = parse_invocation(inv, specs);
    RunFlags f = read_run_flags(p.args);
    ClientPtr client = make_client(p.globals);
    default_host(client.get(), f.d);
    if (f.d.hosts.size() <= 1) return run_single(client.get(), f, p.globals);
    InterruptGuard guard;
    RunOptionsPtr opts = make_run_options(f, guard.cancel(), nullptr);
    return run_fanout(client.get(), f.d.hosts, f.d, opts.get(), p.globals.format);
}

}  // namespace letts_cli
