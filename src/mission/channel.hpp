// The fd 3 event channel: the write side of dugdale's NDJSON pipe.
//
// Each line goes out in one write(2) — atomic on a pipe up to PIPE_BUF
// bytes — continued only after a partial write, with EINTR retried. A mutex
// keeps lines from several threads from interleaving. SIGPIPE is kept from
// killing the mission when dugdale has gone away (the death would be
// recorded as signal_PIPE): the write reports EPIPE as an I/O error instead.
#pragma once

#include <mutex>
#include <string_view>

#include "core/unique_fd.hpp"

namespace letts::mission {

class Channel {
public:
    // Takes ownership of `fd`, which must be open for writing.
    explicit Channel(UniqueFd fd) noexcept : fd_(std::move(fd)) {}

    // Checks that `fd` is open for writing and marks it close-on-exec, so
    // child processes of the mission cannot keep dugdale waiting for EOF.
    // Throws letts::Error(Status::io) with a message fit for the user.
    // Returns the descriptor to construct the Channel with.
    static UniqueFd adopt(int fd);

    // Writes `line` completely. `event` names the event in error messages.
    // Throws letts::Error(Status::io) on failure.
    void write_line(std::string_view line, std::string_view event);

    int fd() const noexcept { return fd_.get(); }

private:
    std::mutex mutex_;
    UniqueFd fd_;
};

}  // namespace letts::mission
