/*
 * letts/staging.h — the staging store of a dugdale (http-api.md §5.16–§5.21,
 * §9): upload a local file, probe it, download it whole or a byte range of
 * it, list the files a mission references, delete one, and find a complete
 * file by its content. The Go client's staging primitives.
 *
 * Tokens: upload, probe and download use the dispatch token (any dispatch
 * or exec token may use a staging id it knows); list and delete use the
 * admin token; the by-content look-up uses the token of the scope the caller
 * names (the route accepts exec and admin tokens and refuses a dispatch one).
 *
 * Uploads follow the resumable algorithm dispatch uses for input files
 * (client-behavior.md §8): a new UUIDv7 staging id, HEAD, then PUT from the
 * byte the daemon holds, under the client's retry policy with a new probe
 * before every retry. Downloads follow the verified download of
 * client-behavior.md §9: the body is streamed, checked against the size and
 * sha256 the HEAD announced (a range: against its length), never retried;
 * to a file, through `<path>.partial`, which no failure leaves behind.
 *
 * Not found: a staging id the dugdale has no row for is LETTS_ERR_NOT_FOUND
 * (HTTP status 404 on the error) for every call here. A deleted file keeps
 * its row in state "deleting" until the daemon's garbage collector takes it:
 * letts_client_staging_head() then reports that state and a download fails
 * with LETTS_ERR_STAGING.
 *
 * Threads: the operations take a const client and may run concurrently on
 * one client; callbacks run on the calling thread during the call. Result
 * objects are immutable and may be read from any thread; their strings
 * belong to them.
 */
#ifndef LETTS_STAGING_H
#define LETTS_STAGING_H

#include "common.h" /* stddef.h, stdint.h */
#include "error.h"
#include "client.h"
#include "mission_info.h"
#include "request.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A staged file: id, sha256, size. Opaque, immutable; freed with letts_staged_file_free(). */
typedef struct letts_staged_file letts_staged_file;
/** What HEAD said of a staging id. Opaque, immutable; freed with letts_staging_head_free(). */
typedef struct letts_staging_head letts_staging_head;
/** A page of GET /v1/staging. Opaque, immutable; freed with letts_staging_list_free(). */
typedef struct letts_staging_list letts_staging_list;

/**
 * Upload local file `path` to dugdale `host` (required; id or alias) under
 * a new staging id, dispatch token, and give the id, sha256 and size in
 * `*out` (freed with letts_staged_file_free()). The file is streamed from
 * disk; an interrupted upload is resumed from the byte the daemon holds.
 *
 * Returns LETTS_OK; LETTS_ERR_STAGING for local problems ("file not found:
 * <path>", "hash/size failed: <path>", an empty file, which the daemon
 * cannot stage) and for a daemon that holds other content under the id;
 * the daemon's refusals with their mapped status (LETTS_ERR_BAD_REQUEST,
 * LETTS_ERR_AUTH, LETTS_ERR_CONFLICT, LETTS_ERR_BACKPRESSURE,
 * LETTS_ERR_DISPATCH); LETTS_ERR_NETWORK; LETTS_ERR_CONFIG;
 * LETTS_ERR_MISSING_ENV; LETTS_ERR_CANCELLED; LETTS_ERR_INVALID_ARGUMENT
 * (NULL or empty argument); LETTS_ERR_NO_MEMORY. On failure `*out` is NULL.
 */
LETTS_EXTERN letts_status letts_client_stage_file(const letts_client *client, const char *host,
                                                  const char *path, letts_staged_file **out,
                                                  letts_error **err);

/** The staging id, owned by `file`; NULL when `file` is NULL. */
LETTS_EXTERN const char *letts_staged_file_id(const letts_staged_file *file);
/** The sha256 of the content, 64 lower-case hex digits, owned by `file`; NULL when `file` is NULL. */
LETTS_EXTERN const char *letts_staged_file_sha256(const letts_staged_file *file);
/** The size in bytes; 0 when `file` is NULL. */
LETTS_EXTERN uint64_t letts_staged_file_size(const letts_staged_file *file);
/** Release a staged file and its strings. NULL is accepted. */
LETTS_EXTERN void letts_staged_file_free(letts_staged_file *file);

/**
 * Probe staging id `id` on `host` (HEAD /v1/staging/{id}, dispatch token)
 * and give its state in `*out` (freed with letts_staging_head_free()).
 * Not retried.
 *
 * Returns LETTS_OK for any row, whatever its state; LETTS_ERR_NOT_FOUND
 * when the dugdale has none; LETTS_ERR_BAD_REQUEST (an id that is not a
 * UUIDv7), LETTS_ERR_AUTH, LETTS_ERR_DISPATCH (other statuses: a HEAD
 * answer has no body, so the message names the status only);
 * LETTS_ERR_NETWORK; LETTS_ERR_CONFIG; LETTS_ERR_MISSING_ENV;
 * LETTS_ERR_CANCELLED; LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY.
 * On failure `*out` is NULL.
 */
