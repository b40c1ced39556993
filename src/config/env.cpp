#include "config/env.hpp"

#include <cstdlib>
#include <optional>

#include "config/text.hpp"
#include "core/error.hpp"

namespace letts::config {

namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// The length of the well-formed placeholder "${NAME}" at the start of
// `text`, or 0. Anything else ("$X", "${}", "${1X}", "${A:-d}") is literal.
std::size_t placeholder_length(std::string_view text) {
    if (text.size() < 4 || text[0] != '$' || text[1] != '{' || !is_name_start(text[2])) return 0;
    std::size_t i = 3;
    while (i < text.size() && is_name_char(text[i]))
        ++i;
    return i < text.size() && text[i] == '}' ? i + 1 : 0;
}

// One left-to-right pass; substituted text is never scanned again.
template <class OnName>
std::string expand(std::string_view text, OnName on_name) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (const std::size_t length = placeholder_length(text.substr(i))) {
            out += on_name(text.substr(i + 2, length - 3));
            i += length;
        } else {
            out += text[i++];
        }
    }
    return out;
}

std::string substitute(std::string_view text, const EnvLookup& env, std::string_view context) {
    if (text.find("${") == std::string_view::npos) return std::string(text);
    return expand(text, [&](std::string_view name) {
        const std::string key(name);
        std::optional<std::string> value = env ? env(key) : std::nullopt;
        if (!value) {
            std::string message = "environment variable " + quote(name) + " is not set";
            if (!context.empty()) message = std::string(context) + ": " + message;
            // NAME is [A-Za-z_][A-Za-z0-9_]*: nothing in it needs JSON escaping.
            throw Error(Status::missing_env, std::move(message))
                .details("{\"name\":\"" + key + "\"}");
        }
        return std::move(*value);
    });
}

}  // namespace

EnvLookup process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        if (const char* value = std::getenv(name.c_str())) return std::string(value);
        return std::nullopt;
    };
}

std::string substitute_env(std::string_view text, const EnvLookup& env) {
    return substitute(text, env, "");
}

std::string substitute_env_in(std::string_view text, const EnvLookup& env,
                              std::string_view context) {
    return substitute(text, env, context);
}

bool is_plain_token(std::string_view token) {
    // Plain = some literal byte would remain once every placeholder is removed.
    return !expand(token, [](std::string_view) { return std::string(); }).empty();
}

}  // namespace letts::config
