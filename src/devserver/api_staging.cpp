// Staging: resumable uploads (PUT/HEAD), downloads with Range (GET), delete,
// list by job, lookup by content (http-api.md §5.16–5.21, §9).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <random>

#include "core/sha256.hpp"
#include "core/uuidv7.hpp"
#include "devserver/api.hpp"
#include "devserver/base64url.hpp"
#include "devserver/byte_range.hpp"
#include "devserver/clock.hpp"
#include "devserver/json_out.hpp"
#include "devserver/json_value.hpp"
#include "devserver/replies.hpp"
#include "devserver/rules.hpp"
#include "core/unique_fd.hpp"

namespace letts::devserver {
namespace {

bool parse_i64(std::string_view s, std::int64_t& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

json::Ptr staging_body(const StagingFile& f, std::int64_t ttl_seconds) {
    auto o = json::object();
    json::add(o.get(), "staging_id", json::string(f.id));
    json::add(o.get(), "sha256", json::string(f.sha256));
    json::add(o.get(), "size", jout::int64(f.size));
    json::add(o.get(), "ttl_seconds", jout::int64(ttl_seconds));
    return o;
}

std::string http_date(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

// The data directory is measured again after every this many body bytes
// of an upload (§5.16 row 19).
constexpr std::int64_t kQuotaCheckEvery = 16 * 1024 * 1024;

// One PUT body streamed into the partial file while it is hashed.
class Upload : public http::Exchange {
public:
    Upload(Engine& engine, std::shared_ptr<StagingFile> file, std::int64_t total, Sha256 hasher, UniqueFd fd)
        : engine_(engine), file_(std::move(file)), total_(total), hasher_(std::move(hasher)), fd_(std::move(fd)) {}

    // §9.7: no body bytes for limits.upload_idle_timeout ends the upload.
    Deadline deadline() const override {
        const auto ns = engine_.config().limits.upload_idle_timeout;
        Deadline d;
        d.kind = Deadline::Kind::idle;
        d.limit = std::chrono::milliseconds(std::max<std::int64_t>(1, ns / 1'000'000));
        return d;
    }

    // 408 upload_idle_timeout; like a hash mismatch it burns the id: the
    // partial goes and the row is `deleting` until the collector takes it.
    http::Response on_timeout() override {
        std::lock_guard lock(engine_.mu);
        burn_locked();
        return reply::error(408, "upload_idle_timeout", "no body bytes received within upload_idle_timeout");
    }

    ~Upload() override {
        std::lock_guard lock(engine_.mu);
        file_->upload_in_progress = false;  // a dropped connection leaves it resumable
    }

    std::optional<http::Response> on_data(std::string_view chunk) override {
        std::int64_t received;
        {
            std::lock_guard lock(engine_.mu);
            if (burnt_) return std::nullopt;  // answered already; the rest is dropped
            received = file_->bytes_received;
        }
        const std::int64_t room = total_ - received;
        if (room <= 0) return std::nullopt;  // bytes beyond the declared total are ignored
        if (static_cast<std::int64_t>(chunk.size()) > room) chunk = chunk.substr(0, static_cast<std::size_t>(room));
        if (!write_all(fd_.get(), chunk.data(), chunk.size())) {
            std::lock_guard lock(engine_.mu);
            file_->upload_in_progress = false;
            return reply::error(500, "io_error", "filesystem operation failed");
        }
        hasher_.update(chunk);
        {
            std::lock_guard lock(engine_.mu);
            file_->bytes_received += static_cast<std::int64_t>(chunk.size());
            file_->time_updated = now_ms();
        }
        since_quota_check_ += static_cast<std::int64_t>(chunk.size());
        if (since_quota_check_ < kQuotaCheckEvery) return std::nullopt;
        since_quota_check_ = 0;
        // Walked without the engine's lock: it may take a while.
        if (!engine_.over_data_dir_quota(std::chrono::milliseconds(0))) return std::nullopt;
        std::lock_guard lock(engine_.mu);
        burn_locked();
        return reply::error(503, "disk_quota_exceeded", "data_dir size exceeds max_data_dir_size",
                            "{\"max_data_dir_size\":" + std::to_string(engine_.config().limits.max_data_dir_size) +
                                "}");
    }

    http::Response on_end() override {
        std::unique_lock lock(engine_.mu);
        // The answer below ends this upload: a client may start the next
        // request on another connection before this one is torn down.
        struct Done {
            StagingFile& f;
            ~Done() { f.upload_in_progress = false; }  // runs with the lock held
        } done{*file_};
        if (file_->bytes_received < total_)
            return reply::error(400, "incomplete_upload", "body ended before the declared total",
                                "{\"bytes_received\":" + std::to_string(file_->bytes_received) + "}");
        lock.unlock();
        ::fsync(fd_.get());
        fd_.reset();
        const std::string digest = hasher_.hex_digest();
        const std::string part = file_->path + ".part";
        lock.lock();
        if (digest != file_->sha256) {
            ::unlink(part.c_str());
            file_->state = StagingState::deleting;
            return reply::error(409, "content_mismatch", "sha256 of the received content does not match X-Letts-Sha256");
        }
        if (::rename(part.c_str(), file_->path.c_str()) != 0)
            return reply::error(500, "io_error", "filesystem operation failed");
        file_->state = StagingState::complete;
        file_->time_updated = now_ms();
        return reply::json(201, staging_body(*file_, engine_.config().cleanup.staging_ttl / kSecond).get());
    }

private:
    // Discards the partial and marks the row `deleting` (§9.6).
    void burn_locked() {
        fd_.reset();
        ::unlink((file_->path + ".part").c_str());
        file_->state = StagingState::deleting;
        file_->upload_in_progress = false;
        file_->time_updated = now_ms();
        burnt_ = true;
    }

    Engine& engine_;
    std::shared_ptr<StagingFile> file_;
    std::int64_t total_;
    Sha256 hasher_;
    UniqueFd fd_;
    std::int64_t since_quota_check_ = 0;  // only the connection thread uses it
    bool burnt_ = false;                  // guarded by engine_.mu
};

// A file region sent as a body.
class FileBody : public http::BodySource {
public:
    FileBody(UniqueFd fd, std::int64_t offset, std::int64_t length)
        : fd_(std::move(fd)), offset_(offset), left_(length) {}
    long read(char* buf, std::size_t max) override {
        if (left_ <= 0) return 0;
        const auto want = static_cast<std::size_t>(std::min<std::int64_t>(left_, static_cast<std::int64_t>(max)));
        const ssize_t n = ::pread(fd_.get(), buf, want, offset_);
        if (n <= 0) return -1;
        offset_ += n;
        left_ -= n;
        return static_cast<long>(n);
    }

private:
    UniqueFd fd_;
    std::int64_t offset_, left_;
};

// A multipart/byteranges body (RFC 9110 §14.6) streamed from the file, in
// the layout of Go's mime/multipart writer: each part is the boundary line,
// Content-Range and Content-Type headers, a blank line and the bytes; the
// size is known up front for Content-Length.
class MultipartBody : public http::BodySource {
public:
    MultipartBody(UniqueFd fd, const std::vector<byte_range::Span>& spans, std::int64_t file_size)
        : fd_(std::move(fd)), boundary_(random_boundary()) {
        for (std::size_t i = 0; i < spans.size(); ++i) {
            std::string head = (i ? "\r\n--" : "--") + boundary_ + "\r\nContent-Range: " +
                               byte_range::content_range(spans[i], file_size) +
                               "\r\nContent-Type: application/octet-stream\r\n\r\n";
            size_ += static_cast<std::int64_t>(head.size()) + spans[i].length;
            pieces_.push_back({std::move(head), spans[i].first, spans[i].length});
        }
        pieces_.push_back({"\r\n--" + boundary_ + "--\r\n", 0, 0});
        size_ += static_cast<std::int64_t>(pieces_.back().text.size());
    }

    const std::string& boundary() const { return boundary_; }
    std::int64_t size() const { return size_; }

    long read(char* buf, std::size_t max) override {
        while (current_ < pieces_.size()) {
            Piece& p = pieces_[current_];
            if (text_done_ < p.text.size()) {
                const std::size_t n = std::min(max, p.text.size() - text_done_);
                std::copy_n(p.text.data() + text_done_, n, buf);
                text_done_ += n;
                return static_cast<long>(n);
            }
            if (p.length > 0) {
                const auto want = static_cast<std::size_t>(std::min<std::int64_t>(p.length, static_cast<std::int64_t>(max)));
                const ssize_t n = ::pread(fd_.get(), buf, want, p.offset);
                if (n <= 0) return -1;
                p.offset += n;
                p.length -= n;
                return static_cast<long>(n);
            }
            ++current_;
            text_done_ = 0;
        }
        return 0;
    }

private:
    struct Piece {
        std::string text;     // boundary and part headers, sent first
        std::int64_t offset;  // then `length` file bytes from here
        std::int64_t length;
    };

    // 30 random bytes in hex, like Go's multipart writer.
    static std::string random_boundary() {
        std::random_device rd;
        static const char hex[] = "0123456789abcdef";
        std::string b;
        for (int i = 0; i < 30; ++i) {
            const unsigned v = rd() & 0xFF;
            b += hex[v >> 4];
            b += hex[v & 0xF];
        }
        return b;
    }

    UniqueFd fd_;
    std::string boundary_;
    std::vector<Piece> pieces_;
    std::size_t current_ = 0;
    std::size_t text_done_ = 0;
    std::int64_t size_ = 0;
};

// A body that must never be sent: HEAD answers with a Content-Length.
class NoBody : public http::BodySource {
public:
    long read(char*, std::size_t) override { return -1; }
};

}  // namespace

http::Start Api::staging_put(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::dispatch, Scope::exec}, scope)) return std::move(*denied);
    const auto& limits = engine_.config().limits;
    if (auto enc = req.header("Content-Encoding"); enc && !enc->empty() && lower(*enc) != "identity")
        return reply::error(415, "unsupported_media_type", "Content-Encoding must be identity",
                            "{\"content_encoding\":" + jv::quote(*enc) + "}");
    if (engine_.over_data_dir_quota())
        return reply::error_retry(503, "disk_quota_exceeded", "data_dir size exceeds max_data_dir_size", 30);
    const std::string& id = req.params.at(0);
    if (!uuidv7::is_valid(id)) return reply::error(400, "bad_request", "staging id must be a UUIDv7");
    const std::string sha = lower(req.header("X-Letts-Sha256").value_or(""));
    if (!rules::sha256_hex(sha)) return reply::error(400, "bad_request", "X-Letts-Sha256 must be 64 hex digits");

