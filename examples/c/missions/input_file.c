/*
 * input_file — reads an input file delivered by dugdale.
 *
 * Input: {"role": "doc"} (default "doc"). Dispatch the mission with a file
 * under that role; dugdale copies it to in/<role> and describes it in
 * LETTS_IN_<role>, LETTS_IN_<role>__SIZE and LETTS_IN_<role>__SHA256. The
 * mission streams the file and returns
 *   {"role": R, "size": <announced>, "sha256": "<announced>",
 *    "bytes": <read>, "lines": <newlines>, "roles": [<all roles>]}
 * and fails with reason "missing_input" (exit 2) when there is no such file.
 *
 * Standalone there is no dugdale to deliver files: the input member named
 * like the role is the path, and size and sha256 are computed:
 *
 *     ./input_file --input='{"doc":"/etc/hostname"}'
 */
#include <letts/letts.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void give_up(letts_mission *m, const char *reason, int code, letts_error *err) {
    /* fail prints the message on stderr when standalone */
    letts_mission_fail(m, letts_error_message(err), reason, NULL, code, NULL);
    letts_error_free(err);
    letts_mission_exit(m);
}

int main(int argc, char **argv) {
    letts_mission *m = NULL;
    letts_error *err = NULL;
    if (letts_mission_start(&m, argc, (const char *const *)argv, LETTS_MISSION_DEFAULT, &err) !=
        LETTS_OK) {
        fprintf(stderr, "input_file: %s\n", letts_error_message(err));
        letts_error_free(err);
        letts_mission_exit(NULL);
    }

    const char *role = NULL, *sha256 = NULL;
    uint64_t size = 0;
    int fd = -1;
    if (letts_mission_input_string(m, "role", "doc", &role, NULL, &err) != LETTS_OK)
        give_up(m, "bad_input", 2, err);
    letts_status st = letts_mission_file_open(m, role, &fd, &err);
    if (st == LETTS_ERR_NOT_FOUND) give_up(m, "missing_input", 2, err);
    if (st != LETTS_OK) give_up(m, "input_unreadable", 1, err);
    if (letts_mission_file_size(m, role, &size, &err) != LETTS_OK ||
        letts_mission_file_sha256(m, role, &sha256, &err) != LETTS_OK)
        give_up(m, "input_unreadable", 1, err);

    uint64_t bytes = 0, lines = 0;
    char buf[64 * 1024];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0) break;
        if (n < 0) {
            perror(role);
            letts_mission_fail(m, "cannot read the input file", "input_unreadable", NULL, 1,
                               NULL);
            letts_mission_exit(m);
        }
        bytes += (uint64_t)n;
        for (ssize_t i = 0; i < n; ++i) lines += buf[i] == '\n';
    }
    close(fd);

    /* Every role dugdale delivered, as a JSON list. Role names match
     * ^[A-Za-z_][A-Za-z0-9_]*$, so they need no escaping. */
    letts_string_list *roles = NULL;
    if (letts_mission_file_roles(m, &roles, &err) != LETTS_OK) give_up(m, "internal", 1, err);
    size_t cap = 512 + strlen(role);
    for (size_t i = 0; i < letts_string_list_count(roles); ++i)
        cap += strlen(letts_string_list_get(roles, i)) + 3;
    char *ret = malloc(cap);
    if (ret == NULL) {
        letts_mission_fail(m, "out of memory", "out_of_memory", NULL, 1, NULL);
        letts_mission_exit(m);
    }
    int len = snprintf(ret, cap,
                       "{\"role\":\"%s\",\"size\":%" PRIu64 ",\"sha256\":\"%s\",\"bytes\":%" PRIu64
                       ",\"lines\":%" PRIu64 ",\"roles\":[",
                       role, size, sha256, bytes, lines);
    for (size_t i = 0; i < letts_string_list_count(roles); ++i)
        len += snprintf(ret + len, cap - (size_t)len, "%s\"%s\"", i ? "," : "",
                        letts_string_list_get(roles, i));
    snprintf(ret + len, cap - (size_t)len, "]}");
    letts_string_list_free(roles);

    st = letts_mission_success(m, ret, &err);
    free(ret);
    if (st != LETTS_OK) give_up(m, "internal", 1, err);
    letts_mission_exit(m);
}
