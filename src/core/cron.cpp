#include "core/cron.hpp"

#include <array>
#include <chrono>
#include <vector>

#include "core/duration.hpp"
#include "core/error.hpp"

namespace letts::cron {
namespace {

namespace chr = std::chrono;

struct FieldSpec {
    const char* name;
    int lo, hi;
    const char* const* names;  // 3-letter names for lo..; nullptr when none
};

constexpr const char* month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* dow_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
constexpr std::array<FieldSpec, 5> specs{{{"minute", 0, 59, nullptr},
                                          {"hour", 0, 23, nullptr},
                                          {"day-of-month", 1, 31, nullptr},
                                          {"month", 1, 12, month_names},
                                          {"day-of-week", 0, 7, dow_names}}};

// Carries what the error message needs: the whole expression and the field.
struct Ctx {
    std::string_view expr;
    const FieldSpec& spec;
    std::string_view field;
    [[noreturn]] void fail(const std::string& why) const {
        throw Error(Status::invalid_argument, "invalid cron expression \"" + std::string(expr) +
                                                  "\": " + spec.name + " field \"" +
                                                  std::string(field) + "\": " + why);
    }
};

int value(const Ctx& c, std::string_view t) {
    if (c.spec.names && t.size() == 3) {
        for (int i = 0; i < (c.spec.hi == 12 ? 12 : 7); ++i) {
            bool eq = true;
            for (int k = 0; k < 3; ++k) eq = eq && (t[k] & ~0x20) == c.spec.names[i][k];
            if (eq) return c.spec.lo + i;
        }
    }
    if (t.empty() || t.size() > 4) c.fail("\"" + std::string(t) + "\" is not a number" +
                                          (c.spec.names ? " or name" : ""));
    int v = 0;
    for (char ch : t) {
        if (ch < '0' || ch > '9') c.fail("\"" + std::string(t) + "\" is not a number" +
                                          (c.spec.names ? " or name" : ""));
        v = v * 10 + (ch - '0');
    }
    if (v < c.spec.lo || v > c.spec.hi)
        c.fail(std::to_string(v) + " is out of range " + std::to_string(c.spec.lo) + "-" +
               std::to_string(c.spec.hi));
    return v;
}

// One comma-separated item: * | N | N-M, optionally /STEP. Sets bits lo..hi.
void item(const Ctx& c, std::string_view t, std::vector<bool>& bits) {
    int step = 1;
    if (auto slash = t.find('/'); slash != std::string_view::npos) {
        std::string_view s = t.substr(slash + 1);
        if (s.empty() || s.size() > 3 || s.find_first_not_of("0123456789") != std::string_view::npos)
            c.fail("bad step \"" + std::string(s) + "\"");
        step = std::stoi(std::string(s));
        if (step == 0) c.fail("step 0");
        t = t.substr(0, slash);
    }
    int lo = c.spec.lo, hi = c.spec.hi;
    if (t != "*") {
        auto dash = t.find('-');
        lo = value(c, t.substr(0, dash));
        if (dash != std::string_view::npos) hi = value(c, t.substr(dash + 1));
        else if (step == 1) hi = lo;
        if (lo > hi) c.fail("range " + std::string(t) + " goes backwards");
    }
    for (int v = lo; v <= hi; v += step) bits[static_cast<std::size_t>(v)] = true;
}

std::vector<bool> field(const Ctx& c) {
    std::vector<bool> bits(static_cast<std::size_t>(c.spec.hi) + 1, false);
    if (c.field.empty()) c.fail("empty");
    std::string_view rest = c.field;
    while (true) {
        auto comma = rest.find(',');
        std::string_view t = rest.substr(0, comma);
        if (t.empty()) c.fail("empty list item");
        item(c, t, bits);
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    return bits;
}

std::string_view macro(std::string_view t) {
    if (t == "@yearly" || t == "@annually") return "0 0 1 1 *";
    if (t == "@monthly") return "0 0 1 * *";
    if (t == "@weekly") return "0 0 * * 0";
    if (t == "@daily" || t == "@midnight") return "0 0 * * *";
    if (t == "@hourly") return "0 * * * *";
    return {};
}

std::vector<std::string_view> split_ws(std::string_view t) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < t.size() && out.size() < 6) {
        while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
        std::size_t start = i;
        while (i < t.size() && t[i] != ' ' && t[i] != '\t') ++i;
        if (i > start) out.push_back(t.substr(start, i - start));
    }
    return out;
}

}  // namespace

