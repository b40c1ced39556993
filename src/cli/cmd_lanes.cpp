// `letts ctl lanes list|pause|continue`.
#include <cstdio>

#include "commands.hpp"
#include "error.hpp"
#include "locate.hpp"

namespace letts_cli {

namespace {

// GET /v1/lanes answers {"lanes": [...]} (or, defensively, the bare array).
const cJSON* lanes_array(const cJSON* doc) {
    if (cJSON_IsArray(doc)) return doc;
    const cJSON* arr = cJSON_GetObjectItemCaseSensitive(doc, "lanes");
    return cJSON_IsArray(arr) ? arr : nullptr;
}

void print_lanes_text(const cJSON* doc) {
    std::vector<std::vector<std::string>> rows;
    const cJSON* arr = lanes_array(doc);
    const cJSON* lane = nullptr;
    if (arr) {
        cJSON_ArrayForEach(lane, arr) {
            rows.push_back({json_str(lane, "name"), json_str(lane, "concurrency"), json_str(lane, "paused"),
                            json_str(lane, "running"), json_str(lane, "queued")});
        }
    }
    print_table({"LANE", "CONCURRENCY", "PAUSED", "RUNNING", "QUEUED"}, rows);
}

int lane_action(const Invocation& inv, bool pause) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}});
    p.args.expect_positional(1, "one LANE");
    ClientPtr client = make_client(p.globals);
    std::string host = single_host(client.get(), p.args.get_or("host", ""));
    const std::string& lane = p.args.positional()[0];
    letts_error* err = nullptr;
    check(pause ? letts_client_pause_lane(client.get(), host.c_str(), lane.c_str(), &err)
                : letts_client_continue_lane(client.get(), host.c_str(), lane.c_str(), &err),
          err);
    if (p.globals.format == Format::Text) {
        if (!p.globals.quiet) std::printf("lane %s %s on %s\n", lane.c_str(), pause ? "paused" : "continued", host.c_str());
        return 0;
    }
    Json doc(cJSON_CreateObject());
    cJSON_AddStringToObject(doc.get(), "host", host.c_str());
    cJSON_AddStringToObject(doc.get(), "lane", lane.c_str());
    cJSON_AddBoolToObject(doc.get(), "paused", pause);
    print_json(doc.get(), p.globals.format);
    return 0;
}

}  // namespace

int cmd_lanes_list(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}});
    p.args.expect_positional(0, "no arguments");
    ClientPtr client = make_client(p.globals);
    std::string host = single_host(client.get(), p.args.get_or("host", ""));
    char* json = nullptr;
    letts_error* err = nullptr;
    check(letts_client_lanes(client.get(), host.c_str(), &json, &err), err);
    OwnedString owned(json);
    Json doc = parse_json(json);
    if (p.globals.format != Format::Text || !doc) {
        print_json_text(json, p.globals.format == Format::Text ? Format::Json : p.globals.format);
        return 0;
    }
    print_lanes_text(doc.get());
    return 0;
}

int cmd_lanes_pause(const Invocation& inv) { return lane_action(inv, true); }
int cmd_lanes_continue(const Invocation& inv) { return lane_action(inv, false); }

}  // namespace letts_cli
