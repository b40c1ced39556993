#include "devserver/json_out.hpp"

#include <new>

namespace letts::devserver::jout {

json::Ptr raw(std::string_view text) {
    const std::string copy(text);
    json::Ptr node(cJSON_CreateRaw(copy.c_str()));
    if (!node) throw std::bad_alloc();
    return node;
}

json::Ptr int64(std::int64_t value) { return raw(std::to_string(value)); }

std::string line(const cJSON* node) { return json::print(node) + "\n"; }

}  // namespace letts::devserver::jout
