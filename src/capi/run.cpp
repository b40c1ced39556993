// letts/run.h: run options, run, output download and run result accessors.
#include <cstring>
#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/json.hpp"
#include "letts/run.h"

namespace cl = letts::client;
using letts::capi::guarded;
using letts::capi::optional_text;
using letts::capi::require;

namespace {

const cl::RunResult* get(const letts_run_result* r) { return r ? r->result.get() : nullptr; }

const cl::OutputFile* output_at(const letts_run_result* r, size_t i) {
    const cl::RunResult* result = get(r);
    if (!result || i >= result->outputs.size()) return nullptr;
    return &result->outputs[i].second;
}

}  // namespace

namespace letts::capi {

cl::RunOptions to_run_options(const letts_run_options* opts) {
    cl::RunOptions options;
    if (!opts) return options;
    options.wait_timeout = opts->wait_timeout;
    options.throw_on_failure = opts->failure_as_error;
    options.fetch_logs = opts->fetch_logs;
    options.download_outputs_to = opts->outputs_folder;
    options.cancel = opts->cancel;
    options.kill_on_cancel = opts->kill_on_cancel;
    options.retry = opts->retry;
    if (opts->progress) {
        options.on_progress = [fn = opts->progress, data = opts->progress_data](
                                  std::optional<double> value, std::optional<std::string> message) {
            return fn(value ? 1 : 0, value.value_or(0.0), message ? message->c_str() : nullptr, data) == 0;
        };
    }
    return options;
}

letts_status run_outcome(const cl::RunHandle& handle, letts_run_result** result, letts_error** err) {
    if (result) *result = nullptr;
    // Whether the error slot is ours to fill: a caller's earlier error is
    // never touched (common.h), not even to attach a result to it.
    const bool fill_error = err != nullptr && *err == nullptr;
    std::shared_ptr<const cl::RunResult> failed;
    const letts_status status = guarded(err, [&] {
        require(result != nullptr, "result is NULL");
        try {
            auto finished = std::make_shared<const cl::RunResult>(handle.result());
            hand_over(result, std::make_unique<letts_run_result>(letts_run_result{finished}));
        } catch (const cl::MissionFailed& failure) {
            failed = failure.result();
            throw;
        }
    });
    if (failed) {
        // The result stays reachable on both paths: the out parameter and
        // the error (whichever the caller looks at).
        try {
            hand_over(result, std::make_unique<letts_run_result>(letts_run_result{failed}));
            if (fill_error && *err && !(*err)->preallocated) (*err)->run_result.result = failed;
        } catch (...) {
            return report_no_memory(err);
        }
    }
    return status;
}

}  // namespace letts::capi

extern "C" {

LETTS_EXTERN letts_status letts_run_options_new(letts_run_options** out, letts_error** err) {
    return letts::capi::new_default_handle(out, err, "letts_run_options_new: out is NULL");
}

LETTS_EXTERN void letts_run_options_free(letts_run_options* opts) {
    std::unique_ptr<letts_run_options> owned(opts);
}

LETTS_EXTERN letts_status letts_run_options_set_wait_timeout_ms(letts_run_options* opts,
                                                                int64_t ms, letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_run_options_set_wait_timeout_ms: opts is NULL");
        if (ms < 0) {
            throw letts::Error(letts::Status::invalid_argument,
                               "letts_run_options_set_wait_timeout_ms: ms must not be negative, got " +
                                   std::to_string(ms));
        }
        if (ms == 0) {
            opts->wait_timeout.reset();
        } else {
            opts->wait_timeout = std::chrono::milliseconds(ms);
        }
    });
}

LETTS_EXTERN letts_status letts_run_options_set_cancel(letts_run_options* opts, letts_cancel* cancel,
                                                       letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_run_options_set_cancel: opts is NULL");
        opts->cancel = cancel ? cancel->cancel : nullptr;
    });
}

LETTS_EXTERN letts_status letts_run_options_set_kill_on_cancel(letts_run_options* opts, int on,
                                                               letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_run_options_set_kill_on_cancel: opts is NULL");
        opts->kill_on_cancel = on != 0;
    });
}

LETTS_EXTERN letts_status letts_run_options_add_retry_outcome(letts_run_options* opts,
                                                              const char* outcome, letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr && outcome != nullptr,
                "letts_run_options_add_retry_outcome: opts and outcome must not be NULL");
        cl::check_retry_outcome(outcome);
        opts->retry.outcomes.emplace_back(outcome);
    });
}

LETTS_EXTERN letts_status letts_run_options_add_retry_fail_reason(letts_run_options* opts,
                                                                  const char* reason, letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr && reason != nullptr && *reason != '\0',
                "letts_run_options_add_retry_fail_reason: opts must not be NULL, reason not NULL or empty");
        opts->retry.fail_reasons.emplace_back(reason);
    });
}

LETTS_EXTERN letts_status letts_run_options_set_retry_attempts(letts_run_options* opts, int max_attempts,
                                                               letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_run_options_set_retry_attempts: opts is NULL");
        require(max_attempts >= 1 && max_attempts <= 1000,
                "letts_run_options_set_retry_attempts: max_attempts must be 1..1000");
        opts->retry.max_attempts = max_attempts;
    });
}

