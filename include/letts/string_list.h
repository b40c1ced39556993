/*
 * letts/string_list.h — an immutable list of strings returned by libletts
 * (for example the ids of the dugdales that carry some labels).
 *
 * Threads: a list is immutable once returned and may be read from any
 * thread; free it from one, after every reader is done.
 */
#ifndef LETTS_STRING_LIST_H
#define LETTS_STRING_LIST_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An immutable list of UTF-8 strings. Opaque; freed with letts_string_list_free(). */
typedef struct letts_string_list letts_string_list;

/** Number of strings in `list`; 0 when `list` is NULL. */
LETTS_EXTERN size_t letts_string_list_count(const letts_string_list *list);

/**
 * The string at `index` (0-based), owned by `list`; NULL when `list` is NULL
 * or `index` is out of range.
 */
LETTS_EXTERN const char *letts_string_list_get(const letts_string_list *list, size_t index);

/** Release a list and every string in it. NULL is accepted. */
LETTS_EXTERN void letts_string_list_free(letts_string_list *list);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_STRING_LIST_H */
