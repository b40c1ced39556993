// `letts ctl missions list|show|restart|kill|delete` (output lives with
// logs in cmd_stream.cpp). A mission is looked up on every dugdale when
// --host is not given.
#include <cstdio>
#include <cstdlib>

#include "bulk.hpp"
#include "commands.hpp"
#include "error.hpp"
#include "locate.hpp"

namespace letts_cli {

namespace {

std::string or_dash(const char* s) { return s && *s ? s : "-"; }

std::string duration_text(int64_t ms) {
    if (ms < 0) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000.0);
    return buf;
}

// `kind` "exec" pins the list to execs (`ctl exec list`); --outcome and
// --group are only registered by that command, so has() is false elsewhere.
ListFilterPtr filter_from(const Args& args, const char* kind) {
    letts_list_filter* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_list_filter_new(&raw, &err), err);
    ListFilterPtr f(raw);
    if (kind) check(letts_list_filter_set_kind(f.get(), kind, &err), err);
    if (args.has("group")) check(letts_list_filter_set_group_id(f.get(), args.get("group")->c_str(), &err), err, "--group");
    if (args.has("outcome"))
        check(letts_list_filter_set_outcome(f.get(), args.get("outcome")->c_str(), &err), err, "--outcome");
    if (args.has("lane")) check(letts_list_filter_set_lane(f.get(), args.get("lane")->c_str(), &err), err, "--lane");
    if (args.has("status"))
        check(letts_list_filter_set_status(f.get(), args.get("status")->c_str(), &err), err, "--status");
    if (args.has("limit")) {
        char* end = nullptr;
        std::string v = *args.get("limit");
        long n = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || n < 1 || n > 100000)
            throw usage_error("--limit: want a positive number, got \"" + v + "\"");
        check(letts_list_filter_set_limit(f.get(), static_cast<int>(n), &err), err, "--limit");
    }
    return f;
}

std::vector<std::string> mission_row(const std::string& host, const letts_mission_info* m) {
    return {or_dash(letts_mission_info_mission_id(m)),   host,
            or_dash(letts_mission_info_lane(m)),         or_dash(letts_mission_info_mission_name(m)),
            or_dash(letts_mission_info_status(m)),       or_dash(letts_mission_info_outcome(m)),
            duration_text(letts_mission_info_duration_ms(m))};
}

}  // namespace


int list_missions(const Parsed& p, const char* kind) {
    ListFilterPtr filter = filter_from(p.args, kind);
    ClientPtr client = make_client(p.globals);
    std::vector<std::string> hosts;
    if (p.args.has("host")) hosts.push_back(single_host(client.get(), *p.args.get("host")));
    else hosts = all_dugdales(client.get());
    std::vector<std::vector<std::string>> rows;
    Json all(cJSON_CreateArray());
    for (const auto& h : hosts) {
        letts_mission_list* raw = nullptr;
        letts_error* err = nullptr;
        check(letts_client_list_missions(client.get(), h.c_str(), filter.get(), &raw, &err), err, h);
        MissionListPtr list(raw);
        for (size_t i = 0; i < letts_mission_list_count(list.get()); ++i) {
            const letts_mission_info* m = letts_mission_list_get(list.get(), i);
            rows.push_back(mission_row(h, m));
            Json doc = parse_json(letts_mission_info_json(m));
            if (!doc) continue;
            if (p.globals.format == Format::Ndjson) print_json(doc.get(), Format::Ndjson);
            else cJSON_AddItemToArray(all.get(), doc.release());
        }
    }
    if (is_document(p.globals.format)) print_json(all.get(), p.globals.format);
    if (p.globals.format == Format::Text)
        print_table({"MISSION ID", "HOST", "LANE", "MISSION", "STATUS", "OUTCOME", "DURATION"}, rows);
    return 0;
}

int cmd_missions_list(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"lane", 0, true, false},
                                      {"status", 0, true, false}, {"limit", 0, true, false}});
    p.args.expect_positional(0, "no arguments");
    return list_missions(p, nullptr);
}

MissionInfoPtr fetch_mission(const Parsed& p, std::string& host, bool exec) {
    ClientPtr client = make_client(p.globals);
    const std::string& id = p.args.positional()[0];
    GetMissionFn get = exec ? letts_client_exec_get : letts_client_get_mission;
    host = locate_mission(client.get(), p.args.get_or("host", ""), id, get);
    letts_mission_info* raw = nullptr;
    letts_error* err = nullptr;
    check(get(client.get(), host.c_str(), id.c_str(), &raw, &err), err);
    MissionInfoPtr m(raw);
    if (!m) throw CliError(kExitFailure, "mission " + id + " not found on " + host);
    return m;
}

