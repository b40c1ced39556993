// Cron expressions and fixed intervals: when a schedule entry fires.
//
// Grammar (Vixie cron's, which users know from crontab(5)):
//   minute hour day-of-month month day-of-week     — exactly 5 fields
//   each field a comma list of  *  N  N-M  with an optional /STEP
//   (N/STEP means N-max/STEP); months JAN-DEC and days SUN-SAT by name,
//   case-insensitive; day-of-week 0-7 with 0 and 7 both Sunday.
//   When both day fields are restricted (neither starts with '*'), a day
//   matches if EITHER matches, as in Vixie cron; otherwise both must.
// Macros: @yearly @annually @monthly @weekly @daily @midnight @hourly.
// Intervals: "@every <duration>" (Go duration syntax, e.g. "1s", "1h30m"),
//   at least 1 ms and whole milliseconds.
//
// Fire times of an interval are the multiples of the interval since the
// Unix epoch, so every scheduler anywhere computes the same ticks without
// talking to the others; the time zone does not matter for them.
//
// Cron times are wall-clock times in the entry's zone. At DST changes:
//  * a wall-clock time that does not exist (spring forward gap) fires at the
//    first instant after the gap, the transition itself (02:30 in
//    Europe/Berlin on the last Sunday of March fires at 03:00 CEST); several
//    skipped times in one gap fire there once;
//  * a wall-clock time that happens twice (fall back overlap) fires once, at
//    its first occurrence (the one with the summer offset); the repeated
//    hour does not fire again.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/tzif.hpp"

namespace letts::cron {

class Expr {
public:
    // Throws letts::Error(Status::invalid_argument) with a message naming the
    // field and the bad text, e.g.
    //   invalid cron expression "61 * * * *": minute field "61": 61 is out of range 0-59
    static Expr parse(std::string_view text);
    // A fixed interval in milliseconds (> 0).
    static Expr every_ms(std::int64_t ms);

    bool is_interval() const { return interval_ms_ > 0; }
    std::int64_t interval_ms() const { return interval_ms_; }

    // The first fire time strictly after `after_ms` (Unix ms) in `zone`.
    // Throws letts::Error(Status::invalid_argument) when the expression never
    // fires within 400 years (e.g. "0 0 30 2 *").
    std::int64_t next_after(std::int64_t after_ms, const tz::TimeZone& zone) const;

private:
    bool day_matches(int dom, int month, int dow) const;
    std::int64_t next_cron(std::int64_t after_s, const tz::TimeZone& zone) const;

    std::int64_t interval_ms_ = 0;
    std::bitset<60> minute_;
    std::bitset<24> hour_;
    std::bitset<32> dom_;    // 1-31
    std::bitset<13> month_;  // 1-12
    std::bitset<7> dow_;     // 0-6, Sunday 0
    bool dom_star_ = false, dow_star_ = false;
};

}  // namespace letts::cron
