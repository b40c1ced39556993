#include "core/posix_tz.hpp"

#include <chrono>
#include <string>

#include "core/error.hpp"

namespace letts::tz {
namespace {

namespace chr = std::chrono;

[[noreturn]] void bad(std::string_view text) {
    throw Error(Status::invalid_argument, "invalid POSIX TZ rule \"" + std::string(text) + "\"");
}

// Reads a run of digits (at most 7, so no overflow) starting at `i`.
int number(std::string_view s, std::size_t& i, std::string_view whole) {
    std::size_t start = i;
    int v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 7) v = v * 10 + (s[i++] - '0');
    if (i == start) bad(whole);
    return v;
}

void skip_name(std::string_view s, std::size_t& i, std::string_view whole) {
    if (i < s.size() && s[i] == '<') {
        std::size_t close = s.find('>', i);
        if (close == std::string_view::npos) bad(whole);
        i = close + 1;
        return;
    }
    std::size_t start = i;
    while (i < s.size() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) ++i;
    if (i - start < 3) bad(whole);
}

// [+-]hh[:mm[:ss]] in seconds, sign as written.
std::int32_t hms(std::string_view s, std::size_t& i, std::string_view whole) {
    int sign = 1;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
    std::int32_t v = number(s, i, whole) * 3600;
    for (int mul : {60, 1}) {
        if (i >= s.size() || s[i] != ':') break;
        ++i;
        v += number(s, i, whole) * mul;
    }
    return sign * v;
}

PosixRule::Date date(std::string_view s, std::size_t& i, std::string_view whole) {
    PosixRule::Date d;
    if (i < s.size() && (s[i] == 'M' || s[i] == 'J')) d.kind = s[i++];
    else d.kind = 'n';
    if (d.kind == 'M') {
        d.month = number(s, i, whole);
        if (i >= s.size() || s[i++] != '.') bad(whole);
        d.week = number(s, i, whole);
        if (i >= s.size() || s[i++] != '.') bad(whole);
        d.day = number(s, i, whole);
        if (d.month < 1 || d.month > 12 || d.week < 1 || d.week > 5 || d.day > 6) bad(whole);
    } else {
        d.day = number(s, i, whole);
        if (d.day > 365) bad(whole);
    }
    if (i < s.size() && s[i] == '/') d.time = hms(s, ++i, whole);
    return d;
}

// Unix seconds of the rule's date in `year`, local time given by `off`.
std::int64_t when(const PosixRule::Date& d, int year, std::int32_t off) {
    chr::sys_days day;
    chr::year y{year};
    if (d.kind == 'M') {
        chr::weekday wd{static_cast<unsigned>(d.day)};
        if (d.week == 5) day = chr::sys_days{y / chr::month(d.month) / wd[chr::last]};
        else day = chr::sys_days{y / chr::month(d.month) / wd[static_cast<unsigned>(d.week)]};
    } else {
        int n = d.day;
        if (d.kind == 'J') n = n - 1 + ((y.is_leap() && n >= 60) ? 1 : 0);
        day = chr::sys_days{y / chr::January / 1} + chr::days{n};
    }
    return day.time_since_epoch().count() * 86400LL + d.time - off;
}

}  // namespace

PosixRule PosixRule::parse(std::string_view text) {
    PosixRule r;
    if (text.empty()) return r;
    std::size_t i = 0;
    skip_name(text, i, text);
    r.std_off_ = -hms(text, i, text);  // POSIX offsets are west-positive
    r.dst_off_ = r.std_off_;
    if (i < text.size()) {
        r.has_dst_ = true;
        skip_name(text, i, text);
        r.dst_off_ = r.std_off_ + 3600;
        if (i < text.size() && text[i] != ',') r.dst_off_ = -hms(text, i, text);
        if (i >= text.size() || text[i++] != ',') bad(text);
        r.start_ = date(text, i, text);
        if (i >= text.size() || text[i++] != ',') bad(text);
        r.end_ = date(text, i, text);
    }
    if (i != text.size()) bad(text);
    r.valid_ = true;
    return r;
}

std::int32_t PosixRule::offset_at(std::int64_t t) const {
    if (!has_dst_) return std_off_;
    auto days = chr::sys_days{chr::days{(t + std_off_) / 86400 - ((t + std_off_) % 86400 < 0)}};
    int year = static_cast<int>(chr::year_month_day{days}.year());
    std::int64_t start = when(start_, year, std_off_);
    std::int64_t end = when(end_, year, dst_off_);
    bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? dst_off_ : std_off_;
}

}  // namespace letts::tz
