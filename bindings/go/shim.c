/* shim.c — see shim.h. Every trampoline only forwards: the Go side owns the
 * state behind the handle and decides whether to stop. */
#include "shim.h"
#include "_cgo_export.h"

static int progress_trampoline(int has_value, double value, const char *message, void *user_data) {
    return lettsGoProgress(has_value, value, (char *)message, (uintptr_t)user_data);
}

static void failure_trampoline(const letts_launch_failure *failure, void *user_data) {
    lettsGoLaunchFailure((letts_launch_failure *)failure, (uintptr_t)user_data);
}

static void completion_trampoline(const letts_run_result *result, void *user_data) {
    lettsGoCompletion((letts_run_result *)result, (uintptr_t)user_data);
}

static int event_trampoline(const char *line, size_t len, void *user_data) {
    return lettsGoBytes((char *)line, len, (uintptr_t)user_data);
}

static void schedule_dispatch_trampoline(void *data, const char *entry, int64_t tick_unix_ms,
                                         const char *mission_id) {
    lettsGoScheduleDispatch((char *)entry, tick_unix_ms, (char *)mission_id, (uintptr_t)data);
}

static int64_t schedule_clock_trampoline(void *data) {
    return lettsGoScheduleClock((uintptr_t)data);
}

letts_status letts_go_set_progress(letts_run_options *opts, uintptr_t handle, letts_error **err) {
    return letts_run_options_set_progress(opts, progress_trampoline, (void *)handle, err);
}

letts_status letts_go_with_failure_observer(const letts_client *client, uintptr_t handle,
                                            letts_client **out, letts_error **err) {
    return letts_client_with_failure_observer(client, failure_trampoline, (void *)handle, out, err);
}

letts_status letts_go_with_completion_observer(const letts_client *client, uintptr_t handle,
                                               letts_client **out, letts_error **err) {
    return letts_client_with_completion_observer(client, completion_trampoline, (void *)handle, out, err);
}

letts_status letts_go_follow_events(const letts_client *client, const char *host, const char *id,
                                    int64_t from, int follow, uintptr_t handle, letts_error **err) {
    return letts_client_follow_events(client, host, id, from, follow, event_trampoline,
                                      (void *)handle, err);
}

letts_status letts_go_stream_output(const letts_client *client, const char *host, const char *id,
                                    const char *stream, int follow, uintptr_t handle,
                                    letts_error **err) {
    return letts_client_stream_output(client, host, id, stream, follow, event_trampoline,
                                      (void *)handle, err);
}

letts_status letts_go_staging_read(const letts_client *client, const char *host, const char *id,
                                   uint64_t offset, uint64_t length, uintptr_t handle,
                                   letts_error **err) {
    return letts_client_staging_read(client, host, id, offset, length, event_trampoline,
                                     (void *)handle, err);
}

letts_status letts_go_exec_follow_events(const letts_client *client, const char *host,
                                         const char *id, int64_t from, int follow,
                                         uintptr_t handle, letts_error **err) {
    return letts_client_exec_follow_events(client, host, id, from, follow, event_trampoline,
                                           (void *)handle, err);
}

letts_status letts_go_exec_stream_output(const letts_client *client, const char *host,
                                         const char *id, const char *stream, int follow,
                                         uintptr_t handle, letts_error **err) {
    return letts_client_exec_stream_output(client, host, id, stream, follow, event_trampoline,
                                           (void *)handle, err);
}

letts_status letts_go_schedule_set_on_dispatch(letts_schedule *schedule, uintptr_t handle,
                                               letts_error **err) {
    return letts_schedule_set_on_dispatch(schedule, schedule_dispatch_trampoline, (void *)handle,
                                          err);
}

letts_status letts_go_schedule_set_clock(letts_schedule *schedule, uintptr_t handle,
                                         letts_error **err) {
    return letts_schedule_set_clock(schedule, schedule_clock_trampoline, (void *)handle, err);
}
