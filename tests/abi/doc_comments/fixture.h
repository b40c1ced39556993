/*
 * A header that breaks every rule check_doc_comments.py enforces, beside
 * declarations that follow them. Not compiled: only read by the checker's
 * self-test (meson test doc-comments-checker), which expects exactly the
 * offenders listed in expected.txt. Names say what they are.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Documented opaque handle. */
typedef struct fx_documented fx_documented;

typedef struct fx_bare_handle fx_bare_handle;

/* A plain comment is not a doc comment. */
typedef struct fx_plain_comment_handle fx_plain_comment_handle;

/** An empty doc comment documents nothing: */
/** */
LETTS_EXTERN void fx_empty_doc(void);

/** Documented function. */
LETTS_EXTERN letts_status fx_documented_fn(fx_documented *h, letts_error **err);

LETTS_EXTERN letts_status fx_bare_fn(fx_documented *h,
                                     letts_error **err);

/** A doc comment separated by a preprocessor line does not count. */
#define FX_SOMETHING 1
LETTS_EXTERN int fx_after_directive(void);

/** Documented callback type. */
typedef int (*fx_documented_cb)(int value, void *user_data);

typedef int (*fx_bare_cb)(int value, void *user_data);

/** Documented function; the ruler after it belongs to nothing. */
LETTS_EXTERN LETTS_NORETURN void fx_documented_noreturn(void);

/* ------------------------------------------------------------ ruler -- */

LETTS_EXTERN const char *fx_after_ruler(const fx_documented *h);

/** Documented enum, with every way an enumerator can be or not be documented. */
typedef enum fx_flags {
    FX_BARE_FIRST = 0,
    /** Documented before. */
    FX_DOC_BEFORE = 1,
    FX_DOC_AFTER = 2, /**< Documented after its comma. */
    FX_DOC_AFTER_VALUE = (1 << 2) /**< Documented after its value. */,
    FX_BARE_EXPR = FX_DOC_BEFORE | FX_DOC_AFTER,
    /* plain */
    FX_PLAIN = 16,
    FX_BARE_LAST
} fx_flags;

typedef enum fx_bare_enum {
    /** Documented value of an undocumented enum. */
    FX_IN_BARE_ENUM = 0,
    FX_LAST_DOC_AFTER /**< Last value, documented after it. */
} fx_bare_enum;

/** The status enum: its values are reported as statuses. */
typedef enum letts_status {
    /** Documented status. */
    FX_OK = 0,
    FX_ERR_BARE = 1
} letts_status;

/** Documented, on several lines
 *  with inner stars. */
LETTS_EXTERN void fx_multiline_doc(void);

/// A C++-style doc comment counts too.
LETTS_EXTERN void fx_slash_doc(void);

LETTS_EXTERN void fx_bare_last(void);

#ifdef __cplusplus
}
#endif

#endif /* FIXTURE_H */
