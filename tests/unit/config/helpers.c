/* Shared helpers of the letts.yaml unit tests; see helpers.h. */
#include "helpers.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* ---- messages ----------------------------------------------------------- */

int msg_contains(const char *msg, const char *needle) {
    return msg != NULL && needle != NULL && strstr(msg, needle) != NULL;
}

void check_error_(const char *file, int line, letts_status rc, letts_error **errp,
                  letts_status want, const char *const *needles) {
    letts_error *err = errp ? *errp : NULL;
    const char *msg = letts_error_message(err);
    int ok = 1;
    if (getenv("LETTS_TEST_VERBOSE") != NULL) {
        print_message("%s:%d: [%s] %s\n", file, line, letts_status_name(rc), msg);
    }
    if (rc != want) {
        print_error("expected status %s (%d), got %s (%d); message: \"%s\"\n",
                    letts_status_name(want), (int)want, letts_status_name(rc), (int)rc, msg);
        ok = 0;
    } else if (err == NULL) {
        print_error("expected an error object for status %s, got none\n",
                    letts_status_name(want));
        ok = 0;
    } else if (letts_error_status(err) != want) {
        print_error("error object status %s differs from the returned %s\n",
                    letts_status_name(letts_error_status(err)), letts_status_name(want));
        ok = 0;
    }
    for (size_t i = 0; ok && needles[i] != NULL; ++i) {
        if (!msg_contains(msg, needles[i])) {
            print_error("message \"%s\"\n  does not contain \"%s\"\n", msg, needles[i]);
            ok = 0;
        }
    }
    letts_error_free(err);
    if (errp) *errp = NULL;
    if (!ok) _fail(file, line);
}

void check_message_(const char *file, int line, letts_status rc, letts_error **errp,
                    letts_status want, const char *message) {
    letts_error *err = errp ? *errp : NULL;
    const char *msg = letts_error_message(err);
    const int ok = rc == want && err != NULL && letts_error_status(err) == want &&
                   msg != NULL && strcmp(msg, message) == 0;
    if (!ok) {
        print_error("expected %s \"%s\"\n     got %s \"%s\"\n", letts_status_name(want), message,
                    letts_status_name(rc), msg);
    }
    letts_error_free(err);
    if (errp) *errp = NULL;
    if (!ok) _fail(file, line);
}

void check_ok_(const char *file, int line, letts_status rc, letts_error **errp) {
    letts_error *err = errp ? *errp : NULL;
    if (rc != LETTS_OK) {
        print_error("expected LETTS_OK, got %s (%d): \"%s\"\n", letts_status_name(rc), (int)rc,
                    letts_error_message(err));
        letts_error_free(err);
        if (errp) *errp = NULL;
        _fail(file, line);
    }
    if (err != NULL) {
        print_error("LETTS_OK returned but an error object was set: \"%s\"\n",
                    letts_error_message(err));
        letts_error_free(err);
        if (errp) *errp = NULL;
        _fail(file, line);
    }
}

void check_absent_(const char *file, int line, const char *msg, const char *needle) {
    if (msg != NULL && strstr(msg, needle) != NULL) {
        print_error("\"%s\"\n  must not contain \"%s\"\n", msg, needle);
        _fail(file, line);
    }
}

void check_present_(const char *file, int line, const char *msg, const char *needle) {
    if (!msg_contains(msg, needle)) {
        print_error("\"%s\"\n  does not contain \"%s\"\n", msg ? msg : "(null)", needle);
        _fail(file, line);
    }
}

/* ---- loading from strings ----------------------------------------------- */

letts_config *load_ok_(const char *file, int line, const char *yaml) {
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_load_string(&cfg, yaml, strlen(yaml), TEST_SOURCE_NAME, &err);
    check_ok_(file, line, rc, &err);
    if (cfg == NULL) {
        print_error("LETTS_OK but no configuration returned\n");
        _fail(file, line);
    }
    return cfg;
}

