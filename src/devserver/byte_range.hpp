// Parsers of the two byte-range headers of the staging endpoints, written by
// hand (bounded: one pass, no recursion, no regex) because both read request
// bytes directly. Plain functions so that tests and fuzzers call them alone.
//
//   Content-Range (PUT, http-api.md §5.16): "bytes <first>-<last>/<total>",
//     read the way the daemon reads it (Go strconv.ParseInt per number).
//   Range (GET, §5.18): what Go's http.ServeContent, which serves the
//     daemon's downloads, does with it — including multiple ranges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace letts::devserver::byte_range {

struct ContentRange {
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::int64_t total = 0;
};

// Parses a Content-Range value. On failure returns nullopt and, when `error`
// is given, stores the reason the daemon gives after "invalid Content-Range: "
// (e.g. `start: strconv.ParseInt: parsing "x": invalid syntax`, or
// "invalid range values" when first > last, total <= 0 or last >= total).
// The reason is valid UTF-8 whatever the input (echoed bytes are escaped).
std::optional<ContentRange> parse_content_range(std::string_view value, std::string* error = nullptr);

// One range of a download: `length` bytes from `first`.
struct Span {
    std::int64_t first = 0;
    std::int64_t length = 0;
};

struct RangeAnswer {
    enum class Kind {
        whole,       // 200 with the whole body (no header, or ranges ignored)
        partial,     // 206: one span → Content-Range; several → multipart/byteranges
        invalid,     // 416 "invalid range" (plain text, no Content-Range)
        no_overlap,  // 416 "invalid range: failed to overlap", Content-Range: bytes */size
    };
    Kind kind = Kind::whole;
    std::vector<Span> spans;  // partial only, in request order
};

// What a GET with Range header `value` (absent → empty) gets for a body of
// `size` bytes. Like Go's ServeContent: spans in request order, overlaps
// kept; ranges starting past the end skipped; if their lengths add up to
// more than `size` the header is ignored (whole body). The number of spans
// is bounded by the header's length.
RangeAnswer parse_range(std::string_view value, std::int64_t size);

// "bytes <first>-<last>/<size>" for a span.
std::string content_range(const Span& span, std::int64_t size);

}  // namespace letts::devserver::byte_range
