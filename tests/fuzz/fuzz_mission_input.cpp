// A mission's input and the dot paths its getters take (src/mission:
// JsonDoc::parse, find, number_as_int/double, pretty — what
// letts_mission_input_* run). Input layout: the first line is a dot path,
// the rest the input JSON. Any input parses or fails with letts::Error; the
// value a path finds is, on its own, the JSON it was in the document; the
// compact and pretty texts parse back to the same document.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "mission/json_doc.hpp"
#include "mission/json_number.hpp"

namespace mission = letts::mission;
using letts::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = text.find('\n');
    const std::string_view path = text.substr(0, newline);
    const std::string_view json = newline == std::string_view::npos ? std::string_view("null")
                                                                     : text.substr(newline + 1);
    std::optional<mission::JsonDoc> parsed;
    try {
        parsed.emplace(mission::JsonDoc::parse(json, "input"));
    } catch (const letts::Error&) {
        return 0;  // invalid JSON: refused with a message naming the byte
    }
    const mission::JsonDoc& doc = *parsed;
    try {

        const mission::JsonDoc again = mission::JsonDoc::parse(doc.text(), "compact input");
        check(again.text() == doc.text(), "the compact text is not a fixed point", doc.text());
        const mission::JsonDoc pretty = mission::JsonDoc::parse(doc.pretty(), "pretty input");
        check(pretty.text() == doc.text(), "pretty() does not parse back to the document", doc.text());

        if (const mission::JsonDoc::Node* node = doc.find(path)) {
            const std::string_view value = doc.text_of(*node);
            const mission::JsonDoc alone = mission::JsonDoc::parse(value, "found value");
            check(alone.root().kind == node->kind && alone.text() == value,
                  "the value at a path is not the JSON it was in the document", value);
            if (node->kind == mission::JsonDoc::Kind::number) {
                try {
                    (void)mission::number_as_int(value, path);
                } catch (const letts::Error&) {
                }
                try {
                    (void)mission::number_as_double(value, path);
                } catch (const letts::Error&) {
                }
            }
        }
    } catch (const letts::Error& error) {
        letts::fuzz::fail("text the runtime produced from valid input does not parse", error.what());
    }
    return 0;
}