void load_fails_(const char *file, int line, const char *yaml, const char *const *needles) {
    letts_config *cfg = (letts_config *)(uintptr_t)1; /* must be reset to NULL */
    letts_error *err = NULL;
    letts_status rc = letts_config_load_string(&cfg, yaml, strlen(yaml), TEST_SOURCE_NAME, &err);
    if (rc == LETTS_OK) {
        print_error("load unexpectedly succeeded for:\n%s\n", yaml);
        letts_config_free(cfg);
        _fail(file, line);
    }
    if (cfg != NULL) {
        print_error("*out was not set to NULL on failure\n");
        letts_error_free(err);
        _fail(file, line);
    }
    if (!msg_contains(letts_error_message(err), TEST_SOURCE_NAME)) {
        print_error("message \"%s\"\n  does not name the source \"%s\"\n",
                    letts_error_message(err), TEST_SOURCE_NAME);
        letts_error_free(err);
        _fail(file, line);
    }
    check_error_(file, line, rc, &err, LETTS_ERR_CONFIG, needles);
}

/* ---- temporary files ---------------------------------------------------- */

char *tmpdir_create(void) {
    const char *base = getenv("TMPDIR");
    if (base == NULL || *base == '\0') base = "/tmp";
    char *tmpl = path_join(base, "letts-cfgtest-XXXXXX");
    if (mkdtemp(tmpl) == NULL) {
        print_error("mkdtemp(%s): %s\n", tmpl, strerror(errno));
        free(tmpl);
        fail();
    }
    return tmpl;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if (flag == FTW_DP) {
        chmod(path, 0700);
        return rmdir(path) == 0 ? 0 : 0;
    }
    return remove(path) == 0 ? 0 : 0;
}

void tmpdir_remove(char *dir) {
    if (dir == NULL) return;
    /* Make sure directories are traversable before walking them. */
    chmod(dir, 0700);
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

char *path_join(const char *dir, const char *rel) {
    size_t n = strlen(dir) + 1 + strlen(rel) + 1;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

void mkdirs(const char *path) {
    char *copy = malloc(strlen(path) + 1);
    assert_non_null(copy);
    strcpy(copy, path);
    for (char *p = copy + 1; *p; ++p) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
                print_error("mkdir(%s): %s\n", copy, strerror(errno));
                free(copy);
                fail();
            }
            *p = '/';
        }
    }
    if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
        print_error("mkdir(%s): %s\n", copy, strerror(errno));
        free(copy);
        fail();
    }
    free(copy);
}

char *write_file(const char *dir, const char *rel, const char *content, unsigned mode) {
    char *path = path_join(dir, rel);
    char *slash = strrchr(path, '/');
    if (slash != NULL && slash != path) {
        *slash = '\0';
        mkdirs(path);
        *slash = '/';
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        print_error("fopen(%s): %s\n", path, strerror(errno));
        free(path);
        fail();
    }
    size_t len = strlen(content);
    size_t written = fwrite(content, 1, len, f);
    int closed = fclose(f);
    assert_int_equal(written, len);
    assert_int_equal(closed, 0);
    assert_int_equal(chmod(path, (mode_t)mode), 0);
    return path;
}

/* ---- environment -------------------------------------------------------- */

void env_set(const char *name, const char *value) {
    int rc = value ? setenv(name, value, 1) : unsetenv(name);
    assert_int_equal(rc, 0);
}

/* ---- JSON views --------------------------------------------------------- */

cJSON *config_json(const letts_config *cfg) {
    const char *text = letts_config_json(cfg);
    assert_non_null(text);
    cJSON *root = cJSON_Parse(text);
    if (root == NULL) {
        print_error("letts_config_json is not valid JSON:\n%s\n", text);
        fail();
    }
    return root;
}

