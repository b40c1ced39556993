/*
 * letts.yaml from files: letts_config_load_file (§1 step 2, §13.2 #1), the
 * permission rule for plain-text tokens (§10.4, §13.2 #31) and the discovery
 * cascade of letts_config_discover (§2).
 *
 * Every test runs in a fresh temporary directory with the working directory
 * and the variables LETTS_CONFIG, XDG_CONFIG_HOME and HOME under its control;
 * setup/teardown restore them.
 */
#include "helpers.h"
#include "cmocka_support.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PERM_TAIL "(contains plain-text tokens; require 0600 or 0400)"
#define PLAIN_TOKEN_YAML "dugdales:\n  - {id: s1, host: h, token: \"lab-plaintext-token\"}\n"

struct fixture {
    char *dir;     /* the temporary directory */
    char *work;    /* dir/work: the working directory during the test */
    char *home;    /* dir/home: $HOME during the test */
    char *old_cwd; /* restored by teardown */
    char *old_env[3];
};

static const char *const saved_vars[3] = {"LETTS_CONFIG", "XDG_CONFIG_HOME", "HOME"};

static char *dup_or_null(const char *s) {
    if (s == NULL) return NULL;
    char *d = malloc(strlen(s) + 1);
    if (d) strcpy(d, s);
    return d;
}

/* The message `path` followed by `tail` (one buffer, overwritten by each call). */
static const char *message_for(const char *path, const char *tail) {
    static char message[4400];
    snprintf(message, sizeof message, "%s%s", path, tail);
    return message;
}

static int setup(void **state) {
    struct fixture *f = calloc(1, sizeof *f);
    if (f == NULL) return -1;
    f->dir = tmpdir_create();
    f->work = path_join(f->dir, "work");
    f->home = path_join(f->dir, "home");
    mkdirs(f->work);
    mkdirs(f->home);
    char buf[4096];
    f->old_cwd = dup_or_null(getcwd(buf, sizeof buf));
    for (int i = 0; i < 3; ++i) f->old_env[i] = dup_or_null(getenv(saved_vars[i]));
    if (chdir(f->work) != 0) return -1;
    unsetenv("LETTS_CONFIG");
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", f->home, 1);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    struct fixture *f = *state;
    if (f->old_cwd && chdir(f->old_cwd) != 0) return -1;
    for (int i = 0; i < 3; ++i) {
        if (f->old_env[i]) {
            setenv(saved_vars[i], f->old_env[i], 1);
        } else {
            unsetenv(saved_vars[i]);
        }
        free(f->old_env[i]);
    }
    free(f->old_cwd);
    free(f->work);
    free(f->home);
    tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static char *yaml_with_id(const char *id) {
    char *y = malloc(128);
    assert_non_null(y);
    snprintf(y, 128, "dugdales:\n  - {id: %s, host: h}\n", id);
    return y;
}

/* Writes a one-dugdale file (mode 0600) whose only id is `id`. */
static char *write_marked(const char *dir, const char *rel, const char *id) {
    char *y = yaml_with_id(id);
    char *p = write_file(dir, rel, y, 0600);
    free(y);
    return p;
}

/* Asserts that `cfg` is the file whose only dugdale is `id`. */
static void assert_only_dugdale(const letts_config *cfg, const char *id) {
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_dugdales(cfg, NULL, 0, &ids, &err), &err);
    LIST_EQUAL(ids, 1, id);
    letts_string_list_free(ids);
}

static letts_status load_path(const char *path, unsigned flags, letts_config **cfg,
                              letts_error **err) {
    *cfg = NULL;
    return letts_config_load_file(cfg, path, flags, err);
}

static void expect_perm_error(const char *path, const char *mode_text) {
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = load_path(path, LETTS_CONFIG_DEFAULT, &cfg, &err);
    assert_null(cfg);
    char want[4096];
    snprintf(want, sizeof want, "letts.yaml %s has unsafe permissions %s " PERM_TAIL, path,
             mode_text);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, want);
}

static void expect_load_file_ok(const char *path, unsigned flags) {
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    EXPECT_OK(load_path(path, flags, &cfg, &err), &err);
    assert_non_null(cfg);
    letts_config_free(cfg);
}

/* ---- load_file ---------------------------------------------------------- */

