// Shared by the core unit tests: cmocka for C++ and a check for thrown
// letts::Error values.
//
// Include this header LAST: cmocka defines function-like macros such as
// fail() that break standard headers (std::ios::fail) included after it.
#pragma once

#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"

extern "C" {
#include <cmocka.h>
}

namespace core_test {

// Runs `body` and requires it to throw letts::Error with `status`; returns
// the error's message for further checks. The cmocka failure (a longjmp) is
// raised outside the catch handler so no exception object is left behind.
template <class Body>
std::string expect_error(Body&& body, letts::Status status, const char* file, int line) {
    std::optional<letts::Status> got;
    std::string message;
    try {
        body();
    } catch (const letts::Error& e) {
        got = e.status();
        message = e.message();
    }
    if (!got) {
        print_error("%s:%d: expected letts::Error(%d), nothing was thrown\n", file, line,
                    static_cast<int>(status));
        _fail(file, line);
    } else if (*got != status) {
        print_error("%s:%d: expected status %d, got %d: %s\n", file, line,
                    static_cast<int>(status), static_cast<int>(*got), message.c_str());
        _fail(file, line);
    }
    return message;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace core_test

#define EXPECT_ERROR(status, ...) \
    core_test::expect_error([&] { __VA_ARGS__; }, (status), __FILE__, __LINE__)
