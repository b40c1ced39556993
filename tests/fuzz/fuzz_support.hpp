// Shared helpers of the libFuzzer targets in this folder.
#pragma once

#include <pthread.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <string_view>

namespace letts::fuzz {

// The stack a devserver connection thread gets (MHD_OPTION_THREAD_STACK_SIZE
// in src/devserver/http_server.cpp). Parsers of request data must fit in
// it, so the targets for them run their input on a thread of this size:
// on the 8 MiB main thread a too-deep recursion would go unnoticed.
constexpr std::size_t kConnectionStack = 256 * 1024;

// Runs `fn` to completion on a fresh thread with a `stack_bytes` stack.
// An exception escaping `fn` is a finding: it is reported and aborts, as it
// would abort the connection thread in the devserver.
inline void run_on_stack(std::size_t stack_bytes, const std::function<void()>& fn) {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0 || pthread_attr_setstacksize(&attr, stack_bytes) != 0) {
        std::fputs("fuzz: cannot set up a thread attribute\n", stderr);
        std::abort();
    }
    pthread_t thread;
    const auto body = [](void* arg) -> void* {
        (*static_cast<const std::function<void()>*>(arg))();
        return nullptr;
    };
    if (pthread_create(&thread, &attr, body, const_cast<std::function<void()>*>(&fn)) != 0) {
        std::fputs("fuzz: cannot start a thread\n", stderr);
        std::abort();
    }
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
}

// A property of the code under test does not hold: print what and abort,
// so libFuzzer records the input as a crash.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
    std::fprintf(stderr, "fuzz property violated: %s\n", what);
    if (!detail.empty())
        std::fprintf(stderr, "  detail: %.*s\n", static_cast<int>(detail.size() > 2000 ? 2000 : detail.size()),
                     detail.data());
    std::abort();
}

inline void check(bool ok, const char* what, std::string_view detail = {}) {
    if (!ok) fail(what, detail);
}

}  // namespace letts::fuzz
