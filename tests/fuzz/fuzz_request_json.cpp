// The devserver's request JSON parser (src/core/json_value on core/json_reader): any bytes
// parse or fail with a message, on the stack of a connection thread. What
// parses serialises back (compact, canonical) to valid UTF-8 JSON that
// parses again to the same thing: compact is a fixed point, canonical is
// idempotent.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.hpp"
#include "devserver/json_value.hpp"
#include "fuzz_support.hpp"

namespace jv = letts::devserver::jv;
using letts::fuzz::check;

namespace {

void one_input(std::string_view text) {
    // The depth the request handlers use (their default).
    const jv::ParseResult parsed = jv::parse(text);
    if (!parsed.value) {
        check(!parsed.error.empty(), "parse failed without a message", text);
        return;
    }
    const jv::Value& value = *parsed.value;

    const std::string compact = jv::compact(value);
    // The parser passes invalid UTF-8 in strings through (the devserver
    // refuses it in canonical() and repairs it where it emits JSON), so
    // compact() owes valid UTF-8 only for valid input.
    if (letts::utf8::valid(text)) check(letts::utf8::valid(compact), "compact() made valid UTF-8 invalid", compact);
    const jv::ParseResult again = jv::parse(compact);
    check(again.value.has_value(), "compact() output does not parse", compact);
    check(jv::compact(*again.value) == compact, "compact() is not a fixed point", compact);

    if (const auto canonical = jv::canonical(value)) {
        check(letts::utf8::valid(*canonical), "canonical() gave invalid UTF-8", *canonical);
        const jv::ParseResult reparsed = jv::parse(*canonical);
        check(reparsed.value.has_value(), "canonical() output does not parse", *canonical);
        const auto twice = jv::canonical(*reparsed.value);
        check(twice && *twice == *canonical, "canonical() is not idempotent", *canonical);
    }

    // The lookups the handlers do on a dispatch body.
    if (value.type == jv::Type::object) {
        for (const char* key : {"lane", "mission", "input", "timeout_ms", "inputs"}) {
            (void)value.find(key);
            (void)value.find_fold(key);
        }
    }
    (void)value.go_type_name();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    letts::fuzz::run_on_stack(letts::fuzz::kConnectionStack, [text] { one_input(text); });
    return 0;
}
