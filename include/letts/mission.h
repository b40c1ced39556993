/*
 * letts/mission.h — the worker side: what a mission program uses to read its
 * input and files, report progress, react to cancellation, register output
 * files and report success or failure to dugdale (spec/mission-protocol.md).
 *
 * A mission is any executable dugdale starts with its input on stdin,
 * LETTS_* variables in its environment and file descriptor 3 open for
 * NDJSON events. letts_mission_start() detects that situation
 * (LETTS_MISSION_ID set and non-empty); anywhere else the mission runs in
 * *standalone* debug mode: input from the command line (--input=JSON,
 * --input-file=PATH, --input=- for stdin), progress on stderr, the success
 * return pretty-printed on stdout, outputs written to ./out/<key>.
 *
 * Typical use:
 *
 *     int main(int argc, char **argv) {
 *         letts_mission *m = NULL;
 *         letts_error *err = NULL;
 *         if (letts_mission_start(&m, argc, (const char *const *)argv,
 *                                 LETTS_MISSION_DEFAULT, &err) != LETTS_OK) {
 *             fprintf(stderr, "letts mission: %s\n", letts_error_message(err));
 *             letts_error_free(err);
 *             return 1;
 *         }
 *         int64_t n = 0;
 *         letts_mission_input_int(m, "count", 10, &n, NULL);
 *         letts_mission_progress(m, 0.5, "halfway", NULL);
 *         letts_mission_success(m, "{\"done\":true}", NULL);
 *         letts_mission_exit(m);   // flushes, exits 0
 *     }
 *
 * Rules that hold for every function here:
 *
 *  - At most one terminal event (success or fail) is ever written, even when
 *    several threads race; a second terminal call is refused.
 *  - Terminal calls do not end the process. letts_mission_exit() does, with
 *    the status that matches the terminal event; bindings decide themselves.
 *  - Every event is one line written with one write(2) call (continued only
 *    after a partial write); a refused call writes nothing at all.
 *  - A mission handle belongs to its process: only one can be live at a
 *    time. Reporting calls may be made from any thread; interrupt callbacks
 *    run only on the thread that called letts_mission_start().
 *  - SIGTERM and SIGINT (dugdale's kill and timeout) only set a flag and
 *    make the interrupt descriptor readable; nothing else runs inside the
 *    signal handler. The mission polls with letts_mission_check().
 */
#ifndef LETTS_MISSION_H
#define LETTS_MISSION_H

#include "common.h"
#include "error.h"
#include "string_list.h"

#if defined(LETTS_CDEF)
#  define LETTS_NORETURN
#elif defined(__GNUC__)
#  define LETTS_NORETURN __attribute__((noreturn))
#else
#  define LETTS_NORETURN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** A running mission. Opaque; created by letts_mission_start(). */
typedef struct letts_mission letts_mission;

/** Flags for letts_mission_start(); combine with `|`. */
typedef enum letts_mission_flags {
    /** No flag: the default behaviour. */
    LETTS_MISSION_DEFAULT = 0,
    /**
     * Do not install SIGTERM/SIGINT handlers. For hosts that own signal
     * handling themselves (the Go runtime, a PHP binding using pcntl): they
     * forward a delivery with letts_mission_interrupt().
     */
    LETTS_MISSION_NO_SIGNAL_HANDLERS = 1,
    /**
     * Start standalone whatever the environment says (LETTS_MISSION_ID is
     * not consulted). For tools and tests that run a mission's code in a
     * process that dugdale started, e.g. a binding's "debug this input"
     * entry point, without touching the process environment.
     */
    LETTS_MISSION_STANDALONE = 2
} letts_mission_flags;

/* ---------------------------------------------------------------- start -- */

