/* Fixture for the rust-decls-rejects test: one declaration per shape the
 * generator cannot translate. expected.txt is the exact report (stderr). */
#define LETTS_EXTERN

typedef enum letts_status { LETTS_OK = 0 } letts_status;
typedef struct letts_fixture letts_fixture;

LETTS_EXTERN int letts_fixture_printf(const char *format, ...);

LETTS_EXTERN void letts_fixture_fill(char buffer[16]);

LETTS_EXTERN void letts_fixture_unnamed(letts_fixture *);

LETTS_EXTERN unsigned long letts_fixture_count(void);

LETTS_EXTERN letts_status letts_fixture_flag(letts_fixture *fixture,
                                             bool flag);

LETTS_EXTERN void (*letts_fixture_returns_callback(void))(void);

LETTS_EXTERN void letts_fixture_pointer_to_callback(int (**callback)(void *data));

typedef unsigned letts_fixture_flags;

typedef int (**letts_fixture_callback_slot)(void *data);

/* Still translated: a problem elsewhere does not hide it from the report. */
LETTS_EXTERN letts_status letts_fixture_ok(letts_fixture *fixture, int (*visit)(void *data), void *data);