    std::optional<std::int64_t> content_length;
    if (auto cl = req.header("Content-Length")) {
        std::int64_t v = 0;
        if (parse_i64(*cl, v) && v >= 0) content_length = v;
    }
    std::int64_t start = 0, end = -1, total = 0;
    const auto range = req.header("Content-Range");
    if (range) {
        std::string why;
        const auto cr = byte_range::parse_content_range(*range, &why);
        if (!cr) return reply::error(400, "bad_request", "invalid Content-Range: " + why);
        start = cr->first, end = cr->last, total = cr->total;
    } else {
        if (!content_length) return reply::error(400, "bad_request", "Content-Length or Content-Range is required");
        total = *content_length;
    }
    if (total <= 0) return reply::error(400, "bad_request", "zero-byte files cannot be staged");
    // end == start + Content-Length - 1, computed without overflow: both
    // numbers come from the request and may be near INT64_MAX.
    std::int64_t chunk_end = 0;
    if (range && content_length &&
        (__builtin_add_overflow(start, *content_length - 1, &chunk_end) || end != chunk_end))
        return reply::error(400, "bad_request", "Content-Range does not match Content-Length");
    if (limits.max_staging_upload_size > 0 && total > limits.max_staging_upload_size)
        return reply::error(413, "payload_too_large", "file exceeds max_staging_upload_size");
    if (limits.max_data_dir_size > 0 && total > limits.max_data_dir_size)
        return reply::error_retry(503, "disk_quota_exceeded", "file exceeds max_data_dir_size", 30);

