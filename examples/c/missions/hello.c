/*
 * hello — the smallest mission: returns its input.
 *
 * Under dugdale (letts-devserver or the real daemon) the input arrives on
 * stdin; run standalone for debugging:
 *
 *     ./hello --input='{"name":"ada"}'        prints the input, pretty, on stdout
 *     echo '{"n":1}' | ./hello --input=-
 *     ./hello --input-file=input.json
 *
 * A success return must be a JSON object or null, so an input that is
 * anything else (a list, a string, a number) comes back wrapped as
 * {"input": <value>}.
 */
#include <letts/letts.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    letts_mission *m = NULL;
    letts_error *err = NULL;
    if (letts_mission_start(&m, argc, (const char *const *)argv, LETTS_MISSION_DEFAULT, &err) !=
        LETTS_OK) {
        /* Nothing was reported yet: exit 1 is recorded as failed /
         * no_event_nonzero_exit. */
        fprintf(stderr, "hello: %s\n", letts_error_message(err));
        letts_error_free(err);
        letts_mission_exit(NULL);
    }

    const char *input = letts_mission_input_json(m);
    char *wrapped = NULL;
    const char *ret = input;
    if (input[0] != '{' && strcmp(input, "null") != 0) {
        size_t size = strlen(input) + sizeof "{\"input\":}";
        wrapped = malloc(size);
        if (wrapped == NULL) {
            letts_mission_fail(m, "out of memory", "out_of_memory", NULL, 1, NULL);
            letts_mission_exit(m);
        }
        snprintf(wrapped, size, "{\"input\":%s}", input);
        ret = wrapped;
    }
    if (letts_mission_success(m, ret, &err) != LETTS_OK) {
        fprintf(stderr, "hello: %s\n", letts_error_message(err));
        letts_error_free(err);
        free(wrapped);
        letts_mission_free(m);
        return 1;
    }
    free(wrapped);
    letts_mission_exit(m); /* flushes stdio, exits 0 */
}