static void test_load_file_records_path(void **state) {
    struct fixture *f = *state;
    char *path = write_marked(f->dir, "conf/letts.yaml", "s1");
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    EXPECT_OK(load_path(path, 0, &cfg, &err), &err);
    assert_non_null(letts_config_path(cfg));
    assert_string_equal(letts_config_path(cfg), path);
    assert_only_dugdale(cfg, "s1");
    letts_config_free(cfg);
    free(path);
}

static void test_load_string_has_no_path(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales: []\n");
    assert_null(letts_config_path(cfg));
    letts_config_free(cfg);
}

static void test_load_file_error_names_file_and_key(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "dup.yaml",
                            "dugdales:\n  - {id: s1, host: h}\n  - {id: s1, host: g}\n", 0600);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = load_path(path, 0, &cfg, &err);
    assert_null(cfg);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, path, "dugdales[1]", "duplicate id \"s1\"");
    free(path);
}

static void test_load_file_yaml_error_names_file(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "bad.yaml", "dugdales: [\n", 0600);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = load_path(path, 0, &cfg, &err);
    EXPECT_MESSAGE(rc, &err, LETTS_ERR_CONFIG,
                   message_for(path, ": yaml parse: line 2:1: did not find expected node content "
                                     "(while parsing a flow node at line 2:1)"));
    free(path);
}

static void test_load_file_unknown_key_names_file(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "unk.yaml", "mystery_field: 42\n", 0600);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = load_path(path, 0, &cfg, &err);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, path, "unknown key", "mystery_field");
    free(path);
}

static void test_explicit_path_missing_is_hard_error(void **state) {
    struct fixture *f = *state;
    /* A valid $LETTS_CONFIG and ./letts.yaml must not be used instead. */
    char *good = write_marked(f->dir, "good.yaml", "good");
    char *local = write_marked(f->work, "letts.yaml", "local");
    env_set("LETTS_CONFIG", good);
    char *missing = path_join(f->dir, "missing.yaml");
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = load_path(missing, 0, &cfg, &err);
    assert_null(cfg);
    EXPECT_MESSAGE(rc, &err, LETTS_ERR_CONFIG,
                   message_for(missing, ": cannot read: No such file or directory"));
    free(missing);
    free(local);
    free(good);
}

static void test_explicit_relative_path_uses_cwd(void **state) {
    struct fixture *f = *state;
    char *p = write_marked(f->work, "sub/rel.yaml", "rel");
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    EXPECT_OK(load_path("sub/rel.yaml", 0, &cfg, &err), &err);
    assert_only_dugdale(cfg, "rel");
    letts_config_free(cfg);
    free(p);
}

/* §13.2 #1: a file that cannot be read. */
static void test_unreadable_file_mode_000_rejected(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "locked.yaml", "dugdales: []\n", 0000);
    if (access(path, R_OK) == 0) {
        /* Root without LETTS_TEST_USER (see main): mode 000 is still
         * readable; the binary then exits 77 and meson reports SKIP. */
        free(path);
        skip();
    }
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = load_path(path, 0, &cfg, &err);
    assert_null(cfg);
    EXPECT_MESSAGE(rc, &err, LETTS_ERR_CONFIG, message_for(path, ": cannot read: Permission denied"));
    free(path);
}

static void test_unreadable_directory_path_rejected(void **state) {
    struct fixture *f = *state;
    char *path = path_join(f->dir, "adir.yaml");
    mkdirs(path);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = load_path(path, 0, &cfg, &err);
    assert_null(cfg);
    EXPECT_MESSAGE(rc, &err, LETTS_ERR_CONFIG, message_for(path, ": cannot read: Is a directory"));
    free(path);
}

static void test_unreadable_parent_is_file_rejected(void **state) {
    struct fixture *f = *state;
    char *plain = write_file(f->dir, "plainfile", "x", 0600);
    char *path = path_join(plain, "letts.yaml");
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = load_path(path, 0, &cfg, &err);
    assert_null(cfg);
    EXPECT_MESSAGE(rc, &err, LETTS_ERR_CONFIG, message_for(path, ": cannot read: Not a directory"));
    free(path);
    free(plain);
}

/* ---- §10.4 permission rule ---------------------------------------------- */

static void test_plain_token_mode_0644_rejected(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", PLAIN_TOKEN_YAML, 0644);
    expect_perm_error(path, "0644");
    free(path);
}

