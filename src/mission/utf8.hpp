// UTF-8 validation and encoding, shared by the JSON parser and the event
// writer: every string the runtime puts on fd 3 must be valid UTF-8, and a
// clear local refusal beats dugdale silently replacing bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace letts::mission::utf8 {

// Length of the valid UTF-8 sequence starting at text[pos] (1..4), or 0 when
// the bytes there are not valid UTF-8 (overlong forms, surrogates and code
// points above U+10FFFF are invalid).
std::size_t sequence_length(std::string_view text, std::size_t pos) noexcept;

// Offset of the first invalid byte, or npos when `text` is valid UTF-8.
std::size_t first_invalid(std::string_view text) noexcept;

inline bool valid(std::string_view text) noexcept {
    return first_invalid(text) == std::string_view::npos;
}

// Appends the UTF-8 encoding of `code_point` (at most U+10FFFF).
void append(std::string& out, char32_t code_point);

}  // namespace letts::mission::utf8
