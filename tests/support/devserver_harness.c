#include "devserver_harness.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

static void fail_with(const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fail_msg("%s", msg);
}

long long ds_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Poll interval: short enough to keep the suite fast, long enough not to
 * starve the 2 shared cores. */
static void pause_briefly(void) {
    struct timespec ts = {0, 5 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static void copy_bounded(char *dst, size_t size, const char *src) {
    if (src == NULL) src = "";
    snprintf(dst, size, "%s", src);
}

static char *replace_all(const char *text, const char *what, const char *with) {
    size_t n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + strlen(what), what)) n++;
    char *out = malloc(strlen(text) + n * strlen(with) + 1);
    assert_non_null(out);
    char *o = out;
    const char *p = text;
    for (const char *q = strstr(p, what); q; q = strstr(p, what)) {
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        strcpy(o, with);
        o += strlen(with);
        p = q + strlen(what);
    }
    strcpy(o, p);
    return out;
}

static char data_dirs[8][256];
static int data_dir_count;

void ds_start(ds_server *s, const char *yaml) {
    memset(s, 0, sizeof *s);
    snprintf(s->mission_dir, sizeof s->mission_dir, "/tmp/ds-missions-XXXXXX");
    assert_non_null(mkdtemp(s->mission_dir));
    letts_devserver_options *opts = NULL;
    letts_error *err = NULL;
    assert_int_equal(letts_devserver_options_new(&opts, &err), LETTS_OK);
    assert_int_equal(letts_devserver_options_set_mission_dir(opts, s->mission_dir, &err), LETTS_OK);
    assert_int_equal(letts_devserver_options_set_port(opts, 0, &err), LETTS_OK);
    if (yaml) {
        assert_true(data_dir_count < 8);
        char *dir = data_dirs[data_dir_count++];
        snprintf(dir, 256, "/tmp/ds-data-XXXXXX");
        assert_non_null(mkdtemp(dir));
        char *text = replace_all(yaml, "%DATA%", dir);
        assert_int_equal(letts_devserver_options_set_config_yaml(opts, text, &err), LETTS_OK);
        free(text);
    }
    const letts_status st = letts_devserver_start(&s->srv, opts, &err);
    if (st != LETTS_OK) fail_with("letts_devserver_start: %s", err ? letts_error_message(err) : "?");
    letts_devserver_options_free(opts);
    copy_bounded(s->url, sizeof s->url, letts_devserver_url(s->srv));
    copy_bounded(s->dispatch_token, sizeof s->dispatch_token, letts_devserver_dispatch_token(s->srv));
    copy_bounded(s->admin_token, sizeof s->admin_token, letts_devserver_admin_token(s->srv));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    chmod(path, 0700); /* inputs are materialised read-only */
    return remove(path);
}

