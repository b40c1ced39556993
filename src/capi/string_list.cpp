// letts_string_list and the small copying helpers shared by the entry points.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "capi/handles.hpp"
#include "letts/string_list.h"

namespace letts::capi {

char* copy_to_caller(const std::string& text) {
    // malloc, not new[]: the caller releases it with letts_free (free).
    char* copy = static_cast<char*>(std::malloc(text.size() + 1));
    if (copy == nullptr) throw std::bad_alloc();
    std::memcpy(copy, text.c_str(), text.size() + 1);
    return copy;
}

std::vector<std::string> copy_string_array(const char* const* items, std::size_t count,
                                           const char* what) {
    std::vector<std::string> copied;
    if (count == 0) return copied;
    if (items == nullptr)
        throw Error(Status::invalid_argument,
                    std::string(what) + " is NULL but its count is " + std::to_string(count));
    copied.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (items[i] == nullptr)
            throw Error(Status::invalid_argument,
                        std::string(what) + "[" + std::to_string(i) + "] is NULL");
        copied.emplace_back(items[i]);
    }
    return copied;
}

}  // namespace letts::capi

extern "C" {

LETTS_EXTERN size_t letts_string_list_count(const letts_string_list* list) {
    return list ? list->items.size() : 0;
}

LETTS_EXTERN const char* letts_string_list_get(const letts_string_list* list, size_t index) {
    if (!list || index >= list->items.size()) return nullptr;
    return list->items[index].c_str();
}

LETTS_EXTERN void letts_string_list_free(letts_string_list* list) {
    std::unique_ptr<letts_string_list> owned(list);
}

}  // extern "C"