static void test_plain_token_mode_0640_rejected(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", PLAIN_TOKEN_YAML, 0640);
    expect_perm_error(path, "0640");
    free(path);
}

static void test_plain_token_mode_0700_rejected(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", PLAIN_TOKEN_YAML, 0700);
    expect_perm_error(path, "0700");
    free(path);
}

static void test_plain_token_mode_0604_rejected(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", PLAIN_TOKEN_YAML, 0600);
    /* 0600 | group read: a single extra bit is enough. */
    assert_int_equal(chmod(path, 0604), 0);
    expect_perm_error(path, "0604");
    free(path);
}

static void test_plain_token_mode_0600_accepted(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", PLAIN_TOKEN_YAML, 0600);
    expect_load_file_ok(path, 0);
    free(path);
}

static void test_plain_token_mode_0400_accepted(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", PLAIN_TOKEN_YAML, 0400);
    expect_load_file_ok(path, 0);
    free(path);
}

static void test_permission_special_bits_ignored(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", PLAIN_TOKEN_YAML, 0600);
    if (chmod(path, 01600) != 0) {
        free(path);
        skip();
    }
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    if ((st.st_mode & 07777) != 01600) {
        free(path);
        skip();
    }
    expect_load_file_ok(path, 0);
    free(path);
}

static void test_placeholder_tokens_exempt_at_0644(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml",
                            "auth:\n"
                            "  token: \"${LT_A}\"\n"
                            "  admin_token: \"${LT_A}${LT_B}\"\n"
                            "  exec_token: \"${LT_C}\"\n"
                            "templates:\n"
                            "  t: {token: \"${LT_D}\", admin_token: \"${LT_E}\"}\n"
                            "dugdales:\n"
                            "  - {id: s1, host: h, extends: t, token: \"${LT_F}\",\n"
                            "     admin_token: \"${LT_G}\", exec_token: \"${LT_H}\"}\n",
                            0644);
    expect_load_file_ok(path, 0);
    free(path);
}

static void test_no_tokens_exempt_at_0644(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", "dugdales:\n  - {id: s1, host: h}\n", 0666);
    expect_load_file_ok(path, 0);
    free(path);
}

static void test_plain_auth_token_rejected_at_0644(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", "auth: {admin_token: adm-123}\n", 0644);
    expect_perm_error(path, "0644");
    free(path);
}

static void test_plain_template_token_rejected_at_0644(void **state) {
    struct fixture *f = *state;
    /* Any template token key counts, even in a template nobody extends. */
    char *path = write_file(f->dir, "letts.yaml",
                            "templates:\n  t: {exec_token: \"ex-${LT_A}\"}\n"
                            "dugdales:\n  - {id: s1, host: h}\n",
                            0644);
    expect_perm_error(path, "0644");
    free(path);
}

static void test_token_with_trailing_space_is_plain(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml",
                            "dugdales:\n  - {id: s1, host: h, admin_token: \"${LT_A} \"}\n", 0644);
    expect_perm_error(path, "0644");
    free(path);
}

static void test_token_with_invalid_placeholder_is_plain(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml",
                            "dugdales:\n  - {id: s1, host: h, exec_token: \"${1X}\"}\n", 0644);
    expect_perm_error(path, "0644");
    free(path);
}

static void test_insecure_flag_skips_permission_rule(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", PLAIN_TOKEN_YAML, 0644);
    expect_load_file_ok(path, LETTS_CONFIG_INSECURE_PERMISSIONS);
    free(path);
}

static void test_permission_follows_symlink_to_0600(void **state) {
    struct fixture *f = *state;
    char *target = write_file(f->dir, "real.yaml", PLAIN_TOKEN_YAML, 0600);
    char *link = path_join(f->dir, "letts.yaml");
    assert_int_equal(symlink(target, link), 0);
    expect_load_file_ok(link, 0);
    free(link);
    free(target);
}

static void test_permission_follows_symlink_to_0644(void **state) {
    struct fixture *f = *state;
    char *target = write_file(f->dir, "real.yaml", PLAIN_TOKEN_YAML, 0644);
    char *link = path_join(f->dir, "letts.yaml");
    assert_int_equal(symlink(target, link), 0);
    expect_perm_error(link, "0644");
    free(link);
    free(target);
}

