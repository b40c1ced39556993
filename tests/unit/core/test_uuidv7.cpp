// core/uuidv7: format, version/variant bits, embedded timestamp, monotonic
// order, uniqueness under threads, the validator, and the generator's state
// machine driven through an injected clock and random source.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/uuidv7.hpp"

#include "support.hpp"

namespace uuidv7 = letts::uuidv7;
using letts::Status;

namespace {

// An independent oracle for the daemon's regular expression (std::regex is
// fine in a test; the implementation checks by hand). ECMAScript `$` only
// matches at the very end, like Go's.
const std::regex& daemon_regex() {
    static const std::regex re(
        "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    return re;
}

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int hex_digit(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

// Byte `index` (0-15) of the 16 bytes behind the text form.
int byte_at(const std::string& id, int index) {
    std::string hex;
    for (char c : id) {
        if (c != '-') hex += c;
    }
    return hex_digit(hex[static_cast<std::size_t>(2 * index)]) * 16 +
           hex_digit(hex[static_cast<std::size_t>(2 * index + 1)]);
}

void test_format_of_10000_ids(void**) {
    for (int i = 0; i < 10000; ++i) {
        const std::string id = uuidv7::generate();
        assert_int_equal(id.size(), 36);
        assert_true(std::regex_match(id, daemon_regex()));
        assert_true(uuidv7::is_valid(id));
    }
}

void test_version_and_variant_bits(void**) {
    for (int i = 0; i < 1000; ++i) {
        const std::string id = uuidv7::generate();
        assert_int_equal(byte_at(id, 6) >> 4, 0x7);   // version 7
        assert_int_equal(byte_at(id, 8) >> 6, 0b10);  // RFC 9562 variant
    }
}

void test_timestamp_is_time_of_call(void**) {
    for (int i = 0; i < 1000; ++i) {
        const std::int64_t before = now_ms();
        const std::string id = uuidv7::generate();
        const std::int64_t after = now_ms();
        const auto ts = uuidv7::timestamp_ms(id);
        assert_true(ts.has_value());
        assert_in_range(*ts, before, after);
    }
}

void test_100000_ids_strictly_increasing_and_unique(void**) {
    std::vector<std::string> ids;
    ids.reserve(100000);
    for (int i = 0; i < 100000; ++i) ids.push_back(uuidv7::generate());
    for (std::size_t i = 1; i < ids.size(); ++i) {
        if (!(ids[i - 1] < ids[i])) {
            print_error("not increasing at %zu: %s then %s\n", i, ids[i - 1].c_str(), ids[i].c_str());
        }
        assert_true(ids[i - 1] < ids[i]);
    }
    const std::set<std::string> unique(ids.begin(), ids.end());
    assert_int_equal(unique.size(), ids.size());
}

void test_threads_get_unique_increasing_ids(void**) {
    constexpr int thread_count = 8;
    constexpr int per_thread = 20000;
    std::vector<std::vector<std::string>> results(thread_count);
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < thread_count; ++t) {
            threads.emplace_back([&results, t] {
                auto& mine = results[static_cast<std::size_t>(t)];
                mine.reserve(per_thread);
                for (int i = 0; i < per_thread; ++i) mine.push_back(uuidv7::generate());
            });
        }
    }  // jthreads join here
    std::vector<std::string> all;
    for (const auto& mine : results) {
        assert_int_equal(mine.size(), per_thread);
        for (std::size_t i = 1; i < mine.size(); ++i) assert_true(mine[i - 1] < mine[i]);
        all.insert(all.end(), mine.begin(), mine.end());
    }
    std::sort(all.begin(), all.end());
    assert_true(std::adjacent_find(all.begin(), all.end()) == all.end());
    for (const auto& id : all) assert_true(uuidv7::is_valid(id));
}

void test_is_valid_table(void**) {
    const char* valid[] = {
        "01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0d",
        "00000000-0000-7000-8000-000000000000",
        "ffffffff-ffff-7fff-bfff-ffffffffffff",
        "01923b6e-8f10-7c2a-9000-000000000000",
        "01923b6e-8f10-7c2a-b000-000000000000",
    };
    for (const char* id : valid) {
        assert_true(uuidv7::is_valid(id));
        assert_true(std::regex_match(id, daemon_regex()));
    }
    const std::string invalid[] = {
        "",
        "01923B6E-8F10-7C2A-A4D1-5E6F7A8B9C0D",   // upper case
        "01923b6e-8f10-7c2a-a4d1-5E6f7a8b9c0d",   // one upper-case digit
        "01923b6e-8f10-4c2a-a4d1-5e6f7a8b9c0d",   // version 4
        "01923b6e-8f10-7c2a-c4d1-5e6f7a8b9c0d",   // variant 110
        "01923b6e-8f10-7c2a-74d1-5e6f7a8b9c0d",   // variant 0
        "01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0",    // 35 chars
        "01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0d0",  // 37 chars
        "01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0d\n", // trailing newline
        "\n01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0d",
        " 01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0d",
        "{01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0d}",
        "01923b6e8f107c2aa4d15e6f7a8b9c0d",       // no dashes
        "01923b6e-8f107-c2a-a4d1-5e6f7a8b9c0d",   // dash moved
        "01923b6e_8f10_7c2a_a4d1_5e6f7a8b9c0d",
        "01923b6g-8f10-7c2a-a4d1-5e6f7a8b9c0d",   // 'g'
        std::string("01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0") + '\0',
    };
    for (const std::string& id : invalid) {
        if (uuidv7::is_valid(id)) print_error("accepted: %s\n", id.c_str());
        assert_false(uuidv7::is_valid(id));
        assert_false(std::regex_match(id, daemon_regex()));
    }
}

void test_timestamp_ms(void**) {
    assert_true(uuidv7::timestamp_ms("01923b6e-8f10-7c2a-a4d1-5e6f7a8b9c0d") == 1727573954320);
    assert_true(uuidv7::timestamp_ms("00000000-0000-7000-8000-000000000000") == 0);
    assert_true(uuidv7::timestamp_ms("ffffffff-ffff-7fff-bfff-ffffffffffff") == 281474976710655);
    assert_false(uuidv7::timestamp_ms("01923b6e-8f10-4c2a-a4d1-5e6f7a8b9c0d").has_value());
}

// A random source that fills every byte with `value`.
uuidv7::Generator::Random constant_random(std::uint8_t value) {
    return [value](std::span<std::uint8_t> out) { std::fill(out.begin(), out.end(), value); };
}

void test_same_millisecond_counts_up(void**) {
    uuidv7::Generator g([] { return std::int64_t{1000}; }, constant_random(0x00));
    assert_string_equal(g.next().c_str(), "00000000-03e8-7000-8000-000000000000");
    assert_string_equal(g.next().c_str(), "00000000-03e8-7000-8000-000000000001");
    assert_string_equal(g.next().c_str(), "00000000-03e8-7000-8000-000000000002");
}

void test_carry_from_rand_b_into_rand_a(void**) {
    // rand_a = 0, rand_b = 2^62 - 1: the next id carries into rand_a.
    uuidv7::Generator g([] { return std::int64_t{1000}; }, [](std::span<std::uint8_t> out) {
        std::fill(out.begin(), out.end(), 0xFF);
        out[0] = 0x00;
        out[1] = 0x00;
    });
    assert_string_equal(g.next().c_str(), "00000000-03e8-7000-bfff-ffffffffffff");
    assert_string_equal(g.next().c_str(), "00000000-03e8-7001-8000-000000000000");
}

void test_counter_overflow_moves_to_next_millisecond(void**) {
    // All 74 bits set: the counter cannot go up within this millisecond.
    uuidv7::Generator g([] { return std::int64_t{1000}; }, constant_random(0xFF));
    const std::string a = g.next();
    const std::string b = g.next();
    const std::string c = g.next();
    assert_string_equal(a.c_str(), "00000000-03e8-7fff-bfff-ffffffffffff");
    assert_string_equal(b.c_str(), "00000000-03e9-7fff-bfff-ffffffffffff");
    assert_string_equal(c.c_str(), "00000000-03ea-7fff-bfff-ffffffffffff");
    assert_true(a < b && b < c);
}

void test_clock_going_backwards_keeps_last_timestamp(void**) {
    std::vector<std::int64_t> clock{5000, 4000, 4999, 5000, 5001};
    std::size_t tick = 0;
    uuidv7::Generator g([&] { return clock[tick++]; }, constant_random(0x00));
    assert_string_equal(g.next().c_str(), "00000000-1388-7000-8000-000000000000");
    assert_string_equal(g.next().c_str(), "00000000-1388-7000-8000-000000000001");
    assert_string_equal(g.next().c_str(), "00000000-1388-7000-8000-000000000002");
    assert_string_equal(g.next().c_str(), "00000000-1388-7000-8000-000000000003");
    assert_string_equal(g.next().c_str(), "00000000-1389-7000-8000-000000000000");
}

void test_new_millisecond_draws_fresh_bits(void**) {
    std::int64_t ms = 1000;
    std::uint8_t fill = 0x10;
    uuidv7::Generator g([&] { return ms; }, [&](std::span<std::uint8_t> out) {
        std::fill(out.begin(), out.end(), fill++);
    });
    assert_string_equal(g.next().c_str(), "00000000-03e8-7010-9010-101010101010");
    ms = 1001;
    assert_string_equal(g.next().c_str(), "00000000-03e9-7111-9111-111111111111");
}

void test_failing_random_source_throws_and_leaves_state(void**) {
    bool broken = true;
    uuidv7::Generator g([] { return std::int64_t{1000}; }, [&](std::span<std::uint8_t> out) {
        if (broken) throw letts::Error(Status::internal, "no entropy");
        std::fill(out.begin(), out.end(), 0x00);
    });
    const std::string message = EXPECT_ERROR(Status::internal, (void)g.next());
    assert_string_equal(message.c_str(), "no entropy");
    broken = false;
    assert_string_equal(g.next().c_str(), "00000000-03e8-7000-8000-000000000000");
}

void test_forked_child_does_not_repeat_parent_ids(void**) {
    // The random source hands out a different pattern on every draw; the
    // copy in the child continues from the same point as the parent's.
    std::uint8_t fill = 0x20;
    uuidv7::Generator g([] { return std::int64_t{1000}; }, [&](std::span<std::uint8_t> out) {
        std::fill(out.begin(), out.end(), fill++);
    });
    const std::string first = g.next();
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    const pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const std::string child_id = g.next();
        const ssize_t written = write(fds[1], child_id.data(), child_id.size());
        _exit(written == static_cast<ssize_t>(child_id.size()) ? 0 : 1);
    }
    close(fds[1]);
    const std::string parent_id = g.next();
    std::array<char, 64> buffer{};
    const ssize_t n = read(fds[0], buffer.data(), buffer.size());
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(n, 36);
    const std::string child_id(buffer.data(), 36);
    // The parent counts on; the child starts from fresh bits.
    assert_string_equal(first.c_str(), "00000000-03e8-7020-a020-202020202020");
    assert_string_equal(parent_id.c_str(), "00000000-03e8-7020-a020-202020202021");
    assert_string_equal(child_id.c_str(), "00000000-03e8-7121-a121-212121212121");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_of_10000_ids),
        cmocka_unit_test(test_version_and_variant_bits),
        cmocka_unit_test(test_timestamp_is_time_of_call),
        cmocka_unit_test(test_100000_ids_strictly_increasing_and_unique),
        cmocka_unit_test(test_threads_get_unique_increasing_ids),
        cmocka_unit_test(test_is_valid_table),
        cmocka_unit_test(test_timestamp_ms),
        cmocka_unit_test(test_same_millisecond_counts_up),
        cmocka_unit_test(test_carry_from_rand_b_into_rand_a),
        cmocka_unit_test(test_counter_overflow_moves_to_next_millisecond),
        cmocka_unit_test(test_clock_going_backwards_keeps_last_timestamp),
        cmocka_unit_test(test_new_millisecond_draws_fresh_bits),
        cmocka_unit_test(test_failing_random_source_throws_and_leaves_state),
        cmocka_unit_test(test_forked_child_does_not_repeat_parent_ids),
    };
    return cmocka_run_group_tests_name("core_uuidv7", tests, nullptr, nullptr);
}
