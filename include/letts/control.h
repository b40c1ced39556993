/*
 * letts/control.h — the control operations with their whole answers: the
 * restart of one mission as the daemon answers it (http-api.md §5.11), and
 * bulk restart and bulk delete (§5.14, §5.15), the Go client's BulkRestart
 * and BulkDelete with the upstream CLI's selector and dry run.
 *
 * What a bulk operation acts on is chosen in a letts_bulk_options: either a
 * list of mission ids, or a letts_list_filter (a "selector"): the missions
 * on the first page GET /v1/missions answers for it (the filter's limit,
 * else the daemon's 100 rows, at most 1000), of kind "mission" unless the
 * filter names a kind, so a loose selector never catches ad-hoc exec jobs.
 * The ids then go to the bulk route in one request, admin token. A dry run
 * selects and reports the ids without sending the bulk request; an empty
 * selection sends nothing either.
 *
 * The route answers each id on its own: a failed id (not found, not done,
 * running without force, ...) is an item of the answer with the error code
 * the single route would have returned, never the failure of the call.
 *
 * Threads: the operations take a const client and may run concurrently on
 * one client. A letts_bulk_options is a plain options object, not
 * thread-safe while being modified; letts_bulk_result and
 * letts_restart_result are immutable and may be read from any thread; their
 * strings belong to them.
 */
#ifndef LETTS_CONTROL_H
#define LETTS_CONTROL_H

#include "common.h"
#include "error.h"
#include "client.h"
#include "mission_info.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The answer to a restart. Opaque, immutable; freed with letts_restart_result_free(). */
typedef struct letts_restart_result letts_restart_result;
/** What a bulk operation acts on. Opaque; freed with letts_bulk_options_free(). */
typedef struct letts_bulk_options letts_bulk_options;
/** The answer to a bulk operation. Opaque, immutable; freed with letts_bulk_result_free(). */
typedef struct letts_bulk_result letts_bulk_result;

/**
 * Restart finished mission `id` on `host` (required; dugdale id or alias)
 * as a new mission, admin token, and give the daemon's whole answer in
 * `*out` (freed with letts_restart_result_free()). Never retried: each
 * restart creates another mission, so a blind re-send after a lost answer
 * could start the work twice; on LETTS_ERR_NETWORK list the missions
 * before trying again. letts_client_restart() is the same call giving the
 * new id only.
 *
 * Returns LETTS_OK; LETTS_ERR_BAD_REQUEST ("host is required for restart",
 * a bad id, unknown_lane); LETTS_ERR_CONFLICT (mission_not_done,
 * mission_deleting, input_artifacts_expired); LETTS_ERR_AUTH;
 * LETTS_ERR_DISPATCH (404 not_found, other statuses); LETTS_ERR_NETWORK;
 * LETTS_ERR_CONFIG; LETTS_ERR_MISSING_ENV; LETTS_ERR_CANCELLED;
 * LETTS_ERR_INVALID_ARGUMENT (NULL `client`, `id` or `out`);
 * LETTS_ERR_NO_MEMORY. On failure `*out` is NULL.
 */
LETTS_EXTERN letts_status letts_client_restart_mission(const letts_client *client,
                                                       const char *host, const char *id,
                                                       letts_restart_result **out,
                                                       letts_error **err);

/** The new mission's id ("" if the daemon sent none). Owned by `result`; NULL when `result` is NULL. */
LETTS_EXTERN const char *letts_restart_result_mission_id(const letts_restart_result *result);
/** `restarted_from`: the id of the mission restarted ("" when absent). Owned by `result`. */
LETTS_EXTERN const char *letts_restart_result_restarted_from(const letts_restart_result *result);
/** `status` of the new mission: "queued" ("" when absent). Owned by `result`. */
LETTS_EXTERN const char *letts_restart_result_status(const letts_restart_result *result);
/** The answer as received, JSON (for members a later daemon may add). Owned by `result`. */
LETTS_EXTERN const char *letts_restart_result_json(const letts_restart_result *result);
/** Release a restart result and its strings. NULL is accepted. */
LETTS_EXTERN void letts_restart_result_free(letts_restart_result *result);

/**
 * Create empty bulk options (nothing selected, no dry run, no force): one
 * of letts_bulk_options_set_ids() and letts_bulk_options_set_filter() must
 * be called before use. `*out` is freed with letts_bulk_options_free().
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `out`),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_bulk_options_new(letts_bulk_options **out, letts_error **err);

/** Release bulk options. NULL is accepted. */
LETTS_EXTERN void letts_bulk_options_free(letts_bulk_options *options);

/**
 * Select the missions `ids[0 .. n_ids-1]` (copied; sent as given, in
 * order, so the daemon reports a malformed id as that item's bad_request).
 * Replaces earlier ids; `n_ids` 0 removes them. Returns LETTS_OK;
 * LETTS_ERR_INVALID_ARGUMENT: NULL `options`, `ids` NULL with `n_ids` not
 * 0, a NULL or empty `ids[i]`, more than 1000 ids (the route's limit);
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_bulk_options_set_ids(letts_bulk_options *options,
                                                     const char *const *ids, size_t n_ids,
                                                     letts_error **err);

/**
 * Select the missions `filter` lists (its filters are copied: changing or
 * freeing `filter` afterwards does not change `options`); NULL removes the
 * selector. Every filter of letts_list_filter applies, the cursor too (to
 * act on a later page). Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL
 * `options`), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_bulk_options_set_filter(letts_bulk_options *options,
                                                        const letts_list_filter *filter,
                                                        letts_error **err);

/**
 * `dry_run` non-zero: select and report the ids without sending the bulk
 * request (nothing changes on the dugdale). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (NULL `options`).
 */