LETTS_EXTERN letts_status letts_run_options_set_retry_backoff(letts_run_options* opts, int64_t base_ms,
                                                              int64_t cap_ms, double multiplier, double jitter,
                                                              letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_run_options_set_retry_backoff: opts is NULL");
        require(base_ms >= 0 && base_ms <= cap_ms, "letts_run_options_set_retry_backoff: need 0 <= base_ms <= cap_ms");
        // Written as negations so that NaN is refused too.
        require(!(multiplier < 1.0) && multiplier == multiplier && !(multiplier > 1e6),
                "letts_run_options_set_retry_backoff: multiplier must be 1..1e6");
        require(jitter >= 0.0 && jitter <= 1.0, "letts_run_options_set_retry_backoff: jitter must be 0..1");
        opts->retry.base_ms = base_ms;
        opts->retry.cap_ms = cap_ms;
        opts->retry.multiplier = multiplier;
        opts->retry.jitter = jitter;
    });
}

LETTS_EXTERN letts_status letts_run_options_set_progress(letts_run_options* opts,
                                                         letts_progress_fn fn, void* user_data,
                                                         letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_run_options_set_progress: opts is NULL");
        opts->progress = fn;
        opts->progress_data = user_data;
    });
}

LETTS_EXTERN letts_status letts_run_options_set_failure_as_error(letts_run_options* opts, int on,
                                                                 letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_run_options_set_failure_as_error: opts is NULL");
        opts->failure_as_error = on != 0;
    });
}

LETTS_EXTERN letts_status letts_run_options_set_fetch_logs(letts_run_options* opts, int on,
                                                           letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_run_options_set_fetch_logs: opts is NULL");
        opts->fetch_logs = on != 0;
    });
}

LETTS_EXTERN letts_status letts_run_options_set_outputs_folder(letts_run_options* opts,
                                                               const char* dir,
                                                               letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_run_options_set_outputs_folder: opts is NULL");
        opts->outputs_folder = dir ? dir : "";
    });
}

LETTS_EXTERN letts_status letts_client_run(const letts_client* client, const letts_job* job,
                                           const letts_run_options* opts,
                                           letts_run_result** result, letts_error** err) {
    if (result) *result = nullptr;
    std::unique_ptr<letts::client::RunHandle> handle;
    const letts_status started = guarded(err, [&] {
        require(client != nullptr && job != nullptr && result != nullptr,
                "letts_client_run: client, job and result must not be NULL");
        handle = client->client.start_run(job->job, letts::capi::to_run_options(opts));
        handle->finish();
    });
    if (started != LETTS_OK) return started;
    return letts::capi::run_outcome(*handle, result, err);
}

LETTS_EXTERN letts_status letts_client_wait(const letts_client* client, const char* host,
                                            const char* mission_id, const letts_run_options* opts,
                                            letts_run_result** result, letts_error** err) {
    if (result) *result = nullptr;
    std::unique_ptr<letts::client::RunHandle> handle;
    const letts_status started = guarded(err, [&] {
        require(client != nullptr && host != nullptr && mission_id != nullptr && result != nullptr,
                "letts_client_wait: client, host, mission_id and result must not be NULL");
        handle = client->client.start_wait(host, mission_id, letts::capi::to_run_options(opts));
        handle->finish();
    });
    if (started != LETTS_OK) return started;
    return letts::capi::run_outcome(*handle, result, err);
}

LETTS_EXTERN letts_status letts_client_download_output(const letts_client* client,
                                                       const letts_run_result* result,
                                                       const char* key, char** data, size_t* len,
                                                       letts_error** err) {
    if (data) *data = nullptr;
    if (len) *len = 0;
    return guarded(err, [&] {
        require(client != nullptr && get(result) != nullptr && key != nullptr && data != nullptr &&
                    len != nullptr,
                "letts_client_download_output: no argument may be NULL");
        const std::string bytes = client->client.download_output(*get(result), key);
        *data = letts::capi::copy_to_caller(bytes);
        *len = bytes.size();
    });
}

LETTS_EXTERN letts_status letts_run_result_from_json(letts_run_result** out, const char* host,
                                                     const char* json, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr && host != nullptr && json != nullptr,
                "letts_run_result_from_json: no argument may be NULL");
        const letts::json::Ptr parsed = letts::json::parse(json);
        require(parsed && cJSON_IsObject(parsed.get()),
                "letts_run_result_from_json: json must be a JSON object");
        const auto bad = cl::bad_result_member(parsed.get(), cl::ResultMembers::may_be_absent);
        require(!bad, "letts_run_result_from_json: " + bad.value_or(""));
        const auto kind = letts::json::get_string(parsed.get(), "kind");
        require(!kind || *kind == "mission" || *kind == "exec",
                "letts_run_result_from_json: kind must be \"mission\" or \"exec\"");
        auto built = cl::run_result_from_done(
            host, letts::json::get_string(parsed.get(), "mission_id").value_or(""), parsed.get());
        // A job is read with the token of its kind (http-api.md §4.5).
        if (kind == "exec") built.scope = letts::config::Scope::exec;
        auto result = std::make_shared<const cl::RunResult>(std::move(built));
        letts::capi::hand_over(out, std::make_unique<letts_run_result>(letts_run_result{result}));
    });
}

