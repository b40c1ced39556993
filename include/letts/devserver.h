/*
 * letts/devserver.h — an embedded letts-devserver: a dugdale-compatible
 * server (same HTTP API, real mission processes) started inside the calling
 * process, for tests of code that talks to dugdale.
 *
 * Typical use:
 *
 *     letts_devserver *srv = NULL;
 *     if (letts_devserver_start(&srv, NULL, &err) == LETTS_OK) {
 *         printf("%s\n%s", letts_devserver_url(srv), letts_devserver_client_config(srv));
 *         ...
 *         letts_devserver_free(srv);   // stops it: missions killed and reaped
 *     }
 *
 * Without options the server listens on 127.0.0.1 on a free port, keeps its
 * files in a new temporary directory (removed on stop), generates one
 * dispatch and one admin token and has lane "default" (concurrency 4) and a
 * runtime applied that runs <mission_dir>/<mission> directly, with
 * mission_dir the current directory unless set. With a dugdale.yaml it
 * behaves like the daemon configured by that file (nothing applied yet).
 *
 * State lives in memory; artefacts (captured output, staging files, work
 * directories) live under the data directory. A server handle may be read
 * from any thread; stop and free it from one.
 *
 * Threads and signals: the server runs on threads of its own (HTTP, mission
 * supervision, sweeping), all started with every asynchronous signal blocked,
 * so the process's signals (SIGCHLD of the missions, SIGINT, SIGTERM,
 * SIGPIPE, the host's own) are delivered to the host's threads only — as a Go
 * (cgo) or PHP host requires. The calling thread's signal mask is left as it
 * was. Missions start with an empty mask and default dispositions.
 */
#ifndef LETTS_DEVSERVER_H
#define LETTS_DEVSERVER_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A running devserver. Opaque; created by letts_devserver_start(). */
typedef struct letts_devserver letts_devserver;

/** How to start a devserver. Opaque; every setting is optional. */
typedef struct letts_devserver_options letts_devserver_options;

/**
 * Create an options object with nothing set. `*out` receives it; release it
 * with letts_devserver_options_free().
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (`out` NULL) or
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_devserver_options_new(letts_devserver_options **out, letts_error **err);

/** Release options. NULL is accepted. */
LETTS_EXTERN void letts_devserver_options_free(letts_devserver_options *opts);

/**
 * Use the dugdale.yaml at `path` (copied). Replaces a YAML text set before.
 * The file is read at start. Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_devserver_options_set_config_file(letts_devserver_options *opts,
                                                                  const char *path, letts_error **err);

/**
 * Use `yaml` (copied), the text of a dugdale.yaml. Replaces a path set
 * before. Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_devserver_options_set_config_yaml(letts_devserver_options *opts,
                                                                  const char *yaml, letts_error **err);

/**
 * Listen on `port` (0 = a free port) instead of the port of `listen`.
 * Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT (outside 0..65535).
 */
LETTS_EXTERN letts_status letts_devserver_options_set_port(letts_devserver_options *opts, int port,
                                                           letts_error **err);

/**
 * The mission directory of the default runtime (used only when no
 * configuration is given). Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT.
 */
LETTS_EXTERN letts_status letts_devserver_options_set_mission_dir(letts_devserver_options *opts,
                                                                  const char *dir, letts_error **err);

/**
 * Start a devserver. `opts` may be NULL (defaults) and is not kept. `*out`
 * receives the server; release it with letts_devserver_free().
 * Returns LETTS_OK, LETTS_ERR_CONFIG (the dugdale.yaml is unreadable or
 * invalid: unknown key, bad value, failed start-up check), LETTS_ERR_IO
 * (the address cannot be bound, the data directory cannot be created),
 * LETTS_ERR_INVALID_ARGUMENT or LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_devserver_start(letts_devserver **out, const letts_devserver_options *opts,
                                                letts_error **err);

/** The base URL, e.g. "http://127.0.0.1:41234". Owned by `srv`. */
LETTS_EXTERN const char *letts_devserver_url(const letts_devserver *srv);

/** The port actually listened on. */
LETTS_EXTERN int letts_devserver_port(const letts_devserver *srv);

/** The first dispatch token (auth.tokens), or "" when none. Owned by `srv`. */
LETTS_EXTERN const char *letts_devserver_dispatch_token(const letts_devserver *srv);

/** The first admin token (admin.tokens), or "" when none. Owned by `srv`. */
LETTS_EXTERN const char *letts_devserver_admin_token(const letts_devserver *srv);

/** The data directory. Owned by `srv`. */
LETTS_EXTERN const char *letts_devserver_data_dir(const letts_devserver *srv);

/** A letts.yaml text naming this server (id "devserver"), its tokens and
 *  lanes, ready for a client. Owned by `srv`. */
LETTS_EXTERN const char *letts_devserver_client_config(const letts_devserver *srv);

/**
 * Stop the server: new work is refused, running missions end as
 * killed/dugdale_shutdown, every connection is closed and every mission
 * process is killed and reaped. Idempotent. The handle stays readable until
 * freed. Returns LETTS_OK or LETTS_ERR_INVALID_ARGUMENT (`srv` NULL).
 */
LETTS_EXTERN letts_status letts_devserver_stop(letts_devserver *srv, letts_error **err);

/** Stop (if needed) and release a server. NULL is accepted. */
LETTS_EXTERN void letts_devserver_free(letts_devserver *srv);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_DEVSERVER_H */
