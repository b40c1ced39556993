// letts/host_result.h: fan-out entry points and per-job results.
#include <memory>
#include <string>
#include <vector>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/host_result.h"

namespace cl = letts::client;
using letts::capi::guarded;
using letts::capi::require;

namespace {

std::unique_ptr<letts_host_results> wrap(std::vector<cl::HostResult> results) {
    auto out = std::make_unique<letts_host_results>();
    out->results = std::move(results);
    for (const auto& result : out->results) out->run_results.push_back(letts_run_result{result.result});
    return out;
}

const cl::HostResult* at(const letts_host_results* r, size_t i) {
    return r && i < r->results.size() ? &r->results[i] : nullptr;
}

const cl::HostError* error_at(const letts_host_results* r, size_t i) {
    const cl::HostResult* result = at(r, i);
    return result && result->error ? &*result->error : nullptr;
}


}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_client_run_parallel(const letts_client* client,
                                                    const letts_job* const* jobs, size_t n_jobs,
                                                    const letts_run_options* opts,
                                                    letts_host_results** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr && (jobs != nullptr || n_jobs == 0),
                "letts_client_run_parallel: client, jobs and out must not be NULL");
        std::vector<cl::Job> copies;
        for (size_t i = 0; i < n_jobs; ++i) {
            require(jobs[i] != nullptr, "letts_client_run_parallel: a job is NULL");
            copies.push_back(jobs[i]->job);
        }
        letts::capi::hand_over(out, wrap(client->client.run_parallel(copies, letts::capi::to_run_options(opts))));
    });
}

LETTS_EXTERN letts_status letts_client_run_on_all(const letts_client* client, const letts_job* job,
                                                  const letts_run_options* opts,
                                                  letts_host_results** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && job != nullptr && out != nullptr,
                "letts_client_run_on_all: client, job and out must not be NULL");
        letts::capi::hand_over(out, wrap(client->client.run_on_all(job->job, letts::capi::to_run_options(opts))));
    });
}

LETTS_EXTERN void letts_host_results_free(letts_host_results* results) {
    std::unique_ptr<letts_host_results> owned(results);
}
LETTS_EXTERN size_t letts_host_results_count(const letts_host_results* r) {
    return r ? r->results.size() : 0;
}
LETTS_EXTERN const char* letts_host_results_host(const letts_host_results* r, size_t i) {
    return at(r, i) ? at(r, i)->host.c_str() : nullptr;
}
LETTS_EXTERN const letts_run_result* letts_host_results_result(const letts_host_results* r,
                                                               size_t i) {
    return at(r, i) && at(r, i)->result ? &r->run_results[i] : nullptr;
}
LETTS_EXTERN int letts_host_results_is_reachable(const letts_host_results* r, size_t i) {
    return at(r, i) && !at(r, i)->error ? 1 : 0;
}
LETTS_EXTERN int letts_host_results_is_success(const letts_host_results* r, size_t i) {
    return at(r, i) && at(r, i)->result && at(r, i)->result->is_success() ? 1 : 0;
}
LETTS_EXTERN const char* letts_host_results_error_kind(const letts_host_results* r, size_t i) {
    return error_at(r, i) ? error_at(r, i)->kind.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_host_results_error_message(const letts_host_results* r, size_t i) {
    return error_at(r, i) ? error_at(r, i)->message.c_str() : nullptr;
}
LETTS_EXTERN int letts_host_results_error_http_status(const letts_host_results* r, size_t i) {
    return error_at(r, i) ? error_at(r, i)->http_status : 0;
}
LETTS_EXTERN const char* letts_host_results_error_code(const letts_host_results* r, size_t i) {
    const cl::HostError* error = error_at(r, i);
    return error ? letts::capi::null_if_empty(error->error_code) : nullptr;
}

}  // extern "C"
