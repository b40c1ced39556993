// UUIDv7 ids for missions (idempotency keys) and staging uploads
// (client-behavior.md §12): 48-bit Unix milliseconds, version 7, variant 10,
// 74 random bits from a CSPRNG, monotonic within a millisecond per process.
#pragma once

#include <string>
#include <string_view>

namespace letts::uuidv7 {

// A new id in canonical lowercase 8-4-4-4-12 form. Thread-safe.
// Throws letts::Error(Status::internal) if the system CSPRNG fails.
std::string generate();

// True when `text` is exactly the canonical form the daemon requires:
// ^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$
bool is_valid(std::string_view text);

}  // namespace letts::uuidv7