    std::lock_guard lock(engine_.mu);
    auto it = engine_.staging.find(id);
    std::shared_ptr<StagingFile> file;
    if (it != engine_.staging.end()) {
        file = it->second;
        if (file->upload_in_progress) return reply::error(409, "upload_in_progress", "another upload of this id is in progress");
        if (file->sha256 != sha || file->size != total)
            return reply::error(409, "content_mismatch", "this staging id holds different content",
                                "{\"existing_sha256\":" + jv::quote(file->sha256) +
                                    ",\"existing_size\":" + std::to_string(file->size) + "}");
        if (file->state == StagingState::complete) {
            http::Response r = reply::json(200, staging_body(*file, engine_.config().cleanup.staging_ttl / kSecond).get());
            r.header("Connection", "close");  // the body is not read
            return r;
        }
        if (file->state != StagingState::uploading)
            return reply::error(409, "conflict", "staging file is not accepting uploads",
                                std::string("{\"state\":\"") + staging_state_name(file->state) + "\"}");
        struct stat st {};
        const std::string part = file->path + ".part";
        if (::stat(part.c_str(), &st) != 0 || st.st_size != file->bytes_received)
            return reply::error(416, "range_not_satisfiable", "partial upload is inconsistent; HEAD the id again");
        if (start != file->bytes_received)
            return reply::error(416, "range_not_satisfiable", "range start does not match the bytes received",
                                "{\"bytes_received\":" + std::to_string(file->bytes_received) + "}");
    } else {
        if (start != 0) return reply::error(416, "range_not_satisfiable", "no upload started; start at 0");
        // The byte budget counts what unfinished uploads have received, not
        // what they declare, and is full once that sum reaches the limit, as
        // the daemon's (enforceIncompleteLimits). The sum saturates anyway: a
        // saturated sum is over any limit.
        std::int64_t open_uploads = 0, open_bytes = 0;
        bool bytes_overflow = false;
        for (const auto& [sid, f] : engine_.staging)
            if (f->state == StagingState::uploading) {
                ++open_uploads;
                bytes_overflow =
                    bytes_overflow || __builtin_add_overflow(open_bytes, f->bytes_received, &open_bytes);
            }
        if ((limits.max_incomplete_staging_uploads > 0 && open_uploads >= limits.max_incomplete_staging_uploads) ||
            (limits.max_incomplete_staging_bytes > 0 && (bytes_overflow || open_bytes >= limits.max_incomplete_staging_bytes)))
            return reply::error(503, "incomplete_uploads_full", "too many unfinished uploads");
        file = std::make_shared<StagingFile>();
        file->id = id;
        file->sha256 = sha;
        file->size = total;
        file->time_created = file->time_updated = now_ms();
        file->path = engine_.staging_path(id);
        engine_.staging[id] = file;
    }
    // Resume: the prefix already on disk is hashed again, so the digest
    // always covers the whole file.
    const std::string part = file->path + ".part";
    UniqueFd fd(::open(part.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!fd) return reply::error(500, "io_error", "filesystem operation failed");
    Sha256 hasher;
    if (file->bytes_received > 0) {
        char buf[64 * 1024];
        std::int64_t off = 0;
        while (off < file->bytes_received) {
            const ssize_t n = ::pread(fd.get(), buf, sizeof buf, off);
            if (n <= 0) return reply::error(500, "io_error", "filesystem operation failed");
            hasher.update(buf, static_cast<std::size_t>(n));
            off += n;
        }
    }
    file->upload_in_progress = true;
    return std::make_unique<Upload>(engine_, file, total, std::move(hasher), std::move(fd));
}

http::Start Api::staging_head(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::dispatch, Scope::exec}, scope)) return std::move(*denied);
    http::Response r;
    const std::string& id = req.params.at(0);
    if (!uuidv7::is_valid(id)) {
        r.status = 400;
        return r;
    }
    std::lock_guard lock(engine_.mu);
    auto it = engine_.staging.find(id);
    if (it == engine_.staging.end()) {
        r.status = 404;
        return r;
    }
    const StagingFile& f = *it->second;
    r.header("X-Letts-Sha256", f.sha256);
    switch (f.state) {
        case StagingState::complete:
            r.header("X-Letts-Upload-Status", "complete");
            r.stream = std::make_unique<NoBody>();
            r.stream_size = f.size;
            break;
        case StagingState::uploading:
            r.header("X-Letts-Upload-Status", "incomplete");
            r.header("X-Letts-Bytes-Received", std::to_string(f.bytes_received));
            r.header("X-Letts-Total-Size", std::to_string(f.size));
            break;
        default: r.header("X-Letts-Upload-Status", staging_state_name(f.state)); break;
    }
    return r;
}

