// `letts dispatch`: start a mission and print its id, without waiting.
#include <cstdio>

#include "commands.hpp"
#include "error.hpp"
#include "job_flags.hpp"
#include "target_defaults.hpp"

namespace letts_cli {

int cmd_dispatch(const Invocation& inv) {
    Parsed p = parse_invocation(inv, dispatch_flag_specs());
    if (!p.args.positional().empty())
        throw usage_error("dispatch: unexpected argument \"" + p.args.positional()[0] +
                          "\" (the mission is --mission NAME)");
    DispatchFlags f = read_dispatch_flags(p.args, false);
    ClientPtr client = make_client(p.globals);
    default_host(client.get(), f);
    std::string host = f.hosts.empty() ? "" : f.hosts[0];
    JobPtr job = build_job(f, host, lane_for(client.get(), f, host));
    char* id = nullptr;
    letts_error* err = nullptr;
    check(letts_client_dispatch(client.get(), job.get(), &id, &err), err);
    OwnedString owned(id);
    if (p.globals.format == Format::Text) {
        std::printf("%s\n", id);
        return 0;
    }
    Json doc(cJSON_CreateObject());
    cJSON_AddStringToObject(doc.get(), "mission_id", id);
    print_json(doc.get(), p.globals.format);
    return 0;
}

}  // namespace letts_cli