int print_mission(const Parsed& p, const std::string& host, const letts_mission_info* m) {
    if (p.globals.format != Format::Text) {
        print_json_text(letts_mission_info_json(m), p.globals.format);
        return 0;
    }
    auto row = mission_row(host, m);
    const char* labels[] = {"Mission ID", "Host", "Lane", "Mission", "Status", "Outcome", "Duration"};
    for (size_t i = 0; i < row.size(); ++i) std::printf("%-11s %s\n", labels[i], row[i].c_str());
    if (letts_mission_info_fail_message(m))
        std::printf("%-11s %s\n", "Failure", letts_mission_info_fail_message(m));
    if (letts_mission_info_return_json(m))
        std::printf("%-11s %s\n", "Return", letts_mission_info_return_json(m));
    return 0;
}

int cmd_missions_show(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}});
    p.args.expect_positional(1, "one mission ID");
    std::string host;
    MissionInfoPtr m = fetch_mission(p, host);
    return print_mission(p, host, m.get());
}

namespace {

// The common shape of restart/kill/delete: ID, --host, the action, and a
// JSON document {"mission_id", "host", ...extra} for scripts.
void print_action(const Globals& g, const std::string& text, Json doc) {
    if (g.format == Format::Text) {
        if (!g.quiet) std::printf("%s\n", text.c_str());
        return;
    }
    print_json(doc.get(), g.format);
}

Json action_doc(const std::string& id, const std::string& host) {
    Json doc(cJSON_CreateObject());
    cJSON_AddStringToObject(doc.get(), "mission_id", id.c_str());
    cJSON_AddStringToObject(doc.get(), "host", host.c_str());
    return doc;
}

}  // namespace

int cmd_missions_restart(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"selector", 0, true, false},
                                      {"dry-run", 0, false, false}, {"yes", 'y', false, false}});
    if (p.args.has("selector")) return run_bulk(p, true);
    p.args.expect_positional(1, "one mission ID");
    ClientPtr client = make_client(p.globals);
    const std::string& id = p.args.positional()[0];
    std::string host = locate_mission(client.get(), p.args.get_or("host", ""), id);
    char* new_id = nullptr;
    letts_error* err = nullptr;
    check(letts_client_restart(client.get(), host.c_str(), id.c_str(), &new_id, &err), err);
    OwnedString owned(new_id);
    Json doc = action_doc(id, host);
    cJSON_AddStringToObject(doc.get(), "new_mission_id", new_id ? new_id : "");
    print_action(p.globals, new_id ? new_id : "", std::move(doc));
    return 0;
}

int cmd_missions_kill(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"signal", 0, true, false}});
    p.args.expect_positional(1, "one mission ID");
    std::string sig = p.args.get_or("signal", "TERM");
    ClientPtr client = make_client(p.globals);
    const std::string& id = p.args.positional()[0];
    std::string host = locate_mission(client.get(), p.args.get_or("host", ""), id);
    letts_error* err = nullptr;
    check(letts_client_kill(client.get(), host.c_str(), id.c_str(), sig.c_str(), &err), err);
    Json doc = action_doc(id, host);
    cJSON_AddStringToObject(doc.get(), "signal", sig.c_str());
    print_action(p.globals, "killed " + id + " (SIG" + sig + ")", std::move(doc));
    return 0;
}

int cmd_missions_delete(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"force", 0, false, false},
                                      {"selector", 0, true, false}, {"dry-run", 0, false, false},
                                      {"yes", 'y', false, false}});
    if (p.args.has("selector")) return run_bulk(p, false);
    p.args.expect_positional(1, "one mission ID");
    ClientPtr client = make_client(p.globals);
    const std::string& id = p.args.positional()[0];
    std::string host = locate_mission(client.get(), p.args.get_or("host", ""), id);
    letts_error* err = nullptr;
    check(letts_client_delete(client.get(), host.c_str(), id.c_str(), p.args.has("force") ? 1 : 0, &err), err);
    Json doc = action_doc(id, host);
    cJSON_AddBoolToObject(doc.get(), "deleted", 1);
    print_action(p.globals, "deleted " + id, std::move(doc));
    return 0;
}

}  // namespace letts_cli
