// RAII and small conveniences over cJSON.
//
// Which JSON code serves what (one of each):
// - cJSON, through this header, holds and prints every JSON text the
//   client sends and the devserver replies with, and the daemon's replies
//   the client reads. A tree of nodes with typed lookups is what those call
//   sites need, and the design names cJSON for it. cJSON's own parser is not
//   used: json::parse below builds the cJSON tree from core/json_reader.
// - core/json_reader.hpp is the one strict parser of the project: RFC 8259
//   checked, every number literal and string token reported as written (so
//   integers stay exact), depth bounded without recursion, errors worded
//   like Go's decoder or with a byte offset. Its models: the cJSON tree of
//   json::parse (the client), the devserver's request bodies and fd 3 lines
//   (core/json_value.hpp, jv::, member order and duplicates kept) and the
//   mission runtime's input and results (mission/json_doc.hpp).
// - core/json_value.hpp holds the one JSON string escaper (jv::quote), used
//   wherever JSON is written by hand (fd 3 events, canonical input); UTF-8
//   checks and repair are core/utf8.hpp's.
//
// Integers: cJSON keeps every number as a double, which loses int64 values
// above 2^53 (the daemon sends time_expires = 9223372036854775807) and prints
// integers from 10^15 up in exponent form ("1e+15"), which int64 decoders
// such as Go's reject. So integers of magnitude >= 10^15 are held as
// cJSON_Raw nodes carrying their exact decimal text, both when built with
// integer() and when parsed (parsed integer literals beyond int64 too, so they
// print unchanged and get_int refuses them rather than accept a rounded
// double). They print exactly; read them with get_int()/as_int() (or
// get_number()), never through valuedouble.
#pragma once

#include <cjson/cJSON.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace letts::json {

struct Deleter {
    void operator()(cJSON* node) const noexcept { cJSON_Delete(node); }
};
// Owns a cJSON tree (the root); children are owned by their parent.
using Ptr = std::unique_ptr<cJSON, Deleter>;

// Each constructor throws std::bad_alloc when cJSON cannot allocate.
Ptr object();
Ptr array();
Ptr string(std::string_view value);
Ptr number(double value);
Ptr integer(std::int64_t value);  // exact over the whole int64 range (see above)
Ptr boolean(bool value);
Ptr null();

// Moves `value` into `parent` (an object) under `key` / onto the end of an array.
// add() replaces an existing member of the same key, so an object never
// carries duplicate keys. Both throw letts::Error(Status::invalid_argument)
// when `parent` is not an object / `array` not an array, std::bad_alloc when
// cJSON cannot allocate. string() and add() throw
// letts::Error(Status::invalid_argument) for text with a NUL byte, which
// cJSON's C strings cannot carry.
void add(cJSON* parent, std::string_view key, Ptr value);
void append(cJSON* array, Ptr value);

// Parses a complete JSON document (trailing garbage rejected) in one pass
// of core/json_reader, without recursion. Returns nullptr and sets
// `error_offset` (when given) to the offending byte on a syntax error.
// Strict RFC 8259 where cJSON's parser is lenient: numbers must follow the
// JSON grammar ("01", "1.", ".5" rejected), whitespace is only space, tab,
// CR and LF, strings hold no raw control bytes, and no NUL byte or BOM is
// accepted. At most 1000 nested containers (cJSON's own limit); duplicate
// member names are kept in order (lookups find the first).
Ptr parse(std::string_view text, std::size_t* error_offset = nullptr);

// Compact text of `node`. Throws std::bad_alloc.
std::string print(const cJSON* node);

// Typed lookups that return nullopt on a missing key or a wrong type.
std::optional<std::string> get_string(const cJSON* object, const char* key);
std::optional<std::int64_t> get_int(const cJSON* object, const char* key);  // integral numbers only
std::optional<bool> get_bool(const cJSON* object, const char* key);
// Any number, as a double (large raw integers are converted, possibly rounded).
std::optional<double> get_number(const cJSON* object, const char* key);

// The integer value of `node` itself: a number with an integral value in
// int64 range, or a raw integer node (see above); nullopt otherwise.
std::optional<std::int64_t> as_int(const cJSON* node);

}  // namespace letts::json
