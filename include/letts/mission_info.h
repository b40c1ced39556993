/*
 * letts/mission_info.h — a mission on a dugdale: the resource as the daemon
 * reports it (client-behavior.md §10.5), listing with filters and a cursor,
 * the control operations (kill, restart, delete) and its raw event and
 * output streams (§13).
 *
 * Every operation here is addressed by a host argument: a dugdale id or an
 * alias from letts.yaml (never a route or labels), given before the mission
 * id. letts_client_get_mission and the streams use the dispatch token;
 * listing and control use the admin token.
 *
 * Threads: letts_mission_info and letts_mission_list are immutable and may
 * be read from any thread; strings are owned by the object they come from.
 * A letts_list_filter is a plain options object, not thread-safe while
 * being modified. The operations take a const client and may run
 * concurrently on one client; stream callbacks run on the calling thread,
 * during the call.
 */
#ifndef LETTS_MISSION_INFO_H
#define LETTS_MISSION_INFO_H

#include "common.h"
#include "error.h"
#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One mission resource. Opaque; freed with letts_mission_info_free(). */
typedef struct letts_mission_info letts_mission_info;
/** A page of missions. Opaque; freed with letts_mission_list_free(). */
typedef struct letts_mission_list letts_mission_list;
/** Filters of letts_client_list_missions(). Opaque; freed with letts_list_filter_free(). */
typedef struct letts_list_filter letts_list_filter;

/**
 * Look mission `id` up. With `host` (dugdale id or alias): GET /v1/missions/{id}
 * there, retried. With `host` NULL or "": every configured dugdale is asked
 * at once; a dugdale that fails is skipped; the first in file order that
 * knows the id wins.
 *
 * On LETTS_OK `*out` receives the mission (free with
 * letts_mission_info_free()) or NULL when no dugdale knows it — not found is
 * not an error. Returns LETTS_OK; with a host: LETTS_ERR_CONFIG,
 * LETTS_ERR_MISSING_ENV, LETTS_ERR_AUTH, LETTS_ERR_BAD_REQUEST,
 * LETTS_ERR_DISPATCH, LETTS_ERR_NETWORK; LETTS_ERR_INVALID_ARGUMENT;
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_get_mission(const letts_client *client, const char *host,
                                                   const char *id, letts_mission_info **out,
                                                   letts_error **err);

/**
 * Create an empty filter (the daemon's defaults: newest first, 100 rows).
 * `*out` is freed with letts_list_filter_free(). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_list_filter_new(letts_list_filter **out, letts_error **err);

/** Release a filter. NULL is accepted. */
LETTS_EXTERN void letts_list_filter_free(letts_list_filter *filter);

/*
 * The filters of GET /v1/missions (http-api.md §5.8). Each setter replaces
 * an earlier value of its filter; strings are copied; a string setter given
 * NULL or "" and a number setter given 0 remove the filter. Each returns
 * LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `filter`, or a value the
 * setter names as refused), LETTS_ERR_NO_MEMORY.
 */

/**
 * `status`: exact match ("queued", "running", "done", "deleting"); without
 * it, missions being deleted are left out.
 */
LETTS_EXTERN letts_status letts_list_filter_set_status(letts_list_filter *filter,
                                                       const char *status, letts_error **err);
/** `outcome`: exact match ("success", "failed", ...). */
LETTS_EXTERN letts_status letts_list_filter_set_outcome(letts_list_filter *filter,
                                                        const char *outcome, letts_error **err);
/** `lane`: exact match. */
LETTS_EXTERN letts_status letts_list_filter_set_lane(letts_list_filter *filter, const char *lane,
                                                     letts_error **err);
/** `mission`: substring of the mission name (`%` and `_` match literally). */
LETTS_EXTERN letts_status letts_list_filter_set_mission(letts_list_filter *filter,
                                                        const char *mission, letts_error **err);
/** `mission_prefix`: prefix of the mission name. */
LETTS_EXTERN letts_status letts_list_filter_set_mission_prefix(letts_list_filter *filter,
                                                               const char *prefix,
                                                               letts_error **err);
/** `kind`: exact match ("mission" or "exec"). */
LETTS_EXTERN letts_status letts_list_filter_set_kind(letts_list_filter *filter, const char *kind,
                                                     letts_error **err);
/** `group_id`: exact match on the exec group id. */
LETTS_EXTERN letts_status letts_list_filter_set_group_id(letts_list_filter *filter,
                                                         const char *group_id, letts_error **err);
/**
 * `order`: "created" (newest time_created first, the daemon's default) or
 * "finished" (newest time_finished first; unfinished missions are left
 * out). Any other value is refused.
 */
LETTS_EXTERN letts_status letts_list_filter_set_order(letts_list_filter *filter, const char *order,
                                                      letts_error **err);
/**
 * `since`: keep missions created at or after `unix_ms` (Unix milliseconds,
 * sent as the integer the daemon expects). 0 removes it; negative is refused.
 */
