#include "exec_hosts.hpp"

#include <cstdio>
#include <mutex>
#include <thread>

#include "error.hpp"
#include "interrupt.hpp"
#include "output.hpp"

namespace letts_cli {

namespace {

constexpr int kExitExecTransport = 255;

// One place writes to stdout/stderr, so lines of several hosts never tear.
std::mutex g_out_mu;

// What one host's exec came to.
struct HostRun {
    std::string host, exec_id;
    RunResultPtr result;
    letts_status status = LETTS_OK;  // not LETTS_OK: no result (error row)
    std::string message, error_code;
    int http_status = 0;
    std::string buf[2];              // json mode: stdout, stderr
    bool truncated[2] = {false, false};
};

// One stream of one host being tailed: where its bytes go, by mode.
struct Tail {
    const ExecPlan* plan;
    HostRun* run;
    int which;                       // 0 stdout, 1 stderr
    std::string partial;             // prefix/ndjson: bytes of an unfinished line
};

void emit_line(Tail& t, const std::string& line) {
    std::lock_guard lock(g_out_mu);
    if (t.plan->mode == "prefix") {
        std::FILE* f = t.which ? stderr : stdout;
        std::fprintf(f, "[%s]%s %s\n", t.run->host.c_str(), t.which ? "[stderr]" : "", line.c_str());
        std::fflush(f);
        return;
    }
    Json o(cJSON_CreateObject());
    cJSON_AddStringToObject(o.get(), "host", t.run->host.c_str());
    cJSON_AddStringToObject(o.get(), "stream", t.which ? "stderr" : "stdout");
    cJSON_AddStringToObject(o.get(), "line", line.c_str());
    print_json(o.get(), Format::Ndjson);
    std::fflush(stdout);
}

int on_tail_bytes(const char* data, size_t len, void* user) {
    Tail& t = *static_cast<Tail*>(user);
    if (t.plan->mode == "raw") {
        std::lock_guard lock(g_out_mu);
        std::FILE* f = t.which ? stderr : stdout;
        std::fwrite(data, 1, len, f);
        std::fflush(f);
    } else if (t.plan->mode == "json") {
        std::string& b = t.run->buf[t.which];
        size_t room = b.size() < t.plan->buffer_cap ? t.plan->buffer_cap - b.size() : 0;
        if (len > room) t.run->truncated[t.which] = true;
        b.append(data, len < room ? len : room);
    } else {
        t.partial.append(data, len);
        size_t nl;
        while ((nl = t.partial.find('\n')) != std::string::npos) {
            emit_line(t, t.partial.substr(0, nl));
            t.partial.erase(0, nl + 1);
        }
    }
    return 0;
}

// ndjson: every event of the exec as upstream's {host, event, seq, ...}.
struct EventTap {
    const HostRun* run;
};

int on_event(const char* line, size_t len, void* user) {
    const HostRun& run = *static_cast<EventTap*>(user)->run;
    Json ev = parse_json(std::string(line, len));
    if (!ev) return 0;
    Json o(cJSON_CreateObject());
    cJSON_AddStringToObject(o.get(), "host", run.host.c_str());
    for (const char* key : {"event", "seq", "outcome", "exit_code", "signal"}) {
        const cJSON* v = cJSON_GetObjectItemCaseSensitive(ev.get(), key);
        if (v && !(cJSON_IsString(v) && !*v->valuestring)) cJSON_AddItemToObject(o.get(), key, cJSON_Duplicate(v, 1));
    }
    std::lock_guard lock(g_out_mu);
    print_json(o.get(), Format::Ndjson);
    std::fflush(stdout);
    return 0;
}

void record_error(HostRun& run, letts_status st, letts_error* err) {
    ErrorPtr owned(err);
    run.status = st;
    run.message = err && letts_error_message(err) ? letts_error_message(err) : "failed";
    run.http_status = err ? letts_error_http_status(err) : 0;
    run.error_code = err && letts_error_code(err) ? letts_error_code(err) : "";
}

}  // namespace


namespace {

ClientPtr with_cancel(const letts_client* client, letts_cancel* cancel) {
    letts_client* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_client_with_cancel(client, cancel, &raw, &err), err);
    return ClientPtr(raw);
}

RunOptionsPtr wait_options(const ExecPlan& plan, letts_cancel* interrupt) {
    letts_run_options* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_run_options_new(&raw, &err), err);
    RunOptionsPtr opts(raw);
    check(letts_run_options_set_wait_timeout_ms(raw, plan.wait_ms, &err), err);
    check(letts_run_options_set_cancel(raw, interrupt, &err), err);
    check(letts_run_options_set_failure_as_error(raw, 0, &err), err);
    check(letts_run_options_set_fetch_logs(raw, 0, &err), err);
    return opts;
}

