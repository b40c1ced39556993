// The C boundary: statuses, error objects and the guard every entry point
// runs its body in. Tested in C++ against the same archive libletts.so is
// made of, so the guard can be fed exceptions a public call cannot provoke.
#include <cstdarg>
#include <cstddef>
#include <csetjmp>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

extern "C" {
#include <cmocka.h>
}

#include "capi/guard.hpp"
#include "letts/letts.h"

using letts::Error;
using letts::Status;
using letts::capi::guarded;

static void test_status_names_are_stable(void**) {
    const struct {
        letts_status status;
        const char* name;
    } expected[] = {
        {LETTS_OK, "ok"},
        {LETTS_ERR_BAD_REQUEST, "bad_request"},
        {LETTS_ERR_AUTH, "auth"},
        {LETTS_ERR_CONFLICT, "conflict"},
        {LETTS_ERR_BACKPRESSURE, "backpressure"},
        {LETTS_ERR_DISPATCH, "dispatch"},
        {LETTS_ERR_NETWORK, "network"},
        {LETTS_ERR_WAIT_TIMEOUT, "wait_timeout"},
        {LETTS_ERR_STAGING, "staging"},
        {LETTS_ERR_CONFIG, "config"},
        {LETTS_ERR_MISSING_ENV, "missing_env"},
        {LETTS_ERR_NO_MATCHING_DUGDALE, "no_matching_dugdale"},
        {LETTS_ERR_MISSION_FAILED, "mission_failed"},
        {LETTS_ERR_INTERRUPTED, "interrupted"},
        {LETTS_ERR_INVALID_ARGUMENT, "invalid_argument"},
        {LETTS_ERR_NOT_FOUND, "not_found"},
        {LETTS_ERR_IO, "io"},
        {LETTS_ERR_NO_MEMORY, "no_memory"},
        {LETTS_ERR_INTERNAL, "internal"},
    };
    for (const auto& row : expected) assert_string_equal(letts_status_name(row.status), row.name);
    assert_string_equal(letts_status_name(static_cast<letts_status>(999)), "unknown");
}

static void test_error_carries_every_fact(void**) {
    letts_error* err = nullptr;
    letts_status st = guarded(&err, [] {
        throw Error(Status::backpressure, "queue_full: lane busy is full")
            .http(503)
            .code("queue_full")
            .dugdale("s1")
            .details("{\"lane\":\"busy\"}");
    });
    assert_int_equal(st, LETTS_ERR_BACKPRESSURE);
    assert_non_null(err);
    assert_int_equal(letts_error_status(err), LETTS_ERR_BACKPRESSURE);
    assert_string_equal(letts_error_message(err), "queue_full: lane busy is full");
    assert_int_equal(letts_error_http_status(err), 503);
    assert_string_equal(letts_error_code(err), "queue_full");
    assert_string_equal(letts_error_dugdale(err), "s1");
    assert_string_equal(letts_error_details(err), "{\"lane\":\"busy\"}");
    letts_error_free(err);
}

static void test_absent_facts_are_null(void**) {
    letts_error* err = nullptr;
    guarded(&err, [] { throw Error(Status::config, "letts.yaml: root: unknown key: x"); });
    assert_int_equal(letts_error_http_status(err), 0);
    assert_null(letts_error_code(err));
    assert_null(letts_error_dugdale(err));
    assert_null(letts_error_details(err));
    letts_error_free(err);
}

static void test_null_error_accessors_are_safe(void**) {
    assert_int_equal(letts_error_status(nullptr), LETTS_OK);
    assert_string_equal(letts_error_message(nullptr), "");
    assert_int_equal(letts_error_http_status(nullptr), 0);
    assert_null(letts_error_code(nullptr));
    assert_null(letts_error_dugdale(nullptr));
    assert_null(letts_error_details(nullptr));
    letts_error_free(nullptr);
}

static void test_success_leaves_err_untouched(void**) {
    letts_error* err = nullptr;
    assert_int_equal(guarded(&err, [] {}), LETTS_OK);
    assert_null(err);
}

static void test_err_may_be_null(void**) {
    assert_int_equal(guarded(nullptr, [] { throw Error(Status::io, "x: gone"); }), LETTS_ERR_IO);
}

static void test_existing_error_is_not_overwritten(void**) {
    letts_error* err = nullptr;
    guarded(&err, [] { throw Error(Status::config, "first"); });
    letts_error* first = err;
    assert_int_equal(guarded(&err, [] { throw Error(Status::network, "second"); }),
                     LETTS_ERR_NETWORK);
    assert_ptr_equal(err, first);
    assert_string_equal(letts_error_message(err), "first");
    letts_error_free(err);
}

static void test_bad_alloc_becomes_no_memory(void**) {
    letts_error* err = nullptr;
    assert_int_equal(guarded(&err, [] { throw std::bad_alloc(); }), LETTS_ERR_NO_MEMORY);
    assert_int_equal(letts_error_status(err), LETTS_ERR_NO_MEMORY);
    assert_string_equal(letts_error_message(err), "out of memory");
    letts_error_free(err);  // the preallocated report must survive being "freed"
    letts_error* again = nullptr;
    guarded(&again, [] { throw std::bad_alloc(); });
    assert_string_equal(letts_error_message(again), "out of memory");
    letts_error_free(again);
}

static void test_foreign_exceptions_become_internal(void**) {
    letts_error* err = nullptr;
    assert_int_equal(guarded(&err, [] { throw std::runtime_error("boom"); }), LETTS_ERR_INTERNAL);
    assert_string_equal(letts_error_message(err), "internal error: boom");
    letts_error_free(err);
    err = nullptr;
    assert_int_equal(guarded(&err, [] { throw 42; }), LETTS_ERR_INTERNAL);
    assert_string_equal(letts_error_message(err), "internal error: unknown exception");
    letts_error_free(err);
}

static void test_version_matches_headers(void**) {
    assert_string_equal(letts_version(), LETTS_VERSION_STRING);
    assert_int_equal(letts_version_number(), LETTS_VERSION_NUMBER);
    letts_free(nullptr);
}

static void test_string_list_bounds(void**) {
    assert_int_equal(letts_string_list_count(nullptr), 0);
    assert_null(letts_string_list_get(nullptr, 0));
    letts_string_list_free(nullptr);
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names_are_stable),
        cmocka_unit_test(test_error_carries_every_fact),
        cmocka_unit_test(test_absent_facts_are_null),
        cmocka_unit_test(test_null_error_accessors_are_safe),
        cmocka_unit_test(test_success_leaves_err_untouched),
        cmocka_unit_test(test_err_may_be_null),
        cmocka_unit_test(test_existing_error_is_not_overwritten),
        cmocka_unit_test(test_bad_alloc_becomes_no_memory),
        cmocka_unit_test(test_foreign_exceptions_become_internal),
        cmocka_unit_test(test_version_matches_headers),
        cmocka_unit_test(test_string_list_bounds),
    };
    return cmocka_run_group_tests_name("capi boundary", tests, nullptr, nullptr);
}
