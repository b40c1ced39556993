// The staging files (http-api.md §9): their rows, the files under
// data_dir/staging, and the one lock that guards both. Handlers ask it
// questions and give it orders; it answers with outcomes, never with HTTP.
//
// Locking: a leaf lock. The engine's lock may be held when the store is
// called (dispatch checks its inputs, the sweeper pins what jobs reference),
// never the other way round; a StagingFile row's fields are the store's
// alone, callers get copies.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/sha256.hpp"
#include "core/thread_annotations.hpp"
#include "core/unique_fd.hpp"
#include "devserver/model.hpp"

namespace letts::devserver {

// How long a `deleting` row stays visible (HEAD `deleting`, GET `410
// deleting`) before it is forgotten and answers 404: the daemon keeps its
// tombstone this long so that open downloads finish. Here the file is
// unlinked at once (an open download keeps its descriptor); only the row waits.
constexpr std::int64_t kStagingTombstoneGraceMs = 60'000;

// The limits a new upload is held to (dugdale.yaml limits).
struct UploadLimits {
    std::int64_t max_incomplete_uploads = 0;  // 0: no limit
    std::int64_t max_incomplete_bytes = 0;
};

class StagingStore;

// The right to feed one upload's row. Only the store reads or writes the
// row behind it, under its lock; the handler that holds the ticket cannot
// reach the row's fields, so the compiler enforces the locking rule above.
class UploadTicket {
public:
    UploadTicket() = default;
    UploadTicket(UploadTicket&&) noexcept = default;
    UploadTicket& operator=(UploadTicket&&) noexcept = default;
    UploadTicket(const UploadTicket&) = delete;
    UploadTicket& operator=(const UploadTicket&) = delete;

private:
    friend class StagingStore;
    explicit UploadTicket(std::shared_ptr<StagingFile> row) : row_(std::move(row)) {}
    std::shared_ptr<StagingFile> row_;
};

// What PUT may do with an id.
struct UploadSlot {
    enum class Kind {
        receive,            // `ticket` takes the body from `fd`, `hasher` holds the prefix already on disk
        already_complete,   // same content, nothing to upload: `row`
        in_progress,        // another PUT of this id is running
        content_mismatch,   // `row` holds different content
        not_accepting,      // `row` is deleting or an output being committed
        part_inconsistent,  // the partial file on disk disagrees with the row
        wrong_start,        // resume must start at `row.bytes_received`
        must_start_at_zero, // nothing received yet
        too_many_open,      // max_incomplete_staging_uploads / _bytes
        io_error,
    };
    Kind kind = Kind::io_error;
    StagingFile row;  // a copy, as the row was when the slot was decided
    UploadTicket ticket;
    UniqueFd fd;
    Sha256 hasher;
};

// How an upload ended (on_end).
enum class UploadEnd { complete, incomplete, content_mismatch, io_error };

// A committed output of a mission.
struct CommittedOutput {
    std::string id, sha256;
    std::int64_t size = 0;
};

class StagingStore {
public:
    explicit StagingStore(std::string dir);  // data_dir/staging
    StagingStore(const StagingStore&) = delete;
    StagingStore& operator=(const StagingStore&) = delete;

    std::string path_of(const std::string& id) const;

    // A copy of the row, if any.
    std::optional<StagingFile> find(const std::string& id) const EXCLUDES(mu_);
    bool exists(const std::string& id) const EXCLUDES(mu_);
    bool is_complete(const std::string& id) const EXCLUDES(mu_);
    // The first complete file (in id order) with that content.
    std::optional<StagingFile> find_content(const std::string& sha256, std::int64_t size) const EXCLUDES(mu_);

    // PUT: a new row or the resumption of an existing one, `start` being
    // the first byte of this request's body of a file of `total` bytes.
    UploadSlot begin_upload(const std::string& id, const std::string& sha256, std::int64_t total,
                            std::int64_t start, const UploadLimits& limits) EXCLUDES(mu_);
    // The body of an upload, in the order it arrives.
    std::int64_t bytes_received(const UploadTicket& upload) const EXCLUDES(mu_);
    void add_received(UploadTicket& upload, std::int64_t n, std::int64_t now) EXCLUDES(mu_);
    // Discards the partial and marks the row `deleting` (§9.6).
    void burn(UploadTicket& upload, std::int64_t now) EXCLUDES(mu_);
    // The upload (of the request) is over, whatever its end: the id takes
    // another PUT (a dropped connection leaves it resumable).
    void release(UploadTicket& upload) EXCLUDES(mu_);
    // The body ended: checks the byte count and `digest`, then the partial
    // becomes the file. `row` is the row afterwards. Releases the upload.
    UploadEnd finish_upload(UploadTicket& upload, std::int64_t total, const std::string& digest,
                            std::int64_t now, StagingFile& row) EXCLUDES(mu_);

    // Adds a row as it is (the unit tests build rows with it).
    void insert(std::shared_ptr<StagingFile> file) EXCLUDES(mu_);
    // Mission outputs already renamed into place become complete rows.
    void add_complete(const std::vector<CommittedOutput>& outputs, std::int64_t now) EXCLUDES(mu_);

    // DELETE, once the handler has settled the jobs that reference the
    // file: the row becomes `deleting` and its file (an unfinished upload's
    // partial) is unlinked (open downloads keep their descriptor).
    void mark_deleting(const std::string& id) EXCLUDES(mu_);

    // The sweeper's pass over the rows at `now`: uploading (not in
    // progress) and complete rows expire at `expires_by_id[id]` when jobs
    // reference them, otherwise `ttl_ms` after time_created (an unfinished
    // upload: after its last chunk, time_updated); deleting rows
    // are forgotten after the tombstone grace. Files are unlinked after
    // the lock is released.
    struct SweepResult {
        std::int64_t expired = 0, forgotten = 0;
        std::vector<std::string> unlink;
    };
    SweepResult sweep(std::int64_t now, const std::map<std::string, std::int64_t>& expires_by_id,
                      std::int64_t ttl_ms) EXCLUDES(mu_);

private:
    UploadSlot resume_locked(std::shared_ptr<StagingFile> file, const std::string& sha256, std::int64_t total,
                             std::int64_t start) REQUIRES(mu_);
    bool room_for_upload_locked(const UploadLimits& limits) const REQUIRES(mu_);
    // Opens the partial and hashes what it already holds.
    static UploadSlot open_partial(std::shared_ptr<StagingFile> file);

    const std::string dir_;
    mutable Mutex mu_;
    std::map<std::string, std::shared_ptr<StagingFile>> files_ GUARDED_BY(mu_);
};

}  // namespace letts::devserver