LETTS_EXTERN letts_status letts_list_filter_set_since_ms(letts_list_filter *filter,
                                                         int64_t unix_ms, letts_error **err);
/**
 * `until`: keep missions created before `unix_ms` (Unix milliseconds; also
 * with order "finished"). 0 removes it; negative is refused.
 */
LETTS_EXTERN letts_status letts_list_filter_set_until_ms(letts_list_filter *filter,
                                                         int64_t unix_ms, letts_error **err);
/**
 * `limit`: rows per page, at least 1 (the daemon's default is 100 and it
 * answers at most 1000 rows however many are asked for). 0 removes it;
 * negative is refused.
 */
LETTS_EXTERN letts_status letts_list_filter_set_limit(letts_list_filter *filter, int limit,
                                                      letts_error **err);
/** `cursor`: the next_cursor of the previous page (letts_mission_list_next_cursor). */
LETTS_EXTERN letts_status letts_list_filter_set_cursor(letts_list_filter *filter,
                                                       const char *cursor, letts_error **err);

/**
 * One page of missions of `host` (required) matching `filter` (NULL: none),
 * admin token, retried. Pass the page's next cursor to
 * letts_list_filter_set_cursor() to get the next one. `*out` is freed with letts_mission_list_free().
 * Returns LETTS_OK; LETTS_ERR_BAD_REQUEST ("host is required for
 * listMissions", or a 400); LETTS_ERR_AUTH; LETTS_ERR_DISPATCH;
 * LETTS_ERR_NETWORK; LETTS_ERR_CONFIG; LETTS_ERR_MISSING_ENV;
 * LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_list_missions(const letts_client *client, const char *host,
                                                     const letts_list_filter *filter,
                                                     letts_mission_list **out, letts_error **err);

/** Release a list. NULL is accepted. */
LETTS_EXTERN void letts_mission_list_free(letts_mission_list *list);
/** Number of missions on the page. */
LETTS_EXTERN size_t letts_mission_list_count(const letts_mission_list *list);
/** Mission `i`, or NULL when out of range. Owned by `list`. */
LETTS_EXTERN const letts_mission_info *letts_mission_list_get(const letts_mission_list *list,
                                                              size_t i);
/** The cursor of the next page, or NULL on the last page. Owned by `list`. */
LETTS_EXTERN const char *letts_mission_list_next_cursor(const letts_mission_list *list);

/**
 * Ask the daemon to kill mission `id` on `host` (required) with `signal`
 * (NULL: "TERM"). Never retried: on LETTS_ERR_NETWORK check the mission
 * before trying again. Returns LETTS_OK; LETTS_ERR_BAD_REQUEST;
 * LETTS_ERR_CONFLICT (already done); LETTS_ERR_AUTH; LETTS_ERR_DISPATCH
 * (404 …); LETTS_ERR_NETWORK; LETTS_ERR_CONFIG; LETTS_ERR_MISSING_ENV;
 * LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_kill(const letts_client *client, const char *host,
                                            const char *id, const char *signal,
                                            letts_error **err);

/**
 * Restart finished mission `id` on `host` (required) as a new mission. Never
 * retried (a blind re-send could start the work twice). `*new_id` receives
 * the new mission id ("" if the daemon sent none), freed with letts_free().
 * Statuses as letts_client_kill().
 */
LETTS_EXTERN letts_status letts_client_restart(const letts_client *client, const char *host,
                                               const char *id, char **new_id,
                                               letts_error **err);

/**
 * Delete mission `id` on `host` (required); `force` non-zero also deletes
 * a running mission (after killing it). Retried (deleting is idempotent).
 * Statuses as letts_client_kill(); LETTS_ERR_CONFLICT when running without
 * force.
 */
LETTS_EXTERN letts_status letts_client_delete(const letts_client *client, const char *host,
                                              const char *id, int force, letts_error **err);

/**
 * Gets one event: its JSON line (without the newline; valid during the
 * call) and length. Return non-zero to stop.
 */
typedef int (*letts_event_fn)(const char *json_line, size_t len, void *user_data);

/** Gets the next bytes of a stream (valid during the call). Return non-zero to stop. */
typedef int (*letts_bytes_fn)(const char *data, size_t len, void *user_data);

/**
 * Events of mission `id` with seq > `from` (dispatch token), in order, each
 * handed to `fn` once. With `follow` non-zero the stream is followed to the
 * `done` event, reconnecting from the last seq (3 consecutive event-less
 * reconnects, 1000 in total); otherwise the events so far are read once.
 * A line longer than the client's max_event_line_bytes ends the call with
 * LETTS_ERR_DISPATCH (no reconnect); so does a status other than 200 below
 * 400. Returns LETTS_OK; LETTS_ERR_BAD_REQUEST;
 * LETTS_ERR_AUTH; LETTS_ERR_DISPATCH (other HTTP status, 410 while being
 * deleted, the protocol breaches above); LETTS_ERR_NETWORK;
 * LETTS_ERR_CONFIG; LETTS_ERR_MISSING_ENV; LETTS_ERR_INTERRUPTED when `fn`
 * stopped it; LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_follow_events(const letts_client *client, const char *host,
                                                     const char *id, int64_t from, int follow,
                                                     letts_event_fn fn, void *user_data,
                                                     letts_error **err);

/**
 * The captured output of mission `id`: `stream` is "stdout", "stderr" or
 * "combined" (NDJSON records); `follow` non-zero tails it until the mission
 * ends. Bytes go to `fn` as they arrive (never held whole, so not capped;
 * only 2xx bodies reach `fn`). Statuses as letts_client_follow_events().
 */
