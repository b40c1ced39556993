/*
 * progress — reports progress in steps, then succeeds.
 *
 * Input: {"steps": N} (default 5). Writes N progress events
 * {"event":"progress","value":i/N,"message":"step i"} and returns
 * {"steps": N}. Between steps it checks for cancellation, so a kill or a
 * timeout ends it at the next step.
 *
 *     ./progress --input='{"steps":4}'     progress lines on stderr:
 *     [progress] 0.25 step 1
 *     ...
 */
#include <letts/letts.h>

#include <inttypes.h>
#include <stdio.h>

static void stop(letts_mission *m, letts_error *err) {
    fprintf(stderr, "progress: %s\n", letts_error_message(err));
    letts_error_free(err);
    letts_mission_exit(m); /* after fail: its code; without terminal event: 0 */
}

int main(int argc, char **argv) {
    letts_mission *m = NULL;
    letts_error *err = NULL;
    if (letts_mission_start(&m, argc, (const char *const *)argv, LETTS_MISSION_DEFAULT, &err) !=
        LETTS_OK) {
        fprintf(stderr, "progress: %s\n", letts_error_message(err));
        letts_error_free(err);
        letts_mission_exit(NULL);
    }

    int64_t steps = 5;
    if (letts_mission_input_int(m, "steps", 5, &steps, &err) != LETTS_OK || steps < 1 ||
        steps > 1000) {
        const char *why = err ? letts_error_message(err) : "steps must be between 1 and 1000";
        letts_mission_fail(m, why, "bad_input", NULL, 2, NULL);
        letts_error_free(err);
        letts_mission_exit(m);
    }

    for (int64_t i = 1; i <= steps; ++i) {
        if (letts_mission_check(m, &err) != LETTS_OK) {
            /* 128 + signal, the shell's convention for "ended by a signal" */
            letts_mission_fail(m, letts_error_message(err), "interrupted", NULL,
                               128 + letts_mission_interrupted(m), NULL);
            stop(m, err);
        }
        char message[64];
        snprintf(message, sizeof message, "step %" PRId64, i);
        if (letts_mission_progress(m, (double)i / (double)steps, message, &err) != LETTS_OK)
            stop(m, err);
    }

    char ret[64];
    snprintf(ret, sizeof ret, "{\"steps\":%" PRId64 "}", steps);
    if (letts_mission_success(m, ret, &err) != LETTS_OK) stop(m, err);
    letts_mission_exit(m);
}