// The exec's output is tailed live (follow) beside the wait; the tails end
// with the exec, or are cancelled when the wait ends without its end.
void follow_host(const letts_client* client, const ExecPlan& plan, HostRun& run, const letts_run_options* opts,
                 letts_cancel* tail_cancel, const letts_client* tail_client) {
    Tail tails[2] = {{&plan, &run, 0, {}}, {&plan, &run, 1, {}}};
    EventTap tap{&run};
    std::vector<std::thread> threads;
    for (Tail& t : tails)
        threads.emplace_back([&run, &t, tail_client] {
            letts_error* e = nullptr;
            letts_client_exec_stream_output(tail_client, run.host.c_str(), run.exec_id.c_str(),
                                            t.which ? "stderr" : "stdout", 1, on_tail_bytes, &t, &e);
            letts_error_free(e);
        });
    if (plan.mode == "ndjson")
        threads.emplace_back([&run, &tap, tail_client] {
            letts_error* e = nullptr;
            letts_client_exec_follow_events(tail_client, run.host.c_str(), run.exec_id.c_str(), 0, 1, on_event, &tap, &e);
            letts_error_free(e);
        });
    letts_run_result* raw = nullptr;
    letts_error* err = nullptr;
    letts_status st = letts_client_exec_wait(client, run.host.c_str(), run.exec_id.c_str(), opts, &raw, &err);
    run.result.reset(raw);
    if (st != LETTS_OK && st != LETTS_ERR_MISSION_FAILED) {
        record_error(run, st, err);
        letts_cancel_trigger(tail_cancel);
    } else {
        letts_error_free(err);
    }
    for (auto& t : threads) t.join();
    for (Tail& t : tails)
        if (!t.partial.empty()) emit_line(t, t.partial);
}

void run_host(const letts_client* client, const ExecPlan& plan, const letts_exec_spec* spec, HostRun& run,
              const letts_run_options* opts) {
    char* id = nullptr;
    letts_error* err = nullptr;
    letts_status st = letts_client_exec_dispatch(client, spec, &id, &err);
    if (st != LETTS_OK) return record_error(run, st, err);
    OwnedString owned(id);
    run.exec_id = id;
    if (plan.detach) return;
    letts_cancel* raw = nullptr;
    if (letts_cancel_new(&raw, &err) != LETTS_OK) return record_error(run, LETTS_ERR_NO_MEMORY, err);
    CancelPtr tail_cancel(raw);
    letts_client* tc = nullptr;
    if ((st = letts_client_with_cancel(client, raw, &tc, &err)) != LETTS_OK) return record_error(run, st, err);
    ClientPtr tail_client(tc);
    follow_host(client, plan, run, opts, raw, tc);
}

}  // namespace


