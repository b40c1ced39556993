#include "devserver/byte_range.hpp"

#include "core/quote.hpp"
#include "core/text.hpp"

namespace letts::devserver::byte_range {
namespace {

enum class IntError { none, syntax, range };

// Go's strconv.ParseInt(s, 10, 64): optional sign, at least one digit,
// nothing else; a syntax error at the first bad byte, a range error as soon
// as the value leaves int64.
IntError parse_int(std::string_view s, std::int64_t& out) {
    std::size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i == s.size()) return IntError::syntax;
    std::uint64_t v = 0;
    const std::uint64_t limit = negative ? 9223372036854775808ULL : 9223372036854775807ULL;
    for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return IntError::syntax;
        const auto d = static_cast<std::uint64_t>(s[i] - '0');
        if (v > (limit - d) / 10) return IntError::range;
        v = v * 10 + d;
    }
    out = negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
    return IntError::none;
}

bool content_range_number(std::string_view text, const char* name, std::int64_t& out, std::string* error) {
    const IntError e = parse_int(text, out);
    if (e == IntError::none) return true;
    if (error)
        *error = std::string(name) + ": strconv.ParseInt: parsing " + quoted(text, std::string_view::npos) +
                 (e == IntError::syntax ? ": invalid syntax" : ": value out of range");
    return false;
}

}  // namespace

std::optional<ContentRange> parse_content_range(std::string_view value, std::string* error) {
    auto fail = [&](const char* why) -> std::optional<ContentRange> {
        if (error) *error = why;
        return std::nullopt;
    };
    std::string_view v = text::trim(value);
    constexpr std::string_view prefix = "bytes ";
    if (v.substr(0, prefix.size()) != prefix) return fail("missing 'bytes ' prefix");
    v.remove_prefix(prefix.size());
    const auto slash = v.find('/');
    if (slash == std::string_view::npos) return fail("missing '/total'");
    const std::string_view span = v.substr(0, slash), total = v.substr(slash + 1);
    const auto dash = span.find('-');
    if (dash == std::string_view::npos) return fail("malformed range");
    ContentRange r;
    if (!content_range_number(span.substr(0, dash), "start", r.first, error) ||
        !content_range_number(span.substr(dash + 1), "end", r.last, error) ||
        !content_range_number(total, "total", r.total, error))
        return std::nullopt;
    if (r.first < 0 || r.last < r.first || r.total <= 0 || r.last >= r.total) return fail("invalid range values");
    return r;
}

RangeAnswer parse_range(std::string_view value, std::int64_t size) {
    RangeAnswer answer;
    if (value.empty()) return answer;
    constexpr std::string_view prefix = "bytes=";
    const RangeAnswer invalid{RangeAnswer::Kind::invalid, {}};
    if (value.substr(0, prefix.size()) != prefix) return invalid;
    std::string_view rest = value.substr(prefix.size());
    bool no_overlap = false;
    std::vector<Span> spans;
    while (true) {
        const auto comma = rest.find(',');
        const std::string_view item = text::trim(rest.substr(0, comma));
        if (!item.empty()) {
            const auto dash = item.find('-');
            if (dash == std::string_view::npos) return invalid;
            const std::string_view a = text::trim(item.substr(0, dash)), b = text::trim(item.substr(dash + 1));
            Span s;
            std::int64_t n = 0;
            bool skip = false;
            if (a.empty()) {  // suffix: the last b bytes
                if (b.empty() || b[0] == '-' || parse_int(b, n) != IntError::none || n < 0) return invalid;
                if (n > size) n = size;
                s.first = size - n;
                s.length = n;
            } else {
                if (parse_int(a, n) != IntError::none || n < 0) return invalid;
                if (n >= size) {
                    no_overlap = skip = true;  // starts past the end: skipped
                } else {
                    s.first = n;
                    if (b.empty()) {
                        s.length = size - s.first;
                    } else {
                        std::int64_t last = 0;
                        if (parse_int(b, last) != IntError::none || s.first > last) return invalid;
                        if (last >= size) last = size - 1;
                        s.length = last - s.first + 1;
                    }
                }
            }
            if (!skip) spans.push_back(s);
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (spans.empty()) {
        if (no_overlap && size > 0) return RangeAnswer{RangeAnswer::Kind::no_overlap, {}};
        return answer;  // only empty items, or an empty body: the whole body
    }
    // Each span is at most `size` long, so the sum is checked step by step
    // without overflowing.
    std::int64_t sum = 0;
    for (const auto& s : spans) {
        if (s.length > size - sum) return answer;  // more than the body: ignored
        sum += s.length;
    }
    answer.kind = RangeAnswer::Kind::partial;
    answer.spans = std::move(spans);
    return answer;
}

std::string content_range(const Span& span, std::int64_t size) {
    return "bytes " + std::to_string(span.first) + "-" + std::to_string(span.first + span.length - 1) + "/" +
           std::to_string(size);
}

}  // namespace letts::devserver::byte_range
