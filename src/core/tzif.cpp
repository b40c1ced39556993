#include "core/tzif.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/error.hpp"

namespace letts::tz {
namespace {

constexpr std::size_t max_file = 1 << 20;

[[noreturn]] void bad(std::string_view name, std::string_view why) {
    throw Error(Status::invalid_argument,
                "time zone \"" + std::string(name) + "\": " + std::string(why));
}

bool valid_name(std::string_view n) {
    if (n.empty() || n.size() > 255 || n.front() == '/' || n.find("..") != std::string_view::npos)
        return false;
    return std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '+' || c == '/';
    });
}

// A bounds-checked big-endian reader over the file's bytes.
struct Reader {
    std::string_view b;
    std::string_view name;
    std::size_t pos = 0;
    std::string_view take(std::size_t n) {
        if (n > b.size() - pos) bad(name, "truncated TZif file");
        auto s = b.substr(pos, n);
        pos += n;
        return s;
    }
    std::int64_t be(std::size_t n) {
        auto s = take(n);
        std::uint64_t v = 0;
        for (unsigned char c : s) v = v << 8 | c;
        if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
        return static_cast<std::int64_t>(v);
    }
};

struct Counts {
    std::size_t isut, isstd, leap, time, type, chars;
};

Counts header(Reader& r, char& version) {
    if (r.take(4) != "TZif") bad(r.name, "not a TZif file");
    version = r.take(1)[0];
    r.take(15);
    Counts c{};
    for (std::size_t* p : {&c.isut, &c.isstd, &c.leap, &c.time, &c.type, &c.chars})
        *p = static_cast<std::size_t>(static_cast<std::uint32_t>(r.be(4)));
    if (c.type == 0 || c.type > 256 || c.time > 100000 || c.leap > 10000 || c.chars > 100000)
        bad(r.name, "implausible TZif counts");
    return c;
}

std::size_t block_size(const Counts& c, std::size_t tsize) {
    return c.time * tsize + c.time + c.type * 6 + c.chars + c.leap * (tsize + 4) + c.isstd + c.isut;
}

}  // namespace

TimeZone TimeZone::load(std::string_view name) {
    if (name.empty() || name == "UTC" || name == "Etc/UTC") {
        TimeZone z;
        z.name_ = "UTC";
        return z;
    }
    if (!valid_name(name)) bad(name, "not a zone name");
    const char* dir = std::getenv("TZDIR");  // read only; nothing sets it concurrently in libletts
    std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + std::string(name);
    std::ifstream in(path, std::ios::binary);
    if (!in) bad(name, "unknown zone (no file " + path + ")");
    std::string bytes;
    bytes.resize(max_file + 1);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_file) bad(name, "TZif file too large");
    return from_tzif(name, bytes);
}

TimeZone TimeZone::from_tzif(std::string_view name, std::string_view bytes) {
    if (bytes.size() > max_file) bad(name, "TZif file too large");
    Reader r{bytes, name};
    char version = 0;
    Counts c = header(r, version);
    std::size_t tsize = 4;
    if (version >= '2') {  // skip the 32-bit block, use the 64-bit one
        r.take(block_size(c, 4));
        c = header(r, version);
        tsize = 8;
    }
    TimeZone z;
    z.name_ = std::string(name);
    for (std::size_t i = 0; i < c.time; ++i) z.times_.push_back(r.be(tsize));
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < c.time; ++i) idx.push_back(static_cast<unsigned char>(r.take(1)[0]));
    std::vector<std::int32_t> type_off;
    for (std::size_t i = 0; i < c.type; ++i) {
        type_off.push_back(static_cast<std::int32_t>(r.be(4)));
        r.take(2);  // isdst, abbreviation index: not needed
    }
    r.take(c.chars + c.leap * (tsize + 4) + c.isstd + c.isut);
    for (std::size_t i = 0; i < c.time; ++i) {
        if (idx[i] >= c.type || (i > 0 && z.times_[i] <= z.times_[i - 1])) bad(name, "corrupt TZif data");
        z.offsets_.push_back(type_off[idx[i]]);
    }
    z.initial_ = type_off[0];
    if (tsize == 8 && r.pos < bytes.size()) {
        std::string_view rest = bytes.substr(r.pos);
        if (rest.size() < 2 || rest.front() != '\n' || rest.back() != '\n') bad(name, "corrupt TZif footer");
        z.rule_ = PosixRule::parse(rest.substr(1, rest.size() - 2));
    }
    return z;
}

std::int32_t TimeZone::offset_at(std::int64_t t) const {
    auto it = std::upper_bound(times_.begin(), times_.end(), t);
    if (it == times_.begin()) return times_.empty() && rule_.valid() ? rule_.offset_at(t) : initial_;
    if (it == times_.end() && rule_.valid()) return rule_.offset_at(t);
    return offsets_[static_cast<std::size_t>(it - times_.begin() - 1)];
}

TimeZone::Resolved TimeZone::resolve(std::int64_t local) const {
    // Offsets change at most once within a day of any instant in real zones:
    // the offsets a day before and a day after are the only candidates.
    std::int32_t before = offset_at(local - 86400), after = offset_at(local + 86400);
    Resolved res;
    for (std::int32_t off : {before, after}) {
        std::int64_t t = local - off;
        if (offset_at(t) != off || (res.count == 1 && res.first == t)) continue;
        (res.count == 0 ? res.first : res.second) = t;
        ++res.count;
    }
    if (res.count == 2 && res.second < res.first) std::swap(res.first, res.second);
    if (res.count == 0) {
        // In a gap: the transition lies between local-before and local-after.
        std::int64_t lo = local - before, hi = local - after;
        if (hi < lo) std::swap(lo, hi);
        auto it = std::upper_bound(times_.begin(), times_.end(), lo);
        res.gap_end = (it != times_.end() && *it <= hi) ? *it : local - before;
        if (it == times_.end() || *it > hi) {
            // The gap comes from the POSIX rule: find the transition by bisection.
            while (hi - lo > 1) {
                std::int64_t mid = lo + (hi - lo) / 2;
                (offset_at(mid) == before ? lo : hi) = mid;
            }
            res.gap_end = hi;
        }
    }
    return res;
}

}  // namespace letts::tz
