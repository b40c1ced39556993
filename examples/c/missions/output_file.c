/*
 * output_file — writes an output file, declares it, and succeeds.
 *
 * Input: {"key": "result", "text": "...", "repeat": 1}. Writes `text`
 * `repeat` times to out/<key> (in the work directory; ./out/<key> when run
 * standalone), declares it, and returns {"key": K, "bytes": N}. dugdale
 * copies the file and records its sha256 and size once the mission
 * succeeds. A large `repeat` makes a multi-megabyte output, streamed in
 * chunks.
 *
 *     ./output_file --input='{"text":"hi\n","repeat":3}'  &&  cat out/result
 */
#include <letts/letts.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void give_up(letts_mission *m, const char *what, letts_error *err) {
    char message[512];
    snprintf(message, sizeof message, "%s: %s", what, letts_error_message(err));
    letts_error_free(err);
    /* fail prints the message on stderr when standalone */
    if (!letts_mission_ended(m)) letts_mission_fail(m, message, "output_failed", NULL, 1, NULL);
    letts_mission_exit(m);
}

int main(int argc, char **argv) {
    letts_mission *m = NULL;
    letts_error *err = NULL;
    if (letts_mission_start(&m, argc, (const char *const *)argv, LETTS_MISSION_DEFAULT, &err) !=
        LETTS_OK) {
        fprintf(stderr, "output_file: %s\n", letts_error_message(err));
        letts_error_free(err);
        letts_mission_exit(NULL);
    }

    const char *key = NULL, *text = NULL;
    size_t text_len = 0;
    int64_t repeat = 1;
    if (letts_mission_input_string(m, "key", "result", &key, NULL, &err) != LETTS_OK ||
        letts_mission_input_string(m, "text", "hello from a letts mission\n", &text, &text_len,
                                   &err) != LETTS_OK ||
        letts_mission_input_int(m, "repeat", 1, &repeat, &err) != LETTS_OK)
        give_up(m, "bad input", err);

    /* The path creates out/ when needed, and refuses keys dugdale would
     * refuse (they must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$, no "__"). */
    const char *path = NULL;
    if (letts_mission_output_path(m, key, &path, &err) != LETTS_OK) give_up(m, "output", err);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        perror(path);
        letts_mission_fail(m, "cannot create the output file", "output_failed", NULL, 1, NULL);
        letts_mission_exit(m);
    }
    uint64_t bytes = 0;
    for (int64_t i = 0; i < repeat; ++i) {
        if (fwrite(text, 1, text_len, f) != text_len) break;
        bytes += text_len;
        if (letts_mission_check(m, NULL) != LETTS_OK) break; /* killed: stop writing */
    }
    if (fclose(f) != 0 || bytes != (uint64_t)(repeat < 0 ? 0 : repeat) * text_len) {
        letts_mission_fail(m, "cannot write the output file", "output_failed", NULL, 1, NULL);
        letts_mission_exit(m);
    }

    if (letts_mission_output_register(m, key, &err) != LETTS_OK) give_up(m, "output", err);
    char ret[160];
    snprintf(ret, sizeof ret, "{\"key\":\"%s\",\"bytes\":%" PRIu64 "}", key, bytes);
    /* success checks that out/<key> exists before telling dugdale */
    if (letts_mission_success(m, ret, &err) != LETTS_OK) give_up(m, "success", err);
    letts_mission_exit(m);
}
