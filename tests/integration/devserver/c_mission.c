/* A mission written in C that speaks fd 3 directly (NDJSON lines), used by
 * the devserver integration tests. What it does is chosen by the name it is
 * started under (the test copies it to several names):
 *   c_progress  progress events then success with a return value;
 *   c_segv      one progress event then dies of SIGSEGV;
 *   c_output    declares the output "report", writes it, succeeds.
 * It reads its input from stdin and echoes it into the return so tests can
 * check the canonical input arrived. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* In the sanitizer build this program is instrumented too; the sanitizer
 * must not turn its deliberate SIGSEGV into "exit 1" (the mission's
 * environment is built from scratch, so ASAN_OPTIONS cannot say it). */
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
    return "handle_segv=0:handle_sigbus=0:handle_abort=0:detect_leaks=0";
}

static void emit(const char *line) {
    size_t len = strlen(line), off = 0;
    while (off < len) {
        ssize_t n = write(3, line + off, len - off);
        if (n <= 0) exit(90);
        off += (size_t)n;
    }
}

int main(int argc, char **argv) {
    (void)argc;
    const char *name = strrchr(argv[0], '/');
    name = name ? name + 1 : argv[0];
    char input[4096];
    size_t len = fread(input, 1, sizeof input - 1, stdin);
    input[len] = '\0';

    if (strcmp(name, "c_segv") == 0) {
        emit("{\"event\":\"progress\",\"value\":0.5}\n");
        raise(SIGSEGV);
        return 0;
    }
    if (strcmp(name, "c_output") == 0) {
        const char *workdir = getenv("LETTS_WORKDIR");
        if (!workdir) return 2;
        char path[4096];
        snprintf(path, sizeof path, "%s/out/report", workdir);
        FILE *f = fopen(path, "w");
        if (!f) return 3;
        fputs("hello from C\n", f);
        fclose(f);
        emit("{\"event\":\"output_file\",\"key\":\"report\"}\n");
        emit("{\"event\":\"success\"}\n");
        return 0;
    }
    emit("{\"event\":\"progress\",\"value\":0.25,\"message\":\"started\"}\n");
    emit("{\"event\":\"progress\",\"value\":1}\n");
    char line[8192];
    snprintf(line, sizeof line, "{\"event\":\"success\",\"return\":{\"input\":%s}}\n", len ? input : "null");
    emit(line);
    return 0;
}
