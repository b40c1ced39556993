// The staging endpoints' byte-range headers (src/devserver/byte_range):
// Content-Range of an upload and Range of a download, on the stack of a
// connection thread. Whatever the header, the parsers answer: a parsed
// Content-Range is ordered and inside its total, a refusal has a reason in
// valid UTF-8 (it is echoed in the error envelope); every span of a 206 lies
// inside the body, the spans together never exceed it, their number is
// bounded by the header's length, and each span's Content-Range text parses
// back to the same span.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "devserver/byte_range.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

namespace br = letts::devserver::byte_range;
using letts::fuzz::check;

namespace {

void content_range(const std::string& value) {
    std::string error;
    const auto parsed = br::parse_content_range(value, &error);
    if (!parsed) {
        check(!error.empty(), "Content-Range refused without a reason", value);
        check(letts::utf8::valid(error), "the Content-Range reason is not valid UTF-8", error);
        return;
    }
    check(0 <= parsed->first && parsed->first <= parsed->last && parsed->last < parsed->total,
          "a Content-Range was accepted that is not first <= last < total", value);
}

void range(const std::string& value, std::int64_t size) {
    const br::RangeAnswer answer = br::parse_range(value, size);
    if (answer.kind != br::RangeAnswer::Kind::partial) {
        check(answer.spans.empty(), "spans outside a 206 answer", value);
        return;
    }
    check(!answer.spans.empty(), "a 206 answer without spans", value);
    check(answer.spans.size() <= value.size(), "more spans than the header has bytes", value);
    std::int64_t total = 0;
    for (const br::Span& span : answer.spans) {
        // Go's ServeContent (which the daemon's downloads use) turns the
        // suffix range "-0" into an empty span at the end of the body; that
        // one is kept as the daemon answers it.
        if (span.length == 0) {
            check(span.first == size, "an empty span that is not a \"-0\" suffix", value);
            continue;
        }
        check(span.first >= 0 && span.length > 0 && span.first < size && span.length <= size - span.first,
              "a span outside the body", value);
        check(total <= size - span.length, "the spans add up to more than the body", value);
        total += span.length;
        const std::string text = br::content_range(span, size);
        const auto back = br::parse_content_range(text);
        check(back && back->first == span.first && back->last == span.first + span.length - 1 &&
                  back->total == size,
              "a span's Content-Range does not parse back to it", text);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    // Body sizes: mostly small ones, where ranges overlap the end; sometimes
    // any size up to the largest a file can have.
    const std::int64_t body = in.ConsumeBool()
                                  ? in.ConsumeIntegralInRange<std::int64_t>(0, 4096)
                                  : in.ConsumeIntegralInRange<std::int64_t>(0, std::numeric_limits<std::int64_t>::max());
    const std::string upload = in.ConsumeRandomLengthString(256);
    const std::string download = in.ConsumeRemainingBytesAsString();
    letts::fuzz::run_on_stack(letts::fuzz::kConnectionStack, [&] {
        content_range(upload);
        range(download, body);
    });
    return 0;
}
