/*
 * The set-up every test against a letts-devserver shares (integration,
 * cancellation and hostile suites): an embedded letts-devserver (through the
 * public letts_devserver_* API) or the binary as a child process, each with
 * its own mission directory; the dugdale.yaml they start from; missions;
 * HTTP helpers over libcurl; JSON checks with cJSON; deadline-based polling;
 * and a letts client of a server's URL. Every helper fails the running
 * cmocka test on an unexpected error, so tests read as the behaviour they
 * check.
 */
#ifndef LETTS_TEST_DEVSERVER_HARNESS_H
#define LETTS_TEST_DEVSERVER_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "letts/letts.h"

typedef struct ds_server {
    letts_devserver *srv;
    char url[128];
    char dispatch_token[128];
    char admin_token[128];
    char mission_dir[256]; /* temporary, removed by ds_stop */
} ds_server;

typedef struct ds_resp {
    long status;
    char *body; /* NUL-terminated, owned */
    size_t len;
    char *headers; /* raw response headers, owned */
} ds_resp;

/* The start of every dugdale.yaml the tests give ds_start: any port on
 * loopback, a fresh data directory, and the fixed tokens "dispatch-token"
 * and "admin-token". A test appends its own sections (limits:, ...). */
#define DS_YAML_HEAD                   \
    "listen: 127.0.0.1:0\n"            \
    "data_dir: %DATA%\n"               \
    "auth:\n  tokens: [dispatch-token]\n" \
    "admin:\n  tokens: [admin-token]\n"

/* Starts an embedded devserver with the default configuration (tokens,
 * lane "default" of concurrency 4) and a fresh mission directory. With
 * `yaml` non-NULL the server runs that dugdale.yaml instead (nothing
 * applied); "%DATA%" in it is replaced by a fresh data directory. */
void ds_start(ds_server *s, const char *yaml);
void ds_stop(ds_server *s);

/* The letts-devserver binary ($DS_BINARY) as a child process (its thread and
 * descriptor counts can be read from /proc, and it is a child subreaper as in
 * production), with the default configuration and a fresh mission dir; `env`
 * (NULL-terminated "NAME=value" list, or NULL) is added to its environment.
 * Fills `s` (url, tokens, mission_dir; no `srv`) and returns its pid. */
pid_t ds_binary_start(ds_server *s, const char *const *env);
/* SIGTERM, waits for the exit (asserts status 0 within 20 s), removes the mission dir. */
void ds_binary_stop(ds_server *s, pid_t pid);

/* One HTTP request. `token` may be NULL (no Authorization header),
 * `body` may be NULL, `extra_headers` is a NULL-terminated list or NULL.
 * Returns the HTTP status, fills `out` (free with ds_resp_free). */
long ds_http(const ds_server *s, const char *method, const char *path, const char *token,
             const char *body, size_t body_len, const char *const *extra_headers, ds_resp *out);
void ds_resp_free(ds_resp *r);
/* The parsed body (asserts it is JSON). Free with cJSON_Delete. */
cJSON *ds_json(const ds_resp *r);
/* The value of a response header (case-insensitive name), copied into buf, or NULL. */
const char *ds_header(const ds_resp *r, const char *name, char *buf, size_t size);
/* Asserts the body is the error envelope with this code. */
void ds_assert_error(const ds_resp *r, long status, const char *code);

/* A fresh UUIDv7 in canonical text. */
void ds_uuidv7(char out[37]);

/* Writes an executable `#!/bin/sh` mission named `name` into the mission dir. */
void ds_script(const ds_server *s, const char *name, const char *body);
/* Writes a mission `name` that runs `before` (shell, may be ""), waits until
 * the file `gate_name` of the mission dir exists, then runs `after`; writes
 * the gate's path to `gate`. The test releases every waiting run by creating
 * that file. */
void ds_gated_script(const ds_server *s, const char *name, const char *gate_name, const char *before,
                     const char *after, char *gate, size_t gate_size);
/* ds_start with `yaml`, ds_apply_lanes with `lanes`, and the mission
 * "gated" that succeeds once the file "gate" exists (its path written to
 * `gate`): the server a test of queue limits fills with held jobs. */
void ds_start_gated(ds_server *s, const char *yaml, const char *lanes, char *gate, size_t gate_size);
/* Copies the C mission built by meson (path in $DS_C_MISSION) to `name`. */
void ds_c_mission(const ds_server *s, const char *name);

