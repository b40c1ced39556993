/* Fixture for the rust-decls-translates test: callbacks written as inline
 * function-pointer parameters (the shape the generator once dropped without
 * a word), next to the typedef'd kind. expected.rs is the exact output. */
#ifndef LETTS_FIXTURE_TRANSLATES_H
#define LETTS_FIXTURE_TRANSLATES_H

#include <stddef.h>
#include <stdint.h>

#define LETTS_EXTERN

#ifdef __cplusplus
extern "C" {
#endif

typedef enum letts_status { LETTS_OK = 0 } letts_status;

typedef struct letts_fixture letts_fixture;

typedef int64_t (*letts_fixture_clock_fn)(void *data);

/* A typedef'd callback whose own parameter is an inline function pointer. */
typedef void (*letts_fixture_release_fn)(void (*free_fn)(void *), void *data);

LETTS_EXTERN letts_status letts_fixture_each(letts_fixture *fixture,
                                             int (*visit)(const char *name, size_t len, void *user_data),
                                             void *user_data);

/* Unnamed parameters inside the callback's own list are fine. */
LETTS_EXTERN void letts_fixture_set_clock(letts_fixture *fixture, int64_t (*clock)(void *),
                                          void *data);

LETTS_EXTERN void letts_fixture_set_typed_clock(letts_fixture *fixture, letts_fixture_clock_fn clock,
                                                void *data);

LETTS_EXTERN void letts_fixture_on_done(letts_fixture *fixture,
                                        void (*done)(const letts_fixture *fixture, letts_fixture_clock_fn next),
                                        void *user_data);

#ifdef __cplusplus
}
#endif

#endif
