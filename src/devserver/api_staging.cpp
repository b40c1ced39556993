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

#include "core/base64url.hpp"
#include "core/sha256.hpp"
#include "core/uuidv7.hpp"
#include "devserver/api.hpp"
#include "devserver/byte_range.hpp"
#include "devserver/clock.hpp"
#include "devserver/json_out.hpp"
#include "devserver/json_value.hpp"
#include "devserver/replies.hpp"
#include "core/names.hpp"
#include "core/text.hpp"
#include "core/unique_fd.hpp"

namespace letts::devserver {
namespace {

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

// One PUT body streamed into the partial file while it is hashed; the
// row's bookkeeping is the store's.
class Upload : public http::Exchange {
public:
    Upload(Engine& engine, UploadSlot slot, std::int64_t total)
        : engine_(engine),
          store_(engine.staging()),
          upload_(std::move(slot.ticket)),
          total_(total),
          hasher_(std::move(slot.hasher)),
          fd_(std::move(slot.fd)) {}

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
        burn();
        return reply::error(408, "upload_idle_timeout", "no body bytes received within upload_idle_timeout");
    }

    ~Upload() override { store_.release(upload_); }  // a dropped connection leaves it resumable

    std::optional<http::Response> on_data(std::string_view chunk) override {
        if (burnt_) return std::nullopt;  // answered already; the rest is dropped
        const std::int64_t room = total_ - store_.bytes_received(upload_);
        if (room <= 0) return std::nullopt;  // bytes beyond the declared total are ignored
        if (static_cast<std::int64_t>(chunk.size()) > room) chunk = chunk.substr(0, static_cast<std::size_t>(room));
        if (!write_all(fd_.get(), chunk.data(), chunk.size())) {
            store_.release(upload_);
            return reply::error(500, "io_error", "filesystem operation failed");
        }
        hasher_.update(chunk);
        store_.add_received(upload_, static_cast<std::int64_t>(chunk.size()), now_ms());
        since_quota_check_ += static_cast<std::int64_t>(chunk.size());
        if (since_quota_check_ < kQuotaCheckEvery) return std::nullopt;
        since_quota_check_ = 0;
        // Walked without any lock: it may take a while.
        if (!engine_.over_data_dir_quota(std::chrono::milliseconds(0))) return std::nullopt;
        burn();
        return reply::error(503, "disk_quota_exceeded", "data_dir size exceeds max_data_dir_size",
                            "{\"max_data_dir_size\":" + std::to_string(engine_.config().limits.max_data_dir_size) +
                                "}");
    }

    http::Response on_end() override {
        ::fsync(fd_.get());
        fd_.reset();
        StagingFile row;
        switch (store_.finish_upload(upload_, total_, hasher_.hex_digest(), now_ms(), row)) {
            case UploadEnd::incomplete:
                return reply::error(400, "incomplete_upload", "body ended before the declared total",
                                    "{\"bytes_received\":" + std::to_string(row.bytes_received) + "}");
            case UploadEnd::content_mismatch:
                return reply::error(409, "content_mismatch",
                                    "sha256 of the received content does not match X-Letts-Sha256");
            case UploadEnd::io_error: return reply::error(500, "io_error", "filesystem operation failed");
            case UploadEnd::complete: break;
        }
        return reply::json(201, staging_body(row, engine_.config().cleanup.staging_ttl / kSecond).get());
    }

private:
    void burn() {
        fd_.reset();
        store_.burn(upload_, now_ms());
        burnt_ = true;
    }