static void remove_tree(const char *dir) {
    if (dir[0]) nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void ds_stop(ds_server *s) {
    letts_devserver_free(s->srv);
    s->srv = NULL;
    remove_tree(s->mission_dir);
    for (int i = 0; i < data_dir_count; ++i) remove_tree(data_dirs[i]);
    data_dir_count = 0;
}

pid_t ds_binary_start(ds_server *s, const char *const *env) {
    const char *bin = getenv("DS_BINARY");
    assert_non_null(bin);
    memset(s, 0, sizeof *s);
    snprintf(s->mission_dir, sizeof s->mission_dir, "/tmp/ds-bin-XXXXXX");
    assert_non_null(mkdtemp(s->mission_dir));
    int out[2];
    assert_int_equal(pipe(out), 0);
    const pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        for (const char *const *e = env; e && *e; ++e) putenv((char *)*e);
        execl(bin, bin, "--port", "0", "--mission-dir", s->mission_dir, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    /* The banner names the URL and both generated tokens. */
    FILE *f = fdopen(out[0], "r");
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *p = strstr(line, "listening on ");
        if (p) sscanf(p + 13, "%127s", s->url);
        p = strstr(line, "    token: \"");
        if (p) sscanf(p + 12, "%127[^\"]", s->dispatch_token);
        p = strstr(line, "    admin_token: \"");
        if (p) sscanf(p + 18, "%127[^\"]", s->admin_token);
        if (s->url[0] && s->dispatch_token[0] && s->admin_token[0]) break;
    }
    fclose(f);
    assert_true(s->url[0] && s->dispatch_token[0] && s->admin_token[0]);
    return pid;
}

void ds_binary_stop(ds_server *s, pid_t pid) {
    assert_int_equal(kill(pid, SIGTERM), 0);
    const long long deadline = ds_now_ms() + 20000;
    int status = 0;
    pid_t got = 0;
    while ((got = waitpid(pid, &status, WNOHANG)) == 0 && ds_now_ms() < deadline) pause_briefly();
    if (got == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        fail_msg("letts-devserver did not exit within 20 s of SIGTERM");
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    remove_tree(s->mission_dir);
}

typedef struct buf {
    char *data;
    size_t len;
} buf;

static size_t on_bytes(char *ptr, size_t size, size_t n, void *user) {
    buf *b = user;
    const size_t add = size * n;
    char *grown = realloc(b->data, b->len + add + 1);
    if (!grown) return 0;
    b->data = grown;
    memcpy(b->data + b->len, ptr, add);
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

long ds_http(const ds_server *s, const char *method, const char *path, const char *token, const char *body,
             size_t body_len, const char *const *extra_headers, ds_resp *out) {
    memset(out, 0, sizeof *out);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    char url[1024];
    snprintf(url, sizeof url, "%s%s", s->url, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0) curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    struct curl_slist *hdrs = NULL;
    char auth[256];
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hdrs = curl_slist_append(hdrs, auth);
    }
    for (const char *const *h = extra_headers; h && *h; ++h) hdrs = curl_slist_append(hdrs, *h);
    hdrs = curl_slist_append(hdrs, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    buf b = {0}, h = {0};
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_bytes);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_bytes);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) fail_with("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    out->body = b.data ? b.data : strdup("");
    out->len = b.len;
    out->headers = h.data ? h.data : strdup("");
    return out->status;
}

void ds_resp_free(ds_resp *r) {
    free(r->body);
    free(r->headers);
    memset(r, 0, sizeof *r);
}

cJSON *ds_json(const ds_resp *r) {
    cJSON *j = cJSON_ParseWithLength(r->body, r->len);
    if (!j) fail_with("not JSON (HTTP %ld): %s", r->status, r->body);
    return j;
}

const char *ds_header(const ds_resp *r, const char *name, char *out, size_t size) {
    const size_t n = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *end = strstr(line, "\r\n");
        if (!end) break;
        if ((size_t)(end - line) > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ') v++;
            snprintf(out, size, "%.*s", (int)(end - v), v);
            return out;
        }
        line = end + 2;
    }
    return NULL;
}

void ds_assert_error(const ds_resp *r, long status, const char *code) {
    if (r->status != status) fail_with("expected HTTP %ld %s, got %ld: %s", status, code, r->status, r->body);
    cJSON *j = ds_json(r);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
    if (!cJSON_IsString(e) || strcmp(e->valuestring, code) != 0)
        fail_with("expected error %s, got body %s", code, r->body);
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "message")));
    cJSON_Delete(j);
}

void ds_uuidv7(char out[37]) {
    unsigned char b[16];
    assert_int_equal(getrandom(b, sizeof b, 0), (ssize_t)sizeof b);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    const uint64_t ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
    for (int i = 0; i < 6; ++i) b[i] = (unsigned char)(ms >> (8 * (5 - i)));
    b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
             b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static void write_file(const char *path, const char *data, size_t len, mode_t mode) {
    const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) fail_with("open %s: %s", path, strerror(errno));
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    chmod(path, mode);
}

void ds_script(const ds_server *s, const char *name, const char *body) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", s->mission_dir, name);
    size_t len = strlen(body) + 16;
    char *text = malloc(len);
    assert_non_null(text);
    snprintf(text, len, "#!/bin/sh\n%s\n", body);
    write_file(path, text, strlen(text), 0755);
    free(text);
}

