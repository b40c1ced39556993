/*
 * fail — reports an explicit failure.
 *
 * Input (all optional):
 *   "message"    the human text                      (default "boom")
 *   "reason"     the machine reason, fail_reason     (default "explicit")
 *   "details"    an object kept as fail_details
 *   "exit_code"  the exit status; 0 is turned into 1 (default 1)
 *   "exit_zero"  true: after the fail event, exit 0 anyway. This shows what
 *                dugdale does with a contradiction: failed /
 *                fail_then_zero_exit. letts_mission_exit() never does that.
 *
 *     ./fail --input='{"message":"upstream returned HTTP 503","exit_code":3}'
 *     echo $?        # 3; the message is on stderr
 */
#include <letts/letts.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    letts_mission *m = NULL;
    letts_error *err = NULL;
    if (letts_mission_start(&m, argc, (const char *const *)argv, LETTS_MISSION_DEFAULT, &err) !=
        LETTS_OK) {
        fprintf(stderr, "fail: %s\n", letts_error_message(err));
        letts_error_free(err);
        letts_mission_exit(NULL);
    }

    const char *message = NULL, *reason = NULL;
    int64_t code = 1;
    int exit_zero = 0;
    char *details = NULL; /* JSON text, or NULL for none */
    if (letts_mission_input_string(m, "message", "boom", &message, NULL, &err) != LETTS_OK ||
        letts_mission_input_string(m, "reason", NULL, &reason, NULL, &err) != LETTS_OK ||
        letts_mission_input_int(m, "exit_code", 1, &code, &err) != LETTS_OK ||
        letts_mission_input_bool(m, "exit_zero", 0, &exit_zero, &err) != LETTS_OK ||
        (letts_mission_input_has(m, "details") &&
         letts_mission_input_lookup(m, "details", &details, &err) != LETTS_OK)) {
        fprintf(stderr, "fail: bad input: %s\n", letts_error_message(err));
        letts_error_free(err);
        letts_mission_free(m);
        return 2;
    }
    if (code < 0 || code > 255) code = 255;

    /* A details value that is not an object (or null) is refused here with a
     * clear message, instead of dugdale recording event_protocol_error. */
    if (letts_mission_fail(m, message, reason, details, (int)code, &err) != LETTS_OK) {
        fprintf(stderr, "fail: %s\n", letts_error_message(err));
        letts_error_free(err);
        letts_free(details);
        letts_mission_free(m);
        return 2;
    }
    letts_free(details);
    if (exit_zero) {
        letts_mission_free(m);
        return 0;
    }
    letts_mission_exit(m); /* exits with the reported code */
}
