// core/cron and core/tzif: the cron grammar, its error messages, and the
// table of expressions x start instants x zones -> next fire times across
// the DST changes of Europe/Berlin and America/New_York (2026, and 2040 for
// the POSIX rule that takes over after the last stored transition).
// Expected values were worked out by hand and cross-checked with Python's
// zoneinfo over the same system tzdata.
#include <chrono>
#include <cstdint>
#include <string>

#include "core/cron.hpp"
#include "core/tzif.hpp"

#include "support.hpp"

namespace chr = std::chrono;
using letts::Status;
using letts::cron::Expr;
using letts::tz::TimeZone;

namespace {

// "YYYY-MM-DDTHH:MM:SSZ" -> Unix ms.
std::int64_t utc(const char* s) {
    int y, mo, d, h, mi, se;
    if (std::sscanf(s, "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &se) != 6) return -1;
    chr::sys_days day{chr::year{y} / chr::month(static_cast<unsigned>(mo)) /
                      chr::day(static_cast<unsigned>(d))};
    return (day.time_since_epoch().count() * 86400LL + h * 3600 + mi * 60 + se) * 1000;
}

struct Row {
    const char* expr;
    const char* zone;
    const char* start;
    const char* next;
};

const Row rows[] = {
    {"0 * * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"},
    {"*/15 * * * *", "UTC", "2026-01-01T00:07:30Z", "2026-01-01T00:15:00Z"},
    {"5-10/2 * * * *", "UTC", "2026-01-01T00:06:00Z", "2026-01-01T00:07:00Z"},
    {"0 9 * * MON-FRI", "America/New_York", "2026-12-04T15:00:00Z", "2026-12-07T14:00:00Z"},
    {"0 9 * * mon-fri", "Europe/Berlin", "2026-12-04T07:00:00Z", "2026-12-04T08:00:00Z"},
    {"@yearly", "Europe/Berlin", "2026-06-01T00:00:00Z", "2026-12-31T23:00:00Z"},
    {"@annually", "UTC", "2026-06-01T00:00:00Z", "2027-01-01T00:00:00Z"},
    {"@monthly", "UTC", "2026-01-31T00:00:00Z", "2026-02-01T00:00:00Z"},
    {"@weekly", "UTC", "2026-12-04T00:00:00Z", "2026-12-06T00:00:00Z"},
    {"@daily", "America/New_York", "2026-12-04T15:00:00Z", "2026-12-05T05:00:00Z"},
    {"@midnight", "Europe/Berlin", "2026-07-01T12:00:00Z", "2026-07-01T22:00:00Z"},
    {"@hourly", "UTC", "2026-01-01T00:59:59Z", "2026-01-01T01:00:00Z"},
    {"0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z"},
    {"0 12 13 * FRI", "UTC", "2026-12-04T15:00:00Z", "2026-12-11T12:00:00Z"},  // either day field
    {"0 0 * JAN,JUL SUN", "UTC", "2026-12-04T00:00:00Z", "2027-01-03T00:00:00Z"},  // both
    {"0 0 * * 7", "UTC", "2026-12-04T00:00:00Z", "2026-12-06T00:00:00Z"},
    {"0 0 1 feb-dec/3 *", "UTC", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"},
    // Europe/Berlin, spring forward 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z).
    {"30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z"},  // gap: moved
    {"30 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"},
    {"*/15 * * * *", "Europe/Berlin", "2026-03-29T00:50:00Z", "2026-03-29T01:00:00Z"},
    {"*/15 * * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z"},  // once
    {"30 3 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:30:00Z"},
    // Europe/Berlin, fall back 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z).
    {"30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z"},  // first
    {"30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"},  // not again
    {"0 * * * *", "Europe/Berlin", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z"},
    {"0 4 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T03:00:00Z"},
    // America/New_York, spring forward 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z).
    {"30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z"},
    {"0 3 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z"},
    {"0 1 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T06:00:00Z"},
    // America/New_York, fall back 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z).
    {"30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T05:30:00Z"},
    {"30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"},
    {"0 2 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T07:00:00Z"},
    // After the last stored transition the POSIX footer rule decides.
    {"30 2 * * *", "Europe/Berlin", "2040-03-24T12:00:00Z", "2040-03-25T01:00:00Z"},
    {"30 2 * * *", "Europe/Berlin", "2040-10-27T12:00:00Z", "2040-10-28T00:30:00Z"},
    {"0 12 * * *", "America/New_York", "2045-07-04T00:00:00Z", "2045-07-04T16:00:00Z"},
};

void test_table(void**) {
    for (const Row& r : rows) {
        TimeZone z = TimeZone::load(r.zone);
        std::int64_t got = Expr::parse(r.expr).next_after(utc(r.start), z);
        if (got != utc(r.next)) {
            print_error("%s in %s after %s: want %s, got %lld ms\n", r.expr, r.zone, r.start,
                        r.next, static_cast<long long>(got));
            fail();
        }
    }
}

void test_intervals(void**) {
    TimeZone z = TimeZone::load("Europe/Berlin");
    Expr e = Expr::parse("@every 1s");
    assert_true(e.is_interval());
    assert_int_equal(e.next_after(1500, z), 2000);
    assert_int_equal(e.next_after(2000, z), 3000);
    assert_int_equal(e.next_after(-1, z), 0);
    assert_int_equal(Expr::parse("@every 1h30m").next_after(0, z), 5400000);
    assert_int_equal(Expr::every_ms(250).next_after(1000, z), 1250);
    EXPECT_ERROR(Status::invalid_argument, Expr::every_ms(0));
}

void expect_message(const char* expr, const char* want) {
    std::string msg = EXPECT_ERROR(Status::invalid_argument, Expr::parse(expr));
    if (msg != want) {
        print_error("%s: want message [%s], got [%s]\n", expr, want, msg.c_str());
        fail();
    }
}

void test_errors_name_field_and_text(void**) {
    expect_message("61 * * * *",
                   "invalid cron expression \"61 * * * *\": minute field \"61\": 61 is out of range 0-59");
    expect_message("* 24 * * *",
                   "invalid cron expression \"* 24 * * *\": hour field \"24\": 24 is out of range 0-23");
    expect_message("* * 0 * *", "invalid cron expression \"* * 0 * *\": day-of-month field \"0\": "
                                "0 is out of range 1-31");
    expect_message("* * * FOO *", "invalid cron expression \"* * * FOO *\": month field \"FOO\": "
                                  "\"FOO\" is not a number or name");
    expect_message("* * * * MON-FUN", "invalid cron expression \"* * * * MON-FUN\": day-of-week "
                                      "field \"MON-FUN\": \"FUN\" is not a number or name");
    expect_message("*/0 * * * *", "invalid cron expression \"*/0 * * * *\": minute field \"*/0\": step 0");
    expect_message("5-1 * * * *",
                   "invalid cron expression \"5-1 * * * *\": minute field \"5-1\": range 5-1 goes backwards");
    expect_message("1,,2 * * * *",
                   "invalid cron expression \"1,,2 * * * *\": minute field \"1,,2\": empty list item");
    expect_message("* * *", "invalid cron expression \"* * *\": want 5 fields (minute hour "
                            "day-of-month month day-of-week), got 3");
    expect_message("* * * * * *", "invalid cron expression \"* * * * * *\": want 5 fields (minute "
                                  "hour day-of-month month day-of-week), got more");
    expect_message("@often", "invalid cron expression \"@often\": unknown macro \"@often\"");
    expect_message("@every soon", "invalid cron expression \"@every soon\": bad duration \"soon\"");
    expect_message("@every -1s", "invalid cron expression \"@every -1s\": interval \"-1s\" is not a "
                                 "positive whole number of ms");
    std::string never = EXPECT_ERROR(Status::invalid_argument,
                                     Expr::parse("0 0 30 2 *").next_after(0, TimeZone::load("UTC")));
    assert_true(core_test::contains(never, "never fires"));
}

void test_zone_names(void**) {
    for (const char* bad : {"../etc/passwd", "/etc/localtime", "Europe/Nowhere", "a b"}) {
        std::string msg = EXPECT_ERROR(Status::invalid_argument, TimeZone::load(bad));
        assert_true(core_test::contains(msg, bad));
    }
    EXPECT_ERROR(Status::invalid_argument, TimeZone::from_tzif("x", "TZif2"));
    EXPECT_ERROR(Status::invalid_argument, TimeZone::from_tzif("x", "not a tzif file at all......"));
    TimeZone ny = TimeZone::load("America/New_York");
    assert_int_equal(ny.offset_at(utc("2026-07-01T00:00:00Z") / 1000), -4 * 3600);
    assert_int_equal(ny.offset_at(utc("2026-12-01T00:00:00Z") / 1000), -5 * 3600);
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_intervals),
        cmocka_unit_test(test_errors_name_field_and_text),
        cmocka_unit_test(test_zone_names),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
