#include "devserver/json_out.hpp"

#include <new>

#include "core/utf8.hpp"
#include "devserver/json_value.hpp"

namespace letts::devserver::jout {

json::Ptr raw(std::string_view text) {
    const std::string copy(text);
    json::Ptr node(cJSON_CreateRaw(copy.c_str()));
    if (!node) throw std::bad_alloc();
    return node;
}

json::Ptr int64(std::int64_t value) { return raw(std::to_string(value)); }

json::Ptr string(std::string_view text) {
    if (text.find('\0') == std::string_view::npos) return json::string(text);
    return raw(jv::quote(text));
}

std::string print(const cJSON* node) {
    std::string text = json::print(node);
    if (!utf8::valid(text)) text = utf8::replace_invalid(text);
    return text;
}

std::string line(const cJSON* node) { return print(node) + "\n"; }

}  // namespace letts::devserver::jout
