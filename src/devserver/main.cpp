// letts-devserver: a dugdale-compatible server in one binary.
//
//   letts-devserver [--config PATH] [--port N] [--mission-dir DIR]
//                   [--check-config] [--insecure-config-permissions] [--version]
//
// Flags follow the daemon's: one or two leading dashes, "--flag value" or
// "--flag=value"; DUGDALE_CONFIG names the file when --config is absent.
// Exit codes as the daemon's: 0 clean, 1 runtime failure, 2 bad flags,
// 3 configuration error.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "devserver/children.hpp"
#include "devserver/instance.hpp"
#include "letts/version.h"

namespace {

void usage(std::FILE* out) {
    std::fprintf(out,
                 "Usage: letts-devserver [flags]\n\n"
                 "Flags:\n"
                 "  --config PATH                  dugdale.yaml to use (default: $DUGDALE_CONFIG, else a ready\n"
                 "                                 local instance with generated tokens and a temp data dir)\n"
                 "  --port N                       port to listen on (overrides the port of `listen`; 0 = random)\n"
                 "  --mission-dir DIR              mission directory of the default runtime (default: cwd)\n"
                 "  --check-config                 validate the configuration and exit\n"
                 "  --insecure-config-permissions  skip the 0600/0400 check of a config holding tokens\n"
                 "  --version                      print the version and exit\n");
}

// What the command line asks for. `exit_code` is set when the program ends
// right after reading it (help, version, a bad flag).
struct CommandLine {
    letts::devserver::InstanceOptions options;
    bool check_only = false;
    std::optional<int> exit_code;
};

// A flag that takes a value, given its value.
std::optional<int> set_value_flag(const std::string& name, const std::string& value,
                                  letts::devserver::InstanceOptions& options) {
    if (name == "config") {
        options.config_path = value;
    } else if (name == "mission-dir") {
        options.mission_dir = value;
    } else {  // port
        char* end = nullptr;
        const long p = std::strtol(value.c_str(), &end, 10);
        if (value.empty() || *end != '\0' || p < 0 || p > 65535)
            return std::fprintf(stderr, "invalid value \"%s\" for flag -port\n", value.c_str()), 2;
        options.port = static_cast<int>(p);
    }
    return std::nullopt;
}

// Reads the flag at argv[i] ("-name", "--name", "-name=value", or
// "-name value", which moves i past the value) into `cl`; returns the exit
// code when the program must stop.
std::optional<int> read_flag(int argc, char** argv, int& i, CommandLine& cl) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) == 0) arg.erase(0, 1);
    if (arg.empty() || arg[0] != '-') {
        std::fprintf(stderr, "unexpected argument %s\n", argv[i]);
        usage(stderr);
        return 2;
    }
    std::string name = arg.substr(1), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
    }
    if (name == "h" || name == "help") return usage(stdout), 0;
    if (name == "version") return std::printf("letts-devserver %s\n", LETTS_VERSION_STRING), 0;
    if (name == "check-config") {
        cl.check_only = true;
    } else if (name == "insecure-config-permissions") {
        cl.options.check_permissions = false;
    } else if (name == "config" || name == "mission-dir" || name == "port") {
        if (!has_value && i + 1 >= argc)
            return std::fprintf(stderr, "flag needs an argument: -%s\n", name.c_str()), 2;
        if (!has_value) value = argv[++i];
        return set_value_flag(name, value, cl.options);
    } else {
        std::fprintf(stderr, "flag provided but not defined: -%s\n", name.c_str());
        usage(stderr);
        return 2;
    }
    return std::nullopt;
}

CommandLine read_command_line(int argc, char** argv) {
    CommandLine cl;
    cl.options.check_permissions = true;
    for (int i = 1; i < argc && !cl.exit_code; ++i) cl.exit_code = read_flag(argc, argv, i, cl);
    if (!cl.options.config_path)
        if (const char* env = std::getenv("DUGDALE_CONFIG"); env && *env) cl.options.config_path = env;
    return cl;
}

// Process-wide set-up, before any other thread exists; returns the signals
// the main thread then waits for.
sigset_t prepare_process() {
    // Signals are taken synchronously by the main thread: block them before
    // any other thread exists so every thread inherits the mask.
    // SIGCHLD too: the main thread reaps adopted orphans as they exit.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    signal(SIGPIPE, SIG_IGN);
    // Descendants that missions leave behind (also those that called
    // setsid) are re-parented to us once their parent dies: we reap them
    // as they exit and kill them at stop (children.hpp).
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    // Every connection holds a socket (and a thread): the soft limit on
    // descriptors, often 1024, would refuse clients long before the
    // server's connection limit.
    if (rlimit rl{}; getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    return signals;
}

// --check-config: the file is loaded (and its permissions checked) as a
// start would, then nothing runs. Throws what the load throws.
int check_config_only(const letts::devserver::InstanceOptions& options) {
    if (options.config_path) {
        auto config = letts::devserver::load_dugdale_config_file(*options.config_path);
        if (options.check_permissions) letts::devserver::check_config_permissions(*options.config_path, config);
    }
    std::printf("ok\n");
    return 0;
}

// Serves until SIGTERM or SIGINT (reaping adopted orphans on SIGCHLD
// meanwhile), then stops. Throws what starting throws.
void serve(letts::devserver::InstanceOptions options, const sigset_t& signals) {
    letts::devserver::Instance server(std::move(options));
    std::printf("letts-devserver %s listening on %s\n", LETTS_VERSION_STRING, server.base_url().c_str());
    std::printf("data_dir: %s\n\n%s", server.data_dir().c_str(), server.client_config().c_str());
    std::fflush(stdout);
    int sig = 0;
    while (sigwait(&signals, &sig) == 0 && sig == SIGCHLD) letts::devserver::Children::instance().reap_adopted();
    std::fprintf(stderr, "letts-devserver: signal %d received, shutting down\n", sig);
    server.stop();
}

}  // namespace

int main(int argc, char** argv) {
    CommandLine cl = read_command_line(argc, argv);
    if (cl.exit_code) return *cl.exit_code;
    const sigset_t signals = prepare_process();
    try {
        if (cl.check_only) return check_config_only(cl.options);
        serve(std::move(cl.options), signals);
    } catch (const letts::Error& e) {
        std::fprintf(stderr, "letts-devserver: %s\n", e.message().c_str());
        return e.status() == letts::Status::config ? 3 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "letts-devserver: %s\n", e.what());
        return 1;
    }
    // Missions are over (stop() waited for their runners and killed their
    // process groups); whatever they left outside their group goes now.
    if (!letts::devserver::Children::instance().kill_adopted(std::chrono::seconds(5)))
        std::fprintf(stderr, "letts-devserver: some adopted processes did not die within 5s\n");
    return 0;
}