/* POST /v1/dispatch of `mission` on `lane` with optional `input` (JSON text)
 * and extra top-level members (`extra`, JSON object members without braces,
 * e.g. "\"timeout\":\"1s\""). Asserts 202 and writes the id. */
void ds_dispatch(const ds_server *s, const char *mission, const char *lane, const char *input,
                 const char *extra, char id[37]);
/* GET /v1/missions/{id} as admin, parsed. */
cJSON *ds_mission(const ds_server *s, const char *id);
/* Polls the mission until `status` equals `status` (within timeout_ms);
 * returns the resource. */
cJSON *ds_wait_status(const ds_server *s, const char *id, const char *status, int timeout_ms);
/* Waits until done and checks outcome (and fail_reason unless NULL;
 * "" means absent). Returns the resource. */
cJSON *ds_wait_outcome(const ds_server *s, const char *id, const char *outcome, const char *fail_reason,
                       int timeout_ms);
/* Polls until `path` (a file in the mission dir) exists. */
void ds_wait_file(const ds_server *s, const char *name, int timeout_ms);

/* Small JSON accessors that fail the test when the member is missing. */
const char *ds_str(const cJSON *o, const char *key);
double ds_num(const cJSON *o, const char *key);
/* Milliseconds on a monotonic clock. */
long long ds_now_ms(void);
/* True while process `pid` exists and is not a zombie. */
int ds_pid_alive(long pid);


/* POST /v1/admin/apply of `doc` (JSON; "%MISSIONS%" is replaced by the
 * mission dir) with the admin token; asserts 200. */
void ds_apply(const ds_server *s, const char *doc);
/* ds_apply of the mission dir with `lanes` (a JSON object, e.g.
 * "{\"one\":{\"concurrency\":1}}"), where a mission's file is its name in
 * the mission dir and a dispatch of a missing file is refused. */
void ds_apply_lanes(const ds_server *s, const char *lanes);
/* Path of `name` in the mission dir. */
void ds_path(const ds_server *s, const char *name, char *out, size_t size);
/* A simple admin POST/DELETE without body; returns status, fills r. */
long ds_admin(const ds_server *s, const char *method, const char *fmt_path, const char *id, ds_resp *r);

/* A streaming GET (events or output with follow=true) read on its own
 * thread, so that a test can act on the server while the stream is open. */
typedef struct ds_follow ds_follow;
ds_follow *ds_follow_start(const ds_server *s, const char *path, const char *token);
/* Polls until the bytes received so far contain `needle` (asserts within timeout_ms). */
void ds_follow_wait_for(ds_follow *f, const char *needle, int timeout_ms);
/* Waits for the response to end (asserts within timeout_ms), frees the
 * follower and returns the whole body (free with free()); `status` gets
 * the HTTP status, `transfer_ok` whether libcurl saw a complete response. */
char *ds_follow_finish(ds_follow *f, int timeout_ms, long *status, int *transfer_ok);

/* A letts client whose only dugdale, "dev", is at `url`: a letts.yaml
 * written from these fields (loaded as "client.yaml") and client options set
 * from the non-zero ones. Zeroed fields take the defaults named. */
typedef struct ds_client_spec {
    const char *url;
    const char *token;              /* NULL: "dispatch-token" */
    const char *admin_token;        /* NULL: "admin-token" */
    const char *labels;             /* the dugdale's labels as YAML ("[local]"); NULL: none */
    const char *lane;               /* its one lane; NULL: "default" */
    int concurrency;                /* of that lane; 0: 4 */
    int retry_attempts;             /* 0: the client's default */
    int64_t retry_backoff_ms;       /* one back-off step; 0: the client's default */
    int64_t request_timeout_ms;     /* 0: the client's default */
    int64_t connect_timeout_ms;     /* 0: the client's default */
    size_t max_response_bytes;      /* 0: the client's default */
    size_t max_event_line_bytes;    /* 0: the client's default */
} ds_client_spec;
letts_client *ds_client(const ds_client_spec *spec);
/* A listening TCP socket on 127.0.0.1 and an ephemeral port (`*port`), for
 * the stand-in servers tests write themselves. */
int ds_listen_loopback(int *port);
/* A job for `mission` on dugdale "dev", lane `lane`. */
letts_job *ds_job_on_dev(const char *mission, const char *lane);

#endif
