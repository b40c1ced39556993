#include "job_flags.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "error.hpp"
#include "output.hpp"

namespace letts_cli {

namespace {

// A file's whole text; `flag` names the flag in the usage error.
std::string read_text_file(const std::string& path, const std::string& flag) {
    if (path == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        return ss.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usage_error(flag + ": cannot read " + path + ": " + std::strerror(errno));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string checked_input(const std::string& text, const std::string& flag) {
    Json doc = parse_json(text);
    if (!doc) throw usage_error(flag + ": malformed JSON input");
    if (!cJSON_IsObject(doc.get())) throw usage_error(flag + ": input must be a JSON object");
    return text;
}

std::vector<std::string> split_hosts(const std::vector<std::string>& raw) {
    std::vector<std::string> out;
    for (const auto& h : raw) {
        if (h.empty()) continue;
        bool seen = false;
        for (const auto& o : out) seen = seen || o == h;
        if (!seen) out.push_back(h);
    }
    return out;
}

}  // namespace

std::vector<FlagSpec> dispatch_flag_specs() {
    return {
        {"route", 0, true, false},      {"host", 0, true, true},
        {"match", 0, true, true},       {"lane", 0, true, false},
        {"mission", 0, true, false},    {"input", 0, true, false},
        {"input-file", 0, true, false}, {"file", 0, true, true},
        {"timeout", 0, true, false},    {"mission-id", 0, true, false},
    };
}

std::pair<std::string, std::string> split_role_path(const std::string& item,
                                                    const std::string& flag) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
        throw usage_error(flag + ": want role=path, got \"" + item + "\"");
    return {item.substr(0, eq), item.substr(eq + 1)};
}

int64_t parse_duration_flag(const std::string& text, const std::string& flag) {
    int64_t ms = 0;
    letts_error* err = nullptr;
    if (letts_duration_parse_ms(text.c_str(), &ms, &err) != LETTS_OK) {
        letts_error_free(err);
        throw usage_error(flag + ": invalid duration \"" + text + "\"");
    }
    return ms;
}

DispatchFlags read_dispatch_flags(const Args& args, bool allow_many_hosts) {
    DispatchFlags f;
    f.mission = args.get_or("mission", "");
    if (f.mission.empty()) throw usage_error("--mission is required");
    f.route = args.get_or("route", "");
    f.hosts = split_hosts(args.list("host"));
    if (f.hosts.size() > 1 && !allow_many_hosts)
        throw usage_error("--host: one dugdale only (use `letts run` to fan out)");
    f.match = args.list("match");
    f.lane = args.get_or("lane", "");
    if (args.has("input") && args.has("input-file"))
        throw usage_error("--input and --input-file are mutually exclusive");
    if (args.has("input")) f.input_json = checked_input(*args.get("input"), "--input");
    if (args.has("input-file"))
        f.input_json = checked_input(read_text_file(*args.get("input-file"), "--input-file"),
                                     "--input-file");
    for (const auto& item : args.list("file")) {
        auto rp = split_role_path(item, "--file");
        std::ifstream probe(rp.second, std::ios::binary);
        if (!probe)
            throw usage_error("--file " + rp.first + ": cannot read " + rp.second + ": " +
                              std::strerror(errno));
        f.files.push_back(rp);
    }
    if (args.has("timeout")) f.timeout_ms = parse_duration_flag(*args.get("timeout"), "--timeout");
    f.mission_id = args.get_or("mission-id", "");
    return f;
}

JobPtr build_job(const DispatchFlags& f, const std::string& host, const std::string& lane) {
    letts_error* err = nullptr;
    letts_job* raw = nullptr;
    check(letts_job_new(&raw, f.mission.c_str(), &err), err, "--mission");
    JobPtr job(raw);
    if (!host.empty()) check(letts_job_set_host(job.get(), host.c_str(), &err), err, "--host");
    if (!f.route.empty()) check(letts_job_set_route(job.get(), f.route.c_str(), &err), err, "--route");
    if (!lane.empty()) check(letts_job_set_lane(job.get(), lane.c_str(), &err), err, "--lane");
    if (!f.match.empty()) {
        std::vector<const char*> labels;
        for (const auto& l : f.match) labels.push_back(l.c_str());
        check(letts_job_set_match(job.get(), labels.data(), labels.size(), &err), err, "--match");
    }
    if (!f.input_json.empty())
        check(letts_job_set_input_json(job.get(), f.input_json.c_str(), &err), err, "--input");
    for (const auto& [role, path] : f.files)
        check(letts_job_add_file(job.get(), role.c_str(), path.c_str(), &err), err, "--file");
    if (f.timeout_ms >= 0)
        check(letts_job_set_timeout_ms(job.get(), f.timeout_ms, &err), err, "--timeout");
    if (!f.mission_id.empty())
        check(letts_job_set_mission_id(job.get(), f.mission_id.c_str(), &err), err, "--mission-id");
    return job;
}

}  // namespace letts_cli