/**
 * Start the mission runtime for this process.
 *
 * Under dugdale (LETTS_MISSION_ID set and non-empty, and no
 * LETTS_MISSION_STANDALONE flag): reads the whole input
 * from stdin (any JSON value; empty stdin counts as `null`), requires
 * LETTS_WORKDIR, checks that fd 3 is open for writing and marks it
 * close-on-exec (so child processes cannot hold the event channel open),
 * reads LETTS_MISSION_ID, LETTS_LANE, LETTS_TMPDIR and the LETTS_IN_<role>
 * variables. `argc`/`argv` are ignored.
 *
 * Standalone: the input comes from the first of argv[1..argc-1] that starts
 * with --input= (the JSON text itself, or "-" for stdin) or --input-file=
 * (a path, or "-" for stdin); without one the input is `null`.
 *
 * In both modes SIGTERM and SIGINT handlers are installed (unless
 * LETTS_MISSION_NO_SIGNAL_HANDLERS) with SA_RESTART; the previous handlers
 * come back when the mission is freed.
 *
 * On success `*out` receives the mission, freed with letts_mission_free()
 * or ended with letts_mission_exit(). On failure `*out` is NULL; the mission
 * should then print the error message and exit with status 1 (nothing was
 * written on fd 3, so dugdale records failed / no_event_nonzero_exit).
 *
 * Returns LETTS_OK;
 * LETTS_ERR_MISSING_ENV when LETTS_WORKDIR is unset or empty under dugdale
 * (details {"name":"LETTS_WORKDIR"});
 * LETTS_ERR_IO when fd 3 is not open for writing, stdin or an input file
 * cannot be read;
 * LETTS_ERR_INVALID_ARGUMENT when the input is not valid JSON (the message
 * gives the byte offset), `out` is NULL, `flags` has unknown bits, or
 * another mission is still live in this process;
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_mission_start(letts_mission **out, int argc,
                                              const char *const *argv, unsigned flags,
                                              letts_error **err);

/**
 * Release the mission: restores the previous SIGTERM/SIGINT handlers,
 * closes the interrupt descriptor and fd 3. Writes nothing: a mission freed
 * without a terminal event is judged by dugdale from its exit status alone.
 * NULL is accepted.
 */
LETTS_EXTERN void letts_mission_free(letts_mission *m);

/**
 * Flush stdout and stderr, free `m` and end the process with exit(3),
 * using the status that matches what was reported: 0 after success or when
 * no terminal event was written, the (coerced) exit code after fail. With
 * `m` NULL — a mission that could not start — the status is 1.
 * Never returns: the one libletts function that ends the process
 * (letts/common.h); bindings use letts_mission_exit_code() and exit their
 * own way.
 */
LETTS_EXTERN LETTS_NORETURN void letts_mission_exit(letts_mission *m);

/**
 * The status letts_mission_exit() would use (see there); 1 when `m` is NULL.
 */
LETTS_EXTERN int letts_mission_exit_code(const letts_mission *m);

/** 1 when running standalone (not under dugdale), 0 otherwise or for NULL. */
LETTS_EXTERN int letts_mission_is_standalone(const letts_mission *m);

/** LETTS_MISSION_ID; NULL when standalone. Owned by `m`. */
LETTS_EXTERN const char *letts_mission_id(const letts_mission *m);

/** LETTS_LANE (NULL when unset); NULL when standalone. Owned by `m`. */
LETTS_EXTERN const char *letts_mission_lane(const letts_mission *m);

/**
 * The work directory: LETTS_WORKDIR under dugdale, the current directory
 * at start when standalone. Outputs live in its out/ folder. Owned by `m`;
 * NULL only when `m` is NULL.
 */
LETTS_EXTERN const char *letts_mission_workdir(const letts_mission *m);

/**
 * A directory for scratch files: LETTS_TMPDIR under dugdale (falling back
 * to <workdir>/tmp), $TMPDIR or "/tmp" when standalone. Owned by `m`; NULL
 * only when `m` is NULL.
 */
LETTS_EXTERN const char *letts_mission_tmpdir(const letts_mission *m);

/* ---------------------------------------------------------------- input -- */

/*
 * Paths address the input with dots: "user.name" is member "name" of member
 * "user"; a segment addresses an array element when it is a decimal index
 * without sign or leading zero ("items.0.id"). A member whose name contains
 * a dot cannot be addressed; the path "" addresses the member named "".
 * When an object repeats a name, the last occurrence counts.
 */

/**
 * The whole input as compact JSON text (insignificant whitespace removed,
 * everything else — number spelling, escapes, member order — as received).
 * Under dugdale this is exactly stdin; "null" when there was no input.
 * Owned by `m`; NULL only when `m` is NULL.
 */
LETTS_EXTERN const char *letts_mission_input_json(const letts_mission *m);

/**
 * 1 when `path` exists in the input (also when its value is null), else 0
 * (also for NULL arguments).
 */
