// Capture of a mission's stdout and stderr (mission-protocol.md §1.8,
// http-api.md §8): the raw stream files, the interleaved `combined` NDJSON
// file, one shared byte budget with the truncation marker, and the stderr
// scan for the PHP out-of-memory marker.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/unique_fd.hpp"

namespace letts::devserver {

enum class Stream { out, err };

class Capture {
public:
    // Remembers the three paths; nothing is created yet. A file (and the
    // parent directory) is created (mode 0600, appending) by the first
    // write that needs it: most missions write nothing, and each directory
    // entry costs ~150 us on this machine's ext4, which was a large part of
    // a mission start. A stream that never wrote has no file, which the
    // output route serves as empty, as it does for a mission that never ran.
    // A file that cannot be created drops that stream's bytes: the disk is
    // then full or broken, and the work directory, created before the spawn
    // on the same data_dir, reported that as the launch failure already.
    Capture(std::string stdout_path, std::string stderr_path, std::string combined_path, std::int64_t budget);

    // One chunk read from the process; `t_ms` is its capture time.
    void write(Stream s, std::string_view data, std::int64_t t_ms);

    bool truncated(Stream s) const noexcept { return s == Stream::out ? trunc_out_ : trunc_err_; }
    // The first line holding "Allowed memory size of", when one was seen.
    const std::optional<std::string>& oom_line() const noexcept { return oom_line_; }

private:
    void scan_stderr(std::string_view data);
    // The descriptor of one of the three files, opened on first use; -1 if
    // it cannot be created (then not retried).
    int file(UniqueFd& fd, bool& failed, const std::string& path);

    std::string out_path_, err_path_, combined_path_;
    UniqueFd out_, err_, combined_;
    bool out_failed_ = false, err_failed_ = false, combined_failed_ = false;
    bool parent_made_ = false;
    std::int64_t budget_;
    std::int64_t remaining_;
    bool trunc_out_ = false, trunc_err_ = false;
    std::string err_tail_;  // the end of stderr so far: markers split across writes are found
    std::optional<std::string> oom_line_;
};

}  // namespace letts::devserver
