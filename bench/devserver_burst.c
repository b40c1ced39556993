/* Burst bench of letts-devserver: an embedded server, 200 clients following
 * the events of 200 missions at the same time, and 2000 dispatches sent in one burst over a
 * single curl multi handle (64 connections in flight). Prints dispatches/s,
 * p50/p99 dispatch latency, follower completion, the connections the client
 * opened (keep-alive), and the peak threads, descriptors and RSS of the
 * process (the embedded server plus this one-threaded client). Nothing is
 * asserted on speed; the run fails only if a request fails.
 *
 * With --paused the lane is paused during the dispatch burst (and continued
 * once every dispatch is answered), so that dispatches/s measures the HTTP
 * layer and the dispatch handler without 2000 mission starts competing for
 * the CPU. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "letts/letts.h"

#include "bench_common.h"

enum { DISPATCHES = 2000, FOLLOWERS = 200, IN_FLIGHT = 64 };

typedef struct req {
    CURL *easy;
    struct curl_slist *hdrs;
    char id[37];
    char body[256];
    double started;
    int follower;
    size_t bytes;
    int saw_done;
} req;

static size_t on_body(char *p, size_t s, size_t n, void *u) {
    req *r = u;
    r->bytes += s * n;
    if (r->follower && memmem(p, s * n, "\"event\":\"done\"", 14)) r->saw_done++;
    return s * n;
}

static int cmp(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* POST to an admin route; 200 expected. */
static int admin_post(const char *url, const char *token, const char *path) {
    char u[320], auth[200];
    snprintf(u, sizeof u, "%s%s", url, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    CURL *c = curl_easy_init();
    FILE *null = fopen("/dev/null", "w");
    curl_easy_setopt(c, CURLOPT_URL, u);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(c, CURLOPT_WRITEDATA, null);
    const CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    fclose(null);
    if (rc != CURLE_OK || status != 200) {
        fprintf(stderr, "POST %s: %s, HTTP %ld\n", path, curl_easy_strerror(rc), status);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    const int paused = argc > 1 && strcmp(argv[1], "--paused") == 0;
    char dir[] = "/tmp/ds-bench-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char path[256];
    snprintf(path, sizeof path, "%s/quick", dir);
    FILE *f = fopen(path, "w");
    fputs("#!/bin/sh\necho '{\"event\":\"success\"}' >&3\n", f);
    fclose(f);
    chmod(path, 0755);

    letts_devserver_options *opts = NULL;
    letts_devserver *srv = NULL;
    letts_error *err = NULL;
    letts_devserver_options_new(&opts, &err);
    letts_devserver_options_set_mission_dir(opts, dir, &err);
    if (letts_devserver_start(&srv, opts, &err) != LETTS_OK) {
        fprintf(stderr, "start: %s\n", letts_error_message(err));
        return 1;
    }
    letts_devserver_options_free(opts);
    const char *url = letts_devserver_url(srv);
    char auth[160];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", letts_devserver_dispatch_token(srv));

    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *admin = letts_devserver_admin_token(srv);
    if (paused && admin_post(url, admin, "/v1/admin/lanes/default/pause") != 0) return 1;
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)(IN_FLIGHT + FOLLOWERS));
    req *reqs = calloc(DISPATCHES + FOLLOWERS, sizeof *reqs);
    double *lat = calloc(DISPATCHES, sizeof *lat);
    /* Indexes of the dispatches answered 202, in the order of their answers:
     * a follower may only ask for a job whose creation was acknowledged
     * (answers arrive out of order with 64 requests in flight). */
    int *accepted = calloc(DISPATCHES, sizeof *accepted);
    int n_accepted = 0, peak_followers = 0;
    int next = 0, done_dispatch = 0, done_follow = 0, failures = 0, active = 0, followers_started = 0;
    const double t0 = bench_now_ms();
    double t_dispatched = 0, last_sample = 0;
    int peak_threads = 0, peak_fds = 0;
    long connects = 0;

    while (done_dispatch < DISPATCHES || done_follow < followers_started ||
           (followers_started < FOLLOWERS && FOLLOWERS + followers_started < n_accepted)) {
        while (next < DISPATCHES && active < IN_FLIGHT) {
            req *r = &reqs[next++];
            bench_uuidv7(r->id);
            snprintf(r->body, sizeof r->body, "{\"mission\":\"quick\",\"lane\":\"default\",\"input\":{\"n\":%d}}",
                     next);
            char key[80], u[256];
            snprintf(key, sizeof key, "Idempotency-Key: %s", r->id);
            snprintf(u, sizeof u, "%s/v1/dispatch", url);
            r->hdrs = curl_slist_append(curl_slist_append(curl_slist_append(NULL, auth), key), "Expect:");
            r->easy = curl_easy_init();
            curl_easy_setopt(r->easy, CURLOPT_URL, u);
            curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
            curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->body);
            curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_body);
            curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
            curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
            r->started = bench_now_ms();
            curl_multi_add_handle(multi, r->easy);
            active++;
        }
        /* One follower for each of the acknowledged jobs FOLLOWERS+1 …
         * 2*FOLLOWERS: they wait behind the first ones in the lane, so the
         * followers connect while their jobs are queued and all of them
         * are open at the same time. */
        while (followers_started < FOLLOWERS && FOLLOWERS + followers_started < n_accepted) {
            req *src = &reqs[accepted[FOLLOWERS + followers_started]];
            req *r = &reqs[DISPATCHES + followers_started++];
            r->follower = 1;
            char u[256];
            snprintf(u, sizeof u, "%s/v1/missions/%s/events?follow=true", url, src->id);
            r->hdrs = curl_slist_append(NULL, auth);
            r->easy = curl_easy_init();
            curl_easy_setopt(r->easy, CURLOPT_URL, u);
            curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
            curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_body);
            curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
            curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
            curl_multi_add_handle(multi, r->easy);
        }
        if (followers_started - done_follow > peak_followers) peak_followers = followers_started - done_follow;
        if (bench_now_ms() - last_sample > 100) {
            last_sample = bench_now_ms();
            const int t = (int)bench_proc_status(0, "Threads"), fds = (int)bench_proc_count(0, "fd");
            if (t > peak_threads) peak_threads = t;
            if (fds > peak_fds) peak_fds = fds;
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        curl_multi_poll(multi, NULL, 0, 100, NULL);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(multi, &left))) {
            if (m->msg != CURLMSG_DONE) continue;
            req *r;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
            long status = 0, fresh = 0;
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_getinfo(m->easy_handle, CURLINFO_NUM_CONNECTS, &fresh);
            connects += fresh;
            if (r->follower) {
                done_follow++;
                if (m->data.result != CURLE_OK || status != 200 || r->saw_done != 1) {
                    failures++;
                    fprintf(stderr, "follower: %s, HTTP %ld, done lines %d\n", curl_easy_strerror(m->data.result),
                            status, r->saw_done);
                }
            } else {
                lat[done_dispatch++] = bench_now_ms() - r->started;
                active--;
                if (m->data.result != CURLE_OK || status != 202) {
                    failures++;
                    fprintf(stderr, "dispatch: %s, HTTP %ld\n", curl_easy_strerror(m->data.result), status);
                } else {
                    accepted[n_accepted++] = (int)(r - reqs);
                }
                if (done_dispatch == DISPATCHES) {
                    t_dispatched = bench_now_ms();
                    if (paused && admin_post(url, admin, "/v1/admin/lanes/default/continue") != 0) failures++;
                }
            }
            curl_multi_remove_handle(multi, m->easy_handle);
            curl_easy_cleanup(m->easy_handle);
            curl_slist_free_all(r->hdrs);
        }
    }
    const double t_end = bench_now_ms();
    if (done_follow < FOLLOWERS) {
        failures++;
        fprintf(stderr, "only %d followers could start\n", done_follow);
    }
    qsort(lat, DISPATCHES, sizeof *lat, cmp);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("dispatches:            %d in %.0f ms = %.0f dispatches/s%s\n", DISPATCHES, t_dispatched - t0,
           DISPATCHES / ((t_dispatched - t0) / 1e3), paused ? " (lane paused during the burst)" : "");
    printf("dispatch latency:      p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d in flight)\n", lat[DISPATCHES / 2],
           lat[DISPATCHES * 99 / 100], lat[DISPATCHES - 1], IN_FLIGHT);
    printf("followers:             %d (peak %d open at once), each saw done exactly once; all finished after %.0f ms\n",
           done_follow, peak_followers, t_end - t0);
    printf("failures:              %d\n", failures);
    printf("connections opened:    %ld for %d requests\n", connects, DISPATCHES + FOLLOWERS);
    printf("peak (process = embedded server + 1 client thread): %d threads, %d fds, RSS %ld MiB\n",
           peak_threads, peak_fds, ru.ru_maxrss / 1024);

    curl_multi_cleanup(multi);
    curl_global_cleanup();
    letts_devserver_free(srv);
    remove(path);
    rmdir(dir);
    free(reqs);
    free(lat);
    free(accepted);
    return failures ? 1 : 0;
}
