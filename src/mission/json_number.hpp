// Reading JSON number text (as kept verbatim by JsonDoc) into C types,
// exactly and independent of the process locale.
#pragma once

#include <cstdint>
#include <string_view>

namespace letts::mission {

// The integer value of `text`. Integers are read digit-exactly; a number
// with a fraction or exponent is accepted when its value is integral.
// Throws letts::Error(Status::invalid_argument) naming input `path` when it
// is not integral or outside int64_t.
std::int64_t number_as_int(std::string_view text, std::string_view path);

// The nearest double. Underflow gives the nearest representable value (0 or
// a subnormal); overflow throws letts::Error(Status::invalid_argument).
double number_as_double(std::string_view text, std::string_view path);

}  // namespace letts::mission
