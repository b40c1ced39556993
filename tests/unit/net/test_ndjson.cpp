// The incremental NDJSON decoder: the same events whatever the chunking,
// malformed and empty lines skipped, over-long lines dropped with bounded
// memory.
#include <string>
#include <vector>

#include "net/ndjson.hpp"
#include "core/json.hpp"
#include "core/support.hpp"

using letts::net::NdjsonDecoder;

namespace {

const std::string stream =
    "{\"seq\":1,\"event\":\"queued\"}\n"
    "\n"
    "not json at all\n"
    "[1,2,3]\n"
    "{\"seq\":2,\"event\":\"running\",\"pid\":7}\r\n"
    "{\"seq\":3,\"event\":\"progress\",\"message\":\"h\\u00e9\\n\"}\n"
    "{\"seq\":5,\"event\":\"done\",\"outcome\":\"success\"}\n";

std::vector<std::string> decode_in_chunks(const std::string& bytes, std::size_t chunk) {
    std::vector<std::string> lines;
    NdjsonDecoder decoder;
    const NdjsonDecoder::EventFn collect = [&](const cJSON* event, std::string_view line) {
        assert_true(cJSON_IsObject(event));
        lines.emplace_back(line);
    };
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        decoder.feed(std::string_view(bytes).substr(at, chunk), collect);
    }
    decoder.finish(collect);
    return lines;
}

}  // namespace

static void test_every_chunking_gives_the_same_events(void**) {
    const auto expected = decode_in_chunks(stream, stream.size());
    assert_int_equal(expected.size(), 4);
    assert_string_equal(expected[0].c_str(), "{\"seq\":1,\"event\":\"queued\"}");
    assert_string_equal(expected[1].c_str(), "{\"seq\":2,\"event\":\"running\",\"pid\":7}");
    assert_string_equal(expected[3].c_str(), "{\"seq\":5,\"event\":\"done\",\"outcome\":\"success\"}");
    for (std::size_t chunk = 1; chunk < stream.size(); ++chunk) {
        assert_true(decode_in_chunks(stream, chunk) == expected);
    }
}

static void test_trailing_line_without_newline(void**) {
    const auto complete = decode_in_chunks("{\"seq\":1}\n{\"seq\":2}", 3);
    assert_int_equal(complete.size(), 2);
    // A torn line (connection cut mid-line) is not an event.
    const auto torn = decode_in_chunks("{\"seq\":1}\n{\"seq\":2,\"ev", 4);
    assert_int_equal(torn.size(), 1);
}

static void test_overlong_line_is_dropped_with_bounded_memory(void**) {
    NdjsonDecoder decoder(64);
    std::vector<std::string> lines;
    const NdjsonDecoder::EventFn collect = [&](const cJSON*, std::string_view line) {
        lines.emplace_back(line);
    };
    decoder.feed("{\"seq\":1}\n{\"seq\":2,\"message\":\"", collect);
    for (int i = 0; i < 1000; ++i) {
        decoder.feed("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", collect);
        assert_true(decoder.pending() <= 64);
    }
    decoder.feed("\"}\n{\"seq\":3}\n", collect);
    decoder.finish(collect);
    assert_int_equal(lines.size(), 2);
    assert_string_equal(lines[1].c_str(), "{\"seq\":3}");
}

static void test_line_exactly_at_the_limit_is_kept(void**) {
    const std::string line = "{\"m\":\"" + std::string(20, 'a') + "\"}";  // 28 bytes
    NdjsonDecoder decoder(line.size());
    int events = 0;
    const NdjsonDecoder::EventFn count = [&](const cJSON*, std::string_view) { ++events; };
    decoder.feed(line.substr(0, 10), count);
    decoder.feed(line.substr(10) + "\n", count);
    assert_int_equal(events, 1);
}

// The client's event streams (issue 11): a line over the cap ends the
// decoding as soon as the cap is passed, whether the line arrives in one
// chunk or many; memory stays at the cap.
static void test_overlong_line_fails_in_fail_mode(void**) {
    int events = 0;
    const NdjsonDecoder::EventFn count = [&](const cJSON*, std::string_view) { ++events; };
    {
        NdjsonDecoder decoder(64, NdjsonDecoder::Overlong::fail);
        decoder.feed("{\"seq\":1}\n{\"seq\":2,\"message\":\"", count);
        bool failed = false;
        for (int i = 0; i < 1000 && !failed; ++i) {
            try {
                decoder.feed("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", count);
            } catch (const NdjsonDecoder::LineTooLong& too_long) {
                assert_int_equal(too_long.limit, 64);
                failed = true;
            }
            assert_true(decoder.pending() <= 64);
        }
        assert_true(failed);
        assert_int_equal(events, 1);
    }
    {
        NdjsonDecoder decoder(64, NdjsonDecoder::Overlong::fail);
        bool failed = false;
        try {
            decoder.feed("{\"m\":\"" + std::string(100, 'a') + "\"}\n", count);
        } catch (const NdjsonDecoder::LineTooLong&) {
            failed = true;
        }
        assert_true(failed);
    }
    {
        const std::string line = "{\"m\":\"" + std::string(20, 'a') + "\"}";  // 28 bytes
        NdjsonDecoder decoder(line.size(), NdjsonDecoder::Overlong::fail);
        decoder.feed(line.substr(0, 10), count);
        decoder.feed(line.substr(10) + "\n", count);
        assert_int_equal(events, 2);
    }
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlong_line_fails_in_fail_mode),
        cmocka_unit_test(test_every_chunking_gives_the_same_events),
        cmocka_unit_test(test_trailing_line_without_newline),
        cmocka_unit_test(test_overlong_line_is_dropped_with_bounded_memory),
        cmocka_unit_test(test_line_exactly_at_the_limit_is_kept),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
