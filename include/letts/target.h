/*
 * letts/target.h — where a piece of work goes: a dugdale and a lane.
 *
 * A target is addressed in exactly one of three ways:
 *
 *  - route: a name from the `routes:` section of letts.yaml, which gives
 *    both the dugdale and the lane (a lane set on the target is ignored);
 *  - host + lane: a dugdale id, or an alias that leads to one;
 *  - match + lane: a label filter; one of the dugdales that carry every
 *    label and declare the lane is picked uniformly at random, anew on every
 *    resolution.
 *
 * When the target names no route, no host and no labels, a default label
 * filter applies: the client's scoped filter (withMatch) if any, otherwise
 * `selector.match` from letts.yaml. An explicit route or host is never
 * turned into a match by those defaults.
 *
 * A letts_target is a plain options object: build it, resolve it (as often
 * as you like), free it. It is not thread-safe while being modified.
 */
#ifndef LETTS_TARGET_H
#define LETTS_TARGET_H

#include "common.h"
#include "error.h"
#include "config.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Addressing options. Opaque; freed with letts_target_free(). */
typedef struct letts_target letts_target;

/**
 * Create an empty target (no route, host, lane or labels).
 * On success `*out` receives a new target the caller frees with
 * letts_target_free(). Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL
 * `out`), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_target_new(letts_target **out, letts_error **err);

/** Release a target. NULL is accepted. */
LETTS_EXTERN void letts_target_free(letts_target *target);

/**
 * Address by route name. NULL or "" clears it. The string is copied.
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `target`),
 * LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_target_set_route(letts_target *target, const char *route,
                                                 letts_error **err);

/**
 * Address by dugdale id or alias. A numeric handle is given as its decimal
 * text ("5"). NULL or "" clears it. The string is copied. Statuses as
 * letts_target_set_route().
 */
LETTS_EXTERN letts_status letts_target_set_host(letts_target *target, const char *host,
                                                letts_error **err);

/**
 * The lane, required unless a route is used. NULL or "" clears it. The
 * string is copied. Statuses as letts_target_set_route().
 */
LETTS_EXTERN letts_status letts_target_set_lane(letts_target *target, const char *lane,
                                                letts_error **err);

/**
 * Address by labels: every one of the `n_labels` labels must be carried by
 * the chosen dugdale. `n_labels == 0` clears the filter (`labels` may then
 * be NULL). The strings are copied.
 * Returns LETTS_OK, LETTS_ERR_INVALID_ARGUMENT (NULL `target`, NULL
 * `labels` with a non-zero count, a NULL label), LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_target_set_match(letts_target *target,
                                                 const char *const *labels, size_t n_labels,
                                                 letts_error **err);

/**
 * Resolve `target` against `cfg` to a dugdale id and a lane, without any
 * network activity.
 *
 * `scope_match` / `n_scope_match` is the caller's scoped default label
 * filter (the client's withMatch); pass NULL / 0 for none, in which case
 * `selector.match` of letts.yaml is the default.
 *
 * On success `*dugdale_id` and `*lane` receive strings the caller frees with
 * letts_free(); on failure both are set to NULL.
 *
 * Returns LETTS_OK;
 * LETTS_ERR_BAD_REQUEST when not exactly one of route, host and label filter
 * is given ("must specify exactly one of: route, host, match") or the lane
 * is missing without a route ("lane is required when route is not used");
 * LETTS_ERR_CONFIG for an unknown route or host, or a broken alias chain;
 * LETTS_ERR_MISSING_ENV when an alias value names an unset variable;
 * LETTS_ERR_NO_MATCHING_DUGDALE when no dugdale carries the labels and the
 * lane; LETTS_ERR_INVALID_ARGUMENT; LETTS_ERR_NO_MEMORY.
 */
LETTS_EXTERN letts_status letts_target_resolve(const letts_target *target,
                                               const letts_config *cfg,
                                               const char *const *scope_match,
                                               size_t n_scope_match,
                                               char **dugdale_id, char **lane,
                                               letts_error **err);

#ifdef __cplusplus
}
#endif

#endif /* LETTS_TARGET_H */