LETTS_EXTERN int letts_mission_input_has(const letts_mission *m, const char *path);

/**
 * The value at `path` as compact JSON text ("null" for a present null, so
 * absence and null are distinguishable).
 *
 * On success `*out` receives a string the caller frees with letts_free();
 * on failure `*out` is NULL. Returns LETTS_OK; LETTS_ERR_NOT_FOUND when the
 * path does not exist; LETTS_ERR_INVALID_ARGUMENT for NULL arguments;
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_mission_input_lookup(const letts_mission *m, const char *path,
                                                     char **out, letts_error **err);

/**
 * The string at `path`, decoded (escapes resolved, UTF-8). When the path is
 * absent or its value is null, `*out` receives `def` (which may be NULL) and
 * `*len` (when `len` is not NULL) its length, or 0 for NULL.
 * Otherwise `*out` is owned by `m`; `*len` tells the length, which matters
 * only when the string contains "\u0000".
 *
 * Returns LETTS_OK; LETTS_ERR_INVALID_ARGUMENT when the value is not a
 * string (the message names the path and the type found) or for NULL
 * `m`/`path`/`out`.
 */
LETTS_EXTERN letts_status letts_mission_input_string(const letts_mission *m, const char *path,
                                                     const char *def, const char **out,
                                                     size_t *len, letts_error **err);

/**
 * The integer at `path`; `def` when absent or null. A number written with
 * a fraction or exponent is accepted when its value is integral
 * ("2.0", "1e3"). Integers are read exactly, beyond 2^53 too.
 *
 * Returns LETTS_OK; LETTS_ERR_INVALID_ARGUMENT when the value is not a
 * number, not integral or outside int64_t, or for NULL `m`/`path`/`out`.
 */
LETTS_EXTERN letts_status letts_mission_input_int(const letts_mission *m, const char *path,
                                                  int64_t def, int64_t *out, letts_error **err);

/**
 * The number at `path` as a double; `def` when absent or null.
 * Returns LETTS_OK; LETTS_ERR_INVALID_ARGUMENT when the value is not a
 * number or overflows a double, or for NULL `m`/`path`/`out`.
 */
LETTS_EXTERN letts_status letts_mission_input_double(const letts_mission *m, const char *path,
                                                     double def, double *out, letts_error **err);

/**
 * The boolean at `path` as 1 or 0; `def` when absent or null.
 * Returns LETTS_OK; LETTS_ERR_INVALID_ARGUMENT when the value is not
 * true/false, or for NULL `m`/`path`/`out`.
 */
LETTS_EXTERN letts_status letts_mission_input_bool(const letts_mission *m, const char *path,
                                                   int def, int *out, letts_error **err);

/* ---------------------------------------------------------- input files -- */

/**
 * The roles of the input files dugdale materialized (from the
 * LETTS_IN_<role> variables), sorted by name. Standalone there are none:
 * roles are then resolved through the input (see letts_mission_file_path).
 *
 * On success `*out` receives a list the caller frees with
 * letts_string_list_free(). Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT
 * (NULL argument), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_mission_file_roles(const letts_mission *m,
                                                   letts_string_list **out, letts_error **err);

/**
 * The path of the input file with `role`: the value of LETTS_IN_<role>.
 * Standalone, the top-level input member `role` must be a string and is
 * the path (run with --input='{"photo":"/tmp/p.jpg"}').
 * `*out` is owned by `m`.
 *
 * Returns LETTS_OK; LETTS_ERR_NOT_FOUND when there is no such role;
 * LETTS_ERR_INVALID_ARGUMENT for NULL arguments.
 */
LETTS_EXTERN letts_status letts_mission_file_path(const letts_mission *m, const char *role,
                                                  const char **out, letts_error **err);

