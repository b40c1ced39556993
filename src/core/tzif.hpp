// A named IANA time zone read from the system's compiled tzdata (TZif files,
// RFC 8536) under $TZDIR or /usr/share/zoneinfo.
//
// Why our own reader: localtime_r()/mktime() take the zone from the
// process-wide TZ variable, so switching zones per call is not thread-safe,
// and libstdc++ 12 has no std::chrono::locate_zone. A TimeZone is immutable
// once loaded and may be shared by any number of threads.
//
// Leap-second ("right/") zones are read, but their leap records are ignored:
// times are POSIX times, as everywhere in libletts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/posix_tz.hpp"

namespace letts::tz {

class TimeZone {
public:
    // "UTC" (also "" and "Etc/UTC") never needs a file. Other names must be
    // relative paths of letters, digits, '_', '-', '+', '/' without "..";
    // throws letts::Error(Status::invalid_argument) naming the zone when the
    // name is malformed, the file is missing or it is not a valid TZif file.
    static TimeZone load(std::string_view name);
    // Parses TZif bytes (at most 1 MiB, checked) — the loader's core, public for tests.
    static TimeZone from_tzif(std::string_view name, std::string_view bytes);

    const std::string& name() const { return name_; }

    // UTC offset in seconds east of Greenwich at Unix time `t` (seconds).
    std::int32_t offset_at(std::int64_t t) const;

    // The instants whose wall-clock time is `local` (seconds since the epoch
    // of the local calendar): none in a gap (spring forward), two in an
    // overlap (fall back), else one. In a gap `gap_end` is set to the first
    // instant after it (the transition).
    struct Resolved {
        int count = 0;
        std::int64_t first = 0, second = 0, gap_end = 0;
    };
    Resolved resolve(std::int64_t local) const;

private:
    std::string name_;
    std::vector<std::int64_t> times_;   // transition instants, ascending
    std::vector<std::int32_t> offsets_; // offset in force from times_[i]
    std::int32_t initial_ = 0;          // offset before the first transition
    PosixRule rule_;                    // after the last transition, if valid
};

}  // namespace letts::tz
