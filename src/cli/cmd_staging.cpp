// `letts ctl staging upload|download|list|delete`: a dugdale's staging
// files. Staging ids are not portable between dugdales, so --host is
// required, as upstream requires it.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "commands.hpp"
#include "error.hpp"
#include "locate.hpp"

namespace letts_cli {

namespace {

using StagedPtr = std::unique_ptr<letts_staged_file, Deleter<letts_staged_file_free>>;
using StagingListPtr = std::unique_ptr<letts_staging_list, Deleter<letts_staging_list_free>>;

std::string required_host(const letts_client* client, const Args& args, const std::string& cmd) {
    if (!args.has("host")) throw usage_error("--host is required for ctl staging " + cmd);
    return single_host(client, *args.get("host"));
}

int on_chunk(const char* data, size_t len, void*) {
    return std::fwrite(data, 1, len, stdout) == len ? 0 : 1;
}

}  // namespace

int cmd_staging_upload(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}});
    p.args.expect_positional(1, "one local path");
    ClientPtr client = make_client(p.globals);
    std::string host = required_host(client.get(), p.args, "upload");
    letts_staged_file* raw = nullptr;
    letts_error* err = nullptr;
    const std::string& path = p.args.positional()[0];
    check(letts_client_stage_file(client.get(), host.c_str(), path.c_str(), &raw, &err), err, path);
    StagedPtr staged(raw);
    const char* id = letts_staged_file_id(raw);
    const char* sha = letts_staged_file_sha256(raw);
    auto size = static_cast<unsigned long long>(letts_staged_file_size(raw));
    if (p.globals.format == Format::Text) {
        // Tab-separated like upstream, so `cut -f1` picks the id.
        std::printf("%s\t%s\t%llu\n", id, sha, size);
        return 0;
    }
    Json doc(cJSON_CreateObject());
    cJSON_AddStringToObject(doc.get(), "staging_id", id);
    cJSON_AddStringToObject(doc.get(), "sha256", sha);
    cJSON_AddNumberToObject(doc.get(), "size", static_cast<double>(size));
    print_json(doc.get(), p.globals.format);
    return 0;
}

int cmd_staging_download(const Invocation& inv) {
    // Upstream's --output here is the destination path (it shadows the
    // global output format, which a byte download has no use for).
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"output", 'o', true, false}}, false);
    p.args.expect_positional(1, "one staging ID");
    ClientPtr client = make_client(p.globals);
    std::string host = required_host(client.get(), p.args, "download");
    const std::string& id = p.args.positional()[0];
    std::string dest = p.args.get_or("output", "-");
    letts_error* err = nullptr;
    if (dest == "-")
        check(letts_client_staging_read(client.get(), host.c_str(), id.c_str(), 0, 0, on_chunk, nullptr, &err), err,
              "staging " + id);
    else
        check(letts_client_staging_download(client.get(), host.c_str(), id.c_str(), 0, 0, dest.c_str(), &err), err,
              "staging " + id);
    return 0;
}

int cmd_staging_list(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"mission-id", 0, true, false},
                                      {"ref-kind", 0, true, false}, {"limit", 0, true, false},
                                      {"cursor", 0, true, false}});
    p.args.expect_positional(0, "no arguments");
    unsigned long long limit = 0;
    if (p.args.has("limit")) {
        char* end = nullptr;
        std::string v = *p.args.get("limit");
        limit = std::strtoull(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || v[0] == '-') throw usage_error("--limit: want a number, got \"" + v + "\"");
    }
    ClientPtr client = make_client(p.globals);
    std::string host = required_host(client.get(), p.args, "list");
    std::string mission = p.args.get_or("mission-id", ""), kind = p.args.get_or("ref-kind", "");
    std::string cursor = p.args.get_or("cursor", "");
    letts_staging_list* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_client_staging_list(client.get(), host.c_str(), mission.empty() ? nullptr : mission.c_str(),
                                    kind.empty() ? nullptr : kind.c_str(), limit,
                                    cursor.empty() ? nullptr : cursor.c_str(), &raw, &err),
          err);
    StagingListPtr list(raw);
    if (p.globals.format != Format::Text) {
        print_json_text(letts_staging_list_json(raw), p.globals.format);
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < letts_staging_list_count(raw); ++i) {
        const char* kind_i = letts_staging_list_ref_kind(raw, i);
        rows.push_back({letts_staging_list_id(raw, i), std::to_string(letts_staging_list_size(raw, i)),
                        letts_staging_list_state(raw, i), kind_i ? kind_i : "-"});
    }
    print_table({"STAGING ID", "SIZE", "STATE", "REF KIND"}, rows);
    if (letts_staging_list_next_cursor(raw)) std::printf("\ncursor: %s\n", letts_staging_list_next_cursor(raw));
    return 0;
}

int cmd_staging_delete(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}, {"force", 0, false, false}});
    p.args.expect_positional(1, "one staging ID");
    ClientPtr client = make_client(p.globals);
    std::string host = required_host(client.get(), p.args, "delete");
    const std::string& id = p.args.positional()[0];
    letts_error* err = nullptr;
    check(letts_client_staging_delete(client.get(), host.c_str(), id.c_str(), p.args.has("force") ? 1 : 0, &err), err);
    if (p.globals.format != Format::Text) {
        Json doc(cJSON_CreateObject());
        cJSON_AddStringToObject(doc.get(), "staging_id", id.c_str());
        cJSON_AddStringToObject(doc.get(), "host", host.c_str());
        cJSON_AddBoolToObject(doc.get(), "deleted", 1);
        print_json(doc.get(), p.globals.format);
    }
    return 0;
}

}  // namespace letts_cli
