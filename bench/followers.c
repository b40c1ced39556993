/* Follower-scale bench of letts-devserver (issue 15): N (default 10,000)
 * clients follow the events of jobs that stay queued or running, all open at
 * once, then the jobs finish and every follower must get exactly one done
 * line. The server is an embedded letts_devserver in a forked child, so its
 * threads, descriptors and RSS (/proc/<child>) are its own; the client is one
 * curl multi handle in this process. Usage: followers [N] [JOBS]
 *
 * Prints the server's threads, fds and RSS with every follower open, the
 * time from the gate opening to the last done line, and failures. Nothing is
 * asserted on speed; the run fails only if a follower fails. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "letts/letts.h"

#include "bench_common.h"

/* The server child: starts the devserver, writes "url token\n" to `out`,
 * serves until `in` reaches end of file, stops. */
static int serve(const char *mission_dir, int in, int out) {
    letts_devserver_options *opts = NULL;
    letts_devserver *srv = NULL;
    letts_error *err = NULL;
    letts_devserver_options_new(&opts, &err);
    letts_devserver_options_set_mission_dir(opts, mission_dir, &err);
    if (letts_devserver_start(&srv, opts, &err) != LETTS_OK) {
        fprintf(stderr, "start: %s\n", letts_error_message(err));
        return 1;
    }
    letts_devserver_options_free(opts);
    dprintf(out, "%s %s\n", letts_devserver_url(srv), letts_devserver_dispatch_token(srv));
    close(out);
    char c;
    while (read(in, &c, 1) > 0) {
    }
    letts_devserver_free(srv);
    return 0;
}

typedef struct follower {
    CURL *easy;
    size_t bytes;
    int done_lines;
    char tail[16]; /* the last bytes of the previous chunk, for a split "done" */
} follower;

static int answered; /* followers that received their first bytes */

static size_t on_body(char *p, size_t s, size_t n, void *u) {
    follower *f = u;
    const size_t len = s * n;
    if (f->bytes == 0 && len > 0) answered++;
    /* The needle may straddle two chunks: look in tail + the chunk's head too. */
    char joined[64];
    const size_t head = len < 32 ? len : 32;
    const size_t tl = strlen(f->tail);
    memcpy(joined, f->tail, tl);
    memcpy(joined + tl, p, head);
    const char *needle = "\"event\":\"done\"";
    if (memmem(joined, tl + head, needle, 14) && !memmem(p, head, needle, 14)) f->done_lines++;
    for (const char *q = p; (q = memmem(q, len - (size_t)(q - p), needle, 14)) != NULL; q += 14) f->done_lines++;
    const size_t keep = len < 13 ? len : 13;
    memcpy(f->tail, p + len - keep, keep);
    f->tail[keep] = '\0';
    f->bytes += len;
    return len;
}

static int post_dispatch(const char *url, const char *auth, const char *body, char id_out[37]) {
    char key[80], u[320];
    char id[37];
    bench_uuidv7(id);
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    snprintf(u, sizeof u, "%s/v1/dispatch", url);
    struct curl_slist *h = curl_slist_append(curl_slist_append(curl_slist_append(NULL, auth), key), "Expect:");
    CURL *c = curl_easy_init();
    char resp[512] = "";
    FILE *mem = fmemopen(resp, sizeof resp - 1, "w");
    curl_easy_setopt(c, CURLOPT_URL, u);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, mem);
    const CURLcode rc = curl_easy_perform(c);
    fclose(mem);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    const char *p = strstr(resp, "\"mission_id\":\"");
    if (rc != CURLE_OK || status != 202 || !p) {
        fprintf(stderr, "dispatch: %s, HTTP %ld: %s\n", curl_easy_strerror(rc), status, resp);
        return -1;
    }
    memcpy(id_out, p + 14, 36);
    id_out[36] = '\0';
    return 0;
}

