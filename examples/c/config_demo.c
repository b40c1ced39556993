/*
 * letts-config-demo — load a letts.yaml with the libletts C API, list its
 * dugdales and show where pieces of work would be sent.
 *
 *     letts-config-demo FILE [TARGET...]
 *
 * TARGET is one of
 *     route:NAME            a route from `routes:` (it names dugdale and lane)
 *     host:ID/LANE          a dugdale id or an alias, and a lane
 *     match:L1,L2/LANE      every label must be carried; one match is picked
 *     lane:LANE             no target: the default filter `selector.match`
 *
 * Without TARGETs it resolves a set written for examples/letts.yaml. Nothing
 * here touches the network: resolution is pure configuration.
 *
 * Every libletts call follows the same pattern: it returns a letts_status and
 * fills a letts_error on failure, which we print and free. Any failure ends
 * the program with exit status 1.
 */
#include <letts/letts.h>

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LABELS 16

static const char *const default_targets[] = {
    "route:reports",
    "host:primary/bulk",
    "match:edge/normal",
    "match:prod,batch/normal",
    "lane:bulk",
};

/* Print a failed call's error, free it, and return the exit status. */
static int report(const char *what, letts_status status, letts_error *err) {
    const char *details = letts_error_details(err);
    fprintf(stderr, "letts-config-demo: %s failed [%s]: %s\n", what, letts_status_name(status),
            letts_error_message(err));
    if (details != NULL) {
        fprintf(stderr, "letts-config-demo:   details: %s\n", details);
    }
    letts_error_free(err);
    return 1;
}

/* The labels of dugdale `id`, comma-separated, from letts_config_json(). */
static void print_labels(const cJSON *dugdales, const char *id) {
    const cJSON *dugdale = NULL;
    cJSON_ArrayForEach(dugdale, dugdales) {
        const cJSON *this_id = cJSON_GetObjectItemCaseSensitive(dugdale, "id");
        const cJSON *labels = cJSON_GetObjectItemCaseSensitive(dugdale, "labels");
        const cJSON *label = NULL;
        const char *separator = "";
        if (!cJSON_IsString(this_id) || strcmp(this_id->valuestring, id) != 0) {
            continue;
        }
        cJSON_ArrayForEach(label, labels) {
            if (cJSON_IsString(label)) {
                printf("%s%s", separator, label->valuestring);
                separator = ", ";
            }
        }
        if (separator[0] == '\0') {
            printf("(none)");
        }
    }
}

static int list_dugdales(const letts_config *cfg) {
    letts_string_list *ids = NULL;
    letts_error *err = NULL;
    letts_status status;
    cJSON *json;
    size_t i;
    int rc = 0;

    /* No labels: every dugdale, in file order. */
    status = letts_config_dugdales(cfg, NULL, 0, &ids, &err);
    if (status != LETTS_OK) {
        return report("letts_config_dugdales", status, err);
    }
    /* The merged configuration (templates applied) is published as JSON. */
    json = cJSON_Parse(letts_config_json(cfg));
    if (json == NULL) {
        fprintf(stderr, "letts-config-demo: letts_config_json() is not valid JSON\n");
        letts_string_list_free(ids);
        return 1;
    }

    printf("dugdales:\n");
    for (i = 0; i < letts_string_list_count(ids) && rc == 0; i++) {
        const char *id = letts_string_list_get(ids, i);
        char *url = NULL;
        status = letts_config_base_url(cfg, id, &url, &err);
        if (status != LETTS_OK) {
            rc = report("letts_config_base_url", status, err);
            break;
        }
        printf("  %-8s %-36s labels: ", id, url);
        print_labels(cJSON_GetObjectItemCaseSensitive(json, "dugdales"), id);
        printf("\n");
        letts_free(url);
    }

    cJSON_Delete(json);
    letts_string_list_free(ids);
    return rc;
}

/* Split "a,b,c" in place into `labels`; returns the count or -1 if too many. */
static int split_labels(char *text, const char **labels) {
    int n = 0;
    char *label = strtok(text, ",");
    while (label != NULL) {
        if (n == MAX_LABELS) {
            return -1;
        }
        labels[n++] = label;
        label = strtok(NULL, ",");
    }
    return n;
}