http::Start Api::staging_get(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::dispatch, Scope::exec}, scope)) return std::move(*denied);
    const std::string& id = req.params.at(0);
    if (!uuidv7::is_valid(id)) return reply::error(400, "bad_request", "staging id must be a UUIDv7");
    StagingFile f;
    {
        std::lock_guard lock(engine_.mu);
        auto it = engine_.staging.find(id);
        if (it == engine_.staging.end()) return reply::error(404, "not_found", "staging file not found");
        f = *it->second;
    }
    switch (f.state) {
        case StagingState::uploading:
            return reply::error(409, "staging_uploading", "upload not finished",
                                "{\"bytes_received\":" + std::to_string(f.bytes_received) +
                                    ",\"total_size\":" + std::to_string(f.size) + "}");
        case StagingState::deleting: return reply::error(410, "deleting", "staging file is being deleted");
        case StagingState::pending_output:
        case StagingState::committing: return reply::error(500, "internal", "staging file is being committed");
        case StagingState::complete: break;
    }
    UniqueFd fd(::open(f.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT) return reply::error(410, "gone", "resource no longer available");
        return reply::error(500, "io_error", "filesystem operation failed");
    }
    // Range handling is Go's http.ServeContent's, which serves the daemon's
    // downloads: one range → 206 with Content-Range, several → 206
    // multipart/byteranges, unsatisfiable → plain-text 416.
    const auto ranges = byte_range::parse_range(req.header("Range").value_or(""), f.size);
    using Kind = byte_range::RangeAnswer::Kind;
    if (ranges.kind == Kind::invalid || ranges.kind == Kind::no_overlap) {
        // http.Error keeps the headers set before it (the hash, Last-Modified).
        http::Response r;
        r.status = 416;
        r.header("X-Letts-Sha256", f.sha256);
        r.header("Last-Modified", http_date(f.time_updated));
        r.header("Content-Type", "text/plain; charset=utf-8");
        r.header("X-Content-Type-Options", "nosniff");
        if (ranges.kind == Kind::no_overlap) {
            r.header("Content-Range", "bytes */" + std::to_string(f.size));
            r.body = "invalid range: failed to overlap\n";
        } else {
            r.body = "invalid range\n";
        }
        return r;
    }
    http::Response r;
    r.status = ranges.kind == Kind::partial ? 206 : 200;
    r.header("X-Letts-Sha256", f.sha256);
    r.header("Accept-Ranges", "bytes");
    r.header("Last-Modified", http_date(f.time_updated));
    if (ranges.spans.size() > 1) {
        auto body = std::make_unique<MultipartBody>(std::move(fd), ranges.spans, f.size);
        r.header("Content-Type", "multipart/byteranges; boundary=" + body->boundary());
        r.stream_size = body->size();
        r.stream = std::move(body);
        return r;
    }
    r.header("Content-Type", "application/octet-stream");
    std::int64_t first = 0, length = f.size;
    if (ranges.kind == Kind::partial) {
        first = ranges.spans[0].first;
        length = ranges.spans[0].length;
        r.header("Content-Range", byte_range::content_range(ranges.spans[0], f.size));
    }
    r.stream = std::make_unique<FileBody>(std::move(fd), first, length);
    r.stream_size = length;
    return r;
}

