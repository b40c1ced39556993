#include "devserver/launch.hpp"

#include "devserver/children.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include "devserver/children.hpp"
#include "devserver/json_value.hpp"
#include "core/text.hpp"

namespace letts::devserver {
namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
}

[[noreturn]] void materialization_failed(const std::string& what, int e) {
    throw LaunchFailure(e == ENOSPC ? "disk_quota_exceeded" : "input_materialization_failed",
                        what + ": " + text::os_error(e));
}

bool var_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool var_char(char c) { return var_start(c) || (c >= '0' && c <= '9'); }

// `value` with each ${NAME} (NAME = [A-Za-z_][A-Za-z0-9_]*) replaced by the
// server's own environment variable; anything else, "$" alone or a "${"
// that does not form such a reference included, is kept literally. Names
// that are not set are appended to `undefined`. One pass, no regex.
std::string expand_vars(const std::string& value, std::vector<std::string>& undefined) {
    std::string out;
    std::size_t i = 0;
    while (i < value.size()) {
        if (value[i] == '$' && i + 2 < value.size() && value[i + 1] == '{' && var_start(value[i + 2])) {
            std::size_t j = i + 3;
            while (j < value.size() && var_char(value[j])) ++j;
            if (j < value.size() && value[j] == '}') {
                const std::string name = value.substr(i + 2, j - i - 2);
                if (const char* v = std::getenv(name.c_str())) out += v;
                else undefined.push_back(name);
                i = j + 1;
                continue;
            }
        }
        out += value[i++];
    }
    return out;
}

bool is_executable_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string clean_path(const std::string& path) {
    if (path.empty()) return ".";
    const bool rooted = path[0] == '/';
    std::vector<std::string> parts;
    std::size_t i = 0;
    while (i <= path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        std::string seg = path.substr(i, j - i);
        if (seg.empty() || seg == ".") {
        } else if (seg == "..") {
            if (!parts.empty() && parts.back() != "..") parts.pop_back();
            else if (!rooted) parts.push_back("..");
        } else {
            parts.push_back(seg);
        }
        i = j + 1;
    }
    std::string out = rooted ? "/" : "";
    for (std::size_t k = 0; k < parts.size(); ++k) out += (k ? "/" : "") + parts[k];
    return out.empty() ? "." : out;
}

LaunchPlan resolve_launch(const RuntimeSnapshot& runtime, const std::string& mission) {
    LaunchPlan plan;
    std::string rel = runtime.mission_path_template.empty() ? "{mission}" : runtime.mission_path_template;
    replace_all(rel, "{mission}", mission);
    // Joined and cleaned: a template starting with '/' still lands under mission_dir.
    plan.mission_path = clean_path(runtime.mission_dir.empty() ? rel : runtime.mission_dir + "/" + rel);

    if (runtime.validate_mission_file) {
        struct stat st {};
        if (::stat(plan.mission_path.c_str(), &st) != 0) {
            if (errno == ENOENT)
                throw LaunchFailure("mission_not_found", "mission_not_found: " + plan.mission_path);
            throw LaunchFailure("spawn_failed", "stat " + plan.mission_path + ": " + text::os_error(errno));
        }
        char dir_real[PATH_MAX], file_real[PATH_MAX];
        if (!::realpath(runtime.mission_dir.empty() ? "." : runtime.mission_dir.c_str(), dir_real) ||
            !::realpath(plan.mission_path.c_str(), file_real))
            throw LaunchFailure("spawn_failed", "resolve " + plan.mission_path + ": " + text::os_error(errno));
        const std::string d(dir_real), f(file_real);
        if (!(f.size() > d.size() && f.compare(0, d.size(), d) == 0 && (f[d.size()] == '/' || d == "/")))
            throw LaunchFailure("mission_not_in_dir", "mission_not_in_dir: " + plan.mission_path +
                                                          " resolves outside " + runtime.mission_dir);
    }
    std::vector<std::string> tmpl = runtime.command_template;
    if (tmpl.empty()) tmpl = {"{mission_path}"};
    for (std::string arg : tmpl) {
        replace_all(arg, "{mission}", mission);
        replace_all(arg, "{mission_path}", plan.mission_path);
        plan.argv.push_back(std::move(arg));
    }
    return plan;
}

void make_workdir_skeleton(const std::string& dir) {
    for (const std::string& d : {dir, dir + "/in", dir + "/out", dir + "/tmp"}) {
        if (::mkdir(d.c_str(), 0755) != 0) materialization_failed("mkdir " + d, errno);
    }
}

