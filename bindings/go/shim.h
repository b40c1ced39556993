/*
 * shim.h — declarations of the C side of the Go binding: the trampolines
 * that C calls (they forward to the //export functions of callbacks.go) and
 * setters that take a cgo.Handle as uintptr_t. A handle travels to C as an
 * integer and becomes `void *user_data` only here, in C, so Go never turns
 * an integer into an unsafe.Pointer (go vet and cgocheck stay quiet).
 * Only declarations here: files with //export may include it.
 */
#ifndef LETTS_GO_SHIM_H
#define LETTS_GO_SHIM_H

#include <stdint.h>
#include <stdlib.h>
#include <letts/letts.h>

letts_status letts_go_set_progress(letts_run_options *opts, uintptr_t handle, letts_error **err);
letts_status letts_go_with_failure_observer(const letts_client *client, uintptr_t handle,
                                            letts_client **out, letts_error **err);
letts_status letts_go_with_completion_observer(const letts_client *client, uintptr_t handle,
                                               letts_client **out, letts_error **err);
letts_status letts_go_follow_events(const letts_client *client, const char *host, const char *id,
                                    int64_t from, int follow, uintptr_t handle, letts_error **err);
letts_status letts_go_stream_output(const letts_client *client, const char *host, const char *id,
                                    const char *stream, int follow, uintptr_t handle,
                                    letts_error **err);
letts_status letts_go_staging_read(const letts_client *client, const char *host, const char *id,
                                   uint64_t offset, uint64_t length, uintptr_t handle,
                                   letts_error **err);
letts_status letts_go_exec_follow_events(const letts_client *client, const char *host,
                                         const char *id, int64_t from, int follow,
                                         uintptr_t handle, letts_error **err);
letts_status letts_go_exec_stream_output(const letts_client *client, const char *host,
                                         const char *id, const char *stream, int follow,
                                         uintptr_t handle, letts_error **err);
letts_status letts_go_schedule_set_on_dispatch(letts_schedule *schedule, uintptr_t handle,
                                               letts_error **err);
letts_status letts_go_schedule_set_clock(letts_schedule *schedule, uintptr_t handle,
                                         letts_error **err);

#endif
