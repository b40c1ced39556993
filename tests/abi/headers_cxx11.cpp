/*
 * The public headers must be clean C++11 under -Wall -Wextra -Wpedantic
 * -Werror (DESIGN.md, C ABI rule 7); meson.build compiles this file with
 * cpp_std=c++11 and extra warnings (old-style casts, NULL as 0, ...). Each
 * header is also compiled alone in its own translation unit
 * (header_alone.in), which is linked into this program.
 *
 * When run, it checks that the library actually loaded is the one the headers
 * describe, and that the declarations have C linkage (a C++-mangled
 * declaration would fail to link against libletts.so).
 */
#include <letts/letts.h>

#include <cstdio>
#include <cstring>

int main() {
    int failures = 0;
    const char *version = letts_version();
    const int number = letts_version_number();

    if (version == nullptr || std::strcmp(version, LETTS_VERSION_STRING) != 0) {
        std::fprintf(stderr,
                     "FAIL: letts_version(): expected \"%s\" (LETTS_VERSION_STRING), found %s\n",
                     LETTS_VERSION_STRING, version ? version : "NULL");
        failures++;
    }
    if (number != LETTS_VERSION_NUMBER) {
        std::fprintf(stderr,
                     "FAIL: letts_version_number(): expected %d (LETTS_VERSION_NUMBER), found %d\n",
                     LETTS_VERSION_NUMBER, number);
        failures++;
    }
    if (std::strcmp(letts_status_name(LETTS_ERR_CONFIG), "config") != 0) {
        std::fprintf(stderr,
                     "FAIL: letts_status_name(LETTS_ERR_CONFIG): expected \"config\", found \"%s\"\n",
                     letts_status_name(LETTS_ERR_CONFIG));
        failures++;
    }
    if (failures == 0) {
        std::printf("ok: C++11 headers, library version %s (%d)\n", version, number);
    }
    return failures == 0 ? 0 : 1;
}
