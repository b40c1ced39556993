#include "core/duration.hpp"

#include <array>
#include <limits>

#include "core/error.hpp"
#include "core/quote.hpp"

namespace letts::duration {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr std::uint64_t two_pow_63 = std::uint64_t{1} << 63;
constexpr std::int64_t ns_per_day = 86'400'000'000'000;

[[noreturn]] void invalid(std::string_view text, std::string_view reason) {
    throw Error(Status::invalid_argument,
                "invalid duration " + quoted(text) + ": " + std::string(reason));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct Unit {
    std::string_view name;
    std::uint64_t nanoseconds;
};

// Go's unitMap. Both micro signs are accepted: U+00B5 MICRO SIGN (what Go
// prints) and U+03BC GREEK SMALL LETTER MU (what people often type).
constexpr std::array<Unit, 8> units{{
    {"ns", 1},
    {"us", 1'000},
    {"\xC2\xB5s", 1'000},
    {"\xCE\xBCs", 1'000},
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
}};

// Integer part of one component: [0-9]*, a value beyond 2^63 is out of range.
// Consumes the digits from the front of `s`; `any_digit` says whether there were some.
std::uint64_t read_integer(std::string_view orig, std::string_view& s, bool& any_digit) {
    std::uint64_t v = 0;
    std::size_t i = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
        if (v > two_pow_63 / 10) invalid(orig, "out of range");
        v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
        if (v > two_pow_63) invalid(orig, "out of range");
    }
    any_digit = i > 0;
    s.remove_prefix(i);
    return v;
}

// The fraction digits of one component as Go's leadingFraction keeps them:
// `digits` over `scale`, with digits past uint64 precision ignored.
struct Fraction {
    std::uint64_t digits = 0;
    double scale = 1;
    bool any_digit = false;
};

// Fraction part of one component: (\.[0-9]*)?, consumed from the front of `s`.
Fraction read_fraction(std::string_view& s) {
    Fraction fraction;
    if (s.empty() || s[0] != '.') return fraction;
    s.remove_prefix(1);
    bool overflow = false;
    std::size_t j = 0;
    for (; j < s.size() && is_digit(s[j]); ++j) {
        if (overflow) continue;
        if (fraction.digits > (two_pow_63 - 1) / 10) {
            overflow = true;
            continue;
        }
        const std::uint64_t y = fraction.digits * 10 + static_cast<std::uint64_t>(s[j] - '0');
        if (y > two_pow_63) {
            overflow = true;
            continue;
        }
        fraction.digits = y;
        fraction.scale *= 10;
    }
    fraction.any_digit = j > 0;
    s.remove_prefix(j);
    return fraction;
}

// Unit of one component: everything up to the next '.' or digit, looked up
// in `units`; returns its length in nanoseconds.
std::uint64_t read_unit(std::string_view orig, std::string_view& s) {
    std::size_t u = 0;
    while (u < s.size() && s[u] != '.' && !is_digit(s[u])) ++u;
    if (u == 0) {
        invalid(orig, "missing unit at byte " + std::to_string(orig.size() - s.size()));
    }
    const std::string_view name = s.substr(0, u);
    s.remove_prefix(u);
    for (const Unit& candidate : units) {
        if (candidate.name == name) return candidate.nanoseconds;
    }
    invalid(orig, "unknown unit " + quoted(name) + " (valid units: ns, us, \xC2\xB5s, ms, s, m, h)");
}

// One "<number><unit>" component read from the front of `s`, in nanoseconds
// (at most 2^63).
std::uint64_t read_component(std::string_view orig, std::string_view& s) {
    const std::size_t at = orig.size() - s.size();
    if (!(s[0] == '.' || is_digit(s[0]))) {
        invalid(orig, "expected a number at byte " + std::to_string(at));
    }
    bool pre = false;
    std::uint64_t v = read_integer(orig, s, pre);
    const Fraction f = read_fraction(s);
    if (!pre && !f.any_digit) invalid(orig, "\".\" without digits at byte " + std::to_string(at));
    const std::uint64_t unit = read_unit(orig, s);

    if (v > two_pow_63 / unit) invalid(orig, "out of range");
    v *= unit;
    if (f.digits > 0) {
        // Go's exact expression: float64 keeps fractions of hours
        // nanosecond-accurate, and the same operations here round alike.
        v += static_cast<std::uint64_t>(static_cast<double>(f.digits) *
                                        (static_cast<double>(unit) / f.scale));
        if (v > two_pow_63) invalid(orig, "out of range");
    }
    return v;
}

// The magnitude of a Go duration, following time.ParseDuration step by step
// (including its uint64 overflow checks and float64 fraction arithmetic) so
// that accepted inputs, rejected inputs and results all match the daemon.
nanoseconds parse_go_impl(std::string_view orig) {
    std::string_view s = orig;
    bool neg = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s == "0") return nanoseconds(0);  // the only number allowed without a unit
    if (s.empty()) invalid(orig, orig.empty() ? "empty" : "no number after the sign");

    std::uint64_t d = 0;
    while (!s.empty()) {
        d += read_component(orig, s);
        if (d > two_pow_63) invalid(orig, "out of range");
    }
    if (neg) {
        // -2^63 is representable; negating its int64 form would overflow.
        if (d == two_pow_63) return nanoseconds(std::numeric_limits<std::int64_t>::min());
        return nanoseconds(-static_cast<std::int64_t>(d));
    }
    if (d > two_pow_63 - 1) invalid(orig, "out of range");
    return nanoseconds(static_cast<std::int64_t>(d));
}

// strconv.ParseInt(s, 10, 64): optional sign, at least one ASCII digit, int64 range.
bool parse_int64(std::string_view s, std::int64_t& out) {
    bool neg = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return false;
    std::uint64_t magnitude = 0;
    const std::uint64_t limit = neg ? two_pow_63 : two_pow_63 - 1;
    for (char c : s) {
        if (!is_digit(c)) return false;
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (magnitude > (limit - digit) / 10) return false;
        magnitude = magnitude * 10 + digit;
    }
    if (neg) {
        out = magnitude == two_pow_63 ? std::numeric_limits<std::int64_t>::min()
                                      : -static_cast<std::int64_t>(magnitude);
    } else {
        out = static_cast<std::int64_t>(magnitude);
    }
    return true;
}

// Go's fmtFrac: the `prec` low decimal digits of v as a fraction without
// trailing zeros (nothing at all when they are all zero), prepended to `out`
// by writing backwards; returns v with those digits removed.
std::uint64_t format_fraction(std::string& out, std::uint64_t v, int prec) {
    bool print = false;
    for (int i = 0; i < prec; ++i) {
        const auto digit = static_cast<char>('0' + v % 10);
        print = print || digit != '0';
        if (print) out.insert(out.begin(), digit);
        v /= 10;
    }
    if (print) out.insert(out.begin(), '.');
    return v;
}

void prepend_int(std::string& out, std::uint64_t v) { out.insert(0, std::to_string(v)); }

}  // namespace

nanoseconds parse_go(std::string_view text) { return parse_go_impl(text); }

nanoseconds parse_timeout(std::string_view text) {
    const nanoseconds d = parse_go_impl(text);
    if (d.count() < 0) invalid(text, "negative durations are not allowed");
    return d;
}

nanoseconds parse_config(std::string_view text) {
    if (!text.empty() && text.back() == 'd') {
        std::int64_t days = 0;
        if (!parse_int64(text.substr(0, text.size() - 1), days)) {
            invalid(text, "a day count must be an integer followed by \"d\"");
        }
        if (days < 0) invalid(text, "negative durations are not allowed");
        if (days > std::numeric_limits<std::int64_t>::max() / ns_per_day) {
            invalid(text, "out of range");
        }
        return nanoseconds(days * ns_per_day);
    }
    return parse_timeout(text);  // the Go form, with the same rule against negatives
}

milliseconds parse_wait_timeout(std::string_view text) {
    const auto fail = [&]() -> milliseconds {
        throw Error(Status::invalid_argument, "invalid duration: " + std::string(text));
    };
    std::size_t i = 0;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == 0) return fail();
    const std::string_view unit = text.substr(i);
    std::int64_t factor = 0;
    if (unit == "ms") {
        factor = 1;
    } else if (unit == "s") {
        factor = 1'000;
    } else if (unit == "m") {
        factor = 60'000;
    } else if (unit == "h") {
        factor = 3'600'000;
    } else {
        return fail();
    }
    std::int64_t value = 0;
    if (!parse_int64(text.substr(0, i), value)) return fail();  // too many digits
    if (value > std::numeric_limits<std::int64_t>::max() / factor) return fail();
    return milliseconds(value * factor);
}

std::int64_t parse_go_ms(std::string_view text) {
    nanoseconds d{};
    try {
        d = parse_go_impl(text);
    } catch (const Error&) {
        throw Error(Status::invalid_argument, "invalid duration: " + std::string(text));
    }
    const std::int64_t ns = d.count();
    std::int64_t ms = ns / 1'000'000;  // truncates toward zero...
    if (ns % 1'000'000 != 0) ms += ns < 0 ? -1 : 1;  // ...so step away from it
    return ms;
}

std::string format_go(nanoseconds duration) {
    const std::int64_t d = duration.count();
    const bool neg = d < 0;
    // Unsigned negation is defined for every value, including -2^63.
    std::uint64_t u = static_cast<std::uint64_t>(d);
    if (neg) u = 0 - u;

    std::string out;
    if (u < 1'000'000'000) {
        // Below a second Go switches to the largest unit that keeps an
        // integer part: 1.2ms, 800µs, 15ns.
        if (u == 0) return "0s";
        int prec = 0;
        if (u < 1'000) {
            out = "ns";
        } else if (u < 1'000'000) {
            out = "\xC2\xB5s";  // U+00B5 MICRO SIGN, as Go prints it
            prec = 3;
        } else {
            out = "ms";
            prec = 6;
        }
        u = format_fraction(out, u, prec);
        prepend_int(out, u);
    } else {
        out = "s";
        u = format_fraction(out, u, 9);
        prepend_int(out, u % 60);  // seconds
        u /= 60;
        if (u > 0) {
            out.insert(out.begin(), 'm');
            prepend_int(out, u % 60);  // minutes
            u /= 60;
            if (u > 0) {
                out.insert(out.begin(), 'h');  // Go stops at hours: days vary in length
                prepend_int(out, u);
            }
        }
    }
    if (neg) out.insert(out.begin(), '-');
    return out;
}

std::string format_timeout_ms(std::int64_t ms) {
    // The daemon computes time.Duration(ms) * time.Millisecond, which wraps
    // for absurd values; do the same in unsigned arithmetic (defined) so the
    // text matches even then.
    const auto ns = static_cast<std::int64_t>(static_cast<std::uint64_t>(ms) * 1'000'000u);
    std::string s = format_go(nanoseconds(ns));
    const auto ends_with = [&](std::string_view tail) {
        return s.size() >= tail.size() && std::string_view(s).substr(s.size() - tail.size()) == tail;
    };
    if (ends_with("m0s")) s.resize(s.size() - 2);  // "1m0s" -> "1m", "1h0m0s" -> "1h0m"
    if (ends_with("h0m")) s.resize(s.size() - 2);  // "1h0m" -> "1h"
    return s;
}

}  // namespace letts::duration
