// A YAML writer for the API's JSON documents (-o yaml): block style with
// yaml.v3's four-space indentation, plain scalars only where YAML cannot
// read them as anything else, every other string JSON-quoted (a JSON string
// is a valid YAML double-quoted scalar). Depth is bounded: below kMaxDepth
// a value is written in flow style (its compact JSON, which is YAML too).
#include "yaml.hpp"

#include <cctype>
#include <string_view>

#include "error.hpp"

namespace letts_cli {

namespace {

constexpr int kMaxDepth = 64;

std::string compact_json(const cJSON* item) {
    char* text = cJSON_PrintUnformatted(item);
    if (!text) throw CliError(kExitFailure, "out of memory");
    std::string out(text);
    cJSON_free(text);
    return out;
}

// Plain only when it cannot be a number, bool, null, key, comment,
// indicator or anything that needs escaping.
bool plain_ok(std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '/' || s[0] == '_')) return false;
    if (s.back() == ' ' || s.back() == ':') return false;
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (!(std::isalnum(c) || c == '_' || c == '.' || c == '/' || c == '-' || c == ':' || c == ' ')) return false;
        if (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') return false;
    }
    std::string lower;
    for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* w : {"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
        if (lower == w) return false;
    return true;
}

std::string scalar_text(std::string_view s) {
    if (plain_ok(s)) return std::string(s);
    Json q(cJSON_CreateString(std::string(s).c_str()));
    return compact_json(q.get());
}

bool is_block(const cJSON* v, int depth) {
    return (cJSON_IsObject(v) || cJSON_IsArray(v)) && v->child && depth < kMaxDepth;
}

// A leaf, an empty container, or a too-deep one, on the current line.
std::string inline_text(const cJSON* v) {
    if (cJSON_IsString(v)) return scalar_text(v->valuestring ? v->valuestring : "");
    return compact_json(v);
}

void block(const cJSON* v, size_t indent, int depth, std::string& out) {
    std::string pad(indent, ' ');
    for (const cJSON* c = v->child; c; c = c->next) {
        if (cJSON_IsObject(v)) {
            out += pad + scalar_text(c->string ? c->string : "") + ":";
            if (!is_block(c, depth + 1)) {
                out += " " + inline_text(c) + "\n";
                continue;
            }
            out += "\n";
            block(c, indent + 4, depth + 1, out);
        } else if (is_block(c, depth + 1)) {
            // "- " takes the place of the first member's indentation.
            std::string item;
            block(c, indent + 2, depth + 1, item);
            item.replace(0, indent + 2, pad + "- ");
            out += item;
        } else {
            out += pad + "- " + inline_text(c) + "\n";
        }
    }
}

}  // namespace

std::string to_yaml(const cJSON* doc) {
    std::string out;
    if (is_block(doc, 0)) block(doc, 0, 0, out);
    else out = inline_text(doc) + "\n";
    return out;
}

}  // namespace letts_cli