Expr Expr::every_ms(std::int64_t ms) {
    if (ms <= 0) throw Error(Status::invalid_argument, "schedule interval must be positive");
    Expr e;
    e.interval_ms_ = ms;
    return e;
}

Expr Expr::parse(std::string_view text) {
    auto fail = [&](const std::string& why) -> Expr {
        throw Error(Status::invalid_argument,
                    "invalid cron expression \"" + std::string(text.substr(0, 256)) + "\": " + why);
    };
    if (text.size() > 256) return fail("longer than 256 bytes");
    if (text.rfind("@every ", 0) == 0) {
        std::string_view d = text.substr(7);
        std::chrono::nanoseconds ns{};
        try {
            ns = duration::parse_go(d);
        } catch (const Error&) {
            return fail("bad duration \"" + std::string(d) + "\"");
        }
        if (ns.count() <= 0 || ns.count() % 1000000 != 0)
            return fail("interval \"" + std::string(d) + "\" is not a positive whole number of ms");
        return every_ms(ns.count() / 1000000);
    }
    std::string_view body = text;
    if (!text.empty() && text.front() == '@') {
        body = macro(text);
        if (body.empty()) return fail("unknown macro \"" + std::string(text) + "\"");
    }
    auto parts = split_ws(body);
    if (parts.size() != 5)
        return fail("want 5 fields (minute hour day-of-month month day-of-week), got " +
                    std::string(parts.size() > 5 ? "more" : std::to_string(parts.size())));
    Expr e;
    std::array<std::vector<bool>, 5> bits;
    for (std::size_t i = 0; i < 5; ++i) bits[i] = field(Ctx{text, specs[i], parts[i]});
    for (std::size_t v = 0; v < 60; ++v) e.minute_[v] = bits[0][v];
    for (std::size_t v = 0; v < 24; ++v) e.hour_[v] = bits[1][v];
    for (std::size_t v = 1; v < 32; ++v) e.dom_[v] = bits[2][v];
    for (std::size_t v = 1; v < 13; ++v) e.month_[v] = bits[3][v];
    for (std::size_t v = 0; v < 7; ++v) e.dow_[v] = bits[4][v] || (v == 0 && bits[4][7]);
    e.dom_star_ = parts[2].front() == '*';
    e.dow_star_ = parts[4].front() == '*';
    return e;
}

bool Expr::day_matches(int dom, int month, int dow) const {
    if (!month_[static_cast<std::size_t>(month)]) return false;
    bool d = dom_[static_cast<std::size_t>(dom)], w = dow_[static_cast<std::size_t>(dow)];
    if (dom_star_ || dow_star_) return d && w;
    return d || w;
}

// Walks local calendar days from a day before `after_s`'s local date, and the
// matching wall-clock minutes of each matching day in order; each minute's
// fire instant (see the header for gaps and overlaps) rises with the wall
// clock, so the first one after `after_s` is the answer.
std::int64_t Expr::next_cron(std::int64_t after_s, const tz::TimeZone& zone) const {
    std::int64_t local = after_s + zone.offset_at(after_s);
    std::int64_t first_day = local / 86400 - (local % 86400 < 0) - 1;
    for (std::int64_t day = first_day; day < first_day + 146100 + 2; ++day) {
        chr::sys_days sd{chr::days{day}};
        chr::year_month_day ymd{sd};
        int dow = static_cast<int>(chr::weekday{sd}.c_encoding());
        if (!day_matches(static_cast<int>(static_cast<unsigned>(ymd.day())),
                         static_cast<int>(static_cast<unsigned>(ymd.month())), dow))
            continue;
        for (std::size_t h = 0; h < 24; ++h) {
            if (!hour_[h]) continue;
            for (std::size_t m = 0; m < 60; ++m) {
                if (!minute_[m]) continue;
                auto r = zone.resolve(day * 86400 + static_cast<std::int64_t>(h * 3600 + m * 60));
                std::int64_t fire = r.count == 0 ? r.gap_end : r.first;
                if (fire > after_s) return fire;
            }
        }
    }
    throw Error(Status::invalid_argument, "cron expression never fires");
}

std::int64_t Expr::next_after(std::int64_t after_ms, const tz::TimeZone& zone) const {
    if (is_interval()) {
        std::int64_t q = after_ms / interval_ms_ - (after_ms % interval_ms_ < 0 ? 1 : 0);
        return (q + 1) * interval_ms_;
    }
    // A fire at second s is after after_ms when s*1000 > after_ms.
    std::int64_t after_s = after_ms / 1000 - (after_ms % 1000 < 0 ? 1 : 0);
    return next_cron(after_s, zone) * 1000;
}

}  // namespace letts::cron
