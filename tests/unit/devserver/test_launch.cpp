// devserver/launch.hpp find_program: how argv[0] of a mission is found
// (mission-protocol.md 1.3 step 7, 10.1 #1). The daemon builds its command
// with Go's exec.Command, whose lookup runs against the daemon's own PATH:
// no PATH means no entries, and a match that is not an absolute path is
// refused rather than run. Each case sets the server's PATH and working
// directory and checks the path returned or the exact failure text.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include "devserver/children.hpp"
#include "devserver/launch.hpp"

#include "../core/support.hpp"

using letts::devserver::find_program;
using letts::devserver::LaunchFailure;

namespace {

struct Scratch {
    std::string dir;
    std::string old_cwd;
    Scratch() {
        char tmpl[] = "/tmp/letts-launch-XXXXXX";
        assert_non_null(mkdtemp(tmpl));
        dir = tmpl;
        char cwd[PATH_MAX];
        assert_non_null(getcwd(cwd, sizeof cwd));
        old_cwd = cwd;
        // An executable program and a directory that only looks like one.
        const std::string prog = dir + "/lt-prog";
        FILE* f = fopen(prog.c_str(), "w");
        assert_non_null(f);
        fputs("#!/bin/sh\nexit 0\n", f);
        fclose(f);
        assert_int_equal(chmod(prog.c_str(), 0755), 0);
        assert_int_equal(mkdir((dir + "/sub").c_str(), 0755), 0);
        assert_int_equal(mkdir((dir + "/sub/lt-prog").c_str(), 0755), 0);
    }
    ~Scratch() {
        if (chdir(old_cwd.c_str()) != 0) perror("chdir");
        rmdir((dir + "/sub/lt-prog").c_str());
        rmdir((dir + "/sub").c_str());
        unlink((dir + "/lt-prog").c_str());
        rmdir(dir.c_str());
    }
};

std::string failure_of(const std::string& name) {
    try {
        const std::string found = find_program(name);
        fail_msg("found %s, expected a LaunchFailure", found.c_str());
    } catch (const LaunchFailure& e) {
        assert_string_equal(e.reason().c_str(), "spawn_failed");
        return e.what();
    }
    return {};
}

void test_absolute_path_entry_found_and_directories_skipped(void**) {
    Scratch s;
    assert_int_equal(setenv("PATH", (s.dir + "/sub:" + s.dir).c_str(), 1), 0);
    assert_string_equal(find_program("lt-prog").c_str(), (s.dir + "/lt-prog").c_str());
}

void test_name_with_slash_taken_as_is(void**) {
    assert_int_equal(unsetenv("PATH"), 0);
    assert_string_equal(find_program("./lt-missing").c_str(), "./lt-missing");
    assert_string_equal(find_program("/no/such/prog").c_str(), "/no/such/prog");
}

void test_relative_match_refused(void**) {
    Scratch s;
    assert_int_equal(chdir(s.dir.c_str()), 0);
    for (const char* path : {".", ":", "/nonexistent:", "sub/..", "/nonexistent::/x"}) {
        assert_int_equal(setenv("PATH", path, 1), 0);
        assert_string_equal(failure_of("lt-prog").c_str(),
                            "exec: \"lt-prog\": cannot run executable found relative to current directory");
    }
}

void test_unset_or_empty_path_finds_nothing(void**) {
    Scratch s;
    assert_int_equal(chdir(s.dir.c_str()), 0);
    // "sh" is in /bin on every test machine: a fallback list would find it.
    assert_int_equal(unsetenv("PATH"), 0);
    assert_string_equal(failure_of("sh").c_str(), "exec: \"sh\": executable file not found in $PATH");
    assert_int_equal(setenv("PATH", "", 1), 0);
    assert_string_equal(failure_of("lt-prog").c_str(), "exec: \"lt-prog\": executable file not found in $PATH");
}

// The value of NAME in an environment list, or nullptr; also how often
// NAME appears there.
const char* env_value(const std::vector<std::string>& env, const std::string& name, int& count) {
    const char* value = nullptr;
    count = 0;
    for (const auto& entry : env)
        if (entry.compare(0, name.size() + 1, name + "=") == 0) {
            value = entry.c_str() + name.size() + 1;
            ++count;
        }
    return value;
}

letts::devserver::EnvFacts facts() {
    return {"0190a0b0-0000-7000-8000-000000000001", "fast", "/d/work/x",
            {letts::devserver::InputRef{"doc", "st1", "ab12cd", 7}}};
}

// 10.1 #4: the daemon takes HOME from Go's os.UserHomeDir and ignores its
// error, so an unset HOME gives an empty HOME=, present but empty.
void test_home_empty_when_unset(void**) {
    assert_int_equal(unsetenv("HOME"), 0);
    int n = 0;
    const auto env = letts::devserver::build_environment({}, facts());
    const char* home = env_value(env, "HOME", n);
    assert_non_null(home);
    assert_int_equal(n, 1);
    assert_string_equal(home, "");
}

// 10.1 #12: os/exec keeps only the last value of a name given twice, so
// mission_env can override PATH/HOME/TZ; #5: the sha256 is passed as
// recorded in staging (lowercase hex there).
void test_later_entry_wins_and_sha_passed_through(void**) {
    assert_int_equal(setenv("HOME", "/home/d", 1), 0);
    assert_int_equal(setenv("LT_TZ_FROM_HOST", "Europe/Oslo", 1), 0);
    letts::devserver::MissionEnvConfig cfg;
    cfg.inherit = {"HOME"};
    cfg.set = {{"PATH", "/opt/bin"}, {"TZ", "${LT_TZ_FROM_HOST}"}};
    const auto env = letts::devserver::build_environment(cfg, facts());
    int n = 0;
    assert_string_equal(env_value(env, "PATH", n), "/opt/bin");
    assert_int_equal(n, 1);
    assert_string_equal(env_value(env, "TZ", n), "Europe/Oslo");
    assert_int_equal(n, 1);
    assert_string_equal(env_value(env, "HOME", n), "/home/d");
    assert_int_equal(n, 1);
    assert_string_equal(env_value(env, "LETTS_IN_doc__SHA256", n), "ab12cd");
    assert_string_equal(env_value(env, "LETTS_IN_doc__SIZE", n), "7");
}

// Everything the child wrote to stdout, then its exit status.
std::string run_and_read(const std::vector<std::string>& argv, int& status) {
    const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    assert_true(devnull >= 0);
    auto child = letts::devserver::spawn_mission(argv, {"PATH=/usr/bin:/bin"}, "/", devnull);
    close(devnull);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(child.stdout_read.get(), buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    assert_int_equal(waitpid(child.pid, &status, 0), child.pid);
    letts::devserver::Children::instance().release_leader(child.pid);
    return out;
}

// 10.1 #2 and #3, our choice (the daemon passes 0-3 plus whatever it
// inherited without close-on-exec, and keeps signals that were ignored when
// it started ignored): a mission gets exactly fds 0-3, no signal blocked or
// ignored, even when the server holds an inheritable fd and ignores SIGHUP.
void test_only_fds_0_to_3_and_default_signals(void**) {
    const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int leak = fcntl(null_fd, F_DUPFD, 10);  // inheritable on purpose
    close(null_fd);
    assert_true(leak >= 10);
    struct sigaction ign {}, old {};
    ign.sa_handler = SIG_IGN;
    assert_int_equal(sigaction(SIGHUP, &ign, &old), 0);
    sigset_t block, old_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    assert_int_equal(pthread_sigmask(SIG_BLOCK, &block, &old_mask), 0);
    // The shell's own fds (builtins only: no pipe open meanwhile); the signal state of a program
    // the shell replaced itself with, so that it is the spawn's.
    int fd_status = 0, sig_status = 0;
    const std::string fds = run_and_read({"/bin/sh", "-c", "for f in /proc/$$/fd/*; do printf '%s ' \"${f##*/}\"; done"}, fd_status);
    const std::string sigs =
        run_and_read({"/bin/sh", "-c", "exec grep -E '^Sig(Blk|Ign)' /proc/self/status"}, sig_status);
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    sigaction(SIGHUP, &old, nullptr);
    close(leak);
    assert_true(WIFEXITED(fd_status) && WEXITSTATUS(fd_status) == 0);
    assert_true(WIFEXITED(sig_status) && WEXITSTATUS(sig_status) == 0);
    // 4 is the directory the shell's glob is reading at that moment.
    assert_string_equal(fds.c_str(), "0 1 2 3 4 ");
    // Signals 1-31 only: glibc keeps its internal real-time ones (32, 33)
    // out of posix_spawn's reach, and they are not the mission's business.
    unsigned long long blocked = ~0ull, ignored = ~0ull;
    assert_int_equal(sscanf(sigs.c_str(), "SigBlk:\t%llx\nSigIgn:\t%llx", &blocked, &ignored), 2);
    assert_int_equal(blocked & 0x7fffffffull, 0);
    assert_int_equal(ignored & 0x7fffffffull, 0);
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absolute_path_entry_found_and_directories_skipped),
        cmocka_unit_test(test_name_with_slash_taken_as_is),
        cmocka_unit_test(test_relative_match_refused),
        cmocka_unit_test(test_unset_or_empty_path_finds_nothing),
        cmocka_unit_test(test_home_empty_when_unset),
        cmocka_unit_test(test_later_entry_wins_and_sha_passed_through),
        cmocka_unit_test(test_only_fds_0_to_3_and_default_signals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
