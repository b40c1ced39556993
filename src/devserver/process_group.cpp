#include "devserver/process_group.hpp"

#include <dirent.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

namespace letts::devserver {
namespace {

struct DirCloser {
    void operator()(DIR* d) const noexcept { ::closedir(d); }
};
struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

// Reads state and process group from /proc/<pid>/stat. The command name
// (field 2) may contain spaces and parentheses, so parsing starts after the
// last ')'.
bool read_stat(const char* pid, char& state, int& pgrp) {
    const std::string path = std::string("/proc/") + pid + "/stat";
    std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "re"));
    if (!f) return false;
    char buf[512];
    const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f.get());
    buf[n] = '\0';
    const char* close = std::strrchr(buf, ')');
    if (!close) return false;
    int ppid = 0;
    return std::sscanf(close + 1, " %c %d %d", &state, &ppid, &pgrp) == 3;
}

}  // namespace

bool group_has_live_members(int pgid) {
    std::unique_ptr<DIR, DirCloser> proc(::opendir("/proc"));
    if (!proc) return ::kill(-pgid, 0) == 0;  // no /proc: the kernel's view, zombies included
    while (const dirent* e = ::readdir(proc.get())) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char state = 0;
        int pgrp = 0;
        if (read_stat(e->d_name, state, pgrp) && pgrp == pgid && state != 'Z') return true;
    }
    return false;
}

bool kill_groups_and_wait(const std::vector<int>& pgids, std::chrono::milliseconds limit) {
    for (int pgid : pgids) ::kill(-pgid, SIGKILL);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        bool any = false;
        for (int pgid : pgids) any = any || group_has_live_members(pgid);
        if (!any) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        // SIGKILL is delivered asynchronously; a short pause between scans
        // of /proc keeps this from spinning.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

}  // namespace letts::devserver