int main(int argc, char **argv) {
    const int n = argc > 1 ? atoi(argv[1]) : 10000;
    const int jobs = argc > 2 ? atoi(argv[2]) : 10;
    if (n <= 0 || jobs <= 0) return 2;

    /* Descriptors: N sockets on each side. Raised before the fork so that
     * the server child has the same limit. */
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < (rlim_t)n + 200) {
        fprintf(stderr, "RLIMIT_NOFILE %lu is too low for %d followers (ulimit -Hn)\n", (unsigned long)rl.rlim_cur, n);
        return 2;
    }

    char dir[] = "/tmp/ds-followers-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char mission[256], gate[256];
    snprintf(mission, sizeof mission, "%s/gated", dir);
    snprintf(gate, sizeof gate, "%s/gate", dir);
    FILE *f = fopen(mission, "w");
    fprintf(f, "#!/bin/sh\nwhile [ ! -e '%s' ]; do sleep 0.05; done\necho '{\"event\":\"success\"}' >&3\n", gate);
    fclose(f);
    chmod(mission, 0755);

    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) return 1;
    const pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
        close(to_child[1]);
        close(from_child[0]);
        _exit(serve(dir, to_child[0], from_child[1]));
    }
    close(to_child[0]);
    close(from_child[1]);
    char line[512] = "";
    FILE *in = fdopen(from_child[0], "r");
    if (!fgets(line, sizeof line, in)) {
        fprintf(stderr, "the server child did not start\n");
        return 1;
    }
    fclose(in);
    char url[256], token[200], auth[260];
    if (sscanf(line, "%255s %199s", url, token) != 2) return 1;
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);

    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* JOBS jobs of one gated mission: 4 run (the lane's concurrency), the
     * rest wait in the queue; N/JOBS followers each. */
    char (*ids)[37] = calloc((size_t)jobs, 37);
    for (int j = 0; j < jobs; ++j)
        if (post_dispatch(url, auth, "{\"mission\":\"gated\",\"lane\":\"default\"}", ids[j]) != 0) return 1;

    const long threads_idle = bench_proc_status(child, "Threads");
    CURLM *multi = curl_multi_init();
    follower *fs = calloc((size_t)n, sizeof *fs);
    struct curl_slist *hdrs = curl_slist_append(NULL, auth);
    int added = 0, finished = 0, failures = 0, open_all = 0;
    long connects = 0, peak_threads = 0, peak_fds = 0, rss_open = 0;
    double t_gate = 0;
    const double t0 = bench_now_ms();
    while (finished < n) {
        /* At most 1000 connecting at a time, so the listen backlog is not flooded. */
        while (added < n && added - answered < 1000) {
            follower *fl = &fs[added];
            char u[360];
            snprintf(u, sizeof u, "%s/v1/missions/%s/events?follow=true", url, ids[added % jobs]);
            fl->easy = curl_easy_init();
            curl_easy_setopt(fl->easy, CURLOPT_URL, u);
            curl_easy_setopt(fl->easy, CURLOPT_HTTPHEADER, hdrs);
            curl_easy_setopt(fl->easy, CURLOPT_WRITEFUNCTION, on_body);
            curl_easy_setopt(fl->easy, CURLOPT_WRITEDATA, fl);
            curl_easy_setopt(fl->easy, CURLOPT_PRIVATE, fl);
            curl_multi_add_handle(multi, fl->easy);
            added++;
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        curl_multi_poll(multi, NULL, 0, 50, NULL);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(multi, &left))) {
            if (m->msg != CURLMSG_DONE) continue;
            follower *fl;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&fl);
            long status = 0, fresh = 0;
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_getinfo(m->easy_handle, CURLINFO_NUM_CONNECTS, &fresh);
            connects += fresh;
            if (m->data.result != CURLE_OK || status != 200 || fl->done_lines != 1 || !open_all) {
                if (failures++ < 10)
                    fprintf(stderr, "follower: %s, HTTP %ld, done lines %d%s\n", curl_easy_strerror(m->data.result),
                            status, fl->done_lines, open_all ? "" : " (ended before all were open)");
            }
            finished++;
            curl_multi_remove_handle(multi, m->easy_handle);
            curl_easy_cleanup(m->easy_handle);
        }
        if (!open_all && added == n) {
            if (answered == n) {
                /* Every follower has its first line: all N are open at once. */
                open_all = 1;
                peak_threads = bench_proc_status(child, "Threads");
                peak_fds = bench_proc_count(child, "fd");
                rss_open = bench_proc_status(child, "VmRSS");
                printf("all %d followers open after %.0f ms\n", n, bench_now_ms() - t0);
                FILE *g = fopen(gate, "w");
                fclose(g);
                t_gate = bench_now_ms();
            }
        }
        if (bench_now_ms() - t0 > 300000) {
            fprintf(stderr, "timeout: %d of %d followers finished\n", finished, n);
            failures++;
            break;
        }
    }
    const double t_end = bench_now_ms();
    const long hwm = bench_proc_status(child, "VmHWM");
    close(to_child[1]); /* the child stops its server and exits */
    int wstatus = 0;
    waitpid(child, &wstatus, 0);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);

    printf("followers:             %d on %d jobs, %d failures (each must end 200 with exactly one done line)\n", n,
           jobs, failures);
    printf("gate opened -> last done line: %.0f ms\n", t_end - t_gate);
    printf("server with all open:  %ld threads (%ld idle), %ld fds, RSS %ld MiB (peak RSS %ld MiB)\n", peak_threads,
           threads_idle, peak_fds, rss_open / 1024, hwm / 1024);
    printf("client:                %ld connections, peak RSS %ld MiB\n", connects, ru.ru_maxrss / 1024);
    printf("server exit status:    %d\n", WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);

    curl_slist_free_all(hdrs);
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    free(fs);
    free(ids);
    remove(gate);
    remove(mission);
    rmdir(dir);
    return failures || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0 ? 1 : 0;
}
