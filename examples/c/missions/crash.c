/*
 * crash — dies by a signal on request, to see how dugdale classifies a
 * native crash (spec/mission-protocol.md 8.1).
 *
 * Input: {"crash": "segv" | "abort" | "none", "after_success": false}
 *   "segv"   writes to inaccessible memory: SIGSEGV, recorded failed / segfault
 *   "abort"  abort(): SIGABRT, recorded failed / sigabrt
 *   "none"   succeeds normally
 * With "after_success": true the success event is written first, so dugdale
 * records failed / success_then_failed_exit with the signal.
 *
 * The crash is real (no handler writes a fail event), as a stray pointer in
 * a mission would cause.
 */
#include <letts/letts.h>

#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
    letts_mission *m = NULL;
    letts_error *err = NULL;
    if (letts_mission_start(&m, argc, (const char *const *)argv, LETTS_MISSION_DEFAULT, &err) !=
        LETTS_OK) {
        fprintf(stderr, "crash: %s\n", letts_error_message(err));
        letts_error_free(err);
        letts_mission_exit(NULL);
    }

    const char *how = NULL;
    int after_success = 0;
    if (letts_mission_input_string(m, "crash", "segv", &how, NULL, &err) != LETTS_OK ||
        letts_mission_input_bool(m, "after_success", 0, &after_success, &err) != LETTS_OK) {
        letts_mission_fail(m, letts_error_message(err), "bad_input", NULL, 2, NULL);
        letts_error_free(err);
        letts_mission_exit(m);
    }
    if (after_success || strcmp(how, "none") == 0) letts_mission_success(m, NULL, NULL);

    if (strcmp(how, "segv") == 0 || strcmp(how, "abort") == 0) {
        fprintf(stderr, "crash: crashing with \"%s\"\n", how);
        fflush(stderr);
    }
    if (strcmp(how, "segv") == 0) {
        /* A genuine memory fault without undefined behaviour in C terms
         * (which a compiler could turn into anything else): write to a page
         * mapped with no access at all. */
        volatile int *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page != MAP_FAILED) *page = 42;
        raise(SIGSEGV); /* only if the mapping itself failed */
    } else if (strcmp(how, "abort") == 0) {
        abort();
    } else if (strcmp(how, "none") != 0) {
        letts_mission_fail(m, "crash must be \"segv\", \"abort\" or \"none\"", "bad_input", NULL,
                           2, NULL);
    }
    letts_mission_exit(m);
}
