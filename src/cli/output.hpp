// Output formatting: -o text|json|yaml|ndjson, JSON documents as the API shapes
// them, and aligned text tables for people.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <cjson/cJSON.h>

namespace letts_cli {

enum class Format { Text, Json, Yaml, Ndjson };

// json or yaml: one document per result (lists gathered into one).
inline bool is_document(Format f) { return f == Format::Json || f == Format::Yaml; }

// "text", "json" or "ndjson"; anything else is a usage error.
Format parse_format(const std::string& text);

struct JsonDeleter {
    void operator()(cJSON* j) const { cJSON_Delete(j); }
};
using Json = std::unique_ptr<cJSON, JsonDeleter>;

// Parses JSON text; NULL when it is not JSON (never throws).
Json parse_json(const std::string& text);

// One JSON document on stdout: indented for json, one line for ndjson.
void print_json(const cJSON* doc, Format format);
// The same for JSON text from the library (printed as is when unparsable).
void print_json_text(const char* text, Format format);  // NULL prints null

// Left-aligned columns separated by two spaces, a header row first.
void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

// A string member of `obj`, or "" (numbers and booleans as their text).
std::string json_str(const cJSON* obj, const char* name);

}  // namespace letts_cli