http::Start Api::staging_delete(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    const std::string& id = req.params.at(0);
    if (!uuidv7::is_valid(id)) return reply::error(400, "bad_request", "staging id must be a UUIDv7");
    const bool force = req.query_flag("force");
    std::unique_lock lock(engine_.mu);
    auto it = engine_.staging.find(id);
    if (it == engine_.staging.end()) return reply::error(404, "not_found", "staging file not found");
    auto file = it->second;
    auto accepted = [] {
        auto o = json::object();
        json::add(o.get(), "status", json::string("deletion_pending"));
        return reply::json(202, o.get());
    };
    if (file->state == StagingState::deleting) return accepted();
    if (file->state == StagingState::pending_output || file->state == StagingState::committing)
        return reply::error(409, "staging_finalizing", "the file is an output being committed");
    auto referencing = [&] {
        std::vector<std::shared_ptr<Job>> out;
        for (const auto& [jid, job] : engine_.jobs) {
            bool refs = std::any_of(job->inputs.begin(), job->inputs.end(),
                                    [&](const InputRef& in) { return in.staging_id == id; });
            if (job->result)
                for (const auto& [k, o] : job->result->outputs) refs |= o.staging_id == id;
            if (refs) out.push_back(job);
        }
        return out;
    };
    auto in_use = [](const std::vector<std::shared_ptr<Job>>& jobs) {
        auto ids = json::array();
        for (const auto& j : jobs) json::append(ids.get(), json::string(j->id));
        auto d = json::object();
        json::add(d.get(), "missions", std::move(ids));
        return reply::error(409, "staging_in_use", "the staging file is referenced by missions", json::print(d.get()));
    };
    auto jobs = referencing();
    if (!force && !jobs.empty()) return in_use(jobs);
    if (force) {
        const auto deadline = SteadyClock::now() + std::chrono::seconds(30);
        for (auto& job : jobs) {
            if (job->status != JobStatus::running) continue;
            engine_.kill_locked(*job, KillReason::force_delete);
            while (!job->done_written)
                if (job->changed.wait_until(lock, deadline) == std::cv_status::timeout && !job->done_written)
                    return reply::error(504, "force_delete_timeout", "a referencing mission did not stop within 30s");
        }
        // A queued job may have started while the lock was released for the
        // waits: the daemon answers 409 with the running ids then (§5.19),
        // and a running job must never be marked deleting.
        std::vector<std::shared_ptr<Job>> started;
        for (auto& job : jobs)
            if (job->status == JobStatus::running) started.push_back(job);
        if (!started.empty()) return in_use(started);
        for (auto& job : jobs)
            if (job->status != JobStatus::deleting) engine_.mark_deleting_locked(*job);
    }
    // An unfinished upload's bytes are in its partial file; open downloads
    // of a complete one keep their descriptor.
    const std::string on_disk = file->state == StagingState::uploading ? file->path + ".part" : file->path;
    file->state = StagingState::deleting;
    ::unlink(on_disk.c_str());
    return accepted();
}