/**
 * The size in bytes of the input file with `role`: LETTS_IN_<role>__SIZE
 * (0 when dugdale gave none); standalone, the size on disk.
 * Returns LETTS_OK; LETTS_ERR_NOT_FOUND; LETTS_ERR_IO when a standalone
 * file cannot be examined; LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_mission_file_size(const letts_mission *m, const char *role,
                                                  uint64_t *out, letts_error **err);

/**
 * The lowercase hex sha256 of the input file with `role`:
 * LETTS_IN_<role>__SHA256 ("" when dugdale gave none); standalone, computed
 * from the file on first use. `*out` is owned by `m`.
 * Returns LETTS_OK; LETTS_ERR_NOT_FOUND; LETTS_ERR_IO when a standalone
 * file cannot be read; LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_mission_file_sha256(const letts_mission *m, const char *role,
                                                    const char **out, letts_error **err);

/**
 * Open the input file with `role` for reading (O_RDONLY | O_CLOEXEC).
 * On success `*fd` receives a descriptor the caller closes; on failure -1.
 * Returns LETTS_OK; LETTS_ERR_NOT_FOUND; LETTS_ERR_IO when open(2) fails
 * (the message names the role, path and reason); LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_mission_file_open(const letts_mission *m, const char *role,
                                                  int *fd, letts_error **err);

/* ------------------------------------------------------------- progress -- */

/**
 * Report progress with a value (conventionally 0..1; not range-checked,
 * like dugdale) and an optional `message` (NULL for none). Under dugdale
 * writes {"event":"progress","value":V[,"message":M]}; standalone prints
 * "[progress] <value with 2 decimals> <message>" on stderr.
 *
 * Before writing, runs pending interrupt callbacks when called on the
 * mission's thread; a callback that returns non-zero stops the call.
 * dugdale keeps about 50 progress events per second and drops the rest
 * (never an error), so progress must not carry data the caller needs.
 *
 * Returns LETTS_OK; LETTS_ERR_INVALID_ARGUMENT when `value` is NaN or
 * infinite, `message` is not valid UTF-8, the line would exceed the 1 MiB
 * event-line limit, or `m` is NULL; LETTS_ERR_INTERRUPTED when an interrupt
 * callback returned non-zero (nothing written); LETTS_ERR_IO when fd 3
 * cannot be written (e.g. dugdale is gone; SIGPIPE is suppressed).
 */
LETTS_EXTERN letts_status letts_mission_progress(letts_mission *m, double value,
                                                 const char *message, letts_error **err);

/**
 * Report progress with a message and no value: {"event":"progress"[,
 * "message":M]}; standalone "[progress] <message>". `message` may be NULL.
 * Callbacks and statuses as letts_mission_progress().
 */
LETTS_EXTERN letts_status letts_mission_progress_message(letts_mission *m, const char *message,
                                                         letts_error **err);

/* --------------------------------------------------------- cancellation -- */

/**
 * The interrupt callback type. `signal` is the number of the first signal
 * received (or the number given to letts_mission_interrupt()). Return 0;
 * a non-zero return makes the call that ran the callback return
 * LETTS_ERR_INTERRUPTED at once (later callbacks then run at the next
 * check).
 */
typedef int (*letts_mission_interrupt_fn)(int signal, void *user_data);

/**
 * 0 while no interrupt was requested; afterwards (sticky) the number of the
 * first signal received (SIGTERM, SIGINT) or given to
 * letts_mission_interrupt(). 0 for NULL. Safe from any thread.
 */
LETTS_EXTERN int letts_mission_interrupted(const letts_mission *m);

/**
 * A safe point for cancellation. When an interrupt was requested, runs the
 * pending interrupt callbacks (only on the mission's thread) and returns
 * LETTS_ERR_INTERRUPTED with the message "mission interrupted by signal";
 * otherwise returns LETTS_OK. LETTS_ERR_INVALID_ARGUMENT for NULL `m`.
 */
LETTS_EXTERN letts_status letts_mission_check(letts_mission *m, letts_error **err);

/**
 * Register `fn` to run once after an interrupt, on the mission's thread, at
 * the next letts_mission_check() or progress call (immediately at the next
 * such call when the interrupt already happened). Callbacks run in
 * registration order. `user_data` is passed through untouched.
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `m`/`fn`),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_mission_on_interrupt(letts_mission *m,
                                                     letts_mission_interrupt_fn fn,
                                                     void *user_data, letts_error **err);

/**
 * A descriptor that becomes readable once an interrupt is requested and
 * stays readable, for poll()/select()/epoll-based event loops. It is
 * non-blocking and close-on-exec, owned by `m`: do not read from it or
 * close it. -1 for NULL.
 */
LETTS_EXTERN int letts_mission_interrupt_fd(const letts_mission *m);