static void test_permission_message_hides_token(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml", PLAIN_TOKEN_YAML, 0644);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    assert_int_equal(load_path(path, 0, &cfg, &err), LETTS_ERR_CONFIG);
    EXPECT_ABSENT(letts_error_message(err), "lab-plaintext-token");
    EXPECT_ABSENT(letts_error_details(err), "lab-plaintext-token");
    letts_error_free(err);
    free(path);
}

static void test_permission_checked_after_validation(void **state) {
    struct fixture *f = *state;
    char *path = write_file(f->dir, "letts.yaml",
                            "dugdales:\n  - {id: s1, host: h, token: plain}\n"
                            "  - {id: s1, host: g}\n",
                            0644);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = load_path(path, 0, &cfg, &err);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, "duplicate id \"s1\"");
    free(path);
}

static void test_string_load_has_no_permission_rule(void **state) {
    (void)state;
    letts_config_free(LOAD_OK(PLAIN_TOKEN_YAML));
}

/* ---- §2 discovery ------------------------------------------------------- */

static letts_config *discover_ok(unsigned flags) {
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_discover(&cfg, flags, &err), &err);
    assert_non_null(cfg);
    return cfg;
}

static void test_discover_letts_config_wins(void **state) {
    struct fixture *f = *state;
    char *env_file = write_marked(f->dir, "env.yaml", "fromenv");
    char *local = write_marked(f->work, "letts.yaml", "local");
    env_set("LETTS_CONFIG", env_file);
    letts_config *cfg = discover_ok(0);
    assert_only_dugdale(cfg, "fromenv");
    assert_non_null(letts_config_path(cfg));
    assert_string_equal(letts_config_path(cfg), env_file);
    letts_config_free(cfg);
    free(local);
    free(env_file);
}

static void test_discover_letts_config_missing_is_hard_error(void **state) {
    struct fixture *f = *state;
    char *local = write_marked(f->work, "letts.yaml", "local");
    char *missing = path_join(f->dir, "nope.yaml");
    env_set("LETTS_CONFIG", missing);
    letts_config *cfg = (letts_config *)(uintptr_t)1;
    letts_error *err = NULL;
    letts_status rc = letts_config_discover(&cfg, 0, &err);
    assert_null(cfg);
    char want[4096];
    snprintf(want, sizeof want, "config file \"%s\" does not exist (from $LETTS_CONFIG)", missing);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, want);
    free(missing);
    free(local);
}

static void test_discover_letts_config_directory_is_hard_error(void **state) {
    struct fixture *f = *state;
    char *local = write_marked(f->work, "letts.yaml", "local");
    char *dir = path_join(f->dir, "cfgdir");
    mkdirs(dir);
    env_set("LETTS_CONFIG", dir);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_discover(&cfg, 0, &err);
    assert_null(cfg);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, dir);
    free(dir);
    free(local);
}

static void test_discover_empty_letts_config_falls_through(void **state) {
    struct fixture *f = *state;
    char *local = write_marked(f->work, "letts.yaml", "local");
    env_set("LETTS_CONFIG", "");
    letts_config *cfg = discover_ok(0);
    assert_only_dugdale(cfg, "local");
    letts_config_free(cfg);
    free(local);
}

static void test_discover_relative_letts_config_uses_cwd(void **state) {
    struct fixture *f = *state;
    char *p = write_marked(f->work, "cfg/mine.yaml", "relenv");
    env_set("LETTS_CONFIG", "cfg/mine.yaml");
    letts_config *cfg = discover_ok(0);
    assert_only_dugdale(cfg, "relenv");
    letts_config_free(cfg);
    free(p);
}

static void test_discover_cwd_wins_over_xdg_and_home(void **state) {
    struct fixture *f = *state;
    char *xdg = path_join(f->dir, "xdg");
    char *local = write_marked(f->work, "letts.yaml", "local");
    char *x = write_marked(xdg, "letts/letts.yaml", "xdg");
    char *h = write_marked(f->home, ".letts/letts.yaml", "home");
    env_set("XDG_CONFIG_HOME", xdg);
    letts_config *cfg = discover_ok(0);
    assert_only_dugdale(cfg, "local");
    letts_config_free(cfg);
    free(h);
    free(x);
    free(local);
    free(xdg);
}