void ds_gated_script(const ds_server *s, const char *name, const char *gate_name, const char *before,
                     const char *after, char *gate, size_t gate_size) {
    ds_path(s, gate_name, gate, gate_size);
    char body[2048];
    const int n = snprintf(body, sizeof body, "%swhile [ ! -e \"%s\" ]; do sleep 0.02; done; %s", before, gate, after);
    assert_true(n > 0 && (size_t)n < sizeof body);
    ds_script(s, name, body);
}

void ds_start_gated(ds_server *s, const char *yaml, const char *lanes, char *gate, size_t gate_size) {
    ds_start(s, yaml);
    ds_apply_lanes(s, lanes);
    ds_gated_script(s, "gated", "gate", "", "echo '{\"event\":\"success\"}' >&3", gate, gate_size);
}

void ds_c_mission(const ds_server *s, const char *name) {
    const char *src = getenv("DS_C_MISSION");
    assert_non_null(src);
    FILE *in = fopen(src, "rb");
    assert_non_null(in);
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            data = realloc(data, cap);
            assert_non_null(data);
        }
        const size_t n = fread(data + len, 1, cap - len, in);
        if (n == 0) break;
        len += n;
    }
    fclose(in);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", s->mission_dir, name);
    write_file(path, data, len, 0755);
    free(data);
}

void ds_dispatch(const ds_server *s, const char *mission, const char *lane, const char *input, const char *extra,
                 char id[37]) {
    ds_uuidv7(id);
    char body[4096], key[80];
    snprintf(body, sizeof body, "{\"mission\":\"%s\",\"lane\":\"%s\",\"input\":%s%s%s}", mission, lane,
             input ? input : "null", extra ? "," : "", extra ? extra : "");
    snprintf(key, sizeof key, "Idempotency-Key: %s", id);
    const char *hdrs[] = {key, "Content-Type: application/json", NULL};
    ds_resp r;
    ds_http(s, "POST", "/v1/dispatch", s->dispatch_token, body, strlen(body), hdrs, &r);
    if (r.status != 202) fail_with("dispatch %s: HTTP %ld %s", mission, r.status, r.body);
    ds_resp_free(&r);
}

cJSON *ds_mission(const ds_server *s, const char *id) {
    char path[128];
    snprintf(path, sizeof path, "/v1/missions/%s", id);
    ds_resp r;
    ds_http(s, "GET", path, s->admin_token, NULL, 0, NULL, &r);
    if (r.status != 200) fail_with("GET %s: HTTP %ld %s", path, r.status, r.body);
    cJSON *j = ds_json(&r);
    ds_resp_free(&r);
    return j;
}

cJSON *ds_wait_status(const ds_server *s, const char *id, const char *status, int timeout_ms) {
    const long long deadline = ds_now_ms() + timeout_ms;
    for (;;) {
        cJSON *m = ds_mission(s, id);
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(m, "status");
        if (cJSON_IsString(st) && strcmp(st->valuestring, status) == 0) return m;
        if (ds_now_ms() > deadline) {
            char *text = cJSON_PrintUnformatted(m);
            fail_with("mission %s not %s within %d ms: %s", id, status, timeout_ms, text);
        }
        cJSON_Delete(m);
        pause_briefly();
    }
}

cJSON *ds_wait_outcome(const ds_server *s, const char *id, const char *outcome, const char *fail_reason,
                       int timeout_ms) {
    cJSON *m = ds_wait_status(s, id, "done", timeout_ms);
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(m, "outcome");
    const cJSON *fr = cJSON_GetObjectItemCaseSensitive(m, "fail_reason");
    const char *got_reason = cJSON_IsString(fr) ? fr->valuestring : "";
    if (!cJSON_IsString(o) || strcmp(o->valuestring, outcome) != 0 ||
        (fail_reason && strcmp(got_reason, fail_reason) != 0)) {
        char *text = cJSON_PrintUnformatted(m);
        fail_with("mission %s: expected %s/%s, got %s", id, outcome, fail_reason ? fail_reason : "*", text);
    }
    return m;
}

void ds_wait_file(const ds_server *s, const char *name, int timeout_ms) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", s->mission_dir, name);
    const long long deadline = ds_now_ms() + timeout_ms;
    while (access(path, F_OK) != 0) {
        if (ds_now_ms() > deadline) fail_with("%s did not appear within %d ms", path, timeout_ms);
        pause_briefly();
    }
}

