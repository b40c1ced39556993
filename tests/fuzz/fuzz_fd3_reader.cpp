// The devserver's fd 3 line reader (src/devserver/fd3_reader): a mission
// can write any bytes, in any pieces. The reader never crashes, and what it
// records for events and the mission resource is valid UTF-8 and JSON where
// JSON is due: violation details are objects, a success `return` and fail
// details parse.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "devserver/fd3_reader.hpp"
#include "core/names.hpp"
#include "core/utf8.hpp"
#include "devserver/json_value.hpp"
#include "fuzz_support.hpp"

namespace ds = letts::devserver;
namespace jv = letts::devserver::jv;
using letts::fuzz::check;

namespace {

void check_object(const std::string& text, const char* what) {
    const jv::ParseResult parsed = jv::parse(text);
    check(parsed.value && parsed.value->type == jv::Type::object, what, text);
    check(letts::utf8::valid(text), "violation or fail details are not valid UTF-8", text);
}

// What the reader records ends up in event lines and the mission resource,
// which must be valid UTF-8 whatever the mission wrote (the daemon's decoder
// replaces invalid bytes with U+FFFD).
void check_utf8(const std::string& text, const char* what) {
    if (!letts::utf8::valid(text)) letts::fuzz::fail(what, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    // Small limits reach the oversized-line and too-many-outputs paths;
    // 0 means "no limit" for both.
    const std::int64_t max_line = in.ConsumeIntegralInRange<std::int64_t>(0, 4096);
    const std::int64_t max_outputs = in.ConsumeIntegralInRange<std::int64_t>(0, 8);
    std::size_t progress_events = 0;
    ds::Fd3Reader reader(max_line, max_outputs,
                         [&](const std::optional<std::string>& value, const std::optional<std::string>& message) {
                             ++progress_events;
                             if (message) check_utf8(*message, "a progress message");
                             if (value) {
                                 const jv::ParseResult parsed = jv::parse(*value);
                                 check(parsed.value && parsed.value->type == jv::Type::number,
                                       "a progress value literal is not a JSON number", *value);
                             }
                         });
    // The pipe delivers the bytes in pieces of any size.
    while (in.remaining_bytes() > 0) {
        const std::size_t piece = in.ConsumeIntegralInRange<std::size_t>(1, 512);
        reader.feed(in.ConsumeBytesAsString(piece));
    }
    reader.finish();

    for (const ds::Violation& v : reader.violations()) {
        check(!v.reason.empty() && !v.message.empty(), "a violation without reason or message", v.message);
        check_utf8(v.message, "a violation message");
        check_object(v.details, "violation details are not a JSON object");
    }
    if (const auto& terminal = reader.terminal()) {
        if (terminal->return_json) {
            check(jv::parse(*terminal->return_json).value.has_value(), "success return is not JSON",
                  *terminal->return_json);
            check_utf8(*terminal->return_json, "the success return");
        }
        check_utf8(terminal->message, "the fail message");
        check_utf8(terminal->reason, "the fail reason");
        if (!terminal->details.empty()) check_object(terminal->details, "fail details are not a JSON object");
    }
    for (const std::string& key : reader.output_keys())
        check(letts::names::is_role_key(key), "an invalid output key was registered", key);
    if (max_outputs > 0)
        check(reader.output_keys().size() <= static_cast<std::size_t>(max_outputs),
              "more output keys registered than max_output_files_per_mission");
    return 0;
}
