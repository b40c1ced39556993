/*
 * What the benches share: a monotonic clock, UUIDv7 request ids, /proc
 * figures of a process, and a letts devserver in a forked process (so that
 * the bench's own threads, descriptors and RSS are the client's alone).
 */
#ifndef LETTS_BENCH_COMMON_H
#define LETTS_BENCH_COMMON_H

#include <sys/types.h>

/* CLOCK_MONOTONIC in milliseconds. */
double bench_now_ms(void);

/* A UUIDv7 (RFC 9562) in its 36-character form, e.g. for Idempotency-Key. */
void bench_uuidv7(char out[37]);

/* The number of a `/proc/<pid>/status` line such as "Threads" or "VmHWM"
 * (kB), pid 0 for this process; -1 when the line or the process is gone. */
long bench_proc_status(pid_t pid, const char *field);

/* Entries of `/proc/<pid>/<dir>` ("fd", "task"), pid 0 for this process,
 * not counting the descriptor that reads the directory; -1 when gone. */
long bench_proc_count(pid_t pid, const char *dir);

/* Raises RLIMIT_NOFILE to its hard limit (thousands of connections). */
void bench_raise_fd_limit(void);

/* A devserver (default instance) in a forked child. */
typedef struct bench_server {
    pid_t pid;
    int ctl_fd; /* closing it stops the server */
    char *info; /* url \0 dispatch token \0 admin token \0 client letts.yaml \0 */
    const char *url, *token, *admin, *yaml;
} bench_server;

/* Forks the server (missions from `mission_dir`, or the default instance's
 * when NULL; descriptor limit raised) and waits until it serves. 0 or -1. */
int bench_server_start(bench_server *s, const char *mission_dir);

/* Stops the server and waits for its process. */
void bench_server_stop(bench_server *s);

#endif