const char *ds_str(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v)) fail_with("member %s missing or not a string", key);
    return v->valuestring;
}

double ds_num(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v)) fail_with("member %s missing or not a number", key);
    return v->valuedouble;
}

int ds_pid_alive(long pid) {
    char path[64], stat[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    const size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char *close_paren = strrchr(stat, ')');
    /* A zombie has stopped running; zombies of our own children are caught
     * separately (waitpid), an orphan's is its new parent's business. */
    return close_paren != NULL && close_paren[1] == ' ' && close_paren[2] != 'Z';
}

void ds_apply(const ds_server *s, const char *doc) {
    char *text = replace_all(doc, "%MISSIONS%", s->mission_dir);
    ds_resp r;
    ds_http(s, "POST", "/v1/admin/apply", s->admin_token, text, strlen(text), NULL, &r);
    if (r.status != 200) fail_with("apply: HTTP %ld %s", r.status, r.body);
    ds_resp_free(&r);
    free(text);
}

void ds_apply_lanes(const ds_server *s, const char *lanes) {
    char doc[2048];
    const int n = snprintf(doc, sizeof doc,
                           "{\"mission_dir\":\"%%MISSIONS%%\",\"lanes\":%s,"
                           "\"runtime\":{\"mission_path_template\":\"{mission}\",\"validate_mission_file\":true}}",
                           lanes);
    assert_true(n > 0 && (size_t)n < sizeof doc);
    ds_apply(s, doc);
}

void ds_path(const ds_server *s, const char *name, char *out, size_t size) {
    snprintf(out, size, "%s/%s", s->mission_dir, name);
}

long ds_admin(const ds_server *s, const char *method, const char *fmt_path, const char *id, ds_resp *r) {
    char path[256];
    snprintf(path, sizeof path, fmt_path, id);
    return ds_http(s, method, path, s->admin_token, NULL, 0, NULL, r);
}

struct ds_follow {
    pthread_t thread;
    pthread_mutex_t mu;
    char url[1024];
    char auth[256];
    buf body;
    long status;
    int finished;
    int transfer_ok;
};

static size_t on_follow_bytes(char *ptr, size_t size, size_t n, void *user) {
    ds_follow *f = user;
    pthread_mutex_lock(&f->mu);
    const size_t r = on_bytes(ptr, size, n, &f->body);
    pthread_mutex_unlock(&f->mu);
    return r;
}

static void *follow_main(void *arg) {
    ds_follow *f = arg;
    CURL *c = curl_easy_init();
    struct curl_slist *hdrs = curl_slist_append(NULL, f->auth);
    long status = 0;
    CURLcode rc = CURLE_FAILED_INIT;
    if (c) {
        curl_easy_setopt(c, CURLOPT_URL, f->url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_follow_bytes);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
        rc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(c);
    }
    curl_slist_free_all(hdrs);
    pthread_mutex_lock(&f->mu);
    f->status = status;
    f->transfer_ok = rc == CURLE_OK;
    f->finished = 1;
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

ds_follow *ds_follow_start(const ds_server *s, const char *path, const char *token) {
    ds_follow *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->url, sizeof f->url, "%s%s", s->url, path);
    snprintf(f->auth, sizeof f->auth, "Authorization: Bearer %s", token);
    pthread_mutex_init(&f->mu, NULL);
    assert_int_equal(pthread_create(&f->thread, NULL, follow_main, f), 0);
    return f;
}

void ds_follow_wait_for(ds_follow *f, const char *needle, int timeout_ms) {
    const long long deadline = ds_now_ms() + timeout_ms;
    while (1) {
        pthread_mutex_lock(&f->mu);
        const int found = f->body.data && strstr(f->body.data, needle) != NULL;
        const int finished = f->finished;
        pthread_mutex_unlock(&f->mu);
        if (found) return;
        if (finished) fail_with("follow %s ended without \"%s\"", f->url, needle);
        if (ds_now_ms() > deadline) fail_with("follow %s: no \"%s\" within %d ms", f->url, needle, timeout_ms);
        pause_briefly();
    }
}

char *ds_follow_finish(ds_follow *f, int timeout_ms, long *status, int *transfer_ok) {
    const long long deadline = ds_now_ms() + timeout_ms;
    while (1) {
        pthread_mutex_lock(&f->mu);
        const int finished = f->finished;
        pthread_mutex_unlock(&f->mu);
        if (finished) break;
        if (ds_now_ms() > deadline) fail_with("follow %s did not end within %d ms", f->url, timeout_ms);
        pause_briefly();
    }
    pthread_join(f->thread, NULL);
    pthread_mutex_destroy(&f->mu);
    char *body = f->body.data ? f->body.data : strdup("");
    if (status) *status = f->status;
    if (transfer_ok) *transfer_ok = f->transfer_ok;
    free(f);
    return body;
}

/* ---- a client of a server's URL ------------------------------------------ */

static letts_client_options *client_options(const ds_client_spec *spec) {
    if (!spec->retry_attempts && !spec->retry_backoff_ms && !spec->request_timeout_ms && !spec->connect_timeout_ms &&
        !spec->max_response_bytes && !spec->max_event_line_bytes)
        return NULL;
    letts_client_options *opts = NULL;
    assert_int_equal(letts_client_options_new(&opts, NULL), LETTS_OK);
    if (spec->retry_attempts)
        assert_int_equal(letts_client_options_set_retry_attempts(opts, spec->retry_attempts, NULL), LETTS_OK);
    if (spec->retry_backoff_ms)
        assert_int_equal(letts_client_options_set_retry_backoff(opts, &spec->retry_backoff_ms, 1, NULL), LETTS_OK);
    if (spec->request_timeout_ms)
        assert_int_equal(letts_client_options_set_request_timeout_ms(opts, spec->request_timeout_ms, NULL), LETTS_OK);
    if (spec->connect_timeout_ms)
        assert_int_equal(letts_client_options_set_connect_timeout_ms(opts, spec->connect_timeout_ms, NULL), LETTS_OK);
    if (spec->max_response_bytes)
        assert_int_equal(letts_client_options_set_max_response_bytes(opts, spec->max_response_bytes, NULL), LETTS_OK);
    if (spec->max_event_line_bytes)
        assert_int_equal(letts_client_options_set_max_event_line_bytes(opts, spec->max_event_line_bytes, NULL),
                         LETTS_OK);
    return opts;
}

letts_client *ds_client(const ds_client_spec *spec) {
    char labels[256] = "";
    if (spec->labels) snprintf(labels, sizeof labels, "    labels: %s\n", spec->labels);
    char yaml[2048];
    const int n = snprintf(yaml, sizeof yaml,
                           "auth: {token: \"%s\", admin_token: \"%s\"}\n"
                           "dugdales:\n"
                           "  - id: dev\n"
                           "    url: \"%s\"\n"
                           "%s"
                           "    lanes: {%s: {concurrency: %d}}\n",
                           spec->token ? spec->token : "dispatch-token",
                           spec->admin_token ? spec->admin_token : "admin-token", spec->url, labels,
                           spec->lane ? spec->lane : "default", spec->concurrency ? spec->concurrency : 4);
    assert_true(n > 0 && (size_t)n < sizeof yaml);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    if (letts_config_load_string(&cfg, yaml, strlen(yaml), "client.yaml", &err) != LETTS_OK)
        fail_with("client.yaml: %s", letts_error_message(err));
    letts_client_options *opts = client_options(spec);
    letts_client *client = NULL;
    if (letts_client_new(&client, cfg, opts, &err) != LETTS_OK)
        fail_with("letts_client_new: %s", letts_error_message(err));
    letts_client_options_free(opts);
    letts_config_free(cfg);
    return client;
}

letts_job *ds_job_on_dev(const char *mission, const char *lane) {
    letts_job *job = NULL;
    assert_int_equal(letts_job_new(&job, mission, NULL), LETTS_OK);
    assert_int_equal(letts_job_set_host(job, "dev", NULL), LETTS_OK);
    assert_int_equal(letts_job_set_lane(job, lane, NULL), LETTS_OK);
    return job;
}

int ds_listen_loopback(int *port) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(fd, 16), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    *port = ntohs(addr.sin_port);
    return fd;
}
