// What the staging primitives (client-behavior.md §13, http-api.md §5.16–
// §5.21) take and give: the Go client's StagingHead, ListStagingOpts and
// StagingFile in the library's terms.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "net/staging_upload.hpp"

namespace letts::client {

using StagedFile = net::StagedFile;

// HEAD /v1/staging/{id}: the state as the daemon names it and the numbers
// that come with it (0 where the state carries none).
struct StagingHead {
    std::string state;  // complete, incomplete, deleting, pending_output, committing
    std::string sha256;
    std::uint64_t size = 0;            // Content-Length (complete) or X-Letts-Total-Size
    std::uint64_t bytes_received = 0;  // incomplete: X-Letts-Bytes-Received; complete: size
};

// Part of a file to download: length 0 means "to the end".
struct StagingRange {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    bool whole() const noexcept { return offset == 0 && length == 0; }
};

// GET /v1/staging's parameters; empty / 0 ones are not sent.
struct StagingFilter {
    std::string mission_id;  // required by the daemon
    std::string ref_kind;    // input, output, script
    std::string cursor;
    std::uint64_t limit = 0;
};

// One row of the list.
struct StagingEntry {
    std::string staging_id, state, sha256, ref_kind, role;
    std::int64_t size = 0, bytes_received = 0;
    std::int64_t time_created = 0, time_updated = 0, time_expires = 0;
};

struct StagingPage {
    std::vector<StagingEntry> entries;
    std::string next_cursor;  // "" on the last page
    std::string json;         // the whole answer
};

}  // namespace letts::client
