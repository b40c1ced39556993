/*
 * See cmocka_support.h: skip() reported to meson as exit 77 (by wrapping
 * cmocka's entry points at link time, ld --wrap), and the drop from root to
 * $LETTS_TEST_USER for assertions that need an unprivileged user.
 */
#include "cmocka_support.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cmocka.h>

/* meson's exit status for "this test was skipped". */
enum { MESON_SKIP = 77 };

static int skipped_tests;

/* The originals, reached through ld --wrap. */
void __real__skip(const char *file, int line);
int __real__cmocka_run_group_tests(const char *group_name, const struct CMUnitTest *tests,
                                   size_t number_of_tests, CMFixtureFunction group_setup,
                                   CMFixtureFunction group_teardown);

/* What skip() calls: counts the skip, then lets cmocka skip (no return). */
void __wrap__skip(const char *file, int line) {
    ++skipped_tests;
    __real__skip(file, line);
}

/* What cmocka_run_group_tests() and _name() call: cmocka's count of failed
 * tests when non-zero, else 77 when any test of the process skipped. */
int __wrap__cmocka_run_group_tests(const char *group_name, const struct CMUnitTest *tests,
                                   size_t number_of_tests, CMFixtureFunction group_setup,
                                   CMFixtureFunction group_teardown) {
    const int failed = __real__cmocka_run_group_tests(group_name, tests, number_of_tests,
                                                      group_setup, group_teardown);
    if (failed != 0) return failed;
    if (skipped_tests > 0) {
        fprintf(stderr, "# %d test(s) skipped: exit %d so that meson reports SKIP\n",
                skipped_tests, MESON_SKIP);
        return MESON_SKIP;
    }
    return 0;
}

static void drop_failed(const char *what, const char *user) {
    fprintf(stderr, "letts_test_drop_root: %s for LETTS_TEST_USER=%s: %s\n", what, user,
            errno ? strerror(errno) : "no such user");
    exit(1);
}

void letts_test_drop_root(void) {
    if (geteuid() != 0) return;
    const char *user = getenv("LETTS_TEST_USER");
    if (user == NULL || user[0] == '\0') {
        fprintf(stderr, "# running as root without LETTS_TEST_USER: the assertions that need "
                        "an unprivileged user skip, and the test reports SKIP\n");
        return;
    }
    errno = 0;
    const struct passwd *pw = getpwnam(user);
    if (pw == NULL) drop_failed("getpwnam", user);
    if (pw->pw_uid == 0) {
        errno = EINVAL;
        drop_failed("a user other than root is needed", user);
    }
    const uid_t uid = pw->pw_uid;
    const gid_t gid = pw->pw_gid;
    /* Groups first: they can no longer be changed once the uid is dropped. */
    if (initgroups(user, gid) != 0) drop_failed("initgroups", user);
    if (setresgid(gid, gid, gid) != 0) drop_failed("setresgid", user);
    if (setresuid(uid, uid, uid) != 0) drop_failed("setresuid", user);
    if (setuid(0) == 0) {
        errno = EPERM;
        drop_failed("root could be regained after the drop", user);
    }
    /* A change of credentials makes the process non-dumpable, which leaves
     * /proc/self owned by root and stops LeakSanitizer from tracing its own
     * threads; a test process has nothing to hide. */
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) drop_failed("prctl(PR_SET_DUMPABLE)", user);
    printf("# root dropped: running as %s (uid %u, gid %u)\n", user, (unsigned)uid, (unsigned)gid);
    fflush(stdout);
}
