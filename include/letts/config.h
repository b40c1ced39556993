/*
 * letts/config.h — letts.yaml: the file that tells a client which dugdales
 * exist, how to reach them and which tokens to present.
 *
 * Loading parses the file strictly (unknown keys are errors at every level),
 * validates every name, applies template inheritance (`extends`) and checks
 * aliases and routes, so a bad file fails at load with a message that names
 * the file, the key path and the rule broken. Nothing from the environment is
 * read at load: `${VAR}` placeholders in tokens, alias values and proxy URLs
 * are resolved only when an operation needs that value.
 *
 * A letts_config is immutable once loaded and may be shared between threads.
 * The rules are specified in spec/client-config.md.
 */
#ifndef LETTS_CONFIG_H
#define LETTS_CONFIG_H

#include "common.h"
#include "error.h"
#include "string_list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A loaded, validated letts.yaml. Opaque; freed with letts_config_free(). */
typedef struct letts_config letts_config;

/** Flags for the loading functions; combine with `|`. */
typedef enum letts_config_flags {
    /** No flag: the default behaviour. */
    LETTS_CONFIG_DEFAULT = 0,
    /**
     * Skip the permission rule: by default a file holding a plain-text token
     * (a token that is not made only of ${VAR} references) must have mode
     * 0600 or 0400, otherwise loading fails with LETTS_ERR_CONFIG. This is
     * the `insecure_config_permissions` client option.
     */
    LETTS_CONFIG_INSECURE_PERMISSIONS = 1
} letts_config_flags;

/**
 * Load letts.yaml from `path` (relative paths are taken from the current
 * working directory). The environment variable LETTS_CONFIG is not
 * consulted.
 *
 * On success `*out` receives a new configuration the caller frees with
 * letts_config_free(). On failure `*out` is set to NULL.
 *
 * Returns LETTS_OK; LETTS_ERR_CONFIG when the file is missing, unreadable,
 * not valid YAML, breaks a rule of the format, or holds plain-text tokens
 * with unsafe permissions; LETTS_ERR_INVALID_ARGUMENT when `out` or `path`
 * is NULL or `flags` has unknown bits; LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_config_load_file(letts_config **out, const char *path,
                                                 unsigned flags, letts_error **err);

/**
 * Load letts.yaml from the `len` bytes at `yaml` (which need not be
 * NUL-terminated). `name` is used in error messages in place of a file path
 * and may be NULL ("<string>"). The permission rule does not apply: there is
 * no file.
 *
 * Ownership and statuses as letts_config_load_file(); the bytes are copied,
 * the caller keeps `yaml`.
 */
LETTS_EXTERN letts_status letts_config_load_string(letts_config **out, const char *yaml,
                                                   size_t len, const char *name,
                                                   letts_error **err);

/**
 * Find letts.yaml by the discovery cascade and load it. The first existing
 * candidate wins: $LETTS_CONFIG (when set and non-empty; a missing file is
 * an error, there is no fall-through), ./letts.yaml,
 * $XDG_CONFIG_HOME/letts/letts.yaml (only when XDG_CONFIG_HOME is set),
 * ~/.letts/letts.yaml, /etc/letts/letts.yaml. When none exists the error
 * lists every path tried.
 *
 * Ownership and statuses as letts_config_load_file().
 */
LETTS_EXTERN letts_status letts_config_discover(letts_config **out, unsigned flags,
                                                letts_error **err);

/** Release a configuration. NULL is accepted. */
LETTS_EXTERN void letts_config_free(letts_config *cfg);

/**
 * The path the configuration was loaded from, as given or as found by
 * discovery, or NULL when it was loaded from a string. Owned by `cfg`.
 */
LETTS_EXTERN const char *letts_config_path(const letts_config *cfg);

/**
 * The merged configuration (templates applied to every dugdale) as a JSON
 * document, with every string exactly as written in the file: placeholders
 * are not substituted. Owned by `cfg`; NULL only when `cfg` is NULL.
 *
 * Shape: {"auth": {"token","admin_token","exec_token"},
 *         "defaults": {"port"}, "selector": {"match": [...]},
 *         "routes": {name: {"host","lane"}}, "aliases": {key: value},
 *         "templates": {name: {...}}, "dugdales": [{"id","host","port","url",
 *         "proxy" (null when explicitly none),"extends","labels","lanes":
 *         {name: {"concurrency","paused"}},"token","admin_token",
 *         "exec_token","mission_dir","runtime": {"mission_path_template",
 *         "command_template","validate_mission_file"}}]}.
 */
LETTS_EXTERN const char *letts_config_json(const letts_config *cfg);

/**
 * The ids of the dugdales that carry every one of the `n_labels` labels
 * (exact, case-sensitive), in file order. With `n_labels == 0` every dugdale
 * is listed. `labels` may be NULL when `n_labels` is 0.
 *
 * On success `*out` receives a new list the caller frees with
 * letts_string_list_free() (possibly empty: no match is not an error).
 *
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `cfg`/`out`, NULL label),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_config_dugdales(const letts_config *cfg,
                                                const char *const *labels, size_t n_labels,
                                                letts_string_list **out, letts_error **err);

/**
 * The base URL requests to dugdale `dugdale_id` are sent to, without a
 * trailing slash (e.g. "http://web1.internal:7181",
 * "https://gw.example.com/letts", "http://[::1]:7180").
 *
 * On success `*out` receives a string the caller frees with letts_free().
 * Returns LETTS_OK; LETTS_ERR_CONFIG when the id is unknown or its `url` does
 * not use http or https; LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_config_base_url(const letts_config *cfg, const char *dugdale_id,
                                                char **out, letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_CONFIG_H */
