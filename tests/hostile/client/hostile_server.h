/*
 * A scripted HTTP/1.1 server on loopback for the client's hostile-server
 * tests: it plays a dugdale that breaks the rules on purpose (endless
 * bodies and lines, huge headers, wrong lengths, redirects, resets). One
 * thread per connection, one request per connection (every answer closes
 * it); each request head is recorded for assertions. The test supplies the
 * handler that writes the answer; the helpers below stop writing as soon as
 * the client goes away or the server stops, so no handler outlives its test.
 */
#ifndef HOSTILE_SERVER_H
#define HOSTILE_SERVER_H

#include <stddef.h>

typedef struct hostile_server hostile_server;

typedef struct hs_request {
    char method[16];
    char target[512];
    char authorization[256]; /* "" when absent */
} hs_request;

/* Writes the answer to `fd` (then the server closes it). */
typedef void (*hs_handler)(hostile_server *server, int fd, const hs_request *request, void *arg);

/* Listens on 127.0.0.1 (random port). */
hostile_server *hs_start(hs_handler handler, void *arg);
/* Stops accepting, waits for every connection thread, frees. */
void hs_stop(hostile_server *server);
/* "http://127.0.0.1:<port>" */
const char *hs_url(const hostile_server *server);
int hs_port(const hostile_server *server);

/* Requests seen so far (heads fully read), and a copy of the n-th. */
int hs_count(hostile_server *server);
int hs_request_at(hostile_server *server, int n, hs_request *out);

/* Sends everything; -1 when the peer is gone or the server stops. */
int hs_send(hostile_server *server, int fd, const void *data, size_t len);
int hs_sendf(hostile_server *server, int fd, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* Sends `pattern` again and again up to `total` bytes; returns the bytes
 * sent before the peer went away (== total when it never did). */
size_t hs_send_repeated(hostile_server *server, int fd, const char *pattern, size_t total);
/* Keeps the connection open without sending, until the peer closes it
 * (returns 1), the server stops or `seconds` pass (returns 0). */
int hs_hold(hostile_server *server, int fd, double seconds);
/* Makes the close after the handler a TCP reset instead of a FIN. */
void hs_reset(int fd);

#endif
