// `letts ctl missions restart|delete --selector …`: the bulk forms. The
// selection is the first page GET /v1/missions answers for the selector;
// --dry-run shows it without changing anything, and acting on it needs
// --yes, so a loose selector never deletes by accident.
#include <cstdio>
#include <memory>

#include "bulk.hpp"
#include "error.hpp"
#include "locate.hpp"
#include "selector.hpp"

namespace letts_cli {

namespace {

using BulkOptionsPtr = std::unique_ptr<letts_bulk_options, Deleter<letts_bulk_options_free>>;
using BulkResultPtr = std::unique_ptr<letts_bulk_result, Deleter<letts_bulk_result_free>>;

BulkOptionsPtr bulk_options(const Parsed& p, bool force) {
    letts_bulk_options* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_bulk_options_new(&raw, &err), err);
    BulkOptionsPtr opts(raw);
    ListFilterPtr filter = parse_selector(*p.args.get("selector"));
    check(letts_bulk_options_set_filter(opts.get(), filter.get(), &err), err);
    check(letts_bulk_options_set_dry_run(opts.get(), p.args.has("dry-run") ? 1 : 0, &err), err);
    if (force) check(letts_bulk_options_set_force(opts.get(), 1, &err), err);
    return opts;
}

void print_text(const letts_bulk_result* r, const char* verb) {
    bool dry = letts_bulk_result_dry_run(r) != 0;
    size_t n = letts_bulk_result_count(r);
    for (size_t i = 0; i < n; ++i) {
        const char* id = letts_bulk_result_id(r, i);
        if (dry) {
            std::printf("%s\n", id);
        } else if (letts_bulk_result_ok(r, i)) {
            const char* new_id = letts_bulk_result_mission_id(r, i);
            std::printf("%s  %s%s%s\n", id, verb, new_id ? " as " : "", new_id ? new_id : "");
        } else {
            const char* e = letts_bulk_result_error(r, i);
            std::printf("%s  error: %s\n", id, e ? e : "unknown");
        }
    }
    std::fprintf(stderr, "letts: %zu mission(s) %s%s\n", n, dry ? "selected (dry run, nothing " : "", dry ? "changed)" : verb);
}

// A dry run sent nothing, so there is no answer to print: the selection,
// in the shape of the answer ({"dry_run": true, "results": [{"id"}]}).
Json selection_json(const letts_bulk_result* r) {
    Json doc(cJSON_CreateObject());
    cJSON_AddBoolToObject(doc.get(), "dry_run", letts_bulk_result_dry_run(r) != 0);
    cJSON* arr = cJSON_AddArrayToObject(doc.get(), "results");
    for (size_t i = 0; i < letts_bulk_result_count(r); ++i) {
        cJSON* item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "id", letts_bulk_result_id(r, i));
        cJSON_AddItemToArray(arr, item);
    }
    return doc;
}

}  // namespace

int run_bulk(const Parsed& p, bool restart) {
    const char* cmd = restart ? "restart" : "delete";
    if (!p.args.positional().empty())
        throw usage_error(std::string("ctl missions ") + cmd + ": give a mission ID or --selector, not both");
    if (!p.args.has("dry-run") && !p.args.has("yes"))
        throw usage_error(std::string("ctl missions ") + cmd +
                          " --selector: add --dry-run to see the selection, or --yes to act on it");
    BulkOptionsPtr opts = bulk_options(p, !restart && p.args.has("force"));
    ClientPtr client = make_client(p.globals);
    std::string host = single_host(client.get(), p.args.get_or("host", ""));
    letts_bulk_result* raw = nullptr;
    letts_error* err = nullptr;
    check(restart ? letts_client_bulk_restart(client.get(), host.c_str(), opts.get(), &raw, &err)
                  : letts_client_bulk_delete(client.get(), host.c_str(), opts.get(), &raw, &err),
          err);
    BulkResultPtr result(raw);
    if (p.globals.format == Format::Text) print_text(raw, restart ? "restarted" : "deleted");
    else if (letts_bulk_result_json(raw)) print_json_text(letts_bulk_result_json(raw), p.globals.format);
    else print_json(selection_json(raw).get(), p.globals.format);
    return letts_bulk_result_failed_count(raw) == 0 ? 0 : kExitFailure;
}

}  // namespace letts_cli
