/* wait.c — the blocking wait of the interrupt watcher: poll() on the
 * mission's interrupt descriptor and on the watcher's stop pipe. Returns 1
 * when the interrupt descriptor is readable, 0 when told to stop. */
#include <errno.h>
#include <poll.h>

int letts_go_wait_interrupt(int interrupt_fd, int stop_fd) {
    struct pollfd fds[2] = {{interrupt_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return 0;
        }
        if (fds[0].revents & POLLIN) return 1;
        if (fds[1].revents) return 0;
    }
}
