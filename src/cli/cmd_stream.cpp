// `letts events ID` and `letts logs ID`: a mission's event stream and its
// captured output, read once or followed to the mission's end. Ctrl-C ends
// a follow quietly with 130.
#include <cstdio>
#include <cstdlib>

#include "commands.hpp"
#include "error.hpp"
#include "interrupt.hpp"
#include "locate.hpp"

namespace letts_cli {

namespace {

struct EventSink {
    Format format;
};

// One event line for people: "seq  event  details".
void print_event_text(const cJSON* ev) {
    std::string name = json_str(ev, "event");
    std::string line = json_str(ev, "seq") + "  " + name;
    if (name == "progress") line += "  " + json_str(ev, "value") + " " + json_str(ev, "message");
    else if (name == "running") line += "  pid=" + json_str(ev, "pid");
    else if (name == "done") {
        line += "  outcome=" + json_str(ev, "outcome");
        std::string reason = json_str(ev, "fail_reason");
        if (!reason.empty()) line += " reason=" + reason;
    }
    std::printf("%s\n", line.c_str());
}

int on_event(const char* line, size_t len, void* user_data) {
    auto* sink = static_cast<EventSink*>(user_data);
    Json ev = parse_json(std::string(line, len));
    if (sink->format == Format::Text && ev) print_event_text(ev.get());
    else if (ev) print_json(ev.get(), Format::Ndjson);  // a stream: one document per line
    else std::printf("%.*s\n", static_cast<int>(len), line);
    std::fflush(stdout);
    return 0;
}

int on_bytes(const char* data, size_t len, void*) {
    std::fwrite(data, 1, len, stdout);
    std::fflush(stdout);
    return 0;
}

// A client that gives up when Ctrl-C is pressed.
ClientPtr cancellable(const letts_client* client, letts_cancel* cancel) {
    letts_client* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_client_with_cancel(client, cancel, &raw, &err), err);
    return ClientPtr(raw);
}

int finish(letts_status st, letts_error* err, const InterruptGuard& guard) {
    if (st == LETTS_ERR_CANCELLED && guard.interrupted()) {
        letts_error_free(err);
        return kExitInterrupted;
    }
    check(st, err);
    return 0;
}

}  // namespace

int cmd_events(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"from", 0, true, false},
                                      {"follow", 'f', false, false}});
    p.args.expect_positional(1, "one mission ID");
    int64_t from = 0;
    if (p.args.has("from")) {
        char* end = nullptr;
        std::string v = *p.args.get("from");
        from = std::strtoll(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || from < 0) throw usage_error("--from: want a sequence number, got \"" + v + "\"");
    }
    ClientPtr base = make_client(p.globals);
    const std::string& id = p.args.positional()[0];
    std::string host = locate_mission(base.get(), p.args.get_or("host", ""), id);
    InterruptGuard guard;
    ClientPtr client = cancellable(base.get(), guard.cancel());
    EventSink sink{p.globals.format};
    letts_error* err = nullptr;
    letts_status st = letts_client_follow_events(client.get(), host.c_str(), id.c_str(), from,
                                                 p.args.has("follow") ? 1 : 0, on_event, &sink, &err);
    return finish(st, err, guard);
}

int stream_output(const Invocation& inv, bool allow_follow, const char* default_stream, bool exec) {
    std::vector<FlagSpec> specs = {{"host", 0, true, false}, {"stream", 0, true, false}};
    if (allow_follow) specs.push_back({"follow", 'f', false, false});
    Parsed p = parse_invocation(inv, specs);
    p.args.expect_positional(1, "one mission ID");
    std::string stream = p.args.get_or("stream", default_stream);
    if (stream != "stdout" && stream != "stderr" && stream != "combined")
        throw usage_error("--stream: want stdout, stderr or combined, got \"" + stream + "\"");
    ClientPtr base = make_client(p.globals);
    const std::string& id = p.args.positional()[0];
    std::string host = locate_mission(base.get(), p.args.get_or("host", ""), id,
                                      exec ? letts_client_exec_get : letts_client_get_mission);
    InterruptGuard guard;
    ClientPtr client = cancellable(base.get(), guard.cancel());
    letts_error* err = nullptr;
    auto stream_fn = exec ? letts_client_exec_stream_output : letts_client_stream_output;
    letts_status st = stream_fn(client.get(), host.c_str(), id.c_str(), stream.c_str(),
                                                 p.args.has("follow") ? 1 : 0, on_bytes, nullptr, &err);
    return finish(st, err, guard);
}

int cmd_logs(const Invocation& inv) { return stream_output(inv, true, "stdout"); }
int cmd_missions_output(const Invocation& inv) { return stream_output(inv, false, "stdout"); }

}  // namespace letts_cli
