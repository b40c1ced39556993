#include "selector.hpp"

#include <chrono>
#include <cstdlib>

#include "error.hpp"

namespace letts_cli {

namespace {

// "-90m" style (s, m, h, d) relative to now, or absolute Unix milliseconds.
int64_t parse_time(const std::string& key, const std::string& v) {
    auto bad = [&] { return usage_error("--selector: " + key + ": want -<N>s|m|h|d or Unix milliseconds, got \"" + v + "\""); };
    if (v.empty()) throw bad();
    char* end = nullptr;
    if (v[0] != '-') {
        long long ms = std::strtoll(v.c_str(), &end, 10);
        if (*end != '\0' || ms <= 0) throw bad();
        return ms;
    }
    long long n = std::strtoll(v.c_str() + 1, &end, 10);
    if (end == v.c_str() + 1 || n < 0 || std::string(end).size() != 1) throw bad();
    long long unit = *end == 's' ? 1000 : *end == 'm' ? 60000 : *end == 'h' ? 3600000 : *end == 'd' ? 86400000 : 0;
    if (unit == 0 || n > (1LL << 40)) throw bad();
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch()).count();
    return static_cast<int64_t>(now - n * unit);
}

void apply_pair(letts_list_filter* f, const std::string& key, const std::string& val) {
    letts_error* err = nullptr;
    const std::string what = "--selector: " + key;
    if (key == "status") check(letts_list_filter_set_status(f, val.c_str(), &err), err, what);
    else if (key == "outcome") check(letts_list_filter_set_outcome(f, val.c_str(), &err), err, what);
    else if (key == "lane") check(letts_list_filter_set_lane(f, val.c_str(), &err), err, what);
    else if (key == "mission") check(letts_list_filter_set_mission(f, val.c_str(), &err), err, what);
    else if (key == "mission_prefix") check(letts_list_filter_set_mission_prefix(f, val.c_str(), &err), err, what);
    else if (key == "since") check(letts_list_filter_set_since_ms(f, parse_time(key, val), &err), err, what);
    else if (key == "until") check(letts_list_filter_set_until_ms(f, parse_time(key, val), &err), err, what);
    else throw usage_error("--selector: unknown selector key \"" + key + "\"");
}

}  // namespace

ListFilterPtr parse_selector(const std::string& text) {
    letts_list_filter* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_list_filter_new(&raw, &err), err);
    ListFilterPtr f(raw);
    check(letts_list_filter_set_kind(f.get(), "mission", &err), err);
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        std::string kv = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        size_t eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) throw usage_error("--selector: bad selector pair \"" + kv + "\"");
        apply_pair(f.get(), kv.substr(0, eq), kv.substr(eq + 1));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return f;
}

}  // namespace letts_cli
