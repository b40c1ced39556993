// Run-result JSON through the C API (letts_run_result_from_json, the path a
// binding takes with a daemon's `done` event or mission resource) and the
// client's mission resource decoder (src/client/results): any text gives a
// result whose every getter works, or an error; nothing leaks.
#include <cstddef>
#include <cstdint>
#include <string>

#include "client/results.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "fuzz_support.hpp"
#include "letts/letts.h"

using letts::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The C API takes a C string: the text up to the first NUL.
    const std::string json(reinterpret_cast<const char*>(data), size);

    letts_run_result* result = nullptr;
    letts_error* error = nullptr;
    const letts_status status = letts_run_result_from_json(&result, "fuzz-host", json.c_str(), &error);
    if (status == LETTS_OK) {
        check(result != nullptr && error == nullptr, "LETTS_OK without a result");
        check(letts_run_result_host(result) != nullptr && letts_run_result_mission_id(result) != nullptr &&
                  letts_run_result_outcome(result) != nullptr,
              "a result getter returned NULL");
        (void)letts_run_result_is_success(result);
        (void)letts_run_result_fail_reason(result);
        (void)letts_run_result_fail_message(result);
        if (const char* details = letts_run_result_fail_details_json(result))
            check(letts::json::parse(details) != nullptr, "fail details are not JSON", details);
        if (const char* ret = letts_run_result_return_json(result))
            check(letts::json::parse(ret) != nullptr, "return is not JSON", ret);
        std::int64_t exit_code = 0;
        (void)letts_run_result_exit_code(result, &exit_code);
        (void)letts_run_result_signal(result);
        (void)letts_run_result_duration_ms(result);
        (void)letts_run_result_time_finished_ms(result);
        (void)letts_run_result_progress_dropped(result);
        std::size_t len = 0;
        (void)letts_run_result_stdout(result, &len);
        (void)letts_run_result_stderr(result, &len);
        (void)letts_run_result_stdout_truncated(result);
        (void)letts_run_result_stderr_truncated(result);
        const std::size_t outputs = letts_run_result_output_count(result);
        for (std::size_t i = 0; i <= outputs; ++i) {  // one past the end on purpose
            const char* role = letts_run_result_output_role(result, i);
            check((role != nullptr) == (i < outputs), "output_role disagrees with output_count");
            (void)letts_run_result_output_staging_id(result, i);
            (void)letts_run_result_output_sha256(result, i);
            (void)letts_run_result_output_size(result, i);
        }
    } else {
        check(result == nullptr && error != nullptr, "an error status without an error object");
        check(letts_error_message(error) != nullptr, "an error without a message");
    }
    letts_run_result_free(result);
    letts_error_free(error);

    // The same text as a mission resource (GET /v1/missions/{id}).
    if (const letts::json::Ptr parsed = letts::json::parse(json); parsed && cJSON_IsObject(parsed.get())) {
        try {
            const auto info = letts::client::mission_info_from_json(parsed.get());
            (void)info.outcome;
        } catch (const letts::Error&) {
        }
    }
    return 0;
}
