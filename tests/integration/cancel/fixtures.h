/*
 * Fixtures of the cancellation tests: the blocking situations a call is
 * cancelled in (a port that never answers a connect, missions that sleep,
 * chatter forever or produce a 200 MiB output, a large local input file),
 * a canceller thread that triggers a letts_cancel when the call is observed
 * to be blocked, and the clocks to measure trigger -> return.
 *
 * Every helper fails the running cmocka test on an unexpected error.
 */
#ifndef CX_FIXTURES_H
#define CX_FIXTURES_H

#include <pthread.h>
#include <stddef.h>

#include "devserver_harness.h"
#include "letts/letts.h"

/* The size of the big output and of the big input file: 200 MiB. */
#define CX_BIG_BYTES (200LL * 1024 * 1024)

/* ---- a port that never answers ------------------------------------------ */

/* A loopback listener whose accept queue is full and never drained: the
 * kernel drops every further SYN, so a connect to `port` stays in SYN_SENT
 * (retransmitting) until the caller's own timeout. cx_blackhole_open
 * asserts that a probe connect really does not complete within 200 ms. */
typedef struct cx_blackhole {
    int listener;
    int fillers[8];
    int n_fillers;
    int port;
} cx_blackhole;

void cx_blackhole_open(cx_blackhole *b);
void cx_blackhole_close(cx_blackhole *b);

/* ---- missions ------------------------------------------------------------- */

/* Installs the test missions into the server's mission directory:
 *   sleeper   sleeps 30 s, then succeeds (a mission that sleeps)
 *   sleep1    sleeps 1 s, then succeeds with {"slept":1}
 *   chatter   a progress event every 20 ms, forever (a long event stream)
 *   ticks     3 progress events 100 ms apart, then succeeds with {"ticks":3}
 *   big       writes a 200 MiB output "big" (committed by the server), succeeds
 *   consume   reads its input file "data" to the end, succeeds with its size */
void cx_install_missions(const ds_server *s);

/* A client of `s` (dugdale id "dev", lane "default", back-off 10 ms) with
 * response bodies up to 256 MiB, so a 200 MiB output fits in memory. */
letts_client *cx_client(const ds_server *s);
/* A client whose only dugdale "dev" is at http://127.0.0.1:<port>, with a
 * connect timeout of `connect_timeout_ms` (0: the default 30 s). */
letts_client *cx_client_at_port(int port, const char *token, long long connect_timeout_ms);
/* The environment every cancellation suite shares: a devserver with the
 * test missions and a cx_client() of it, made by the cmocka group fixture
 * cx_env_setup() and undone by cx_env_teardown(). */
extern ds_server cx_env_server;
extern letts_client *cx_env_client;
int cx_env_setup(void **state);
int cx_env_teardown(void **state);
/* A new, untriggered cancel object (the test fails if none can be made). */
letts_cancel *cx_new_cancel(void);
/* A job for `mission` on dev/default with a fresh mission id written to `id`. */
letts_job *cx_job(const char *mission, char id[37]);

/* ---- local files ---------------------------------------------------------- */

/* A new temporary directory (under /tmp), written to `dir`. */
void cx_tempdir(char *dir, size_t size);
/* Creates `dir`/`name` of `bytes` bytes (a repeating pattern, not sparse,
 * so hashing and uploading it cost real work); writes its path. */
void cx_make_file(const char *dir, const char *name, long long bytes, char *path, size_t size);
/* Removes `dir` and everything under it. */
void cx_remove_tree(const char *dir);
/* Number of entries in `dir` (excluding . and ..); -1 if it does not exist. */
int cx_count_entries(const char *dir);
/* Size of the file at `path`, or -1. */
long long cx_file_size(const char *path);

/* ---- clocks, I/O ---------------------------------------------------------- */

long long cx_now_us(void);
/* Bytes this process has read or sent from files (rchar of /proc/self/io:
 * read(2), pread(2), sendfile(2) count; recv(2) on a socket does not). */
long long cx_read_bytes(void);

/* ---- the canceller thread ------------------------------------------------- */

/* Triggers `cancel` from its own thread as soon as `ready(arg)` returns
 * non-zero (polled every 2 ms), or after `delay_ms` when `ready` is NULL.
 * `timeout_ms` bounds the wait for `ready`: past it the cancel is triggered
 * anyway and cx_canceller_join reports that the call was never seen
 * blocked (the test then fails with `what`). */
typedef struct cx_canceller {
    pthread_t thread;
    letts_cancel *cancel;
    int (*ready)(void *arg);
    void *arg;
    int delay_ms;
    int timeout_ms;
    long long triggered_us; /* written by the thread, read after join */
    int timed_out;
} cx_canceller;

void cx_canceller_start(cx_canceller *c, letts_cancel *cancel, int (*ready)(void *arg), void *arg,
                        int delay_ms, int timeout_ms);
/* Joins the thread; fails the test if `ready` never held. Returns the
 * trigger time (cx_now_us clock). */
long long cx_canceller_join(cx_canceller *c, const char *what);

#endif