    Engine& engine_;
    StagingStore& store_;
    UploadTicket upload_;
    std::int64_t total_;
    Sha256 hasher_;
    UniqueFd fd_;
    // The HTTP server calls on_data/on_timeout/on_end of one connection
    // under that connection's lock, one at a time: no other lock needed.
    std::int64_t since_quota_check_ = 0;
    bool burnt_ = false;
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

// Where this PUT's body goes: the first byte `start` of a file of `total`
// bytes, from Content-Range or else Content-Length; a 400 when they are
// missing, malformed or disagree.
std::optional<http::Response> read_put_span(const http::Request& req, std::int64_t& start, std::int64_t& total) {
    std::optional<std::int64_t> content_length;
    if (auto cl = req.header("Content-Length")) {
        std::int64_t v = 0;
        if (text::parse_int64(*cl, v) && v >= 0) content_length = v;
    }
    std::int64_t end = -1;
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
    return std::nullopt;
}

// The answer to a PUT the store did not let receive a body.
http::Response upload_refused(const UploadSlot& slot, std::int64_t ttl_seconds) {
    const StagingFile& row = slot.row;
    using Kind = UploadSlot::Kind;
    switch (slot.kind) {
        case Kind::in_progress:
            return reply::error(409, "upload_in_progress", "another upload of this id is in progress");
        case Kind::content_mismatch:
            return reply::error(409, "content_mismatch", "this staging id holds different content",
                                "{\"existing_sha256\":" + jv::quote(row.sha256) +
                                    ",\"existing_size\":" + std::to_string(row.size) + "}");
        case Kind::already_complete: {
            http::Response r = reply::json(200, staging_body(row, ttl_seconds).get());
            r.header("Connection", "close");  // the body is not read
            return r;
        }
        case Kind::not_accepting:
            return reply::error(409, "conflict", "staging file is not accepting uploads",
                                std::string("{\"state\":\"") + staging_state_name(row.state) + "\"}");
        case Kind::part_inconsistent:
            return reply::error(416, "range_not_satisfiable", "partial upload is inconsistent; HEAD the id again");
        case Kind::wrong_start:
            return reply::error(416, "range_not_satisfiable", "range start does not match the bytes received",
                                "{\"bytes_received\":" + std::to_string(row.bytes_received) + "}");
        case Kind::must_start_at_zero:
            return reply::error(416, "range_not_satisfiable", "no upload started; start at 0");
        case Kind::too_many_open: return reply::error(503, "incomplete_uploads_full", "too many unfinished uploads");
        case Kind::receive:
        case Kind::io_error: break;
    }
    return reply::error(500, "io_error", "filesystem operation failed");
}

// 416 of a GET whose Range cannot be served, as Go's http.ServeContent
// answers it: plain text, and http.Error keeps the headers set before it
// (the hash, Last-Modified).
http::Response range_refused(const StagingFile& f, bool no_overlap) {
    http::Response r;
    r.status = 416;
    r.header("X-Letts-Sha256", f.sha256);
    r.header("Last-Modified", http_date(f.time_updated));
    r.header("Content-Type", "text/plain; charset=utf-8");
    r.header("X-Content-Type-Options", "nosniff");
    if (no_overlap) {
        r.header("Content-Range", "bytes */" + std::to_string(f.size));
        r.body = "invalid range: failed to overlap\n";
    } else {
        r.body = "invalid range\n";
    }
    return r;
}

// A staging row of GET /v1/staging?mission_id=, expiring at `expires`.
json::Ptr staging_row(const StagingFile& f, const std::string& ref_kind, const std::string& role, std::int64_t expires) {
    auto o = json::object();
    json::add(o.get(), "staging_id", json::string(f.id));
    json::add(o.get(), "state", json::string(staging_state_name(f.state)));
    json::add(o.get(), "sha256", json::string(f.sha256));
    json::add(o.get(), "size", jout::int64(f.size));
    json::add(o.get(), "bytes_received", jout::int64(f.bytes_received));
    json::add(o.get(), "time_created", jout::int64(f.time_created));
    json::add(o.get(), "time_updated", jout::int64(f.time_updated));
    json::add(o.get(), "time_expires", jout::int64(expires));
    json::add(o.get(), "ref_kind", json::string(ref_kind));
    json::add(o.get(), "role", json::string(role));
    return o;
}

// The listing's cursor: base64url of {"time_created":…,"staging_id":…};
// false when it does not decode to that.
bool parse_list_cursor(const std::string& cursor, std::pair<std::int64_t, std::string>& after) {
    auto raw = b64url::decode(cursor);
    auto parsed = raw ? jv::parse(*raw) : jv::ParseResult{};
    const jv::Value* t = parsed.value ? parsed.value->find("time_created") : nullptr;
    const jv::Value* s = parsed.value ? parsed.value->find("staging_id") : nullptr;
    std::int64_t tv = 0;
    if (!t || !s || t->type != jv::Type::number || s->type != jv::Type::string || !text::parse_int64(t->text, tv))
        return false;
    after = std::make_pair(tv, s->text);
    return true;
}

// A staging file a mission references, as GET /v1/staging lists it.
struct ListedFile {
    StagingFile file;
    std::string kind, role;
};

// The files of `mission_id` (of `ref_kind` when not empty), newest first,
// and when they expire (INT64_MAX while the mission is not done).
std::vector<ListedFile> mission_files(Engine& engine, const std::string& mission_id, const std::string& ref_kind,
                                      std::int64_t& expires) {
    std::vector<ListedFile> rows;
    {
        MutexLock lock(engine.mutex());
        auto job = engine.find_locked(mission_id);
        if (!job) return rows;
        if (job->status == JobStatus::done && job->time_finished && job->result) {
            const auto& cl = engine.config().cleanup;
            expires = *job->time_finished + (job->result->outcome == "success" ? cl.success_ttl : cl.failed_ttl) / 1'000'000;
        }
        auto add = [&](const std::string& sid, const char* kind, const std::string& role) {
            if (!ref_kind.empty() && ref_kind != kind) return;
            if (auto f = engine.staging().find(sid)) rows.push_back({std::move(*f), kind, role});
        };
        for (const auto& in : job->inputs) add(in.staging_id, "input", in.role);
        if (job->exec && !job->exec->script_staging_id.empty()) add(job->exec->script_staging_id, "script", "");
        if (job->result)
            for (const auto& [key, o] : job->result->outputs) add(o.staging_id, "output", key);
    }
    std::sort(rows.begin(), rows.end(), [](const ListedFile& a, const ListedFile& b) {
        return a.file.time_created != b.file.time_created ? a.file.time_created > b.file.time_created
                                                          : a.file.id > b.file.id;
    });
    return rows;
}

// 409 staging_in_use naming the missions that hold the file (§5.19).
http::Response staging_in_use(const std::vector<std::shared_ptr<Job>>& jobs) {
    auto ids = json::array();
    for (const auto& j : jobs) json::append(ids.get(), json::string(j->id));
    auto d = json::object();
    json::add(d.get(), "missions", std::move(ids));
    return reply::error(409, "staging_in_use", "the staging file is referenced by missions", json::print(d.get()));
}

// DELETE ?force: the running missions that reference the file are killed
// and awaited (30 s at most), then every referencing mission is marked
// deleting; an answer when that cannot be done.
std::optional<http::Response> force_delete_jobs(Engine& engine, const std::vector<std::shared_ptr<Job>>& jobs,
                                                MutexLock& lock) REQUIRES(engine.mutex()) {
    const auto deadline = SteadyClock::now() + std::chrono::seconds(30);
    for (const auto& job : jobs) {
        if (job->status != JobStatus::running) continue;
        engine.kill_locked(*job, KillReason::force_delete);
        while (!job->done_written)
            if (job->changed.wait_until(lock.native(), deadline) == std::cv_status::timeout && !job->done_written)
                return reply::error(504, "force_delete_timeout", "a referencing mission did not stop within 30s");
    }
    // A queued job may have started while the lock was released for the
    // waits: the daemon answers 409 with the running ids then (§5.19),
    // and a running job must never be marked deleting.
    std::vector<std::shared_ptr<Job>> started;
    for (const auto& job : jobs)
        if (job->status == JobStatus::running) started.push_back(job);
    if (!started.empty()) return staging_in_use(started);
    for (const auto& job : jobs)
        if (job->status != JobStatus::deleting) engine.mark_deleting_locked(*job);
    return std::nullopt;
}

}  // namespace

http::Start Api::staging_put(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::dispatch, Scope::exec}, scope)) return std::move(*denied);
    const auto& limits = engine_.config().limits;
    if (auto enc = req.header("Content-Encoding"); enc && !enc->empty() && text::lower(*enc) != "identity")
        return reply::error(415, "unsupported_media_type", "Content-Encoding must be identity",
                            "{\"content_encoding\":" + jv::quote(*enc) + "}");
    if (engine_.over_data_dir_quota())
        return reply::error_retry(503, "disk_quota_exceeded", "data_dir size exceeds max_data_dir_size", 30);
    const std::string& id = req.params.at(0);
    if (!uuidv7::is_valid(id)) return reply::error(400, "bad_request", "staging id must be a UUIDv7");
    const std::string sha = text::lower(req.header("X-Letts-Sha256").value_or(""));
    if (!names::is_sha256_hex(sha)) return reply::error(400, "bad_request", "X-Letts-Sha256 must be 64 hex digits");

    std::int64_t start = 0, total = 0;
    if (auto bad = read_put_span(req, start, total)) return std::move(*bad);
    if (limits.max_staging_upload_size > 0 && total > limits.max_staging_upload_size)
        return reply::error(413, "payload_too_large", "file exceeds max_staging_upload_size");
    if (limits.max_data_dir_size > 0 && total > limits.max_data_dir_size)
        return reply::error_retry(503, "disk_quota_exceeded", "file exceeds max_data_dir_size", 30);

    const UploadLimits upload_limits{limits.max_incomplete_staging_uploads, limits.max_incomplete_staging_bytes};
    UploadSlot slot = engine_.staging().begin_upload(id, sha, total, start, upload_limits);
    if (slot.kind == UploadSlot::Kind::receive) return std::make_unique<Upload>(engine_, std::move(slot), total);
    return upload_refused(slot, engine_.config().cleanup.staging_ttl / kSecond);
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
    const auto found = engine_.staging().find(id);
    if (!found) {
        r.status = 404;
        return r;
    }
    const StagingFile& f = *found;
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
    const auto found = engine_.staging().find(id);
    if (!found) return reply::error(404, "not_found", "staging file not found");
    const StagingFile& f = *found;
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
    if (ranges.kind == Kind::invalid || ranges.kind == Kind::no_overlap)
        return range_refused(f, ranges.kind == Kind::no_overlap);
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
    MutexLock lock(engine_.mutex());
    const auto file = engine_.staging().find(id);
    if (!file) return reply::error(404, "not_found", "staging file not found");
    auto accepted = [] {
        auto o = json::object();
        json::add(o.get(), "status", json::string("deletion_pending"));
        return reply::json(202, o.get());
    };
    if (file->state == StagingState::deleting) return accepted();
    if (file->state == StagingState::pending_output || file->state == StagingState::committing)
        return reply::error(409, "staging_finalizing", "the file is an output being committed");
    auto jobs = engine_.jobs_referencing_locked(id);
    if (!jobs.empty()) {
        if (!force) return staging_in_use(jobs);
        if (auto refused = force_delete_jobs(engine_, jobs, lock)) return std::move(*refused);
    }
    engine_.staging().mark_deleting(id);
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
        if (!text::parse_int64(*v, limit) || limit <= 0) return reply::error(400, "bad_request", "limit must be a positive integer");
        limit = std::min<std::int64_t>(limit, 1000);
    }
    std::optional<std::pair<std::int64_t, std::string>> after;
    if (auto c = req.query_value("cursor"); c && !c->empty()) {
        after.emplace();
        if (!parse_list_cursor(*c, *after)) return reply::error(400, "bad_request", "invalid cursor: cannot decode");
    }
    std::int64_t expires = INT64_MAX;
    const std::vector<ListedFile> rows = mission_files(engine_, *mission_id, ref_kind, expires);
    auto list = json::array();
    std::int64_t emitted = 0;
    const ListedFile* last = nullptr;
    bool more = false;
    for (const auto& row : rows) {
        const auto& f = row.file;
        if (after && !(f.time_created < after->first || (f.time_created == after->first && f.id < after->second)))
            continue;
        if (emitted == limit) {
            more = true;
            break;
        }
        json::append(list.get(), staging_row(f, row.kind, row.role, expires));
        last = &row;
        ++emitted;
    }
    auto o = json::object();
    json::add(o.get(), "staging", std::move(list));
    if (more && last)
        json::add(o.get(), "next_cursor",
                  json::string(b64url::encode("{\"time_created\":" + std::to_string(last->file.time_created) +
                                              ",\"staging_id\":" + jv::quote(last->file.id) + "}")));
    return reply::json(200, o.get());
}

http::Start Api::staging_by_content(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::exec}, scope)) return std::move(*denied);
    const std::string sha = text::lower(req.params.at(0));
    if (!names::is_sha256_hex(sha)) return reply::error(400, "bad_request", "sha256 must be 64 hex digits");
    const auto size_text = req.query_value("size");
    if (!size_text || size_text->empty()) return reply::error(400, "bad_request", "size is required");
    std::int64_t size = 0;
    if (!text::parse_int64(*size_text, size) || size <= 0) return reply::error(400, "bad_request", "size must be a positive integer");
    const auto max = engine_.config().limits.max_staging_upload_size;
    if (max > 0 && size > max)
        return reply::error(400, "bad_request", "size exceeds max_staging_upload_size",
                            "{\"max\":" + std::to_string(max) + ",\"size\":" + std::to_string(size) + "}");
    if (const auto f = engine_.staging().find_content(sha, size)) {
        auto o = json::object();
        json::add(o.get(), "staging_id", json::string(f->id));
        json::add(o.get(), "sha256", json::string(f->sha256));
        json::add(o.get(), "size", jout::int64(f->size));
        return reply::json(200, o.get());
    }
    return reply::error(404, "not_found", "no staging file with that content");
}

}  // namespace letts::devserver
