#include "core/uuidv7.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <new>
#include <system_error>
#include <utility>

#include "core/error.hpp"

namespace letts::uuidv7 {
namespace {

constexpr std::int64_t max_timestamp = (std::int64_t{1} << 48) - 1;
constexpr std::uint16_t rand_a_limit = 1u << 12;
constexpr std::uint64_t rand_b_limit = std::uint64_t{1} << 62;

std::int64_t system_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// getrandom(2) with flags 0 reads the kernel CSPRNG (blocking only until it is
// first seeded at boot). Requests this small are never cut short in practice,
// but a signal can interrupt the call and the contract allows partial reads,
// so loop until the buffer is full.
void system_random(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(Status::internal,
                        "getrandom: " + std::generic_category().message(errno));
        }
        done += static_cast<std::size_t>(n);
    }
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

int hex_value(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

// The 74 bits after the timestamp, split as the id's layout splits them.
struct RandomBits {
    std::uint16_t a;  // rand_a: 12 bits, after the version nibble
    std::uint64_t b;  // rand_b: 62 bits, after the variant bits
};

// Draws 74 fresh random bits: 4+8 for rand_a (the version nibble takes the
// top of byte 6) and 6+56 for rand_b (the variant takes the top of byte 8).
RandomBits draw_random_bits(const Generator::Random& random) {
    std::array<std::uint8_t, 10> r{};
    random(r);
    RandomBits bits{static_cast<std::uint16_t>(((r[0] & 0x0F) << 8) | r[1]), std::uint64_t{r[2] & 0x3Fu}};
    for (std::size_t i = 3; i < r.size(); ++i) bits.b = (bits.b << 8) | r[i];
    return bits;
}

// Within one millisecond the 74 bits count up by one, so ids still increase.
// False when the counter is exhausted (the caller then moves to the next
// millisecond; the bits left behind are not used).
bool count_on(RandomBits& bits) {
    if (++bits.b != rand_b_limit) return true;
    bits.b = 0;
    return ++bits.a != rand_a_limit;
}

// The 16 bytes: 48-bit timestamp, version 7 + rand_a, variant 10 + rand_b.
std::array<std::uint8_t, 16> layout_bytes(std::int64_t ms, RandomBits bits) {
    std::array<std::uint8_t, 16> bytes{};
    for (int i = 0; i < 6; ++i) {
        bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
    }
    bytes[6] = static_cast<std::uint8_t>(0x70 | (bits.a >> 8));
    bytes[7] = static_cast<std::uint8_t>(bits.a & 0xFF);
    bytes[8] = static_cast<std::uint8_t>(0x80 | (bits.b >> 56));
    for (int i = 0; i < 7; ++i) {
        bytes[static_cast<std::size_t>(9 + i)] = static_cast<std::uint8_t>(bits.b >> (48 - 8 * i));
    }
    return bytes;
}

// Lowercase 8-4-4-4-12 hex.
std::string canonical_text(const std::array<std::uint8_t, 16>& bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        text += hex[bytes[i] >> 4];
        text += hex[bytes[i] & 0x0F];
    }
    return text;
}

// The single process-wide generator. It lives in static storage and is never
// destroyed: a thread still generating ids while the process exits (a Go
// program calling os.Exit, a PHP worker shutting down) must not meet a
// destroyed mutex. Construction is a thread-safe function-local static.
Generator& process_generator() {
    alignas(Generator) static unsigned char storage[sizeof(Generator)];
    static Generator* const instance = ::new (static_cast<void*>(storage)) Generator();
    return *instance;
}

}  // namespace

Generator::Generator() : Generator(system_clock_ms, system_random) {}

Generator::Generator(Clock clock, Random random)
    : clock_(std::move(clock)), random_(std::move(random)) {}

std::string Generator::next() {
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::int64_t now = std::clamp(clock_(), std::int64_t{0}, max_timestamp);
    const long pid = static_cast<long>(::getpid());

    // Compute the new state in locals and commit only at the end, so a
    // throwing random source leaves the generator as it was.
    std::int64_t ms = last_ms_;
    RandomBits bits{rand_a_, rand_b_};
    if (!seeded_ || pid != pid_) {
        // First id, or first id in a forked child: the child shares the
        // parent's state and would repeat the parent's next ids if it counted
        // on from there, so it starts from fresh random bits. Never move the
        // timestamp backwards relative to what this memory has seen.
        ms = (seeded_ && last_ms_ > now) ? last_ms_ : now;
        bits = draw_random_bits(random_);
    } else if (now > last_ms_) {
        ms = now;
        bits = draw_random_bits(random_);
    } else if (!count_on(bits)) {
        // Same millisecond (or the clock went backwards) and the 74-bit
        // counter is exhausted: borrow the next millisecond rather than wrap
        // (which would go down).
        if (ms == max_timestamp) {
            throw Error(Status::internal, "uuidv7: timestamp space exhausted");
        }
        ++ms;
        bits = draw_random_bits(random_);
    }
    seeded_ = true;
    pid_ = pid;
    last_ms_ = ms;
    rand_a_ = bits.a;
    rand_b_ = bits.b;
    return canonical_text(layout_bytes(ms, bits));
}

std::string generate() { return process_generator().next(); }

bool is_valid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (i == 14) {
            if (c != '7') return false;  // version
        } else if (i == 19) {
            if (c != '8' && c != '9' && c != 'a' && c != 'b') return false;  // variant 10xx
        } else if (!is_lower_hex(c)) {
            return false;
        }
    }
    return true;
}

std::optional<std::int64_t> timestamp_ms(std::string_view text) {
    if (!is_valid(text)) return std::nullopt;
    std::int64_t ms = 0;
    for (std::size_t i = 0; i < 13; ++i) {
        if (i == 8) continue;  // the dash between the first two groups
        ms = (ms << 4) | hex_value(text[i]);
    }
    return ms;
}

}  // namespace letts::uuidv7
