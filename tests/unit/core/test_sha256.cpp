// core/sha256: FIPS 180-2 vectors, incremental hashing, file digests around
// the 64 KiB read size, and I/O errors that name the path.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "core/sha256.hpp"
#include "cmocka_support.h"

#include "support.hpp"

using letts::Sha256;
using letts::Status;

namespace {

constexpr const char* empty_digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* abc_digest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* million_a_digest =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

// A scratch directory for the test files, removed by the group teardown.
std::string scratch_dir;

int make_scratch(void**) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                          "/letts-core-sha256-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) return -1;
    scratch_dir = pattern;
    return 0;
}

std::vector<std::string> created_files;

int remove_scratch(void**) {
    for (const auto& path : created_files) unlink(path.c_str());
    rmdir(scratch_dir.c_str());
    return 0;
}

// Deterministic, non-repeating bytes, so a chunk handled twice or skipped
// changes the digest.
std::string pattern_bytes(std::size_t size) {
    std::string data(size, '\0');
    std::uint32_t state = 0x12345678u;
    for (auto& c : data) {
        state = state * 1664525u + 1013904223u;
        c = static_cast<char>(state >> 24);
    }
    return data;
}

std::string write_file(const std::string& name, const std::string& data) {
    const std::string path = scratch_dir + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    assert_non_null(f);
    if (!data.empty()) assert_int_equal(std::fwrite(data.data(), 1, data.size(), f), data.size());
    assert_int_equal(std::fclose(f), 0);
    created_files.push_back(path);
    return path;
}

void test_known_vectors(void**) {
    assert_string_equal(letts::sha256_hex("").c_str(), empty_digest);
    assert_string_equal(letts::sha256_hex("abc").c_str(), abc_digest);
    assert_string_equal(letts::sha256_hex(std::string(1000000, 'a')).c_str(), million_a_digest);
    assert_string_equal(
        letts::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").c_str(),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

void test_incremental_equals_one_shot(void**) {
    // One million 'a' fed in uneven pieces, including empty ones.
    Sha256 hasher;
    const std::string a(1000, 'a');
    std::size_t fed = 0;
    std::size_t piece = 0;
    while (fed < 1000000) {
        const std::size_t n = std::min<std::size_t>({piece % 997, a.size(), 1000000 - fed});
        hasher.update(a.data(), n);
        fed += n;
        ++piece;
    }
    assert_string_equal(hasher.hex_digest().c_str(), million_a_digest);

    Sha256 byte_by_byte;
    for (char c : std::string("abc")) byte_by_byte.update(&c, 1);
    assert_string_equal(byte_by_byte.hex_digest().c_str(), abc_digest);
}

void test_digest_ends_the_hasher(void**) {
    Sha256 hasher;
    hasher.update("abc");
    assert_string_equal(hasher.hex_digest().c_str(), abc_digest);
    EXPECT_ERROR(Status::internal, hasher.update("more"));
    EXPECT_ERROR(Status::internal, (void)hasher.hex_digest());
}

void test_move_keeps_the_state(void**) {
    Sha256 first;
    first.update("ab");
    Sha256 second(std::move(first));
    second.update("c");
    Sha256 third;
    third = std::move(second);
    assert_string_equal(third.hex_digest().c_str(), abc_digest);
}

void test_file_digest_equals_memory_digest(void**) {
    const std::size_t sizes[] = {
        0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 2 * 64 * 1024, 5 * 1024 * 1024 + 12345,
    };
    for (std::size_t size : sizes) {
        const std::string data = pattern_bytes(size);
        const std::string path = write_file("f" + std::to_string(size), data);
        const letts::FileDigest digest = letts::sha256_file(path);
        assert_int_equal(digest.size, size);
        assert_string_equal(digest.sha256.c_str(), letts::sha256_hex(data).c_str());
    }
    const std::string empty = write_file("empty", "");
    assert_string_equal(letts::sha256_file(empty).sha256.c_str(), empty_digest);
}

void test_million_a_file(void**) {
    const std::string path = write_file("million-a", std::string(1000000, 'a'));
    const letts::FileDigest digest = letts::sha256_file(path);
    assert_int_equal(digest.size, 1000000);
    assert_string_equal(digest.sha256.c_str(), million_a_digest);
}

void test_missing_file_is_io_error_naming_the_path(void**) {
    const std::string path = scratch_dir + "/does-not-exist.bin";
    const std::string message = EXPECT_ERROR(Status::io, (void)letts::sha256_file(path));
    assert_string_equal(message.c_str(), (path + ": No such file or directory").c_str());
}

void test_directory_is_io_error(void**) {
    const std::string message = EXPECT_ERROR(Status::io, (void)letts::sha256_file(scratch_dir));
    assert_string_equal(message.c_str(), (scratch_dir + ": Is a directory").c_str());
}

void test_unreadable_file_is_io_error(void**) {
    if (geteuid() == 0) {
        skip();  // root reads mode-000 files anyway
    }
    const std::string path = write_file("locked", "secret");
    assert_int_equal(chmod(path.c_str(), 0), 0);
    const std::string message = EXPECT_ERROR(Status::io, (void)letts::sha256_file(path));
    assert_string_equal(message.c_str(), (path + ": Permission denied").c_str());
}

}  // namespace

int main() {
    letts_test_drop_root();  // root reads mode-000 files: see test_unreadable_file_is_io_error
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_incremental_equals_one_shot),
        cmocka_unit_test(test_digest_ends_the_hasher),
        cmocka_unit_test(test_move_keeps_the_state),
        cmocka_unit_test(test_file_digest_equals_memory_digest),
        cmocka_unit_test(test_million_a_file),
        cmocka_unit_test(test_missing_file_is_io_error_naming_the_path),
        cmocka_unit_test(test_directory_is_io_error),
        cmocka_unit_test(test_unreadable_file_is_io_error),
    };
    return cmocka_run_group_tests_name("core_sha256", tests, make_scratch, remove_scratch);
}
