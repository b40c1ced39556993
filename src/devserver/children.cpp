#include "devserver/children.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace letts::devserver {
namespace {

struct DirCloser {
    void operator()(DIR* d) const noexcept { ::closedir(d); }
};

struct Child {
    int pid;
    bool zombie;
};

// The children of this process, from /proc (waitid cannot list them
// without reaping or, with WNOWAIT, gets stuck on the first one).
std::vector<Child> list_children() {
    std::vector<Child> out;
    const int self = ::getpid();
    std::unique_ptr<DIR, DirCloser> proc(::opendir("/proc"));
    if (!proc) return out;
    while (const dirent* e = ::readdir(proc.get())) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char path[300];
        std::snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE* f = std::fopen(path, "re");
        if (!f) continue;
        char buf[512];
        const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
        std::fclose(f);
        buf[n] = '\0';
        // The command name may hold spaces and ')': parse after the last ')'.
        const char* close = std::strrchr(buf, ')');
        char state = 0;
        int ppid = 0;
        if (!close || std::sscanf(close + 1, " %c %d", &state, &ppid) != 2 || ppid != self) continue;
        out.push_back({std::atoi(e->d_name), state == 'Z'});
    }
    return out;
}

}  // namespace

Children& Children::instance() {
    static Children children;
    return children;
}

int Children::spawn_leader(const std::function<int()>& spawn) {
    std::lock_guard lock(mu_);
    const int pid = spawn();
    if (pid > 0) leaders_.insert(pid);
    return pid;
}

void Children::release_leader(int pid) {
    std::lock_guard lock(mu_);
    leaders_.erase(pid);
}

int Children::reap_adopted() {
    std::lock_guard lock(mu_);
    int reaped = 0;
    for (const Child& c : list_children())
        if (c.zombie && leaders_.count(c.pid) == 0 && ::waitpid(c.pid, nullptr, WNOHANG) == c.pid) ++reaped;
    return reaped;
}

bool Children::kill_adopted(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        bool any = false;
        {
            std::lock_guard lock(mu_);
            for (const Child& c : list_children()) {
                if (leaders_.count(c.pid)) continue;
                any = true;
                if (c.zombie) ::waitpid(c.pid, nullptr, WNOHANG);
                else ::kill(c.pid, SIGKILL);
            }
        }
        if (!any) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        // SIGKILL lands asynchronously; a short pause between scans of
        // /proc keeps this from spinning while the kernel delivers it.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

}  // namespace letts::devserver
