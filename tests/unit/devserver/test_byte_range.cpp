// devserver/byte_range: the staging Content-Range and Range parsers. Huge
// numbers are refused without overflow (the regex they replace overflowed
// the connection thread's stack on ~1000 digits), and Range behaves like Go's
// http.ServeContent, multi-range included.
#include <string>
#include <string_view>

#include "devserver/byte_range.hpp"

#include "../core/support.hpp"

namespace br = letts::devserver::byte_range;
using Kind = br::RangeAnswer::Kind;

namespace {

void expect_cr(std::string_view value, std::int64_t first, std::int64_t last, std::int64_t total) {
    std::string error;
    auto r = br::parse_content_range(value, &error);
    if (!r) print_error("%s: %s\n", std::string(value).c_str(), error.c_str());
    assert_true(r.has_value());
    assert_int_equal(r->first, first);
    assert_int_equal(r->last, last);
    assert_int_equal(r->total, total);
}

void expect_cr_error(std::string_view value, const std::string& want) {
    std::string error;
    auto r = br::parse_content_range(value, &error);
    assert_false(r.has_value());
    if (error != want) print_error("%s: got %s\n", std::string(value).c_str(), error.c_str());
    assert_string_equal(error.c_str(), want.c_str());
}

void test_content_range_valid(void**) {
    expect_cr("bytes 0-0/1", 0, 0, 1);
    expect_cr("bytes 5-9/10", 5, 9, 10);
    expect_cr("  bytes 0-9223372036854775806/9223372036854775807 ", 0, 9223372036854775806, 9223372036854775807);
    expect_cr("bytes +1-+2/+3", 1, 2, 3);  // strconv.ParseInt takes a sign
}

void test_content_range_invalid(void**) {
    expect_cr_error("", "missing 'bytes ' prefix");
    expect_cr_error("bytes=0-1/2", "missing 'bytes ' prefix");
    expect_cr_error("bytes 0-1", "missing '/total'");
    expect_cr_error("bytes 01/2", "malformed range");
    expect_cr_error("bytes -1-1/2", "start: strconv.ParseInt: parsing \"\": invalid syntax");
    expect_cr_error("bytes 0-x/2", "end: strconv.ParseInt: parsing \"x\": invalid syntax");
    expect_cr_error("bytes 0-1/2 3", "total: strconv.ParseInt: parsing \"2 3\": invalid syntax");
    expect_cr_error("bytes 0-1/9223372036854775808",
                    "total: strconv.ParseInt: parsing \"9223372036854775808\": value out of range");
    expect_cr_error("bytes 1-0/2", "invalid range values");
    expect_cr_error("bytes 0-2/2", "invalid range values");
    expect_cr_error("bytes 0-0/0", "invalid range values");
    expect_cr_error("bytes 0-0/-5", "invalid range values");
    // Echoed bytes are escaped: the reason is valid UTF-8.
    expect_cr_error("bytes \xff\"-1/2", "start: strconv.ParseInt: parsing \"\\xff\\\"\": invalid syntax");
}

void test_content_range_huge_numbers(void**) {
    for (std::size_t digits : {20u, 1000u, 100000u}) {
        const std::string n(digits, '9');
        std::string error;
        assert_false(br::parse_content_range("bytes 0-1/" + n, &error).has_value());
        assert_string_equal(error.c_str(), ("total: strconv.ParseInt: parsing \"" + n + "\": value out of range").c_str());
        assert_false(br::parse_content_range("bytes " + n + "-" + n + "/" + n).has_value());
    }
}

void expect_spans(std::string_view value, std::int64_t size, std::initializer_list<br::Span> want) {
    auto a = br::parse_range(value, size);
    assert_int_equal(static_cast<int>(a.kind), static_cast<int>(Kind::partial));
    assert_int_equal(a.spans.size(), want.size());
    std::size_t i = 0;
    for (const auto& w : want) {
        assert_int_equal(a.spans[i].first, w.first);
        assert_int_equal(a.spans[i].length, w.length);
        ++i;
    }
}

void expect_kind(std::string_view value, std::int64_t size, Kind kind) {
    auto a = br::parse_range(value, size);
    if (a.kind != kind) print_error("%s: kind %d\n", std::string(value).c_str(), static_cast<int>(a.kind));
    assert_int_equal(static_cast<int>(a.kind), static_cast<int>(kind));
    assert_true(a.spans.empty());
}

void test_range_single(void**) {
    expect_spans("bytes=0-1", 10, {{0, 2}});
    expect_spans("bytes=5-", 10, {{5, 5}});
    expect_spans("bytes=5-100", 10, {{5, 5}});
    expect_spans("bytes=-3", 10, {{7, 3}});
    expect_spans("bytes=-100", 10, {{0, 10}});
    expect_spans("bytes= 2 - 3 ", 10, {{2, 2}});
    expect_spans("bytes=-0", 10, {{10, 0}});  // Go's ServeContent: an empty 206
}

void test_range_multiple(void**) {
    expect_spans("bytes=0-1,5-6", 10, {{0, 2}, {5, 2}});
    expect_spans("bytes=5-6, 0-1", 10, {{5, 2}, {0, 2}});           // request order kept
    expect_spans("bytes=0-1,20-30,-2", 10, {{0, 2}, {8, 2}});       // past the end: skipped
    expect_spans("bytes=0-4,2-6", 10, {{0, 5}, {2, 5}});            // overlaps kept (sum 10 = size)
    expect_kind("bytes=0-5,2-7", 10, Kind::whole);                  // sum 12 > size: ignored
    expect_kind("bytes=0-9,0-9", 10, Kind::whole);
}

void test_range_refused_or_ignored(void**) {
    expect_kind("", 10, Kind::whole);
    expect_kind("bytes=", 10, Kind::whole);
    expect_kind("bytes= , ,", 10, Kind::whole);
    expect_kind("items=0-1", 10, Kind::invalid);
    expect_kind("bytes=1", 10, Kind::invalid);
    expect_kind("bytes=3-2", 10, Kind::invalid);
    expect_kind("bytes=--1", 10, Kind::invalid);
    expect_kind("bytes=-", 10, Kind::invalid);
    expect_kind("bytes=x-1", 10, Kind::invalid);
    expect_kind("bytes=0-99999999999999999999", 10, Kind::invalid);  // out of int64
    expect_kind("bytes=0-1,x", 10, Kind::invalid);
    expect_kind("bytes=" + std::string(100000, '9') + "-", 10, Kind::invalid);
    expect_kind("bytes=10-", 10, Kind::no_overlap);
    expect_kind("bytes=10-20,30-", 10, Kind::no_overlap);
}

void test_content_range_header(void**) {
    assert_string_equal(br::content_range({5, 2}, 10).c_str(), "bytes 5-6/10");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_range_valid),
        cmocka_unit_test(test_content_range_invalid),
        cmocka_unit_test(test_content_range_huge_numbers),
        cmocka_unit_test(test_range_single),
        cmocka_unit_test(test_range_multiple),
        cmocka_unit_test(test_range_refused_or_ignored),
        cmocka_unit_test(test_content_range_header),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
