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
    // Creates the parent directory and opens the three files for appending
    // (mode 0600). Throws letts::Error(Status::io) naming the failing path;
    // the error's code() is "ENOSPC" when the disk is full.
    Capture(const std::string& stdout_path, const std::string& stderr_path,
            const std::string& combined_path, std::int64_t budget);

    // One chunk read from the process; `t_ms` is its capture time.
    void write(Stream s, std::string_view data, std::int64_t t_ms);

    bool truncated(Stream s) const noexcept { return s == Stream::out ? trunc_out_ : trunc_err_; }
    // The first line holding "Allowed memory size of", when one was seen.
    const std::optional<std::string>& oom_line() const noexcept { return oom_line_; }

private:
    void scan_stderr(std::string_view data);

    UniqueFd out_, err_, combined_;
    std::int64_t budget_;
    std::int64_t remaining_;
    bool trunc_out_ = false, trunc_err_ = false;
    std::string err_tail_;  // the end of stderr so far: markers split across writes are found
    std::optional<std::string> oom_line_;
};

}  // namespace letts::devserver
