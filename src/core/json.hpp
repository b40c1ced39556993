// RAII and small conveniences over cJSON, the one JSON library of the project.
#pragma once

#include <cjson/cJSON.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace letts::json {

struct Deleter {
    void operator()(cJSON* node) const noexcept { cJSON_Delete(node); }
};
// Owns a cJSON tree (the root); children are owned by their parent.
using Ptr = std::unique_ptr<cJSON, Deleter>;

// Each constructor throws std::bad_alloc when cJSON cannot allocate.
Ptr object();
Ptr array();
Ptr string(std::string_view value);
Ptr number(double value);
Ptr integer(std::int64_t value);  // exact up to 2^53, as cJSON stores doubles
Ptr boolean(bool value);
Ptr null();

// Moves `value` into `parent` (an object) under `key` / onto the end of an array.
void add(cJSON* parent, std::string_view key, Ptr value);
void append(cJSON* array, Ptr value);

// Parses a complete JSON document (trailing garbage rejected). Returns
// nullptr and sets `error_offset` (when given) on a syntax error.
Ptr parse(std::string_view text, std::size_t* error_offset = nullptr);

// Compact text of `node`. Throws std::bad_alloc.
std::string print(const cJSON* node);

// Typed lookups that return nullopt on a missing key or a wrong type.
std::optional<std::string> get_string(const cJSON* object, const char* key);
std::optional<std::int64_t> get_int(const cJSON* object, const char* key);  // integral numbers only
std::optional<bool> get_bool(const cJSON* object, const char* key);

}  // namespace letts::json
