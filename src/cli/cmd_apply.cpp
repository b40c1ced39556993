// `letts apply -f FILE [--dry-run]`: send an applied-state document to a
// dugdale (POST /v1/admin/apply). --dry-run checks the document and shows it
// beside the dugdale's current state without changing anything.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "commands.hpp"
#include "error.hpp"
#include "locate.hpp"

namespace letts_cli {

namespace {

std::string read_document(const std::string& path) {
    if (path == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        return ss.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usage_error("-f: cannot read " + path + ": " + std::strerror(errno));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int dry_run(const letts_client* client, const std::string& host, Json desired, Format format) {
    char* json = nullptr;
    letts_error* err = nullptr;
    check(letts_client_admin_state(client, host.c_str(), &json, &err), err);
    OwnedString owned(json);
    Json doc(cJSON_CreateObject());
    cJSON_AddStringToObject(doc.get(), "host", host.c_str());
    cJSON_AddBoolToObject(doc.get(), "dry_run", 1);
    Json current = parse_json(json);
    cJSON_AddItemToObject(doc.get(), "current", current ? current.release() : cJSON_CreateNull());
    cJSON_AddItemToObject(doc.get(), "desired", desired.release());
    print_json(doc.get(), format == Format::Text ? Format::Json : format);
    return 0;
}

}  // namespace

int cmd_apply(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"file", 'f', true, false}, {"host", 0, true, false},
                                      {"dry-run", 0, false, false}});
    p.args.expect_positional(0, "no arguments (the document is -f FILE)");
    if (!p.args.has("file")) throw usage_error("apply: -f FILE is required");
    std::string text = read_document(*p.args.get("file"));
    Json desired = parse_json(text);
    if (!desired || !cJSON_IsObject(desired.get()))
        throw usage_error("-f " + *p.args.get("file") + ": malformed JSON document");
    ClientPtr client = make_client(p.globals);
    std::string host = single_host(client.get(), p.args.get_or("host", ""));
    if (p.args.has("dry-run")) return dry_run(client.get(), host, std::move(desired), p.globals.format);
    char* json = nullptr;
    letts_error* err = nullptr;
    check(letts_client_admin_apply(client.get(), host.c_str(), text.c_str(), &json, &err), err);
    OwnedString owned(json);
    print_json_text(json, p.globals.format == Format::Text ? Format::Json : p.globals.format);
    return 0;
}

}  // namespace letts_cli
