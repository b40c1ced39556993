// `letts version`: the CLI's and the library's version.
#include <cstdio>

#include "commands.hpp"
#include "output.hpp"

namespace letts_cli {

Parsed parse_invocation(const Invocation& inv, std::vector<FlagSpec> specs, bool format_flag) {
    const auto& globals = global_flag_specs();
    specs.insert(specs.end(), globals.begin(), globals.end());
    Args args(inv.argv, specs, inv.path);
    Globals g = globals_from(args, format_flag);
    return {std::move(args), g};
}

int cmd_version(const Invocation& inv) {
    Parsed p = parse_invocation(inv, {});
    p.args.expect_positional(0, "no arguments");
    // The CLI is built from the same tree as the library it links, so the
    // two versions agree unless a different libletts.so.0 is picked up.
    if (p.globals.format == Format::Text) {
        std::printf("letts %s (libletts %s)\n", LETTS_VERSION_STRING, letts_version());
        return 0;
    }
    Json doc(cJSON_CreateObject());
    cJSON_AddStringToObject(doc.get(), "version", LETTS_VERSION_STRING);
    cJSON_AddStringToObject(doc.get(), "libletts", letts_version());
    print_json(doc.get(), p.globals.format);
    return 0;
}

}  // namespace letts_cli
