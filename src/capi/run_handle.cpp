// letts/run_handle.h: runs stepped by the caller's event loop.
#include <memory>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/run_handle.h"

using letts::capi::guarded;
using letts::capi::require;
using letts::client::RunState;

static_assert(static_cast<int>(LETTS_RUN_STARTING) == static_cast<int>(RunState::starting));
static_assert(static_cast<int>(LETTS_RUN_FOLLOWING) == static_cast<int>(RunState::following));
static_assert(static_cast<int>(LETTS_RUN_COLLECTING) == static_cast<int>(RunState::collecting));
static_assert(static_cast<int>(LETTS_RUN_DONE) == static_cast<int>(RunState::done));

extern "C" {

LETTS_EXTERN letts_status letts_client_run_start(const letts_client* client, const letts_job* job,
                                                 const letts_run_options* opts,
                                                 letts_run_handle** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && job != nullptr && out != nullptr,
                "letts_client_run_start: client, job and out must not be NULL");
        auto handle = std::make_unique<letts_run_handle>();
        handle->handle = client->client.start_run(job->job, letts::capi::to_run_options(opts));
        letts::capi::hand_over(out, std::move(handle));
    });
}

LETTS_EXTERN letts_status letts_client_wait_start(const letts_client* client, const char* host,
                                                  const char* mission_id,
                                                  const letts_run_options* opts,
                                                  letts_run_handle** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && host != nullptr && mission_id != nullptr && out != nullptr,
                "letts_client_wait_start: client, host, mission_id and out must not be NULL");
        auto handle = std::make_unique<letts_run_handle>();
        handle->handle = client->client.start_wait(host, mission_id, letts::capi::to_run_options(opts));
        letts::capi::hand_over(out, std::move(handle));
    });
}

LETTS_EXTERN int letts_run_handle_fd(const letts_run_handle* handle) {
    return handle && handle->handle ? handle->handle->fd() : -1;
}

LETTS_EXTERN letts_status letts_run_handle_step(letts_run_handle* handle, letts_error** err) {
    return guarded(err, [&] {
        require(handle != nullptr && handle->handle, "letts_run_handle_step: handle is NULL");
        handle->handle->step();
    });
}

LETTS_EXTERN letts_run_state letts_run_handle_state(const letts_run_handle* handle) {
    if (!handle || !handle->handle) return LETTS_RUN_DONE;
    return static_cast<letts_run_state>(handle->handle->state());
}

LETTS_EXTERN const char* letts_run_handle_mission_id(const letts_run_handle* handle) {
    // Empty until the dispatch was confirmed (a wait knows it from the start).
    if (!handle || !handle->handle || handle->handle->mission_id().empty()) return nullptr;
    return handle->handle->mission_id().c_str();
}

LETTS_EXTERN letts_status letts_run_handle_result(const letts_run_handle* handle,
                                                  letts_run_result** result, letts_error** err) {
    if (result) *result = nullptr;
    if (!handle || !handle->handle) {
        return guarded(err, [] { require(false, "letts_run_handle_result: handle is NULL"); });
    }
    return letts::capi::run_outcome(*handle->handle, result, err);
}

LETTS_EXTERN void letts_run_handle_free(letts_run_handle* handle) {
    std::unique_ptr<letts_run_handle> owned(handle);
}

}  // extern "C"
