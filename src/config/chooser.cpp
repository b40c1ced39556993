// The default random pick among candidates (section 7.3).
#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <random>

#include "config/config.hpp"

namespace letts::config {

namespace {

// Seeded from the kernel CSPRNG; std::random_device only if getrandom is
// unavailable (ENOSYS on very old kernels, seccomp filters).
std::mt19937_64 seeded_engine() {
    std::array<std::uint32_t, 8> words{};
    auto* bytes = reinterpret_cast<unsigned char*>(words.data());
    std::size_t filled = 0;
    while (filled < sizeof words) {
        const ssize_t n = getrandom(bytes + filled, sizeof words - filled, 0);
        if (n > 0) {
            filled += static_cast<std::size_t>(n);
        } else if (errno != EINTR) {
            break;
        }
    }
    if (filled < sizeof words) {
        std::random_device device;
        for (auto& word : words)
            word = device();
    }
    std::seed_seq seq(words.begin(), words.end());
    return std::mt19937_64(seq);
}

}  // namespace

Chooser default_chooser() {
    return [](std::size_t n) -> std::size_t {
        if (n <= 1) return 0;
        // One engine per thread: no lock, no shared mutable state.
        thread_local std::mt19937_64 engine = seeded_engine();
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(engine);
    };
}

}  // namespace letts::config
