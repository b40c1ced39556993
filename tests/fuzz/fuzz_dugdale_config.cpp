// dugdale.yaml loader (src/devserver/dugdale_config): any bytes either
// decode or fail with letts::Error; the size and duration scanners it uses
// never accept a negative value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "devserver/dugdale_config.hpp"
#include "fuzz_support.hpp"

namespace ds = letts::devserver;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const ds::DugdaleConfig config = ds::parse_dugdale_config(text, "<fuzz>");
        letts::fuzz::check(!config.listen.empty(), "a loaded dugdale.yaml has no listen address");
    } catch (const letts::Error&) {
    }
    // The scalars on their own, as a value of a size or duration key.
    std::int64_t bytes = 0;
    if (ds::parse_byte_size(text, bytes)) letts::fuzz::check(bytes >= 0, "negative byte size accepted", text);
    ds::Nanos nanos = 0;
    if (ds::parse_config_duration(text, nanos))
        letts::fuzz::check(nanos >= 0, "negative duration accepted", text);
    return 0;
}
