#include "output.hpp"
#include "yaml.hpp"

#include <algorithm>
#include <cinttypes>

#include "error.hpp"

namespace letts_cli {

Format parse_format(const std::string& text) {
    if (text == "text") return Format::Text;
    if (text == "json") return Format::Json;
    if (text == "yaml") return Format::Yaml;
    if (text == "ndjson") return Format::Ndjson;
    throw usage_error("unknown output format \"" + text + "\" (want text, json, yaml or ndjson)");
}

Json parse_json(const std::string& text) {
    return Json(cJSON_ParseWithLength(text.data(), text.size()));
}

namespace {

// Leaves (and ndjson documents) as cJSON prints them, compact.
std::string compact(const cJSON* item) {
    char* text = cJSON_PrintUnformatted(item);
    if (!text) throw CliError(kExitFailure, "out of memory");
    std::string out(text);
    cJSON_free(text);
    return out;
}

// Two-space indentation like the upstream CLI's encoder. Depth is bounded
// by cJSON's own nesting limit on what it parsed.
void indented(const cJSON* item, int depth, std::string& out) {
    bool is_obj = cJSON_IsObject(item);
    if ((!is_obj && !cJSON_IsArray(item)) || !item->child) {
        out += compact(item);
        return;
    }
    out += is_obj ? "{\n" : "[\n";
    std::string pad(static_cast<size_t>(depth + 1) * 2, ' ');
    for (const cJSON* c = item->child; c; c = c->next) {
        out += pad;
        if (is_obj) {
            Json key(cJSON_CreateString(c->string ? c->string : ""));
            out += compact(key.get()) + ": ";
        }
        indented(c, depth + 1, out);
        out += c->next ? ",\n" : "\n";
    }
    out += std::string(static_cast<size_t>(depth) * 2, ' ') + (is_obj ? "}" : "]");
}

}  // namespace

void print_json(const cJSON* doc, Format format) {
    if (format == Format::Yaml) {
        std::fputs(to_yaml(doc).c_str(), stdout);
        return;
    }
    std::string out;
    if (format == Format::Ndjson) out = compact(doc);
    else indented(doc, 0, out);
    std::fputs(out.c_str(), stdout);
    std::fputc('\n', stdout);
}

void print_json_text(const char* raw, Format format) {
    std::string text = raw ? raw : "null";
    Json doc = parse_json(text);
    if (!doc) {
        std::fputs(text.c_str(), stdout);
        std::fputc('\n', stdout);
        return;
    }
    print_json(doc.get(), format);
}

void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<size_t> width(header.size());
    for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
    for (const auto& row : rows)
        for (size_t c = 0; c < row.size() && c < width.size(); ++c)
            width[c] = std::max(width[c], row[c].size());
    auto print_row = [&](const std::vector<std::string>& row) {
        std::string line;
        for (size_t c = 0; c < row.size(); ++c) {
            line += row[c];
            if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
        }
        std::printf("%s\n", line.c_str());
    };
    print_row(header);
    for (const auto& row : rows) print_row(row);
}

std::string json_str(const cJSON* obj, const char* name) {
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (cJSON_IsString(item)) return item->valuestring;
    if (cJSON_IsBool(item)) return cJSON_IsTrue(item) ? "true" : "false";
    if (cJSON_IsNumber(item)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.15g", item->valuedouble);
        return buf;
    }
    return "";
}

}  // namespace letts_cli
