/*
 * The public headers must be clean C99 under -Wall -Wextra -Wpedantic -Werror
 * (DESIGN.md, C ABI rule 7); meson.build compiles this file with c_std=c99 and
 * extra warnings. Each header is also compiled alone in its own translation
 * unit (header_alone.in), which is linked into this program.
 *
 * When run, it checks that the library actually loaded is the one the headers
 * describe.
 */
#include <letts/letts.h>

#include <stdio.h>
#include <string.h>

int main(void) {
    int failures = 0;
    const char *version = letts_version();
    int number = letts_version_number();
    letts_status ok = LETTS_OK;

    if (version == NULL || strcmp(version, LETTS_VERSION_STRING) != 0) {
        fprintf(stderr, "FAIL: letts_version(): expected \"%s\" (LETTS_VERSION_STRING), found %s%s%s\n",
                LETTS_VERSION_STRING, version ? "\"" : "", version ? version : "NULL",
                version ? "\"" : "");
        failures++;
    }
    if (number != LETTS_VERSION_NUMBER) {
        fprintf(stderr, "FAIL: letts_version_number(): expected %d (LETTS_VERSION_NUMBER), found %d\n",
                LETTS_VERSION_NUMBER, number);
        failures++;
    }
    if (strcmp(letts_status_name(ok), "ok") != 0) {
        fprintf(stderr, "FAIL: letts_status_name(LETTS_OK): expected \"ok\", found \"%s\"\n",
                letts_status_name(ok));
        failures++;
    }
    if (failures == 0) {
        printf("ok: C99 headers, library version %s (%d)\n", version, number);
    }
    return failures == 0 ? 0 : 1;
}