void prepare_workdir(const std::string& workdir,
                     const std::vector<std::pair<std::string, std::string>>& inputs, const std::string& spare) {
    std::error_code ec;
    std::filesystem::remove_all(workdir, ec);
    if (ec) materialization_failed("remove " + workdir, ec.value());
    // One rename instead of four mkdirs: each directory entry costs ~150 us
    // on the ext4 of the development machine, which was most of a start.
    if (spare.empty() || ::rename(spare.c_str(), workdir.c_str()) != 0) make_workdir_skeleton(workdir);
    for (const auto& [role, source] : inputs) materialize_file(source, workdir + "/in/" + role, 0444);
}

void materialize_file(const std::string& source, const std::string& dest, unsigned mode) {
    UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in) materialization_failed("open " + source, errno);
    UniqueFd out(::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!out) materialization_failed("create " + dest, errno);
    char buf[64 * 1024];
    while (true) {
        const ssize_t n = ::read(in.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) materialization_failed("read " + source, errno);
        if (n == 0) break;
        if (!write_all(out.get(), buf, static_cast<std::size_t>(n))) materialization_failed("write " + dest, errno);
    }
    if (::fchmod(out.get(), static_cast<mode_t>(mode)) != 0) materialization_failed("chmod " + dest, errno);
}

void make_directory(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0755) != 0) materialization_failed("mkdir " + dir, errno);
}

UniqueFd write_input_file(const std::string& workdir, const std::string& input) {
    const std::string path = workdir + "/input.json";
    {
        // No fsync, unlike the daemon (mission-protocol.md §1.6): the daemon
        // fsyncs because it resumes from disk after a crash; the devserver
        // keeps every job in memory, so after a crash there is no job for
        // this file to serve, and the fsync only cost milliseconds per start.
        UniqueFd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0400));
        if (!out || !write_all(out.get(), input.data(), input.size())) {
            const int e = errno;
            throw LaunchFailure(e == ENOSPC ? "disk_quota_exceeded" : "spawn_failed",
                                "write " + path + ": " + text::os_error(e));
        }
    }
    if (!jv::parse(input).value)
        throw LaunchFailure("spawn_failed", "stored input of the mission is not valid JSON");
    UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in) throw LaunchFailure("spawn_failed", "open " + path + ": " + text::os_error(errno));
    return in;
}

std::vector<std::string> build_environment(const MissionEnvConfig& config, const EnvFacts& f) {
    std::vector<std::pair<std::string, std::string>> env;
    const char* home = std::getenv("HOME");
    env.emplace_back("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.emplace_back("HOME", home ? home : "");
    env.emplace_back("TZ", "UTC");
    env.emplace_back("LETTS_MISSION_ID", f.mission_id);
    env.emplace_back("LETTS_KIND", "mission");
    env.emplace_back("LETTS_LANE", f.lane);
    env.emplace_back("LETTS_WORKDIR", f.workdir);
    env.emplace_back("LETTS_TMPDIR", f.workdir + "/tmp");
    for (const auto& in : f.inputs) {
        env.emplace_back("LETTS_IN_" + in.role, f.workdir + "/in/" + in.role);
        env.emplace_back("LETTS_IN_" + in.role + "__SHA256", in.sha256);
        env.emplace_back("LETTS_IN_" + in.role + "__SIZE", std::to_string(in.size));
    }
    for (const auto& name : config.inherit) {
        if (name.rfind("LETTS_", 0) == 0) continue;
        if (const char* v = std::getenv(name.c_str())) env.emplace_back(name, v);
    }
    std::vector<std::string> undefined;
    for (const auto& [key, value] : config.set) {
        if (key.rfind("LETTS_", 0) == 0) continue;
        env.emplace_back(key, expand_vars(value, undefined));
    }
    if (!undefined.empty()) {
        std::string names;
        for (const auto& n : undefined) names += (names.empty() ? "" : ", ") + n;
        throw LaunchFailure("spawn_failed", "env: undefined env vars: " + names);
    }
    // A later entry for the same name wins (PATH/HOME/TZ may be overridden).
    std::vector<std::string> out;
    for (std::size_t i = 0; i < env.size(); ++i) {
        bool later = false;
        for (std::size_t j = i + 1; j < env.size() && !later; ++j) later = env[j].first == env[i].first;
        if (!later) out.push_back(env[i].first + "=" + env[i].second);
    }
    return out;
}

std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    // Go's exec.LookPath, which the daemon's exec.Command runs against its
    // own PATH (mission-protocol.md 10.1 #1): an unset or empty PATH has no
    // entries; an empty entry means "."; a match that is not absolute is
    // refused (Go's ErrDot), so a program is never found relative to the
    // server's directory and then run relative to the mission's.
    const char* path = std::getenv("PATH");
    const std::string dirs = path ? path : "";
    const auto refuse = [&](const char* why) {
        return LaunchFailure("spawn_failed", "exec: \"" + name + "\": " + why);
    };
    for (std::size_t i = 0; !dirs.empty() && i <= dirs.size();) {
        std::size_t j = dirs.find(':', i);
        if (j == std::string::npos) j = dirs.size();
        const std::string dir = i == j ? "." : dirs.substr(i, j - i);
        const std::string candidate = clean_path(dir + "/" + name);
        if (is_executable_file(candidate)) {
            if (candidate[0] != '/') throw refuse("cannot run executable found relative to current directory");
            return candidate;
        }
        i = j + 1;
    }
    throw refuse("executable file not found in $PATH");
}

