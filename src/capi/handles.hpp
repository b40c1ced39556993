// The definitions behind the opaque C handles. Only src/capi sees these;
// each wraps a C++ object of the layer below and owns it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/error.hpp"

struct letts_error {
    letts::Error error;
    bool preallocated = false;  // the out-of-memory singleton is never freed
};

struct letts_string_list {
    std::vector<std::string> items;
};

struct letts_config {
    letts::config::Config config;
    std::string json;  // letts_config_json(), built once at load: the handle is immutable
};

struct letts_target {
    letts::config::TargetSpec spec;
};

namespace letts::capi {

// Copies `text` into memory the caller releases with letts_free().
// Throws std::bad_alloc.
char* copy_to_caller(const std::string& text);

// Copies a C array of C strings, rejecting NULL entries with invalid_argument.
// `what` names the argument in the message.
std::vector<std::string> copy_string_array(const char* const* items, std::size_t count,
                                           const char* what);

// Hands a new handle to the caller: `out` receives ownership.
template <class Handle>
void hand_over(Handle** out, std::unique_ptr<Handle> handle) {
    *out = handle.release();
}

}  // namespace letts::capi
