/*
 * A fault-injecting TCP proxy for the client's integration tests. It sits
 * between the client and letts-devserver, forwards bytes both ways, and can
 * cut a connection after a given number of request or response bytes for
 * requests that match a method and a path fragment. Each forwarded request
 * gets "Connection: close" added, so one connection carries one request and
 * a rule sees every request. Request heads are recorded for assertions.
 */
#ifndef FAULT_PROXY_H
#define FAULT_PROXY_H

#include <stddef.h>

typedef struct fault_proxy fault_proxy;

/* Listens on 127.0.0.1 (random port) and forwards to 127.0.0.1:`upstream_port`. */
fault_proxy *fault_proxy_start(int upstream_port);
void fault_proxy_stop(fault_proxy *p);
/* "http://127.0.0.1:<port>" */
const char *fault_proxy_url(const fault_proxy *p);

/* For the next `times` requests whose method is `method` and whose target
 * contains `fragment`: close the connection after forwarding `request_limit`
 * request bytes (head included; 0 = no limit) or `response_limit` response
 * bytes (0 = no limit). */
void fault_proxy_add_rule(fault_proxy *p, const char *method, const char *fragment,
                          size_t request_limit, size_t response_limit, int times);

/* Number of requests seen whose head contains `text` (e.g. "PUT /v1/staging"). */
int fault_proxy_count(fault_proxy *p, const char *text);
/* Copies into `out` the value of header `name` (case-sensitive) of the
 * `nth` (0-based) request whose head contains `text`; returns 0 if none. */
int fault_proxy_header(fault_proxy *p, const char *text, int nth, const char *name, char *out,
                       size_t size);

#endif
