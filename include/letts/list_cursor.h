/*
 * letts/list_cursor.h — make and read the cursor of a mission listing
 * (letts_list_filter_set_cursor(), letts_mission_list_next_cursor()).
 *
 * A dugdale's cursor names the last mission of a page: unpadded base64url
 * of the compact JSON {"time_created": ms, "mission_id": "<id>"} for
 * order "created", {"time_finished": ms, ...} for order "finished"
 * (http-api.md §5.8). The upstream Go client's EncodeListCursor and
 * DecodeListCursor make and read them so that a caller merging the pages of
 * several dugdales can resume each one after the last mission it kept;
 * these two calls do the same, byte for byte: for the same position,
 * letts_list_cursor_encode() gives the string EncodeListCursor gives.
 *
 * The calls need no client and no network; they may run on any thread.
 */
#ifndef LETTS_LIST_CURSOR_H
#define LETTS_LIST_CURSOR_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The cursor that resumes a listing after mission `mission_id`, whose
 * time_created (for order "created") or time_finished (for order
 * "finished") is given in milliseconds; the other time is 0, which leaves
 * it out of the cursor (upstream's struct has both, either may be 0).
 *
 * - `time_created_ms`, `time_finished_ms`: not negative, not both 0.
 * - `mission_id`: 1 to 1024 bytes of UTF-8 without control characters.
 *
 * On success `*out` receives the cursor, a string the caller frees with
 * letts_free(). Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (a NULL
 * pointer or a value outside the rules above, named in the message),
 * LETTS_ERR_NO_MEMORY. On failure `*out` is NULL.
 */
LETTS_EXTERN letts_status letts_list_cursor_encode(int64_t time_created_ms, int64_t time_finished_ms,
                                                   const char *mission_id, char **out,
                                                   letts_error **err);

/**
 * The position a cursor names. `""` is the first page, as in the Go
 * client: both times 0 and an empty id. Any other cursor must be one that
 * letts_list_cursor_encode() could have made: at most 2048 characters of
 * canonical unpadded base64url holding one flat JSON object with the
 * members time_created and/or time_finished (integers, not negative, not
 * both 0 or absent) and mission_id (as for the encoder), each at most once
 * and no other member.
 *
 * `time_created_ms` and `time_finished_ms` (either may be NULL) receive the
 * times, 0 for an absent one; `*mission_id` receives the id, a string the
 * caller frees with letts_free() (NULL on failure). Returns LETTS_OK,
 * LETTS_ERR_INVALID_ARGUMENT (a NULL `cursor` or `mission_id`, or a
 * malformed cursor, with a message saying what is wrong: "cursor is not
 * unpadded base64url", "cursor has an unknown member ...", ...),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_list_cursor_decode(const char *cursor, int64_t *time_created_ms,
                                                   int64_t *time_finished_ms, char **mission_id,
                                                   letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_LIST_CURSOR_H */
