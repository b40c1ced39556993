// UUIDv7 ids for missions (idempotency keys) and staging uploads
// (client-behavior.md §12): 48-bit Unix milliseconds, version 7, variant 10,
// 74 random bits from a CSPRNG, monotonic within a millisecond per process.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace letts::uuidv7 {

// A new id in canonical lowercase 8-4-4-4-12 form. Thread-safe.
// Throws letts::Error(Status::internal) if the system CSPRNG fails.
std::string generate();

// True when `text` is exactly the canonical form the daemon requires:
// ^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$
bool is_valid(std::string_view text);

// The Unix-millisecond timestamp embedded in a valid id; nullopt otherwise.
std::optional<std::int64_t> timestamp_ms(std::string_view text);

// The state machine behind generate(), with its clock and random source
// injectable so tests can drive the same-millisecond, counter-overflow and
// clock-going-backwards cases deterministically. generate() uses one
// process-wide instance on the system clock and getrandom(2).
//
// Within one millisecond the 74 random bits act as a counter: each further id
// adds 1, so ids of one process sort in generation order (Go daemon/CLI
// behaviour). If the counter would wrap, the timestamp moves on by 1 ms with
// fresh random bits; if the clock goes backwards, the last timestamp is kept
// and counting continues. Either way ids never go down.
class Generator {
public:
    using Clock = std::function<std::int64_t()>;                 // Unix milliseconds
    using Random = std::function<void(std::span<std::uint8_t>)>;  // fill with CSPRNG bytes

    Generator();  // system clock + getrandom(2)
    Generator(Clock clock, Random random);

    std::string next();  // thread-safe; throws what Random throws

private:
    std::mutex mutex_;
    Clock clock_;
    Random random_;
    bool seeded_ = false;
    long pid_ = 0;            // a forked child must not continue the parent's sequence
    std::int64_t last_ms_ = 0;
    std::uint16_t rand_a_ = 0;  // 12 bits (after the version nibble)
    std::uint64_t rand_b_ = 0;  // 62 bits (after the variant bits)
};

}  // namespace letts::uuidv7
