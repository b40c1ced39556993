// Deterministic mission ids for unique dispatch (issue 20 §1): a valid
// UUIDv7 derived from a caller's key and a time window, so every process
// that dispatches the same key in the same window sends the same id and the
// daemon's idempotency check keeps one job. The derivation is the public
// contract documented in include/letts/unique.h and docs/unique-ids.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace letts::unique_id {

// The HMAC-SHA-256 key that separates these hashes from any other use of
// the caller's key (ASCII, no terminator).
inline constexpr std::string_view domain_key = "letts unique mission id v1";

// Largest timestamp a UUIDv7 holds (48 bits of Unix milliseconds).
inline constexpr std::int64_t max_ms = (std::int64_t{1} << 48) - 1;

// floor(at_ms / window_ms) * window_ms, or 0 when window_ms is 0.
// Throws letts::Error(Status::invalid_argument) outside [0, max_ms].
std::int64_t window_start(std::int64_t window_ms, std::int64_t at_ms);

// The id in canonical lowercase 8-4-4-4-12 form. Throws
// letts::Error(Status::invalid_argument) for an empty key or an out-of-range
// window/time, Status::internal if libcrypto fails.
std::string derive(std::string_view key, std::int64_t window_ms, std::int64_t at_ms);

}  // namespace letts::unique_id