namespace {

// Upstream's mapping of an ended exec: the command's code, with 124/125/255
// and any abnormal end (killed, timeout, ...) as 125, "failed" without a
// code as 1; a host that never reached the end: 124 wait timeout, else 255.
int host_exit(const HostRun& run) {
    if (!run.result) return run.status == LETTS_ERR_WAIT_TIMEOUT ? kExitWaitTimeout : kExitExecTransport;
    const letts_run_result* r = run.result.get();
    std::string outcome = letts_run_result_outcome(r) ? letts_run_result_outcome(r) : "";
    int64_t code = 0;
    bool has_code = letts_run_result_exit_code(r, &code) != 0;
    if (outcome != "success" && outcome != "failed") return kExitAbnormal;
    if (code == 124 || code == 125 || code == 255) return kExitAbnormal;
    if (outcome == "failed" && (!has_code || code == 0)) return kExitFailure;
    return static_cast<int>(code & 0xff);
}

// Worst of several: 0 < N < 124 < 125 < 255.
int rank(int code) {
    switch (code) {
    case 0: return 0;
    case kExitWaitTimeout: return 2;
    case kExitAbnormal: return 3;
    case kExitExecTransport: return 4;
    default: return 1;
    }
}

const char* error_kind(letts_status st) {
    switch (st) {
    case LETTS_ERR_AUTH: return "unauthorized";
    case LETTS_ERR_BAD_REQUEST: case LETTS_ERR_CONFLICT: case LETTS_ERR_INVALID_ARGUMENT: return "bad_request";
    case LETTS_ERR_WAIT_TIMEOUT: return "wait_timeout";
    case LETTS_ERR_CONFIG: case LETTS_ERR_MISSING_ENV: return "config";
    default: return "transport";
    }
}

// Upstream's error row / ndjson error envelope.
Json error_json(const HostRun& run, bool envelope) {
    Json o(cJSON_CreateObject());
    cJSON_AddStringToObject(o.get(), "host", run.host.c_str());
    if (envelope) cJSON_AddStringToObject(o.get(), "event", "error");
    cJSON_AddStringToObject(o.get(), "error", error_kind(run.status));
    cJSON_AddStringToObject(o.get(), "message", run.message.c_str());
    if (run.http_status) cJSON_AddNumberToObject(o.get(), "http_status", run.http_status);
    if (!run.error_code.empty()) cJSON_AddStringToObject(o.get(), "error_code", run.error_code.c_str());
    return o;
}

Json success_json(const HostRun& run) {
    const letts_run_result* r = run.result.get();
    Json o(cJSON_CreateObject());
    cJSON_AddStringToObject(o.get(), "host", run.host.c_str());
    cJSON_AddStringToObject(o.get(), "exec_id", run.exec_id.c_str());
    cJSON_AddStringToObject(o.get(), "outcome", letts_run_result_outcome(r) ? letts_run_result_outcome(r) : "");
    int64_t code = 0;
    letts_run_result_exit_code(r, &code);
    cJSON_AddNumberToObject(o.get(), "exit_code", static_cast<double>(code));
    const char* sig = letts_run_result_signal(r);
    if (sig && *sig) cJSON_AddStringToObject(o.get(), "signal", sig);
    if (letts_run_result_duration_ms(r) > 0)
        cJSON_AddNumberToObject(o.get(), "duration_ms", static_cast<double>(letts_run_result_duration_ms(r)));
    cJSON_AddStringToObject(o.get(), "stdout", run.buf[0].c_str());
    cJSON_AddStringToObject(o.get(), "stderr", run.buf[1].c_str());
    if (run.truncated[0]) cJSON_AddBoolToObject(o.get(), "stdout_truncated", 1);
    if (run.truncated[1]) cJSON_AddBoolToObject(o.get(), "stderr_truncated", 1);
    return o;
}

void report(const ExecPlan& plan, const std::vector<HostRun>& runs) {
    if (plan.mode == "json") {
        Json all(cJSON_CreateObject());
        if (plan.group_id.empty()) cJSON_AddNullToObject(all.get(), "group_id");
        else cJSON_AddStringToObject(all.get(), "group_id", plan.group_id.c_str());
        cJSON* arr = cJSON_AddArrayToObject(all.get(), "results");
        for (const auto& run : runs)
            cJSON_AddItemToArray(arr, (run.result ? success_json(run) : error_json(run, false)).release());
        print_json(all.get(), Format::Json);
        return;
    }
    for (const auto& run : runs) {
        if (run.result) continue;
        if (plan.mode == "ndjson") print_json(error_json(run, true).get(), Format::Ndjson);
        else if (plan.mode == "prefix") std::fprintf(stderr, "[FAIL] %s — %s\n", run.host.c_str(), run.message.c_str());
        else std::fprintf(stderr, "letts: %s\n", run.message.c_str());
    }
}

}  // namespace