namespace {

struct Pipe {
    UniqueFd read, write;
};

// Both ends close on exec: the child gets its copy of the write end by dup2.
Pipe cloexec_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw LaunchFailure("spawn_failed", "pipe: " + text::os_error(errno));
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// posix_spawn's file actions and attributes for a mission: `stdin_fd` on 0,
// the three pipes' write ends on 1, 2 and 3 and nothing else open, `cwd`,
// a process group of its own (so that it can be killed as a whole), every
// signal unblocked and at its default (the server blocks and ignores some).
class SpawnSetup {
public:
    SpawnSetup(int stdin_fd, const Pipe& out, const Pipe& err, const Pipe* events, const std::string& cwd) {
        posix_spawn_file_actions_init(&actions_);
        posix_spawnattr_init(&attr_);
        posix_spawn_file_actions_adddup2(&actions_, stdin_fd, 0);
        posix_spawn_file_actions_adddup2(&actions_, out.write.get(), 1);
        posix_spawn_file_actions_adddup2(&actions_, err.write.get(), 2);
        if (events) posix_spawn_file_actions_adddup2(&actions_, events->write.get(), 3);
        posix_spawn_file_actions_addclosefrom_np(&actions_, events ? 4 : 3);
        posix_spawn_file_actions_addchdir_np(&actions_, cwd.c_str());
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attr_, &none);
        posix_spawnattr_setsigdefault(&attr_, &all);
        posix_spawnattr_setpgroup(&attr_, 0);
        posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions_);
        posix_spawnattr_destroy(&attr_);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;

    const posix_spawn_file_actions_t* actions() const { return &actions_; }
    const posix_spawnattr_t* attr() const { return &attr_; }

private:
    posix_spawn_file_actions_t actions_;
    posix_spawnattr_t attr_;
};

// The NULL-terminated array of C strings posix_spawn takes, viewing `strings`.
std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

}  // namespace

Spawned spawn_mission(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                      const std::string& cwd, int stdin_fd, bool with_events) {
    const std::string program = find_program(argv.at(0));
    Pipe out = cloexec_pipe(), err = cloexec_pipe();
    std::optional<Pipe> events;
    if (with_events) events = cloexec_pipe();
    const SpawnSetup setup(stdin_fd, out, err, events ? &*events : nullptr, cwd);
    std::vector<char*> cargv = c_strings(argv), cenv = c_strings(env);
    pid_t pid = -1;
    int rc = 0;
    // Recorded as a mission leader before anyone can see it exit, so the
    // orphan reaper leaves its status to the runner.
    Children::instance().spawn_leader([&] {
        rc = ::posix_spawn(&pid, program.c_str(), setup.actions(), setup.attr(), cargv.data(), cenv.data());
        return rc == 0 ? static_cast<int>(pid) : -1;
    });
    if (rc != 0) throw LaunchFailure("spawn_failed", "fork/exec " + program + ": " + text::os_error(rc));

    Spawned s;
    s.pid = pid;
    s.stdout_read = std::move(out.read);
    s.stderr_read = std::move(err.read);
    if (events) s.events_read = std::move(events->read);
    return s;  // the write ends close here: only the child holds them
}

}  // namespace letts::devserver
