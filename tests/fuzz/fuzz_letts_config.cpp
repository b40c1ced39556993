// letts.yaml loader (src/config): any bytes either load or fail with
// letts::Error; a loaded configuration exports as valid JSON.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view yaml(reinterpret_cast<const char*>(data), size);
    try {
        const letts::config::Config config = letts::config::load_string(yaml, "fuzz.yaml");
        const std::string exported = letts::config::to_json(config);
        letts::fuzz::check(letts::json::parse(exported) != nullptr,
                           "to_json of a loaded letts.yaml is not valid JSON", exported);
    } catch (const letts::Error&) {
        // A refusal with a message is the expected answer to bad input.
    }
    return 0;
}