LETTS_EXTERN letts_status letts_client_staging_head(const letts_client *client, const char *host,
                                                    const char *id, letts_staging_head **out,
                                                    letts_error **err);

/**
 * The state as the daemon names it: "complete", "incomplete" (an upload in
 * progress or interrupted), "deleting", "pending_output" or "committing".
 * Owned by `head`; NULL when `head` is NULL.
 */
LETTS_EXTERN const char *letts_staging_head_state(const letts_staging_head *head);
/** The sha256 the row holds (declared, while incomplete), owned by `head`; "" when not sent. */
LETTS_EXTERN const char *letts_staging_head_sha256(const letts_staging_head *head);
/** The file's total size in bytes; 0 for the states that carry none (deleting, ...). */
LETTS_EXTERN uint64_t letts_staging_head_size(const letts_staging_head *head);
/** Bytes the daemon holds: the size when complete, the resume offset when incomplete, else 0. */
LETTS_EXTERN uint64_t letts_staging_head_bytes_received(const letts_staging_head *head);
/** Release a staging head. NULL is accepted. */
LETTS_EXTERN void letts_staging_head_free(letts_staging_head *head);

/**
 * Download staging file `id` of `host` (dispatch token) into the file
 * `path`: the whole file when `offset` and `length` are 0, else the bytes
 * from `offset`, `length` of them (0: to the end; a length past the end
 * stops at the end). A HEAD first learns the size and sha256; then the body
 * streams into `<path>.partial`, is checked (the whole file: its size and
 * sha256; a range: its length and a 206 answer) and renamed to `path`,
 * replacing a file there. On any failure `<path>.partial` is removed and
 * `path` is left as it was. The folder must exist. Not retried.
 *
 * Returns LETTS_OK; LETTS_ERR_NOT_FOUND (no such id);
 * LETTS_ERR_STAGING (a file that is not complete, "cannot write <file>",
 * "short write to <file> (disk full?)", a body longer or shorter than
 * announced, "sha256 mismatch", an HTTP refusal of the GET, a transport
 * failure during it); LETTS_ERR_INVALID_ARGUMENT (an `offset` at or past
 * the end, NULL or empty argument); the errors of
 * letts_client_staging_head() for the HEAD. LETTS_ERR_CANCELLED;
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_staging_download(const letts_client *client, const char *host,
                                                        const char *id, uint64_t offset,
                                                        uint64_t length, const char *path,
                                                        letts_error **err);

/**
 * As letts_client_staging_download(), but each received chunk goes to `fn`
 * (valid during the call only) instead of a file. `fn` returns non-zero to
 * stop: the transfer ends and the call returns LETTS_ERR_INTERRUPTED. The
 * checks run as the bytes arrive: `fn` never sees a byte beyond the
 * announced size, but it has seen the body by the time a short body or a
 * sha256 mismatch fails the call — keep what it got until LETTS_OK.
 */
LETTS_EXTERN letts_status letts_client_staging_read(const letts_client *client, const char *host,
                                                    const char *id, uint64_t offset, uint64_t length,
                                                    letts_bytes_fn fn, void *user_data,
                                                    letts_error **err);

/**
 * List the staging files mission `mission_id` references (GET /v1/staging,
 * admin token), newest first, into `*out` (freed with
 * letts_staging_list_free()). `ref_kind` ("input", "output", "script"),
 * `cursor` (a letts_staging_list_next_cursor() of an earlier page) may be
 * NULL; `limit` 0 leaves the daemon's default (100, at most 1000). A
 * mission with no references gives an empty list (the daemon does not
 * check that the mission exists). Retried under the client's policy.
 *
 * Returns LETTS_OK; LETTS_ERR_BAD_REQUEST (mission_id missing or not a
 * UUIDv7, an unknown ref_kind, a bad cursor); LETTS_ERR_AUTH (a token
 * that is not an admin one); LETTS_ERR_DISPATCH; LETTS_ERR_NETWORK;
 * LETTS_ERR_CONFIG; LETTS_ERR_MISSING_ENV; LETTS_ERR_CANCELLED;
 * LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY. On failure `*out` is NULL.
 */
LETTS_EXTERN letts_status letts_client_staging_list(const letts_client *client, const char *host,
                                                    const char *mission_id, const char *ref_kind,
                                                    uint64_t limit, const char *cursor,
                                                    letts_staging_list **out, letts_error **err);

