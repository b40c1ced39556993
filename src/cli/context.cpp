#include "context.hpp"

#include "error.hpp"

namespace letts_cli {

const std::vector<FlagSpec>& global_flag_specs() {
    static const std::vector<FlagSpec> specs = {
        {"config", 0, true, false},
        {"insecure-config-permissions", 0, false, false},
        {"ignore-proxy", 0, false, false},
        {"output", 'o', true, false},
        {"quiet", 'q', false, false},
        {"verbose", 'v', false, false},
        {"help", 'h', false, false},
    };
    return specs;
}

Globals globals_from(const Args& args, bool format_flag) {
    Globals g;
    g.config_path = args.get_or("config", "");
    if (args.has("config") && g.config_path.empty()) throw usage_error("--config needs a path");
    g.insecure_permissions = args.has("insecure-config-permissions");
    g.ignore_proxy = args.has("ignore-proxy");
    if (format_flag) g.format = parse_format(args.get_or("output", "text"));
    g.quiet = args.has("quiet");
    g.verbose = args.has("verbose");
    g.help = args.has("help");
    return g;
}

ClientPtr make_client(const Globals& g) {
    letts_error* err = nullptr;
    letts_client_options* raw_opts = nullptr;
    check(letts_client_options_new(&raw_opts, &err), err);
    ClientOptionsPtr opts(raw_opts);
    check(letts_client_options_set_ignore_proxy(opts.get(), g.ignore_proxy ? 1 : 0, &err), err);
    check(letts_client_options_set_insecure_config_permissions(opts.get(),
                                                               g.insecure_permissions ? 1 : 0, &err),
          err);
    check(letts_client_options_set_user_agent(opts.get(), "letts-cli (libletts)", &err), err);
    letts_client* client = nullptr;
    if (g.config_path.empty()) {
        letts_status st = letts_client_discover(&client, opts.get(), &err);
        // Whatever went wrong while finding and reading letts.yaml is a
        // configuration error for the upstream CLI (exit 3).
        if (st != LETTS_OK && st != LETTS_ERR_NO_MEMORY) st = LETTS_ERR_CONFIG;
        check(st, err, "config");
        return ClientPtr(client);
    }
    letts_config* raw_cfg = nullptr;
    unsigned flags = g.insecure_permissions ? LETTS_CONFIG_INSECURE_PERMISSIONS : LETTS_CONFIG_DEFAULT;
    letts_status st = letts_config_load_file(&raw_cfg, g.config_path.c_str(), flags, &err);
    if (st != LETTS_OK && st != LETTS_ERR_NO_MEMORY) st = LETTS_ERR_CONFIG;
    check(st, err, "config");
    ConfigPtr cfg(raw_cfg);
    check(letts_client_new(&client, cfg.get(), opts.get(), &err), err);
    return ClientPtr(client);
}

}  // namespace letts_cli
