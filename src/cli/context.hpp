// The global flags every command accepts and the client they configure.
#pragma once

#include <string>
#include <vector>

#include "args.hpp"
#include "handles.hpp"
#include "output.hpp"

namespace letts_cli {

struct Globals {
    std::string config_path;  // --config; empty: the discovery cascade
    bool insecure_permissions = false;
    bool ignore_proxy = false;
    Format format = Format::Text;
    bool quiet = false;
    bool verbose = false;
    bool help = false;
};

// The global flags' specs, appended to every command's own.
const std::vector<FlagSpec>& global_flag_specs();

// Reads the global flags out of parsed arguments (usage error for a bad -o).
Globals globals_from(const Args& args, bool format_flag = true);

// The client of letts.yaml as the globals say: --config loads that file,
// otherwise the discovery cascade; config problems throw exit 3.
ClientPtr make_client(const Globals& g);

}  // namespace letts_cli
