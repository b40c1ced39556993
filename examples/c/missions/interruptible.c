/*
 * interruptible — a long job that stops cleanly when dugdale kills it.
 *
 * Input: {"seconds": N} (default 60). Works in 100 ms slices, reporting
 * progress once per second. dugdale's kill and timeout send SIGTERM (and
 * SIGKILL after the grace period); the runtime turns SIGTERM/SIGINT into a
 * flag and makes an interrupt descriptor readable. The job waits on that
 * descriptor with poll() — as an event loop would — so it wakes at once,
 * reports what it saw, and ends with a fail event and status 128 + signal.
 * dugdale records the stop as killed or timeout either way; the progress
 * message and the stderr line show that the mission saw the interrupt.
 *
 *     ./interruptible --input='{"seconds":30}'     then press Ctrl-C
 */
#include <letts/letts.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>

/* Runs on the mission's thread at the next check or progress call, never
 * inside the signal handler: ordinary code is fine here. */
static int on_interrupt(int signal, void *user_data) {
    const int64_t *done = user_data;
    fprintf(stderr, "interruptible: interrupt received (signal %d) after %" PRId64 " slices\n",
            signal, *done);
    return 0;
}

int main(int argc, char **argv) {
    letts_mission *m = NULL;
    letts_error *err = NULL;
    if (letts_mission_start(&m, argc, (const char *const *)argv, LETTS_MISSION_DEFAULT, &err) !=
        LETTS_OK) {
        fprintf(stderr, "interruptible: %s\n", letts_error_message(err));
        letts_error_free(err);
        letts_mission_exit(NULL);
    }

    int64_t seconds = 60;
    if (letts_mission_input_int(m, "seconds", 60, &seconds, &err) != LETTS_OK || seconds < 0) {
        letts_mission_fail(m, err ? letts_error_message(err) : "seconds must not be negative",
                           "bad_input", NULL, 2, NULL);
        letts_error_free(err);
        letts_mission_exit(m);
    }
    int64_t done = 0;
    letts_mission_on_interrupt(m, on_interrupt, &done, NULL);

    struct pollfd wake = {letts_mission_interrupt_fd(m), POLLIN, 0};
    const int64_t slices = seconds * 10;
    for (; done < slices; ++done) {
        /* One slice of "work": here simply waiting, but woken by an interrupt. */
        if (poll(&wake, 1, 100) < 0 && errno != EINTR) break;
        if (letts_mission_check(m, &err) != LETTS_OK) {
            const int signal = letts_mission_interrupted(m);
            char message[128];
            snprintf(message, sizeof message, "interrupted by signal %d after %" PRId64 " of %"
                     PRId64 " slices", signal, done, slices);
            letts_error_free(err);
            letts_mission_progress_message(m, message, NULL);
            letts_mission_fail(m, message, "interrupted", NULL, 128 + signal, NULL);
            letts_mission_exit(m);
        }
        if (done % 10 == 9) {
            char message[64];
            snprintf(message, sizeof message, "%" PRId64 " s", (done + 1) / 10);
            letts_mission_progress(m, (double)(done + 1) / (double)slices, message, NULL);
        }
    }
    char ret[64];
    snprintf(ret, sizeof ret, "{\"seconds\":%" PRId64 "}", seconds);
    letts_mission_success(m, ret, NULL);
    letts_mission_exit(m);
}
