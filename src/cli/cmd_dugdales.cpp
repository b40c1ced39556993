// `letts ctl dugdales list|info|config`: the dugdales of letts.yaml, what
// one says about itself (GET /v1/dugdale) and its applied configuration
// (GET /v1/admin/state).
#include <cstdio>

#include "commands.hpp"
#include "error.hpp"
#include "locate.hpp"

namespace letts_cli {

int cmd_dugdales_list(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {{"match", 0, true, true}});
    p.args.expect_positional(0, "no arguments");
    ClientPtr client = make_client(p.globals);
    auto labels = p.args.list("match");
    std::vector<const char*> raw_labels;
    for (const auto& l : labels) raw_labels.push_back(l.c_str());
    letts_string_list* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_client_dugdales(client.get(), raw_labels.data(), raw_labels.size(), &raw, &err), err);
    StringListPtr list(raw);
    Json arr(cJSON_CreateArray());
    for (size_t i = 0; i < letts_string_list_count(list.get()); ++i) {
        const char* id = letts_string_list_get(list.get(), i);
        if (p.globals.format == Format::Text) {
            std::printf("%s\n", id);
        } else {
            Json doc(cJSON_CreateObject());
            cJSON_AddStringToObject(doc.get(), "id", id);
            if (p.globals.format == Format::Ndjson) print_json(doc.get(), Format::Ndjson);
            else cJSON_AddItemToArray(arr.get(), doc.release());
        }
    }
    if (is_document(p.globals.format)) print_json(arr.get(), p.globals.format);
    return 0;
}

namespace {

int show_host_json(const Invocation& inv,
                   letts_status (*fetch)(const letts_client*, const char*, char**, letts_error**)) {
    Parsed p = parse_invocation(inv, {{"host", 0, true, false}});
    p.args.expect_positional(0, "no arguments");
    ClientPtr client = make_client(p.globals);
    std::string host = single_host(client.get(), p.args.get_or("host", ""));
    char* json = nullptr;
    letts_error* err = nullptr;
    check(fetch(client.get(), host.c_str(), &json, &err), err);
    OwnedString owned(json);
    // Both documents are nested; people read them best indented.
    print_json_text(json, p.globals.format == Format::Text ? Format::Json : p.globals.format);
    return 0;
}

}  // namespace

int cmd_dugdales_info(const Invocation& inv) { return show_host_json(inv, letts_client_dugdale_info); }
int cmd_dugdales_config(const Invocation& inv) { return show_host_json(inv, letts_client_admin_state); }

}  // namespace letts_cli