LETTS_EXTERN letts_status letts_client_stream_output(const letts_client *client, const char *host,
                                                     const char *id, const char *stream,
                                                     int follow, letts_bytes_fn fn,
                                                     void *user_data, letts_error **err);

/** Release a mission. NULL is accepted. */
LETTS_EXTERN void letts_mission_info_free(letts_mission_info *info);

/** The resource as received, JSON. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_json(const letts_mission_info *info);
/** `mission_id` ("" when absent). Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_mission_id(const letts_mission_info *info);
/** `kind`: "mission" or "exec" ("" when absent). Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_kind(const letts_mission_info *info);
/** `lane` ("" when absent). Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_lane(const letts_mission_info *info);
/** `mission_name` ("" when absent). Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_mission_name(const letts_mission_info *info);
/** `display_name` ("" when absent). Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_display_name(const letts_mission_info *info);
/** `group_id` ("" when absent). Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_group_id(const letts_mission_info *info);
/** `status`: queued, running, done ("" when absent). Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_status(const letts_mission_info *info);
/** `outcome` ("" while not done). Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_outcome(const letts_mission_info *info);
/** 1 and `*exit_code` set when `exit_code` is present, else 0. */
LETTS_EXTERN int letts_mission_info_exit_code(const letts_mission_info *info, int64_t *exit_code);
/** `signal`, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_signal(const letts_mission_info *info);
/** `fail_reason`, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_fail_reason(const letts_mission_info *info);
/** `fail_message`, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_fail_message(const letts_mission_info *info);
/** `fail_details` as JSON, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_fail_details_json(const letts_mission_info *info);
/** `return` as JSON, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_return_json(const letts_mission_info *info);
/** `input` as JSON, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_input_json(const letts_mission_info *info);
/** `input_fingerprint` ("" when absent). Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_input_fingerprint(const letts_mission_info *info);
/** `pid` (0 when absent). */
LETTS_EXTERN int64_t letts_mission_info_pid(const letts_mission_info *info);
/** `time_created`, Unix ms (0 when absent). */
LETTS_EXTERN int64_t letts_mission_info_time_created_ms(const letts_mission_info *info);
/** `time_started`, Unix ms (0 when absent). */
LETTS_EXTERN int64_t letts_mission_info_time_started_ms(const letts_mission_info *info);
/** `time_finished`, Unix ms (0 when absent). */
LETTS_EXTERN int64_t letts_mission_info_time_finished_ms(const letts_mission_info *info);
/** `duration_ms` (0 when absent). */
LETTS_EXTERN int64_t letts_mission_info_duration_ms(const letts_mission_info *info);
/** `timeout_ms` (0 when absent). */
LETTS_EXTERN int64_t letts_mission_info_timeout_ms(const letts_mission_info *info);
/** `truncated_stdout` as 0/1. */
LETTS_EXTERN int letts_mission_info_truncated_stdout(const letts_mission_info *info);
/** `truncated_stderr` as 0/1. */
LETTS_EXTERN int letts_mission_info_truncated_stderr(const letts_mission_info *info);
/** `restarted_from`, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_restarted_from(const letts_mission_info *info);
/** Number of staged inputs. */
LETTS_EXTERN size_t letts_mission_info_input_count(const letts_mission_info *info);
/** Role of input `i`, or NULL when out of range. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_input_role(const letts_mission_info *info, size_t i);
/** Staging id of input `i`, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_input_staging_id(const letts_mission_info *info,
                                                             size_t i);
/** sha256 of input `i`, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_input_sha256(const letts_mission_info *info, size_t i);
/** Size of input `i` (0 when out of range). */
LETTS_EXTERN int64_t letts_mission_info_input_size(const letts_mission_info *info, size_t i);
/** Number of outputs. */
LETTS_EXTERN size_t letts_mission_info_output_count(const letts_mission_info *info);
/** Role of output `i`, or NULL when out of range. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_output_role(const letts_mission_info *info, size_t i);
/** Staging id of output `i`, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_output_staging_id(const letts_mission_info *info,
                                                              size_t i);
/** sha256 of output `i`, or NULL. Owned by `info`. */
LETTS_EXTERN const char *letts_mission_info_output_sha256(const letts_mission_info *info, size_t i);
/** Size of output `i` (0 when out of range). */
LETTS_EXTERN int64_t letts_mission_info_output_size(const letts_mission_info *info, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_MISSION_INFO_H */
