/*
 * Helpers of the hostile-client tests of letts-devserver: the thread and
 * descriptor counts of the server run as a separate process, raw loopback
 * sockets that misbehave on purpose, and deadline-bounded reads. The server
 * itself (embedded or as a process) and the HTTP helpers come from
 * tests/support/devserver_harness.h.
 */
#ifndef HS_HOSTILE_H
#define HS_HOSTILE_H

#include <sys/types.h>

#include "devserver_harness.h"

/* Threads and open descriptors of process `pid`. */
int hs_threads(pid_t pid);
int hs_fds(pid_t pid);
/* Polls until hs_threads(pid) <= threads and hs_fds(pid) <= fds; returns the
 * milliseconds it took, or -1 when timeout_ms passed first. */
long hs_wait_counts(pid_t pid, int threads, int fds, int timeout_ms);

/* A blocking TCP connection to the server of `url` (asserts). */
int hs_connect(const char *url);
/* Sends all of `data` (asserts). */
void hs_send(int fd, const char *data);
/* Reads until the peer closes or `timeout_ms` passes; returns the bytes
 * (NUL-terminated, free()), `closed` says whether end-of-file/reset came. */
char *hs_read_until_close(int fd, int timeout_ms, int *closed);
/* Waits up to timeout_ms for end-of-file (or reset) on `fd`, discarding
 * data; returns the milliseconds it took or -1. */
long hs_wait_close(int fd, int timeout_ms);

/* A raw POST /v1/dispatch to server `s` with its dispatch token and a fresh
 * Idempotency-Key (written to `id`), followed by `rest` (the remaining header
 * lines, the blank line and any body bytes), written to `out`. */
void hs_dispatch_request(char *out, size_t size, const ds_server *s, char id[37], const char *rest);

/* The JSON body of a raw HTTP response (after the blank line), parsed. */
cJSON *hs_body_json(const char *response);

#endif
