// Section 2: which letts.yaml a client loads when it is not told.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/text.hpp"
#include "core/error.hpp"

namespace letts::config {

namespace {

// Go's notion: stats (following links) and is not a directory. Readability
// is left to the read step, which then reports why.
bool exists(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && !S_ISDIR(info.st_mode);
}

std::string join(const std::string& directory, std::string_view rest) {
    if (!directory.empty() && directory.back() == '/') return directory + std::string(rest);
    return directory + "/" + std::string(rest);
}

std::optional<std::string> non_empty(const EnvLookup& env, const std::string& name) {
    if (!env) return std::nullopt;
    auto value = env(name);
    if (value && value->empty()) return std::nullopt;  // set-but-empty counts as unset
    return value;
}

std::optional<std::string> home_directory(const EnvLookup& env) {
    if (auto home = non_empty(env, "HOME")) return home;
    long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(size > 0 ? static_cast<std::size_t>(size) : 16384);
    struct passwd entry {};
    struct passwd* found = nullptr;
    if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
        found->pw_dir && *found->pw_dir)
        return std::string(found->pw_dir);
    return std::nullopt;  // no home: the ~/.letts candidate is skipped
}

std::string working_directory() {
    std::vector<char> buffer(4096);
    for (;;) {
        if (::getcwd(buffer.data(), buffer.size())) return buffer.data();
        if (errno != ERANGE) return ".";  // unknowable: let the OS resolve it
        buffer.resize(buffer.size() * 2);
    }
}

}  // namespace

std::string discover(const std::string& explicit_path, const EnvLookup& env) {
    // Steps 1 and 2 are hard errors: a path someone named must not silently
    // lose to another file.
    if (!explicit_path.empty()) {
        if (exists(explicit_path)) return explicit_path;
        throw Error(Status::config,
                    "config file " + quote(explicit_path) + " does not exist (from explicit path)");
    }
    if (const auto from_env = non_empty(env, "LETTS_CONFIG")) {
        if (exists(*from_env)) return *from_env;
        throw Error(Status::config,
                    "config file " + quote(*from_env) + " does not exist (from $LETTS_CONFIG)");
    }

    std::vector<std::string> searched{join(working_directory(), "letts.yaml")};
    if (const auto xdg = non_empty(env, "XDG_CONFIG_HOME"))
        searched.push_back(join(*xdg, "letts/letts.yaml"));
    if (const auto home = home_directory(env)) searched.push_back(join(*home, ".letts/letts.yaml"));
    searched.emplace_back("/etc/letts/letts.yaml");

    std::string list;
    for (const std::string& candidate : searched) {
        if (exists(candidate)) return candidate;
        if (!list.empty()) list += ", ";
        list += candidate;
    }
    throw Error(Status::config, "letts.yaml not found; searched: " + list);
}

}  // namespace letts::config