http::Start Api::staging_list(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::admin}, scope)) return std::move(*denied);
    const auto mission_id = req.query_value("mission_id");
    if (!mission_id || mission_id->empty()) return reply::error(400, "bad_request", "mission_id is required");
    if (!uuidv7::is_valid(*mission_id)) return reply::error(400, "bad_request", "mission_id must be a UUIDv7");
    const std::string ref_kind = req.query_value("ref_kind").value_or("");
    if (!ref_kind.empty() && ref_kind != "input" && ref_kind != "output" && ref_kind != "script")
        return reply::error(400, "bad_request", "ref_kind must be input, output or script");
    std::int64_t limit = 100;
    if (auto v = req.query_value("limit"); v && !v->empty()) {
        if (!parse_i64(*v, limit) || limit <= 0) return reply::error(400, "bad_request", "limit must be a positive integer");
        limit = std::min<std::int64_t>(limit, 1000);
    }
    std::optional<std::pair<std::int64_t, std::string>> after;
    if (auto c = req.query_value("cursor"); c && !c->empty()) {
        auto raw = b64url::decode(*c);
        auto parsed = raw ? jv::parse(*raw) : jv::ParseResult{};
        const jv::Value* t = parsed.value ? parsed.value->find("time_created") : nullptr;
        const jv::Value* s = parsed.value ? parsed.value->find("staging_id") : nullptr;
        std::int64_t tv = 0;
        if (!t || !s || t->type != jv::Type::number || s->type != jv::Type::string || !parse_i64(t->text, tv))
            return reply::error(400, "bad_request", "invalid cursor: cannot decode");
        after = std::make_pair(tv, s->text);
    }
    std::lock_guard lock(engine_.mu);
    struct Row {
        std::shared_ptr<StagingFile> file;
        std::string kind, role;
    };
    std::vector<Row> rows;
    auto job = engine_.find_locked(*mission_id);
    std::int64_t expires = INT64_MAX;
    if (job) {
        if (job->status == JobStatus::done && job->time_finished && job->result) {
            const auto& cl = engine_.config().cleanup;
            expires = *job->time_finished + (job->result->outcome == "success" ? cl.success_ttl : cl.failed_ttl) / 1'000'000;
        }
        auto add = [&](const std::string& sid, const char* kind, const std::string& role) {
            auto it = engine_.staging.find(sid);
            if (it != engine_.staging.end() && (ref_kind.empty() || ref_kind == kind)) rows.push_back({it->second, kind, role});
        };
        for (const auto& in : job->inputs) add(in.staging_id, "input", in.role);
        if (job->result)
            for (const auto& [key, o] : job->result->outputs) add(o.staging_id, "output", key);
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return a.file->time_created != b.file->time_created ? a.file->time_created > b.file->time_created
                                                            : a.file->id > b.file->id;
    });
    auto list = json::array();
    std::int64_t emitted = 0;
    const Row* last = nullptr;
    bool more = false;
    for (const auto& row : rows) {
        const auto& f = *row.file;
        if (after && !(f.time_created < after->first || (f.time_created == after->first && f.id < after->second)))
            continue;
        if (emitted == limit) {
            more = true;
            break;
        }
        auto o = json::object();
        json::add(o.get(), "staging_id", json::string(f.id));
        json::add(o.get(), "state", json::string(staging_state_name(f.state)));
        json::add(o.get(), "sha256", json::string(f.sha256));
        json::add(o.get(), "size", jout::int64(f.size));
        json::add(o.get(), "bytes_received", jout::int64(f.bytes_received));
        json::add(o.get(), "time_created", jout::int64(f.time_created));
        json::add(o.get(), "time_updated", jout::int64(f.time_updated));
        json::add(o.get(), "time_expires", jout::int64(expires));
        json::add(o.get(), "ref_kind", json::string(row.kind));
        json::add(o.get(), "role", json::string(row.role));
        json::append(list.get(), std::move(o));
        last = &row;
        ++emitted;
    }
    auto o = json::object();
    json::add(o.get(), "staging", std::move(list));
    if (more && last)
        json::add(o.get(), "next_cursor",
                  json::string(b64url::encode("{\"time_created\":" + std::to_string(last->file->time_created) +
                                              ",\"staging_id\":" + jv::quote(last->file->id) + "}")));
    return reply::json(200, o.get());
}