cJSON *json_dugdale(cJSON *root, const char *id) {
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "dugdales");
    if (!cJSON_IsArray(arr)) {
        print_error("\"dugdales\" is not an array in the configuration JSON\n");
        fail();
    }
    cJSON *d = NULL;
    cJSON_ArrayForEach(d, arr) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(d, "id");
        if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0) return d;
    }
    print_error("no dugdale \"%s\" in the configuration JSON\n", id);
    fail();
    return NULL;
}

cJSON *json_get_(const char *file, int line, const cJSON *obj, const char *key) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (v == NULL) {
        char *text = cJSON_PrintUnformatted(obj);
        print_error("key \"%s\" missing in %s\n", key, text ? text : "(unprintable)");
        cJSON_free(text);
        _fail(file, line);
    }
    return v;
}

void json_strings_equal_(const char *file, int line, const cJSON *arr,
                         const char *const *want, size_t n) {
    char *text = cJSON_PrintUnformatted(arr);
    int ok = cJSON_IsArray(arr) && (size_t)cJSON_GetArraySize(arr) == n;
    for (size_t i = 0; ok && i < n; ++i) {
        const cJSON *v = cJSON_GetArrayItem(arr, (int)i);
        ok = cJSON_IsString(v) && strcmp(v->valuestring, want[i]) == 0;
    }
    if (!ok) {
        print_error("JSON %s differs from the expected %zu strings (first: \"%s\")\n",
                    text ? text : "(null)", n, n ? want[0] : "");
        cJSON_free(text);
        _fail(file, line);
    }
    cJSON_free(text);
}

void json_string_is_(const char *file, int line, const cJSON *val, const char *want) {
    if (!cJSON_IsString(val) || strcmp(val->valuestring, want) != 0) {
        char *text = cJSON_PrintUnformatted(val);
        print_error("JSON value %s, expected \"%s\"\n", text ? text : "(null)", want);
        cJSON_free(text);
        _fail(file, line);
    }
}

void list_equal_(const char *file, int line, const letts_string_list *list,
                 const char *const *want, size_t n) {
    size_t count = letts_string_list_count(list);
    int ok = count == n;
    for (size_t i = 0; ok && i < n; ++i) {
        const char *s = letts_string_list_get(list, i);
        ok = s != NULL && strcmp(s, want[i]) == 0;
    }
    if (!ok) {
        print_error("list of %zu:", count);
        for (size_t i = 0; i < count; ++i) print_error(" \"%s\"", letts_string_list_get(list, i));
        print_error("\nexpected %zu:", n);
        for (size_t i = 0; i < n; ++i) print_error(" \"%s\"", want[i]);
        print_error("\n");
        _fail(file, line);
    }
}

/* ---- targets ------------------------------------------------------------ */

letts_target *make_target(const char *route, const char *host, const char *lane,
                          const char *const *match, size_t n_match) {
    letts_target *t = NULL;
    assert_int_equal(letts_target_new(&t, NULL), LETTS_OK);
    assert_non_null(t);
    if (route) assert_int_equal(letts_target_set_route(t, route, NULL), LETTS_OK);
    if (host) assert_int_equal(letts_target_set_host(t, host, NULL), LETTS_OK);
    if (lane) assert_int_equal(letts_target_set_lane(t, lane, NULL), LETTS_OK);
    if (n_match) assert_int_equal(letts_target_set_match(t, match, n_match, NULL), LETTS_OK);
    return t;
}

char *resolve_ok_(const char *file, int line, const letts_target *t, const letts_config *cfg,
                  const char *const *scope, size_t n_scope, char **lane_out) {
    char *id = NULL;
    char *lane = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_target_resolve(t, cfg, scope, n_scope, &id, &lane, &err);
    check_ok_(file, line, rc, &err);
    if (id == NULL || lane == NULL) {
        print_error("resolve returned LETTS_OK without an id or lane\n");
        _fail(file, line);
    }
    if (lane_out) {
        *lane_out = lane;
    } else {
        letts_free(lane);
    }
    return id;
}