static void test_discover_xdg_wins_over_home(void **state) {
    struct fixture *f = *state;
    char *xdg = path_join(f->dir, "xdg");
    char *x = write_marked(xdg, "letts/letts.yaml", "xdg");
    char *h = write_marked(f->home, ".letts/letts.yaml", "home");
    env_set("XDG_CONFIG_HOME", xdg);
    letts_config *cfg = discover_ok(0);
    assert_only_dugdale(cfg, "xdg");
    assert_non_null(letts_config_path(cfg));
    assert_string_equal(letts_config_path(cfg), x);
    letts_config_free(cfg);
    free(h);
    free(x);
    free(xdg);
}

static void test_discover_xdg_without_file_falls_to_home(void **state) {
    struct fixture *f = *state;
    char *xdg = path_join(f->dir, "xdg");
    mkdirs(xdg);
    char *h = write_marked(f->home, ".letts/letts.yaml", "home");
    env_set("XDG_CONFIG_HOME", xdg);
    letts_config *cfg = discover_ok(0);
    assert_only_dugdale(cfg, "home");
    letts_config_free(cfg);
    free(h);
    free(xdg);
}

static void test_discover_empty_xdg_is_skipped(void **state) {
    struct fixture *f = *state;
    /* Empty XDG_CONFIG_HOME skips step 4 entirely: in particular it does not
     * mean "~/.config" as in the XDG base directory convention. */
    char *c = write_marked(f->home, ".config/letts/letts.yaml", "dotconfig");
    char *h = write_marked(f->home, ".letts/letts.yaml", "home");
    env_set("XDG_CONFIG_HOME", "");
    letts_config *cfg = discover_ok(0);
    assert_only_dugdale(cfg, "home");
    letts_config_free(cfg);
    free(h);
    free(c);
}

static void test_discover_home_dot_letts(void **state) {
    struct fixture *f = *state;
    char *h = write_marked(f->home, ".letts/letts.yaml", "home");
    letts_config *cfg = discover_ok(0);
    assert_only_dugdale(cfg, "home");
    assert_non_null(letts_config_path(cfg));
    assert_string_equal(letts_config_path(cfg), h);
    letts_config_free(cfg);
    free(h);
}

static void test_discover_directory_candidate_is_skipped(void **state) {
    struct fixture *f = *state;
    char *xdg = path_join(f->dir, "xdg");
    char *dir = path_join(f->work, "letts.yaml");
    mkdirs(dir); /* ./letts.yaml is a directory: it does not "exist" */
    char *x = write_marked(xdg, "letts/letts.yaml", "xdg");
    env_set("XDG_CONFIG_HOME", xdg);
    letts_config *cfg = discover_ok(0);
    assert_only_dugdale(cfg, "xdg");
    letts_config_free(cfg);
    free(x);
    free(dir);
    free(xdg);
}

static int etc_config_exists(void) {
    struct stat st;
    return stat("/etc/letts/letts.yaml", &st) == 0;
}

static void test_discover_not_found_lists_paths(void **state) {
    struct fixture *f = *state;
    if (etc_config_exists()) skip();
    char *xdg = path_join(f->dir, "xdg");
    mkdirs(xdg);
    env_set("XDG_CONFIG_HOME", xdg);
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char want_cwd[4200], want_xdg[4200], want_home[4200];
    snprintf(want_cwd, sizeof want_cwd, "%s/letts.yaml", cwd);
    snprintf(want_xdg, sizeof want_xdg, "%s/letts/letts.yaml", xdg);
    snprintf(want_home, sizeof want_home, "%s/.letts/letts.yaml", f->home);
    letts_config *cfg = (letts_config *)(uintptr_t)1;
    letts_error *err = NULL;
    letts_status rc = letts_config_discover(&cfg, 0, &err);
    assert_null(cfg);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, "letts.yaml not found", want_cwd, want_xdg,
                 want_home, "/etc/letts/letts.yaml");
    free(xdg);
}

static void test_discover_no_dot_config_fallback(void **state) {
    struct fixture *f = *state;
    if (etc_config_exists()) skip();
    /* XDG_CONFIG_HOME unset: ~/.config/letts/letts.yaml is not a candidate. */
    char *c = write_marked(f->home, ".config/letts/letts.yaml", "dotconfig");
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_discover(&cfg, 0, &err);
    assert_null(cfg);
    assert_int_equal(rc, LETTS_ERR_CONFIG);
    EXPECT_ABSENT(letts_error_message(err), ".config");
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, "letts.yaml not found");
    free(c);
}