http::Start Api::staging_by_content(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::exec}, scope)) return std::move(*denied);
    const std::string sha = lower(req.params.at(0));
    if (!rules::sha256_hex(sha)) return reply::error(400, "bad_request", "sha256 must be 64 hex digits");
    const auto size_text = req.query_value("size");
    if (!size_text || size_text->empty()) return reply::error(400, "bad_request", "size is required");
    std::int64_t size = 0;
    if (!parse_i64(*size_text, size) || size <= 0) return reply::error(400, "bad_request", "size must be a positive integer");
    const auto max = engine_.config().limits.max_staging_upload_size;
    if (max > 0 && size > max)
        return reply::error(400, "bad_request", "size exceeds max_staging_upload_size",
                            "{\"max\":" + std::to_string(max) + ",\"size\":" + std::to_string(size) + "}");
    std::lock_guard lock(engine_.mu);
    for (const auto& [id, f] : engine_.staging) {
        if (f->state == StagingState::complete && f->sha256 == sha && f->size == size) {
            auto o = json::object();
            json::add(o.get(), "staging_id", json::string(f->id));
            json::add(o.get(), "sha256", json::string(f->sha256));
            json::add(o.get(), "size", jout::int64(f->size));
            return reply::json(200, o.get());
        }
    }
    return reply::error(404, "not_found", "no staging file with that content");
}

}  // namespace letts::devserver