/**
 * Request an interrupt as if `signal` (> 0, e.g. SIGTERM) had been
 * delivered: sets the flag and wakes the interrupt descriptor. For tests
 * and for hosts that started with LETTS_MISSION_NO_SIGNAL_HANDLERS.
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `m`, `signal` <= 0).
 */
LETTS_EXTERN letts_status letts_mission_interrupt(letts_mission *m, int signal,
                                                  letts_error **err);

/* -------------------------------------------------------------- outputs -- */

/**
 * The path where the output `key` must be written: <workdir>/out/<key>.
 * Creates the out/ directory when it does not exist. `*out` is owned by
 * `m`. Does not register the key (see letts_mission_output_register).
 *
 * Returns LETTS_OK; LETTS_ERR_INVALID_ARGUMENT when `key` does not match
 * ^[A-Za-z_][A-Za-z0-9_]{0,63}$ or starts with "__", or for NULL
 * arguments; LETTS_ERR_IO when out/ cannot be created.
 */
LETTS_EXTERN letts_status letts_mission_output_path(letts_mission *m, const char *key,
                                                    const char **out, letts_error **err);

/**
 * Declare <workdir>/out/<key> an output: writes
 * {"event":"output_file","key":K} (on every call; dugdale deduplicates);
 * standalone prints "[output-file] key=K" on stderr. The file may be
 * written before or after; letts_mission_success() checks it exists.
 * dugdale collects outputs only when the mission succeeds.
 *
 * Returns LETTS_OK; LETTS_ERR_INVALID_ARGUMENT for a bad key (rules as
 * letts_mission_output_path), for a 33rd distinct key (dugdale allows 32),
 * or NULL arguments; LETTS_ERR_IO when fd 3 cannot be written.
 */
LETTS_EXTERN letts_status letts_mission_output_register(letts_mission *m, const char *key,
                                                        letts_error **err);

/* ------------------------------------------------------ terminal events -- */

/**
 * Report success. `return_json` is JSON text that must be an object or
 * `null`, or NULL for no return value. Any JSON layout is accepted; it is
 * sent compact, with numbers and strings exactly as written. Before
 * writing, every registered output must exist as a regular file in out/.
 * Under dugdale writes {"event":"success"[,"return":R]}; standalone prints
 * the return pretty-printed on stdout ("{}" for none or null).
 * Does not exit: see letts_mission_exit().
 *
 * Returns LETTS_OK;
 * LETTS_ERR_INVALID_ARGUMENT when `return_json` is not valid JSON, is an
 * array or scalar (wrap a list as {"items": [...]}), exceeds 768 KiB
 * (dugdale's max_return_value_size; use an output file), when a terminal
 * event was already written, or `m` is NULL;
 * LETTS_ERR_NOT_FOUND when a registered output file is missing (the
 * message names the key and the expected path);
 * LETTS_ERR_IO when fd 3 cannot be written (the terminal event then counts
 * as written). A refused call writes nothing and can be retried.
 */
LETTS_EXTERN letts_status letts_mission_success(letts_mission *m, const char *return_json,
                                                letts_error **err);

/**
 * Report failure. `message` (NULL is "") is the human text; `reason`
 * (NULL or "" is "explicit") the machine reason dugdale records as
 * fail_reason; `details_json` JSON text of an object or null, or NULL for
 * none; `exit_code` the status the process will exit with: 0 becomes 1,
 * values outside 1..255 are clamped into it (so the status never reads 0).
 * Under dugdale writes {"event":"fail","message":M,"reason":R,
 * "exit_code":C[,"details":D]}; standalone prints the message on stderr.
 * Does not exit: see letts_mission_exit().
 *
 * Returns LETTS_OK; LETTS_ERR_INVALID_ARGUMENT when `details_json` is not
 * valid JSON or not an object/null, a string is not valid UTF-8, the line
 * would exceed the 1 MiB event-line limit, a terminal event was already
 * written, or `m` is NULL; LETTS_ERR_IO when fd 3 cannot be written (the
 * terminal event then counts as written).
 */
LETTS_EXTERN letts_status letts_mission_fail(letts_mission *m, const char *message,
                                             const char *reason, const char *details_json,
                                             int exit_code, letts_error **err);

/** 1 once a terminal event (success or fail) was written, else 0. */
LETTS_EXTERN int letts_mission_ended(const letts_mission *m);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_MISSION_H */