/*
 * Configure `target` from a TARGET argument (modified in place) and describe
 * it in `desc`. Returns -1 when the argument cannot be read; otherwise 0, with
 * the status of the libletts calls in `*status`.
 */
static int apply_spec(letts_target *target, char *spec, char *desc, size_t desc_size,
                      letts_error **err, letts_status *status) {
    const char *labels[MAX_LABELS];
    char *value = strchr(spec, ':');
    char *lane;
    int n;

    if (value == NULL) {
        return -1;
    }
    *value++ = '\0';
    if (strcmp(spec, "route") == 0) {
        snprintf(desc, desc_size, "route %s", value);
        *status = letts_target_set_route(target, value, err);
        return 0;
    }
    if (strcmp(spec, "lane") == 0) {
        snprintf(desc, desc_size, "lane %s (selector.match)", value);
        *status = letts_target_set_lane(target, value, err);
        return 0;
    }
    lane = strrchr(value, '/');
    if (lane == NULL) {
        return -1;
    }
    *lane++ = '\0';
    if (strcmp(spec, "host") == 0) {
        snprintf(desc, desc_size, "host %s, lane %s", value, lane);
        *status = letts_target_set_host(target, value, err);
    } else if (strcmp(spec, "match") == 0) {
        snprintf(desc, desc_size, "match [%s], lane %s", value, lane);
        n = split_labels(value, labels);
        if (n < 0) {
            return -1;
        }
        *status = letts_target_set_match(target, labels, (size_t)n, err);
    } else {
        return -1;
    }
    if (*status == LETTS_OK) {
        *status = letts_target_set_lane(target, lane, err);
    }
    return 0;
}

static int resolve(const letts_config *cfg, const char *spec_arg) {
    letts_target *target = NULL;
    letts_error *err = NULL;
    letts_status status;
    char *spec = malloc(strlen(spec_arg) + 1);
    char *dugdale = NULL;
    char *lane = NULL;
    char desc[160];
    int rc = 0;

    if (spec == NULL) {
        fprintf(stderr, "letts-config-demo: out of memory\n");
        return 1;
    }
    strcpy(spec, spec_arg);

    status = letts_target_new(&target, &err);
    if (status != LETTS_OK) {
        free(spec);
        return report("letts_target_new", status, err);
    }
    if (apply_spec(target, spec, desc, sizeof desc, &err, &status) != 0) {
        fprintf(stderr,
                "letts-config-demo: cannot read target \"%s\"; expected route:NAME, "
                "host:ID/LANE, match:L1,L2/LANE or lane:LANE\n",
                spec_arg);
        rc = 1;
    } else if (status != LETTS_OK) {
        rc = report("setting up the target", status, err);
    } else {
        /* No scoped filter (NULL, 0): selector.match is the default. */
        status = letts_target_resolve(target, cfg, NULL, 0, &dugdale, &lane, &err);
        if (status == LETTS_OK) {
            printf("  %-32s -> %s, lane %s\n", desc, dugdale, lane);
        } else {
            printf("  %-32s -> (none)\n", desc);
            rc = report("letts_target_resolve", status, err);
        }
    }

    letts_free(dugdale);
    letts_free(lane);
    letts_target_free(target);
    free(spec);
    return rc;
}

int main(int argc, char **argv) {
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    letts_status status;
    int i, rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fprintf(argc < 2 ? stderr : stdout,
                "usage: %s FILE [TARGET...]\n"
                "  TARGET: route:NAME | host:ID/LANE | match:L1,L2/LANE | lane:LANE\n",
                argv[0]);
        return argc < 2 ? 2 : 0;
    }

    status = letts_config_load_file(&cfg, argv[1], LETTS_CONFIG_DEFAULT, &err);
    if (status != LETTS_OK) {
        return report("loading the configuration", status, err);
    }
    printf("libletts %s, configuration %s\n\n", letts_version(), letts_config_path(cfg));

    rc = list_dugdales(cfg);
    if (rc == 0) {
        printf("\ntargets:\n");
    }
    if (argc > 2) {
        for (i = 2; i < argc && rc == 0; i++) {
            rc = resolve(cfg, argv[i]);
        }
    } else {
        size_t t;
        for (t = 0; t < sizeof default_targets / sizeof default_targets[0] && rc == 0; t++) {
            rc = resolve(cfg, default_targets[t]);
        }
    }

    letts_config_free(cfg);
    return rc;
}