/** Number of rows on the page; 0 when `list` is NULL. */
LETTS_EXTERN size_t letts_staging_list_count(const letts_staging_list *list);
/** The cursor of the next page, owned by `list`; NULL on the last page. */
LETTS_EXTERN const char *letts_staging_list_next_cursor(const letts_staging_list *list);
/** The daemon's whole answer as JSON text, owned by `list`; NULL when `list` is NULL. */
LETTS_EXTERN const char *letts_staging_list_json(const letts_staging_list *list);
/** Row `index`'s staging id, owned by `list`; NULL when `index` is out of range. */
LETTS_EXTERN const char *letts_staging_list_id(const letts_staging_list *list, size_t index);
/** Row `index`'s state (see letts_staging_head_state(); "uploading" here for an upload in progress); NULL when out of range. */
LETTS_EXTERN const char *letts_staging_list_state(const letts_staging_list *list, size_t index);
/** Row `index`'s sha256, owned by `list`; NULL when out of range. */
LETTS_EXTERN const char *letts_staging_list_sha256(const letts_staging_list *list, size_t index);
/** Row `index`'s reference kind ("input", "output", "script"); NULL when out of range. */
LETTS_EXTERN const char *letts_staging_list_ref_kind(const letts_staging_list *list, size_t index);
/** Row `index`'s role ("" for an exec script); NULL when out of range. */
LETTS_EXTERN const char *letts_staging_list_role(const letts_staging_list *list, size_t index);
/** Row `index`'s size in bytes; 0 when out of range. */
LETTS_EXTERN int64_t letts_staging_list_size(const letts_staging_list *list, size_t index);
/** Row `index`'s bytes received; 0 when out of range. */
LETTS_EXTERN int64_t letts_staging_list_bytes_received(const letts_staging_list *list, size_t index);
/** Row `index`'s creation time, Unix milliseconds; 0 when out of range. */
LETTS_EXTERN int64_t letts_staging_list_time_created(const letts_staging_list *list, size_t index);
/** Row `index`'s expiry, Unix milliseconds (INT64_MAX while pinned by a job); 0 when out of range. */
LETTS_EXTERN int64_t letts_staging_list_time_expires(const letts_staging_list *list, size_t index);
/** Release a list and its strings. NULL is accepted. */
LETTS_EXTERN void letts_staging_list_free(letts_staging_list *list);

/**
 * Delete staging file `id` of `host` (DELETE /v1/staging/{id}, admin
 * token): the row becomes "deleting" and the daemon's collector removes
 * it. A file that a mission references is refused unless `force` is
 * non-zero, which kills the referencing running missions and deletes the
 * referencing jobs too. Deleting a file already being deleted succeeds.
 * Retried under the client's policy.
 *
 * Returns LETTS_OK; LETTS_ERR_NOT_FOUND; LETTS_ERR_CONFLICT
 * (staging_in_use, with the mission ids in the error's details;
 * staging_finalizing); LETTS_ERR_BAD_REQUEST; LETTS_ERR_AUTH;
 * LETTS_ERR_DISPATCH; LETTS_ERR_NETWORK; LETTS_ERR_CONFIG;
 * LETTS_ERR_MISSING_ENV; LETTS_ERR_CANCELLED; LETTS_ERR_INVALID_ARGUMENT;
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_client_staging_delete(const letts_client *client, const char *host,
                                                      const char *id, int force, letts_error **err);

/**
 * Find a complete staging file of `host` whose content has `sha256` (64
 * hex digits) and `size` (> 0) bytes (GET /v1/staging/by-content/{sha}),
 * presenting the token of `scope`: LETTS_SCOPE_EXEC is what the route is
 * for, LETTS_SCOPE_ADMIN works too; the daemon refuses a dispatch token
 * (LETTS_ERR_AUTH, 403 forbidden). The file found is given in `*out`
 * (freed with letts_staged_file_free()); when several match, which one is
 * the daemon's choice. Retried under the client's policy.
 *
 * Returns LETTS_OK; LETTS_ERR_NOT_FOUND (no such file);
 * LETTS_ERR_INVALID_ARGUMENT (a malformed sha256, size 0, a bad scope, NULL
 * argument) before anything is sent; LETTS_ERR_AUTH;
 * LETTS_ERR_BAD_REQUEST (a size above the daemon's upload limit);
 * LETTS_ERR_DISPATCH; LETTS_ERR_NETWORK; LETTS_ERR_CONFIG (no token of that
 * scope in letts.yaml); LETTS_ERR_MISSING_ENV; LETTS_ERR_CANCELLED;
 * LETTS_ERR_NO_MEMORY. On failure `*out` is NULL.
 */
LETTS_EXTERN letts_status letts_client_staging_by_content(const letts_client *client, const char *host,
                                                          letts_scope scope, const char *sha256,
                                                          uint64_t size, letts_staged_file **out,
                                                          letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_STAGING_H */
