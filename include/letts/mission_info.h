/*
 * letts/mission_info.h — the mission resource as the daemon reports it
 * (client-behavior.md §10.5), listing with filters and a cursor, and the
 * control operations (kill, restart, delete).
 *
 * Every operation here is addressed by a host argument: a dugdale id or an
 * alias from letts.yaml (never a route or labels). letts_client_get_mission
 * uses the dispatch token; listing and control use the admin token.
 *
 * letts_mission_info and letts_mission_list are immutable; strings are owned
 * by the object they come from.
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
 * Look mission `id` up. With `host` (id or alias): GET /v1/missions/{id}
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
LETTS_EXTERN letts_status letts_client_get_mission(const letts_client *client, const char *id,
                                                   const char *host, letts_mission_info **out,
                                                   letts_error **err);

/**
 * Create an empty filter (the daemon's defaults: newest first, 100 rows).
 * `*out` is freed with letts_list_filter_free(). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT, LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_list_filter_new(letts_list_filter **out, letts_error **err);

/** Release a filter. NULL is accepted. */
LETTS_EXTERN void letts_list_filter_free(letts_list_filter *filter);

/**
 * Set one filter of GET /v1/missions: `key` is one of status, outcome,
 * lane, mission, mission_prefix, kind, group_id, order, since, until,
 * limit, cursor; setting a key again replaces it. Strings are copied.
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (unknown key, NULL value),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_list_filter_set(letts_list_filter *filter, const char *key,
                                                const char *value, letts_error **err);

/**
 * One page of missions of `host` (required) matching `filter` (NULL: none),
 * admin token, retried. Pass the page's next cursor as the `cursor` filter
 * to get the next one. `*out` is freed with letts_mission_list_free().
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
LETTS_EXTERN letts_status letts_client_kill(const letts_client *client, const char *id,
                                            const char *signal, const char *host,
                                            letts_error **err);

/**
 * Restart finished mission `id` on `host` (required) as a new mission. Never
 * retried (a blind re-send could start the work twice). `*new_id` receives
 * the new mission id ("" if the daemon sent none), freed with letts_free().
 * Statuses as letts_client_kill().
 */
LETTS_EXTERN letts_status letts_client_restart(const letts_client *client, const char *id,
                                               const char *host, char **new_id,
                                               letts_error **err);

/**
 * Delete mission `id` on `host` (required); `force` non-zero also deletes
 * a running mission (after killing it). Retried (deleting is idempotent).
 * Statuses as letts_client_kill(); LETTS_ERR_CONFLICT when running without
 * force.
 */
LETTS_EXTERN letts_status letts_client_delete(const letts_client *client, const char *id,
                                              const char *host, int force, letts_error **err);

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
