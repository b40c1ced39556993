/*
 * no_deepbind.so — lets an uninstrumented php load an ASan-instrumented
 * libletts.so. Used only by the ffi-php test of a b_sanitize=address build.
 *
 * php loads its extensions (ffi.so, opcache.so) and the library given to
 * FFI::cdef() with dlopen(..., RTLD_DEEPBIND). The ASan runtime, which must be
 * preloaded into php so that it comes before every other library, refuses
 * RTLD_DEEPBIND outright and aborts the process
 * (https://github.com/google/sanitizers/issues/611). This wrapper, preloaded
 * in front of the ASan runtime, clears that one flag and passes the call on;
 * dropping it only means extension symbols are looked up globally first,
 * which is harmless for a test process.
 *
 * It is compiled without sanitizers (see meson.build) so that it does not
 * itself depend on the runtime it is loaded before.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

void *dlopen(const char *filename, int flags) {
    static void *(*next_dlopen)(const char *, int);
    if (next_dlopen == NULL) {
        /* The next dlopen in the search order: ASan's interceptor, then libc's. */
        next_dlopen = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
        if (next_dlopen == NULL) {
            return NULL;
        }
    }
    return next_dlopen(filename, flags & ~RTLD_DEEPBIND);
}
