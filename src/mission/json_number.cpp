#include "mission/json_number.hpp"

#include <locale.h>
#include <stdlib.h>

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "core/error.hpp"

namespace letts::mission {

namespace {

[[noreturn]] void refuse(std::string_view text, std::string_view path, std::string_view why) {
    throw Error(Status::invalid_argument, "input \"" + std::string(path) + "\" is " +
                                              std::string(text) + ", " + std::string(why));
}

}  // namespace

double number_as_double(std::string_view text, std::string_view path) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc()) return value;
    if (ec == std::errc::result_out_of_range) {
        // from_chars reports underflow and overflow alike; strtod_l in the C
        // locale tells them apart and rounds underflow properly.
        static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", nullptr);
        const std::string copy(text);
        value = c_locale != locale_t{} ? strtod_l(copy.c_str(), nullptr, c_locale)
                                       : strtod(copy.c_str(), nullptr);
        if (!std::isinf(value)) return value;
        refuse(text, path, "too large for a double");
    }
    refuse(text, path, "not a number");  // JsonDoc only keeps valid numbers
}

std::int64_t number_as_int(std::string_view text, std::string_view path) {
    if (text.find_first_of(".eE") == std::string_view::npos) {
        std::int64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc()) return value;
        refuse(text, path, "outside the 64-bit integer range");
    }
    const double value = number_as_double(text, path);
    if (std::trunc(value) != value) refuse(text, path, "not an integer");
    // 2^63 is exactly representable; every double below it converts safely.
    if (value < -9223372036854775808.0 || value >= 9223372036854775808.0)
        refuse(text, path, "outside the 64-bit integer range");
    return static_cast<std::int64_t>(value);
}

}  // namespace letts::mission
