/* An embedded devserver is a guest in its host's process: the threads it
 * starts (HTTP pool, connection monitor, sweeper, mission supervisor and
 * launchers) block every asynchronous signal, so SIGCHLD of its missions,
 * SIGINT, SIGTERM, SIGPIPE and the host's own signals reach the host's
 * threads only. A Go host (cgo) or a PHP host would otherwise run its signal
 * handler on a thread it does not know. */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "devserver_harness.h"

static ds_server S;

static int setup(void **state) {
    (void)state;
    ds_start(&S, NULL);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ds_stop(&S);
    return 0;
}

static pid_t own_tid(void) { return (pid_t)syscall(SYS_gettid); }

/* `field` ("SigBlk") of /proc/self/task/<tid>/status as a mask. */
static unsigned long long task_mask(const char *tid, const char *field) {
    char path[300];
    snprintf(path, sizeof path, "/proc/self/task/%s/status", tid);
    FILE *f = fopen(path, "r");
    if (!f) return ~0ULL; /* the thread ended meanwhile: nothing to check */
    char line[256];
    unsigned long long mask = 0;
    int found = 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, strlen(field)) == 0 && line[strlen(field)] == ':')
            found = sscanf(line + strlen(field) + 1, "%llx", &mask) == 1;
    fclose(f);
    assert_true(found);
    return mask;
}

static void task_name(const char *tid, char *out, size_t size) {
    char path[300];
    snprintf(path, sizeof path, "/proc/self/task/%s/comm", tid);
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) return;
    if (fgets(out, (int)size, f)) out[strcspn(out, "\n")] = '\0';
    fclose(f);
}

static unsigned long long bit(int sig) { return 1ULL << (sig - 1); }

static void test_the_server_threads_block_the_hosts_signals(void **state) {
    (void)state;
    /* A mission run to its end: the supervisor and its launchers exist. */
    char id[37];
    ds_script(&S, "hello", "echo hi");
    ds_dispatch(&S, "hello", "default", NULL, NULL, id);
    cJSON_Delete(ds_wait_outcome(&S, id, "success", "", 20000));

    const unsigned long long must_block = bit(SIGCHLD) | bit(SIGINT) | bit(SIGTERM) | bit(SIGPIPE) |
                                          bit(SIGHUP) | bit(SIGUSR1) | bit(SIGUSR2) | bit(SIGALRM);
    const unsigned long long must_not_block = bit(SIGSEGV) | bit(SIGBUS) | bit(SIGFPE) | bit(SIGILL);
    char me[32];
    snprintf(me, sizeof me, "%d", (int)own_tid());
    int checked = 0, supervisor = 0, launcher = 0;
    DIR *d = opendir("/proc/self/task");
    assert_non_null(d);
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, me) == 0) continue;
        const unsigned long long blocked = task_mask(e->d_name, "SigBlk");
        if (blocked == ~0ULL) continue;
        char name[32];
        task_name(e->d_name, name, sizeof name);
        if ((blocked & must_block) != must_block || (blocked & must_not_block) != 0)
            fail_msg("thread %s (%s) blocks %llx: expected every asynchronous signal blocked (%llx) "
                     "and no fault signal (%llx)",
                     e->d_name, name, blocked, must_block, must_not_block);
        supervisor += strcmp(name, "ds-supervisor") == 0;
        launcher += strcmp(name, "ds-launcher") == 0;
        ++checked;
    }
    closedir(d);
    /* Not vacuous: the pool threads and the supervision threads were seen. */
    if (supervisor != 1 || launcher < 1 || checked < 4)
        fail_msg("expected the supervisor, a launcher and the HTTP threads among %d threads checked "
                 "(supervisor %d, launchers %d)",
                 checked, supervisor, launcher);
    /* The host's own mask is the one it had: starting the server did not
     * leave this thread's signals blocked. */
    sigset_t now;
    pthread_sigmask(SIG_BLOCK, NULL, &now);
    assert_false(sigismember(&now, SIGCHLD));
    assert_false(sigismember(&now, SIGUSR1));
}

/* Without exec (the default instance) its client letts.yaml names no exec
 * token (test_exec checks the other case). */
static void test_client_config_without_exec(void **state) {
    (void)state;
    const char *yaml = letts_devserver_client_config(S.srv);
    assert_non_null(strstr(yaml, "admin_token: "));
    assert_null(strstr(yaml, "exec_token"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_server_threads_block_the_hosts_signals),
        cmocka_unit_test(test_client_config_without_exec),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
