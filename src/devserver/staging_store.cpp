#include "devserver/staging_store.hpp"

#include "devserver/clock.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

namespace letts::devserver {
namespace {

// An upload's bytes grow in <path>.part and reach <path> only once complete.
std::string partial_path(const StagingFile& file) { return file.path + ".part"; }

// Where a row's bytes are on disk in its current state.
std::string bytes_path(const StagingFile& file) {
    return file.state == StagingState::uploading ? partial_path(file) : file.path;
}

}  // namespace

StagingStore::StagingStore(std::string dir) : dir_(std::move(dir)) {}

std::string StagingStore::path_of(const std::string& id) const { return dir_ + "/" + id; }

std::optional<StagingFile> StagingStore::find(const std::string& id) const {
    MutexLock lock(mu_);
    auto it = files_.find(id);
    if (it == files_.end()) return std::nullopt;
    return *it->second;
}

bool StagingStore::exists(const std::string& id) const {
    MutexLock lock(mu_);
    return files_.count(id) != 0;
}

bool StagingStore::is_complete(const std::string& id) const {
    MutexLock lock(mu_);
    auto it = files_.find(id);
    return it != files_.end() && it->second->state == StagingState::complete;
}

std::optional<StagingFile> StagingStore::find_content(const std::string& sha256, std::int64_t size) const {
    MutexLock lock(mu_);
    for (const auto& [id, f] : files_)
        if (f->state == StagingState::complete && f->sha256 == sha256 && f->size == size) return *f;
    return std::nullopt;
}

UploadSlot StagingStore::begin_upload(const std::string& id, const std::string& sha256, std::int64_t total,
                                      std::int64_t start, const UploadLimits& limits) {
    // Held until the slot is taken (upload_in_progress): a second PUT of
    // the same id waits here, then finds it busy.
    MutexLock lock(mu_);
    if (auto it = files_.find(id); it != files_.end()) return resume_locked(it->second, sha256, total, start);
    UploadSlot slot;
    if (start != 0) {
        slot.kind = UploadSlot::Kind::must_start_at_zero;
        return slot;
    }
    if (!room_for_upload_locked(limits)) {
        slot.kind = UploadSlot::Kind::too_many_open;
        return slot;
    }
    auto file = std::make_shared<StagingFile>();
    file->id = id;
    file->sha256 = sha256;
    file->size = total;
    file->time_created = file->time_updated = now_ms();
    file->path = path_of(id);
    files_[id] = file;
    slot = open_partial(std::move(file));
    if (slot.kind == UploadSlot::Kind::receive) slot.ticket.row_->upload_in_progress = true;
    return slot;
}

UploadSlot StagingStore::resume_locked(std::shared_ptr<StagingFile> file, const std::string& sha256,
                                       std::int64_t total, std::int64_t start) {
    UploadSlot slot;
    slot.row = *file;
    using Kind = UploadSlot::Kind;
    if (file->upload_in_progress) {
        slot.kind = Kind::in_progress;
    } else if (file->sha256 != sha256 || file->size != total) {
        slot.kind = Kind::content_mismatch;
    } else if (file->state == StagingState::complete) {
        slot.kind = Kind::already_complete;
    } else if (file->state != StagingState::uploading) {
        slot.kind = Kind::not_accepting;
    } else {
        struct stat st {};
        const std::string part = partial_path(*file);
        if (::stat(part.c_str(), &st) != 0 || st.st_size != file->bytes_received) {
            slot.kind = Kind::part_inconsistent;
        } else if (start != file->bytes_received) {
            slot.kind = Kind::wrong_start;
        } else {
            slot = open_partial(std::move(file));
            if (slot.kind == Kind::receive) slot.ticket.row_->upload_in_progress = true;
        }
    }
    return slot;
}

bool StagingStore::room_for_upload_locked(const UploadLimits& limits) const {
    // The byte budget counts what unfinished uploads have received, not
    // what they declare, and is full once that sum reaches the limit, as the
    // daemon's (staging.go, enforceIncompleteLimits). The sum saturates
    // anyway: a saturated sum is over any limit.
    std::int64_t open_uploads = 0, open_bytes = 0;
    bool bytes_overflow = false;
    for (const auto& [sid, f] : files_)
        if (f->state == StagingState::uploading) {
            ++open_uploads;
            bytes_overflow = bytes_overflow || __builtin_add_overflow(open_bytes, f->bytes_received, &open_bytes);
        }
    return !((limits.max_incomplete_uploads > 0 && open_uploads >= limits.max_incomplete_uploads) ||
             (limits.max_incomplete_bytes > 0 && (bytes_overflow || open_bytes >= limits.max_incomplete_bytes)));
}

UploadSlot StagingStore::open_partial(std::shared_ptr<StagingFile> file) {
    // Resume: the prefix already on disk is hashed again, so the digest
    // always covers the whole file.
    UploadSlot slot;
    slot.kind = UploadSlot::Kind::io_error;
    const std::string part = partial_path(*file);
    UniqueFd fd(::open(part.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!fd) return slot;
    Sha256 hasher;
    if (file->bytes_received > 0) {
        char buf[64 * 1024];
        std::int64_t off = 0;
        while (off < file->bytes_received) {
            const ssize_t n = ::pread(fd.get(), buf, sizeof buf, off);
            if (n <= 0) return slot;
            hasher.update(buf, static_cast<std::size_t>(n));
            off += n;
        }
    }
    slot.kind = UploadSlot::Kind::receive;
    slot.row = *file;
    slot.ticket = UploadTicket(std::move(file));
    slot.fd = std::move(fd);
    slot.hasher = std::move(hasher);
    return slot;
}

std::int64_t StagingStore::bytes_received(const UploadTicket& upload) const {
    MutexLock lock(mu_);
    return upload.row_->bytes_received;
}

void StagingStore::add_received(UploadTicket& upload, std::int64_t n, std::int64_t now) {
    MutexLock lock(mu_);
    StagingFile& file = *upload.row_;
    file.bytes_received += n;
    file.time_updated = now;
}

void StagingStore::burn(UploadTicket& upload, std::int64_t now) {
    MutexLock lock(mu_);
    StagingFile& file = *upload.row_;
    ::unlink(partial_path(file).c_str());
    file.state = StagingState::deleting;
    file.upload_in_progress = false;
    file.time_updated = now;
}

void StagingStore::release(UploadTicket& upload) {
    MutexLock lock(mu_);
    upload.row_->upload_in_progress = false;
}

UploadEnd StagingStore::finish_upload(UploadTicket& upload, std::int64_t total, const std::string& digest,
                                      std::int64_t now, StagingFile& row) {
    MutexLock lock(mu_);
    StagingFile& file = *upload.row_;
    // The answer ends this upload: a client may start the next request on
    // another connection before this one is torn down.
    file.upload_in_progress = false;
    row = file;
    if (file.bytes_received < total) return UploadEnd::incomplete;
    const std::string part = partial_path(file);
    if (digest != file.sha256) {
        ::unlink(part.c_str());
        file.state = StagingState::deleting;
        row = file;
        return UploadEnd::content_mismatch;
    }
    if (::rename(part.c_str(), file.path.c_str()) != 0) return UploadEnd::io_error;
    file.state = StagingState::complete;
    file.time_updated = now;
    row = file;
    return UploadEnd::complete;
}

void StagingStore::add_complete(const std::vector<CommittedOutput>& outputs, std::int64_t now) {
    MutexLock lock(mu_);
    for (const auto& c : outputs) {
        auto f = std::make_shared<StagingFile>();
        f->id = c.id;
        f->state = StagingState::complete;
        f->sha256 = c.sha256;
        f->size = c.size;
        f->bytes_received = c.size;
        f->time_created = now;
        f->time_updated = now;
        f->path = path_of(c.id);
        files_[c.id] = std::move(f);
    }
}

void StagingStore::insert(std::shared_ptr<StagingFile> file) {
    MutexLock lock(mu_);
    const std::string id = file->id;
    files_[id] = std::move(file);
}

void StagingStore::mark_deleting(const std::string& id) {
    MutexLock lock(mu_);
    auto it = files_.find(id);
    if (it == files_.end()) return;
    const std::string on_disk = bytes_path(*it->second);
    it->second->state = StagingState::deleting;
    ::unlink(on_disk.c_str());
}

StagingStore::SweepResult StagingStore::sweep(std::int64_t now, const std::map<std::string, std::int64_t>& expires_by_id,
                                              std::int64_t ttl_ms) {
    MutexLock lock(mu_);
    SweepResult out;
    for (auto it = files_.begin(); it != files_.end();) {
        StagingFile& f = *it->second;
        if (f.state == StagingState::deleting) {
            if (f.time_deleting == 0) f.time_deleting = now;
            if (now - f.time_deleting >= kStagingTombstoneGraceMs) {
                it = files_.erase(it);
                ++out.forgotten;
                continue;
            }
        } else if (f.state == StagingState::complete || (f.state == StagingState::uploading && !f.upload_in_progress)) {
            // Unreferenced: staging_ttl from creation, or for an unfinished
            // upload from its last stored chunk (time_updated), as the daemon
            // moves an upload's expiry with each chunk.
            auto r = expires_by_id.find(f.id);
            const std::int64_t since = f.state == StagingState::uploading ? f.time_updated : f.time_created;
            const std::int64_t expires = r != expires_by_id.end() ? r->second : since + ttl_ms;
            if (expires <= now) {
                out.unlink.push_back(bytes_path(f));
                f.state = StagingState::deleting;
                f.time_deleting = now;
                ++out.expired;
            }
        }
        ++it;
    }
    return out;
}

}  // namespace letts::devserver
