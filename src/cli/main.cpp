// letts: the command-line client of the letts task queue, built only on the
// public C API of libletts. main() finds the command words among the
// arguments, answers --help, runs the command and maps its failure to the
// upstream exit codes with one line on stderr.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "commands.hpp"
#include "error.hpp"
#include "help.hpp"

namespace letts_cli {

namespace {

// Global flags may come before the command words ("letts -o json run …");
// the ones that take a value must be skipped with it.
bool global_takes_value(const std::string& a) {
    return a == "--config" || a == "-o" || a == "--output";
}

bool is_command_prefix(const std::string& words) {
    for (const auto& e : command_table()) {
        std::string p = e.path;
        if (p == words || p.rfind(words + " ", 0) == 0) return true;
    }
    return false;
}

struct Resolved {
    std::string path;
    std::vector<std::string> rest;
    bool help = false;
};

Resolved resolve(const std::vector<std::string>& argv) {
    Resolved r;
    bool flags_ended = false;
    bool path_closed = false;
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (!flags_ended && (a == "-h" || a == "--help")) r.help = true;
        if (a == "--") flags_ended = true;
        bool is_flag = !flags_ended && a.size() > 1 && a[0] == '-';
        if (!path_closed && !is_flag && !flags_ended) {
            std::string next = r.path.empty() ? a : r.path + " " + a;
            if (is_command_prefix(next)) {
                r.path = next;
                continue;
            }
            path_closed = true;
        }
        r.rest.push_back(a);
        if (is_flag && !path_closed && global_takes_value(a) && i + 1 < argv.size())
            r.rest.push_back(argv[++i]);
    }
    return r;
}

const CommandEntry* find_command(const std::string& path) {
    for (const auto& e : command_table())
        if (path == e.path) return &e;
    return nullptr;
}

int run_main(const std::vector<std::string>& argv) {
    Resolved r = resolve(argv);
    if (r.help) return print_help(r.path, stdout), kExitOk;
    const CommandEntry* cmd = find_command(r.path);
    if (cmd) return cmd->run(Invocation{r.path, r.rest});
    // A group without its subcommand, or words that are no command.
    for (size_t i = 0; i < r.rest.size(); ++i) {
        const std::string& a = r.rest[i];
        if (global_takes_value(a)) {
            ++i;
            continue;
        }
        if (a.empty() || a[0] != '-') {
            std::string where = r.path.empty() ? "letts" : "letts " + r.path;
            throw usage_error("unknown command \"" + a + "\" for \"" + where + "\"");
        }
    }
    if (r.path.empty() && !r.rest.empty()) {
        // Only flags: let the parser name an unknown one.
        Invocation inv{"", r.rest};
        parse_invocation(inv, {});
    }
    print_help(r.path, stdout);
    return kExitOk;
}

}  // namespace

}  // namespace letts_cli

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        int code = letts_cli::run_main(args);
        std::fflush(stdout);
        return code;
    } catch (const letts_cli::CliError& e) {
        std::fflush(stdout);
        if (*e.what()) std::fprintf(stderr, "letts: %s\n", e.what());
        return e.code();
    } catch (const std::exception& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "letts: %s\n", e.what());
        return letts_cli::kExitFailure;
    }
}