LETTS_EXTERN letts_status letts_bulk_options_set_dry_run(letts_bulk_options *options,
                                                         int dry_run, letts_error **err);

/**
 * `force` non-zero: bulk delete also deletes running missions (killing
 * them first), as letts_client_delete() with force. Bulk restart ignores
 * it, as its route does. Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL
 * `options`).
 */
LETTS_EXTERN letts_status letts_bulk_options_set_force(letts_bulk_options *options, int force,
                                                       letts_error **err);

/**
 * Restart the missions `options` selects on `host` (required) with POST
 * /v1/missions/bulk-restart, and give the answer in `*out` (freed with
 * letts_bulk_result_free()). Never retried, like letts_client_restart():
 * every restarted id is a new mission, so a re-send after a lost answer
 * would restart them twice. The selector's listing is a read and follows
 * the retry policy.
 *
 * Every argument and option is checked before anything is sent: NULL
 * `client`, `options` or `out`, or options with neither ids nor a filter,
 * or both, are LETTS_ERR_INVALID_ARGUMENT naming what is wrong. Returns
 * LETTS_OK whatever became of each id; LETTS_ERR_BAD_REQUEST ("host is
 * required for bulkRestart", a 400 of the route or the listing);
 * LETTS_ERR_AUTH; LETTS_ERR_DISPATCH (other statuses, an answer without a
 * results array); LETTS_ERR_NETWORK; LETTS_ERR_CONFIG;
 * LETTS_ERR_MISSING_ENV; LETTS_ERR_CANCELLED; LETTS_ERR_NO_MEMORY. On
 * failure `*out` is NULL.
 */
LETTS_EXTERN letts_status letts_client_bulk_restart(const letts_client *client, const char *host,
                                                    const letts_bulk_options *options,
                                                    letts_bulk_result **out, letts_error **err);

/**
 * Delete the missions `options` selects on `host` (required) with POST
 * /v1/missions/bulk-delete (`force` from the options). Follows the retry
 * policy: deleting is idempotent — an id already being deleted answers
 * deletion_pending again (a retried id whose deletion already completed may
 * then be reported not_found). Arguments and statuses as
 * letts_client_bulk_restart() ("host is required for bulkDelete").
 */
LETTS_EXTERN letts_status letts_client_bulk_delete(const letts_client *client, const char *host,
                                                   const letts_bulk_options *options,
                                                   letts_bulk_result **out, letts_error **err);

/** 1 when the result is a dry run's (nothing was sent), else 0 (also for NULL). */
LETTS_EXTERN int letts_bulk_result_dry_run(const letts_bulk_result *result);
/** Number of items: one per selected id, in order (0 when `result` is NULL). */
LETTS_EXTERN size_t letts_bulk_result_count(const letts_bulk_result *result);
/** Number of items that failed (`ok` false); 0 for a dry run. */
LETTS_EXTERN size_t letts_bulk_result_failed_count(const letts_bulk_result *result);
/** The id item `i` is about (as selected), or NULL when `i` is out of range. Owned by `result`. */
LETTS_EXTERN const char *letts_bulk_result_id(const letts_bulk_result *result, size_t i);
/** 1 when the daemon acted on item `i`; 0 when it failed, for a dry run, or out of range. */
LETTS_EXTERN int letts_bulk_result_ok(const letts_bulk_result *result, size_t i);
/** Bulk restart: the new mission's id of a successful item `i`, else NULL. Owned by `result`. */
LETTS_EXTERN const char *letts_bulk_result_mission_id(const letts_bulk_result *result, size_t i);
/** Bulk delete: the status of a successful item `i` ("deletion_pending"), else NULL. Owned by `result`. */
LETTS_EXTERN const char *letts_bulk_result_status(const letts_bulk_result *result, size_t i);
/**
 * The error code of a failed item `i` (the single route's: "not_found",
 * "mission_not_done", "mission_running", "bad_request", ...), else NULL.
 * Owned by `result`.
 */
LETTS_EXTERN const char *letts_bulk_result_error(const letts_bulk_result *result, size_t i);
/** The error details of a failed item `i` as JSON, or NULL when it has none. Owned by `result`. */
LETTS_EXTERN const char *letts_bulk_result_details_json(const letts_bulk_result *result, size_t i);
/** The route's answer as received, JSON; NULL when nothing was sent (dry run, empty selection). Owned by `result`. */
LETTS_EXTERN const char *letts_bulk_result_json(const letts_bulk_result *result);
/** Release a bulk result and its strings. NULL is accepted. */
LETTS_EXTERN void letts_bulk_result_free(letts_bulk_result *result);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_CONTROL_H */