namespace {

int report_detach(const ExecPlan& plan, const std::vector<HostRun>& runs) {
    bool any_ok = false, any_fail = false;
    for (const auto& run : runs) {
        if (run.exec_id.empty()) {
            any_fail = true;
            std::fprintf(stderr, "[FAIL] %s — %s\n", run.host.c_str(), run.message.c_str());
        } else {
            any_ok = true;
        }
    }
    if (any_ok) std::printf("%s\n", runs.size() > 1 ? plan.group_id.c_str() : runs[0].exec_id.c_str());
    return any_fail ? kExitExecTransport : 0;
}

// --out (one host): each declared output downloaded after a success.
void download_outs(const letts_client* client, const ExecPlan& plan, const HostRun& run) {
    for (const auto& [key, path] : plan.outs) {
        char* data = nullptr;
        size_t len = 0;
        letts_error* err = nullptr;
        letts_status st = letts_client_download_output(client, run.result.get(), key.c_str(), &data, &len, &err);
        if (st != LETTS_OK) {
            ErrorPtr owned(err);
            throw CliError(kExitExecTransport, "--out " + key + ": " + (err ? letts_error_message(err) : "failed"));
        }
        OwnedString owned(data);
        std::FILE* f = std::fopen(path.c_str(), "wb");
        bool ok = f && std::fwrite(data, 1, len, f) == len;
        if (f && std::fclose(f) != 0) ok = false;
        if (!ok) throw CliError(kExitExecTransport, "--out " + key + ": cannot write " + path);
    }
}

void say_interrupted(const std::vector<HostRun>& runs) {
    for (const auto& run : runs)
        if (!run.exec_id.empty())
            std::fprintf(stderr, "letts: interrupted; exec %s keeps running on %s; follow it with: "
                                 "letts ctl exec output %s --host %s --follow\n",
                         run.exec_id.c_str(), run.host.c_str(), run.exec_id.c_str(), run.host.c_str());
}

}  // namespace

int exec_hosts(const letts_client* base, const ExecPlan& plan, SpecFor spec_for, const void* ctx) {
    std::vector<ExecSpecPtr> specs;
    for (const auto& h : plan.hosts) specs.push_back(spec_for(ctx, h));
    InterruptGuard guard;
    ClientPtr client = with_cancel(base, guard.cancel());
    RunOptionsPtr opts = wait_options(plan, guard.cancel());
    std::vector<HostRun> runs(plan.hosts.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < runs.size(); ++i) {
        runs[i].host = plan.hosts[i];
        threads.emplace_back([&, i] { run_host(client.get(), plan, specs[i].get(), runs[i], opts.get()); });
    }
    for (auto& t : threads) t.join();
    if (guard.interrupted()) {
        say_interrupted(runs);
        return kExitInterrupted;
    }
    if (plan.detach) return report_detach(plan, runs);
    std::fflush(stdout);
    if (runs.size() == 1 && runs[0].result && letts_run_result_is_success(runs[0].result.get()))
        download_outs(client.get(), plan, runs[0]);
    report(plan, runs);
    int worst = 0;
    for (const auto& run : runs)
        if (rank(host_exit(run)) > rank(worst)) worst = host_exit(run);
    return worst;
}

}  // namespace letts_cli
