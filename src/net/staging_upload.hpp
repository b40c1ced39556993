// Staging one input file (client-behavior.md §8.1): hash and size it, pick a
// new UUIDv7 staging id, then probe (HEAD) and upload (PUT, or resume with
// Content-Range from the byte the daemon confirmed) under the retry policy,
// re-probing before every retry. The file is streamed from disk.
#pragma once

#include <cstdint>
#include <string>

#include "net/retry.hpp"
#include "net/transport.hpp"

namespace letts::net {

// What a HEAD probe said (http-api.md §5.17).
struct StagingProbe {
    enum class State { not_found, complete, incomplete, other } state = State::not_found;
    std::string sha256;
    std::uint64_t bytes_received = 0;
    std::uint64_t total_size = 0;
    // X-Letts-Upload-Status as sent ("complete", "incomplete", "deleting",
    // "pending_output", "committing"); "" for a 404.
    std::string upload_status;
};

// What a finished upload is: the id and the content the daemon verified.
struct StagedFile {
    std::string staging_id;
    std::string sha256;
    std::uint64_t size = 0;
};

// Pure interpretation of a HEAD answer; throws the mapped error for
// statuses >= 400 other than 404.
StagingProbe interpret_probe(const Response& response, const Endpoint& endpoint);

// The Content-Range header of a resume PUT, e.g. "Content-Range: bytes
// 60-99/100"; "" for an initial PUT (offset 0), which never carries one.
std::string content_range_header(std::uint64_t offset, std::uint64_t size);

// HEAD /v1/staging/{id}, interpreted (404 is State::not_found). Not retried.
Task<StagingProbe> probe_staging(Loop& loop, const Transport& transport, Endpoint endpoint,
                                 std::string staging_id);

// Uploads `path`; returns its staging id, sha256 and size. Local problems are Status::staging
// ("file not found: <path>", "hash/size failed: <path>", zero-byte files);
// HTTP errors keep their mapped status. The file is hashed a slice at a
// time between steps of the loop, so a large file neither stalls the
// caller's other runs nor delays a cancel.
Task<StagedFile> stage_file(Loop& loop, const Transport& transport, Endpoint endpoint,
                             RetryPolicy retry, std::string path);

}  // namespace letts::net
