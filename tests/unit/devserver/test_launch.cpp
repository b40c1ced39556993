// devserver/launch.hpp find_program: how argv[0] of a mission is found
// (mission-protocol.md 1.3 step 7, 10.1 #1). The daemon builds its command
// with Go's exec.Command, whose lookup runs against the daemon's own PATH:
// no PATH means no entries, and a match that is not an absolute path is
// refused rather than run. Each case sets the server's PATH and working
// directory and checks the path returned or the exact failure text.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <string>

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

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absolute_path_entry_found_and_directories_skipped),
        cmocka_unit_test(test_name_with_slash_taken_as_is),
        cmocka_unit_test(test_relative_match_refused),
        cmocka_unit_test(test_unset_or_empty_path_finds_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
