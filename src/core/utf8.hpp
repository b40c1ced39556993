// UTF-8 validation, encoding and repair: the one implementation every layer
// uses (JSON parsing and writing, quoting values into messages, the
// devserver's replacement of invalid bytes the way Go's decoder does it).
//
// "Valid" is RFC 3629 as Go's utf8.DecodeRune reads it: no overlong forms,
// no UTF-16 surrogates, nothing above U+10FFFF, no truncated sequence.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace letts::utf8 {

// Length of the valid UTF-8 sequence starting at text[pos] (1..4), or 0 when
// the bytes there do not start one. `pos` must be below text.size().
std::size_t sequence_length(std::string_view text, std::size_t pos) noexcept;

// Offset of the first invalid byte, or npos when `text` is valid UTF-8.
std::size_t first_invalid(std::string_view text) noexcept;

inline bool valid(std::string_view text) noexcept {
    return first_invalid(text) == std::string_view::npos;
}

// `text` with every byte that does not start a valid sequence replaced by
// U+FFFD, one per byte, as Go's decoder and encoder do.
std::string replace_invalid(std::string_view text);

// Appends the UTF-8 encoding of `code_point` (at most U+10FFFF).
void append(std::string& out, char32_t code_point);

// `text` cut to at most `max` bytes without splitting a multi-byte sequence
// (the cut backs off over continuation bytes).
std::string clip(std::string_view text, std::size_t max);

}  // namespace letts::utf8