static void test_discover_applies_permission_rule(void **state) {
    struct fixture *f = *state;
    char *local = write_file(f->work, "letts.yaml", PLAIN_TOKEN_YAML, 0644);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_discover(&cfg, 0, &err);
    assert_null(cfg);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, "has unsafe permissions 0644 " PERM_TAIL);
    free(local);
}

static void test_discover_insecure_flag_skips_rule(void **state) {
    struct fixture *f = *state;
    char *local = write_file(f->work, "letts.yaml", PLAIN_TOKEN_YAML, 0644);
    letts_config *cfg = discover_ok(LETTS_CONFIG_INSECURE_PERMISSIONS);
    assert_only_dugdale(cfg, "s1");
    letts_config_free(cfg);
    free(local);
}

static void test_discover_error_names_discovered_file(void **state) {
    struct fixture *f = *state;
    char *h = write_file(f->home, ".letts/letts.yaml", "mystery_field: 1\n", 0600);
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_discover(&cfg, 0, &err);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, h, "unknown key", "mystery_field");
    free(h);
}

static void test_discover_unreadable_winner_does_not_fall_through(void **state) {
    struct fixture *f = *state;
    char *local = write_file(f->work, "letts.yaml", "dugdales: []\n", 0000);
    if (access(local, R_OK) == 0) {
        free(local);
        skip(); /* root without LETTS_TEST_USER: mode 000 is readable */
    }
    char *h = write_marked(f->home, ".letts/letts.yaml", "home");
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_discover(&cfg, 0, &err);
    assert_null(cfg);
    EXPECT_MESSAGE(rc, &err, LETTS_ERR_CONFIG, message_for(local, ": cannot read: Permission denied"));
    free(h);
    free(local);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
    /* Root reads mode-000 files: the unreadable-file cases need a user. */
    letts_test_drop_root();
    const struct CMUnitTest tests[] = {
        T(test_load_file_records_path),
        T(test_load_string_has_no_path),
        T(test_load_file_error_names_file_and_key),
        T(test_load_file_yaml_error_names_file),
        T(test_load_file_unknown_key_names_file),
        T(test_explicit_path_missing_is_hard_error),
        T(test_explicit_relative_path_uses_cwd),
        T(test_unreadable_file_mode_000_rejected),
        T(test_unreadable_directory_path_rejected),
        T(test_unreadable_parent_is_file_rejected),
        T(test_plain_token_mode_0644_rejected),
        T(test_plain_token_mode_0640_rejected),
        T(test_plain_token_mode_0700_rejected),
        T(test_plain_token_mode_0604_rejected),
        T(test_plain_token_mode_0600_accepted),
        T(test_plain_token_mode_0400_accepted),
        T(test_permission_special_bits_ignored),
        T(test_placeholder_tokens_exempt_at_0644),
        T(test_no_tokens_exempt_at_0644),
        T(test_plain_auth_token_rejected_at_0644),
        T(test_plain_template_token_rejected_at_0644),
        T(test_token_with_trailing_space_is_plain),
        T(test_token_with_invalid_placeholder_is_plain),
        T(test_insecure_flag_skips_permission_rule),
        T(test_permission_follows_symlink_to_0600),
        T(test_permission_follows_symlink_to_0644),
        T(test_permission_message_hides_token),
        T(test_permission_checked_after_validation),
        T(test_string_load_has_no_permission_rule),
        T(test_discover_letts_config_wins),
        T(test_discover_letts_config_missing_is_hard_error),
        T(test_discover_letts_config_directory_is_hard_error),
        T(test_discover_empty_letts_config_falls_through),
        T(test_discover_relative_letts_config_uses_cwd),
        T(test_discover_cwd_wins_over_xdg_and_home),
        T(test_discover_xdg_wins_over_home),
        T(test_discover_xdg_without_file_falls_to_home),
        T(test_discover_empty_xdg_is_skipped),
        T(test_discover_home_dot_letts),
        T(test_discover_directory_candidate_is_skipped),
        T(test_discover_not_found_lists_paths),
        T(test_discover_no_dot_config_fallback),
        T(test_discover_applies_permission_rule),
        T(test_discover_insecure_flag_skips_rule),
        T(test_discover_error_names_discovered_file),
        T(test_discover_unreadable_winner_does_not_fall_through),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
