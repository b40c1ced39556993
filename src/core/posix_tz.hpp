// The POSIX TZ rule string a TZif v2+ file ends with ("CET-1CEST,M3.5.0,M10.5.0/3"):
// it gives the UTC offset for instants after the file's last transition, so a
// zone keeps working past 2037 with "slim" tzdata that stores few transitions.
#pragma once

#include <cstdint>
#include <string_view>

namespace letts::tz {

class PosixRule {
public:
    // Parses `text`; throws letts::Error(Status::invalid_argument) naming it.
    // The empty string (allowed by TZif) yields a rule that is never valid.
    static PosixRule parse(std::string_view text);

    bool valid() const { return valid_; }
    // UTC offset in seconds east of Greenwich at Unix time `t` (seconds).
    std::int32_t offset_at(std::int64_t t) const;

    struct Date {  // Mm.w.d, Jn (1-365, no Feb 29) or n (0-365)
        char kind = 'M';
        int month = 0, week = 0, day = 0;
        std::int32_t time = 7200;  // seconds after local midnight, may be <0 or >24h
    };

private:
    bool valid_ = false;
    bool has_dst_ = false;
    std::int32_t std_off_ = 0;  // seconds east
    std::int32_t dst_off_ = 0;
    Date start_, end_;
};

}  // namespace letts::tz
