#include "core/quote.hpp"

#include <cstdint>
#include <cstdio>

#include "core/utf8.hpp"

namespace letts {
std::string quoted(std::string_view text, std::size_t max_bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve((text.size() < max_bytes ? text.size() : max_bytes) + 8);
    out += '"';
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<std::uint8_t>(text[i]);
        std::size_t len = 1;
        if (c >= 0x80) len = utf8::sequence_length(text, i);
        // Never split a character when clipping: stop before it instead.
        if (i + (len == 0 ? 1 : len) > max_bytes) break;
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7F || len == 0) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0x0F];
            len = 1;
        } else {
            out.append(text.substr(i, len));
        }
        i += len;
    }
    out += '"';
    if (i < text.size()) out += "...";
    return out;
}

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        default: break;
        }
        if (byte < 0x20 || byte == 0x7f) {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", byte);
            out += hex;
        } else {
            out += c;  // bytes >= 0x80 are kept: keys are usually UTF-8
        }
    }
    return out;
}

}  // namespace letts
