/*
 * What tests/support/cmocka_support.c gives every cmocka test (it is linked
 * into all of them through cmocka_dep, see tests/meson.build):
 *
 *  - a skip() inside the binary makes it exit 77, which meson reports as
 *    SKIP. cmocka alone exits 0 after a skip, so meson said OK and CI's
 *    "nothing skipped" guard (no_skipped_tests in .ci/run) never saw it.
 *    This needs no code in the tests: the link wraps cmocka's _skip and
 *    _cmocka_run_group_tests (ld --wrap).
 *  - letts_test_drop_root(), declared here, for binaries whose assertions
 *    need an unprivileged user.
 *
 * Plain C, usable from C++.
 */
#ifndef LETTS_TEST_CMOCKA_SUPPORT_H
#define LETTS_TEST_CMOCKA_SUPPORT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Called first in main() by binaries with assertions that only hold for an
 * unprivileged user (root reads a mode-000 file). Not root: returns, nothing
 * to do (a developer's run). Root with LETTS_TEST_USER set (CI): becomes that
 * user (groups, gid, uid) for the rest of the process, or exits 1 when it
 * cannot. Root without it: prints why and returns; those assertions then
 * skip(), the binary exits 77 and meson reports SKIP, never a silent pass. */
void letts_test_drop_root(void);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_TEST_CMOCKA_SUPPORT_H */