LETTS_EXTERN void letts_run_result_free(letts_run_result* result) {
    std::unique_ptr<letts_run_result> owned(result);
}

LETTS_EXTERN const letts_run_result* letts_error_run_result(const letts_error* err) {
    return err && err->run_result.result ? &err->run_result : nullptr;
}

LETTS_EXTERN const char* letts_run_result_host(const letts_run_result* r) {
    return get(r) ? get(r)->host.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_run_result_mission_id(const letts_run_result* r) {
    return get(r) ? get(r)->mission_id.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_run_result_kind(const letts_run_result* r) {
    if (!get(r)) return nullptr;
    return get(r)->scope == letts::config::Scope::exec ? "exec" : "mission";
}
LETTS_EXTERN const char* letts_run_result_outcome(const letts_run_result* r) {
    return get(r) ? get(r)->outcome.c_str() : nullptr;
}
LETTS_EXTERN int letts_run_result_is_success(const letts_run_result* r) {
    return get(r) && get(r)->is_success() ? 1 : 0;
}
LETTS_EXTERN const char* letts_run_result_fail_reason(const letts_run_result* r) {
    return get(r) ? optional_text(get(r)->fail_reason) : nullptr;
}
LETTS_EXTERN const char* letts_run_result_fail_message(const letts_run_result* r) {
    return get(r) ? optional_text(get(r)->fail_message) : nullptr;
}
LETTS_EXTERN const char* letts_run_result_fail_details_json(const letts_run_result* r) {
    return get(r) ? optional_text(get(r)->fail_details_json) : nullptr;
}
LETTS_EXTERN const char* letts_run_result_return_json(const letts_run_result* r) {
    return get(r) ? optional_text(get(r)->return_json) : nullptr;
}
LETTS_EXTERN int letts_run_result_exit_code(const letts_run_result* r, int64_t* exit_code) {
    if (!get(r) || !get(r)->exit_code) return 0;
    if (exit_code) *exit_code = *get(r)->exit_code;
    return 1;
}
LETTS_EXTERN const char* letts_run_result_signal(const letts_run_result* r) {
    return get(r) ? optional_text(get(r)->signal) : nullptr;
}
LETTS_EXTERN const char* letts_run_result_lane(const letts_run_result* r) {
    return get(r) ? get(r)->lane.c_str() : nullptr;
}
LETTS_EXTERN size_t letts_run_result_attempts(const letts_run_result* r) {
    return get(r) ? get(r)->attempt_ids.size() : 0;
}
LETTS_EXTERN const char* letts_run_result_attempt_id(const letts_run_result* r, size_t i) {
    if (!get(r) || i >= get(r)->attempt_ids.size()) return nullptr;
    return get(r)->attempt_ids[i].c_str();
}
LETTS_EXTERN int64_t letts_run_result_duration_ms(const letts_run_result* r) {
    return get(r) ? get(r)->duration_ms : 0;
}
LETTS_EXTERN int64_t letts_run_result_time_finished_ms(const letts_run_result* r) {
    return get(r) ? get(r)->time_finished_ms : 0;
}
LETTS_EXTERN int64_t letts_run_result_progress_dropped(const letts_run_result* r) {
    return get(r) ? get(r)->progress_dropped : 0;
}
LETTS_EXTERN const char* letts_run_result_stdout(const letts_run_result* r, size_t* len) {
    if (len) *len = get(r) ? get(r)->logs.stdout_text.size() : 0;
    return get(r) ? get(r)->logs.stdout_text.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_run_result_stderr(const letts_run_result* r, size_t* len) {
    if (len) *len = get(r) ? get(r)->logs.stderr_text.size() : 0;
    return get(r) ? get(r)->logs.stderr_text.c_str() : nullptr;
}
LETTS_EXTERN int letts_run_result_stdout_truncated(const letts_run_result* r) {
    return get(r) && get(r)->logs.stdout_truncated ? 1 : 0;
}
LETTS_EXTERN int letts_run_result_stderr_truncated(const letts_run_result* r) {
    return get(r) && get(r)->logs.stderr_truncated ? 1 : 0;
}
LETTS_EXTERN size_t letts_run_result_output_count(const letts_run_result* r) {
    return get(r) ? get(r)->outputs.size() : 0;
}
LETTS_EXTERN const char* letts_run_result_output_role(const letts_run_result* r, size_t i) {
    return output_at(r, i) ? get(r)->outputs[i].first.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_run_result_output_staging_id(const letts_run_result* r, size_t i) {
    return output_at(r, i) ? output_at(r, i)->staging_id.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_run_result_output_sha256(const letts_run_result* r, size_t i) {
    return output_at(r, i) ? output_at(r, i)->sha256.c_str() : nullptr;
}
LETTS_EXTERN int64_t letts_run_result_output_size(const letts_run_result* r, size_t i) {
    return output_at(r, i) ? output_at(r, i)->size : 0;
}

}  // extern "C"
