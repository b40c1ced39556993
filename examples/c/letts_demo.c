/*
 * letts-demo — the whole system on one machine, in one process.
 *
 * Starts an embedded letts-devserver whose mission directory holds the
 * example missions, builds a client from the letts.yaml the server prints,
 * runs the `progress` mission through the client (dispatch, then follow the
 * event stream), shows each progress event as it arrives and the result at
 * the end. This is what `./setup.sh demo` runs.
 *
 *     letts-demo [MISSION_DIR [STEPS]]
 *
 * MISSION_DIR defaults to the example missions of the build tree.
 */
#include <letts/letts.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LETTS_DEMO_MISSIONS
#define LETTS_DEMO_MISSIONS "."
#endif

/* Runs on this thread, inside letts_client_run(), once per progress event. */
static int show_progress(int has_value, double value, const char *message, void *user_data) {
    (void)user_data;
    if (has_value)
        printf("  progress %3.0f%%  %s\n", value * 100.0, message ? message : "");
    else
        printf("  progress        %s\n", message ? message : "");
    fflush(stdout);
    return 0; /* non-zero would stop following (the mission keeps running) */
}

static int report(const char *what, letts_error *err) {
    fprintf(stderr, "letts-demo: %s failed [%s]: %s\n", what,
            letts_status_name(letts_error_status(err)), letts_error_message(err));
    letts_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    const char *mission_dir = argc > 1 ? argv[1] : LETTS_DEMO_MISSIONS;
    const char *steps = argc > 2 ? argv[2] : "5";
    letts_error *err = NULL;
    int rc = 1;

    letts_devserver_options *sopts = NULL;
    letts_devserver *server = NULL;
    letts_config *config = NULL;
    letts_client *client = NULL;
    letts_job *job = NULL;
    letts_run_options *ropts = NULL;
    letts_run_result *result = NULL;

    if (letts_devserver_options_new(&sopts, &err) != LETTS_OK ||
        letts_devserver_options_set_mission_dir(sopts, mission_dir, &err) != LETTS_OK ||
        letts_devserver_start(&server, sopts, &err) != LETTS_OK) {
        rc = report("starting letts-devserver", err);
        goto done;
    }
    printf("libletts %s — letts-devserver listening on %s (missions from %s)\n\n", letts_version(),
           letts_devserver_url(server), mission_dir);

    const char *yaml = letts_devserver_client_config(server);
    if (letts_config_load_string(&config, yaml, strlen(yaml), "devserver letts.yaml", &err) != LETTS_OK ||
        letts_client_new(&client, config, NULL, &err) != LETTS_OK) {
        rc = report("creating the client", err);
        goto done;
    }

    char input[64];
    snprintf(input, sizeof input, "{\"steps\":%d}", atoi(steps));
    if (letts_job_new(&job, "progress", &err) != LETTS_OK ||
        letts_job_set_host(job, "devserver", &err) != LETTS_OK ||
        letts_job_set_lane(job, "default", &err) != LETTS_OK ||
        letts_job_set_input_json(job, input, &err) != LETTS_OK ||
        letts_run_options_new(&ropts, &err) != LETTS_OK ||
        letts_run_options_set_progress(ropts, show_progress, NULL, &err) != LETTS_OK ||
        letts_run_options_set_wait_timeout_ms(ropts, 60000, &err) != LETTS_OK) {
        rc = report("preparing the job", err);
        goto done;
    }

    printf("run: mission \"progress\" on devserver/default, input %s\n", input);
    const letts_status st = letts_client_run(client, job, ropts, &result, &err);
    if (st != LETTS_OK && st != LETTS_ERR_MISSION_FAILED) {
        rc = report("running the mission", err);
        goto done;
    }
    printf("\nmission %s\n  outcome   %s\n  return    %s\n  duration  %lld ms\n",
           letts_run_result_mission_id(result), letts_run_result_outcome(result),
           letts_run_result_return_json(result) ? letts_run_result_return_json(result) : "null",
           (long long)letts_run_result_duration_ms(result));
    if (st == LETTS_ERR_MISSION_FAILED) {
        printf("  failed    %s: %s\n", letts_run_result_fail_reason(result),
               letts_run_result_fail_message(result));
        letts_error_free(err);
    }
    rc = letts_run_result_is_success(result) ? 0 : 1;

done:
    letts_run_result_free(result);
    letts_run_options_free(ropts);
    letts_job_free(job);
    letts_client_free(client);
    letts_config_free(config);
    letts_devserver_free(server); /* stops it: no mission process survives */
    letts_devserver_options_free(sopts);
    return rc;
}
