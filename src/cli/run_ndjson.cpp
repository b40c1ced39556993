// `letts -o ndjson run`: as upstream, every event of the mission on stdout
// as it arrives, one JSON document per line (the done event last), instead
// of a result object. Dispatch, then follow the event stream.
#include <cstdio>

#include "error.hpp"
#include "interrupt.hpp"
#include "job_flags.hpp"
#include "output.hpp"

namespace letts_cli {

namespace {

struct DoneSeen {
    std::string outcome, reason, message;
};

int on_event_line(const char* line, size_t len, void* user_data) {
    Json ev = parse_json(std::string(line, len));
    if (!ev) return 0;
    print_json(ev.get(), Format::Ndjson);
    std::fflush(stdout);
    if (json_str(ev.get(), "event") == "done")
        *static_cast<DoneSeen*>(user_data) = {json_str(ev.get(), "outcome"), json_str(ev.get(), "fail_reason"),
                                              json_str(ev.get(), "fail_message")};
    return 0;
}

}  // namespace

int run_ndjson(const letts_client* client, const letts_job* job, const std::string& host) {
    char* id = nullptr;
    letts_error* err = nullptr;
    check(letts_client_dispatch(client, job, &id, &err), err);
    OwnedString owned(id);
    InterruptGuard guard;
    letts_client* raw = nullptr;
    check(letts_client_with_cancel(client, guard.cancel(), &raw, &err), err);
    ClientPtr cancellable(raw);
    DoneSeen done;
    letts_status st = letts_client_follow_events(raw, host.c_str(), id, 0, 1, on_event_line, &done, &err);
    if (st == LETTS_ERR_CANCELLED && guard.interrupted()) {
        letts_error_free(err);
        std::fprintf(stderr, "letts: interrupted; mission %s keeps running\n", id);
        return kExitInterrupted;
    }
    check(st, err);
    if (done.outcome == "success") return 0;
    // The same words as the other formats (run_result.cpp), on stderr.
    std::string text = done.outcome == "failed" ? "mission failed" : "mission did not exit normally: " + done.outcome;
    if (done.outcome != "failed" && !done.reason.empty()) text += "/" + done.reason;
    else if (!done.reason.empty() && done.reason != "explicit") text += ": " + done.reason;
    if (!done.message.empty()) text += ": " + done.message;
    std::fprintf(stderr, "letts: %s\n", text.c_str());
    return done.outcome == "failed" ? kExitFailure : kExitAbnormal;
}

}  // namespace letts_cli
