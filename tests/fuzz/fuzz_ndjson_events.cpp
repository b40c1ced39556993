// The client's NDJSON event decoder (src/net/ndjson) and what the event
// follower does with each event (src/net/event_stream: seq, the `done`
// event turned into a run result by src/client/results). Bytes from a
// server, in any pieces: the decoder never holds more than one line's
// limit, never hands over a longer line, and splits the stream into the
// same events however the bytes are chunked.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "client/results.hpp"
#include "core/json.hpp"
#include "fuzz_support.hpp"
#include "net/ndjson.hpp"

using letts::fuzz::check;

namespace {

struct Follower {
    std::size_t max_line;
    std::vector<std::string> lines;
    std::int64_t last_seq = 0;

    void on_event(const cJSON* event, std::string_view line) {
        check(line.size() <= max_line, "the decoder handed over a line over its limit");
        lines.emplace_back(line);
        if (const auto seq = letts::json::as_int(cJSON_GetObjectItemCaseSensitive(event, "seq"));
            seq && *seq > last_seq)
            last_seq = *seq;
        if (letts::json::get_string(event, "event").value_or("") == "done") {
            const auto result = letts::client::run_result_from_done("fuzz", "m-1", event);
            (void)result.is_success();
        }
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const std::size_t max_line = in.ConsumeIntegralInRange<std::size_t>(1, 4096);
    std::vector<std::size_t> pieces;
    for (int i = 0; i < 16; ++i) pieces.push_back(in.ConsumeIntegralInRange<std::size_t>(1, 300));
    const std::string stream = in.ConsumeRemainingBytesAsString();

    // Once in pieces (sizes taken round-robin)...
    Follower chunked{max_line, {}, 0};
    letts::net::NdjsonDecoder decoder(max_line);
    const auto chunked_fn = [&](const cJSON* e, std::string_view l) { chunked.on_event(e, l); };
    std::string_view rest(stream);
    for (std::size_t i = 0; !rest.empty(); ++i) {
        const std::size_t n = std::min(pieces[i % pieces.size()], rest.size());
        decoder.feed(rest.substr(0, n), chunked_fn);
        rest.remove_prefix(n);
        check(decoder.pending() <= max_line, "the decoder holds more than one line's limit");
    }
    decoder.finish(chunked_fn);
    check(decoder.pending() == 0, "the decoder holds bytes after finish()");

    // ...and once whole: the same events.
    Follower whole{max_line, {}, 0};
    letts::net::NdjsonDecoder one(max_line);
    const auto whole_fn = [&](const cJSON* e, std::string_view l) { whole.on_event(e, l); };
    one.feed(stream, whole_fn);
    one.finish(whole_fn);
    check(chunked.lines == whole.lines, "chunking changed the events decoded");
    return 0;
}
