// GET /v1/missions/{id}/events and /output: streamed bodies that tail a
// running job. A follower with nothing to send returns kPending and holds no
// thread: it registers a watcher on the job's signal, which the engine
// fires on every new event, captured output chunk or status change, and the
// HTTP server resumes the connection. The HTTP server's monitor interrupts
// a follower whose peer hung up.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "core/text.hpp"
#include "core/uuidv7.hpp"
#include "devserver/api.hpp"
#include "devserver/replies.hpp"
#include "core/unique_fd.hpp"

namespace letts::devserver {
namespace {

// Copies from `pending` (at `offset`) into buf.
long drain(std::string& pending, std::size_t& offset, char* buf, std::size_t max) {
    const std::size_t n = std::min(max, pending.size() - offset);
    std::memcpy(buf, pending.data() + offset, n);
    offset += n;
    if (offset == pending.size()) {
        pending.clear();
        offset = 0;
    }
    return static_cast<long>(n);
}

// Registration of a stream's watcher on its job's signal; all under
// the engine's lock. Without a ready function (a server that cannot park a
// connection) the stream blocks on the signal instead.
class Watch {
public:
    void set_ready(std::function<void()> ready) { ready_ = std::move(ready); }
    bool can_park() const { return static_cast<bool>(ready_); }
    void ensure_locked(Job& job) {
        if (id_ == 0) id_ = job.changed.watch(ready_);
    }
    void drop_locked(Job& job) {
        if (id_ != 0) job.changed.unwatch(id_);
        id_ = 0;
    }
    void fire() const {
        if (ready_) ready_();
    }

private:
    std::function<void()> ready_;
    std::uint64_t id_ = 0;
};

// What both streams share: they count as open streams of the engine
// (shutdown waits for them), register their watcher on the job, and are
// interrupted when their peer hangs up.
class JobStream : public http::BodySource {
public:
    JobStream(Engine& engine, std::shared_ptr<Job> job) : engine_(engine), job_(std::move(job)) {
        engine_.stream_opened();
    }
    ~JobStream() override {
        {
            MutexLock lock(engine_.mutex());
            watch_.drop_locked(*job_);
        }
        engine_.stream_closed();
    }
    JobStream(const JobStream&) = delete;
    JobStream& operator=(const JobStream&) = delete;

    void on_ready(std::function<void()> ready) override {
        MutexLock lock(engine_.mutex());
        watch_.set_ready(std::move(ready));
    }

    void interrupt() override {
        MutexLock lock(engine_.mutex());
        interrupted_ = true;
        if (watch_.can_park()) watch_.fire();
        else job_->changed.notify_all();
    }

protected:
    // Nothing to send yet. True: the watcher is registered and read() must
    // return kPending (the server parks the connection). False: the server
    // cannot park, so this waited for the job to change; look again. Decided
    // under the lock, so no change can slip in between.
    bool park_or_wait(MutexLock& lock) REQUIRES(engine_.mutex()) {
        if (watch_.can_park()) {
            watch_.ensure_locked(*job_);
            return true;
        }
        job_->changed.wait(lock.native());
        return false;
    }
    // The follower is gone: read() returns -1.
    bool interrupted_locked() const REQUIRES(engine_.mutex()) { return interrupted_; }

    Engine& engine_;
    const std::shared_ptr<Job> job_;

private:
    Watch watch_ GUARDED_BY(engine_.mutex());
    bool interrupted_ GUARDED_BY(engine_.mutex()) = false;
};

class EventStream : public JobStream {
public:
    EventStream(Engine& engine, std::shared_ptr<Job> job, std::int64_t from, bool follow)
        : JobStream(engine, std::move(job)), from_(from), follow_(follow) {}

    long read(char* buf, std::size_t max) override {
        if (!pending_.empty()) return drain(pending_, offset_, buf, max);
        if (finished_) return 0;
        MutexLock lock(engine_.mutex());
        while (true) {
            if (interrupted_locked()) return -1;
            // Batch every available line into one chunk.
            while (index_ < job_->events.size()) {
                const EventLine& ev = job_->events[index_++];
                const bool is_done = job_->done_written && index_ == job_->events.size();
                if (ev.seq > from_) {
                    pending_ += ev.line;
                    pending_ += '\n';
                }
                if (is_done) finished_ = true;  // sent, or skipped by `from`
            }
            if (!pending_.empty()) return drain(pending_, offset_, buf, max);
            // At shutdown a running job still gets its done event (the
            // runner publishes killed/dugdale_shutdown); any other job
            // will not change any more.
            if (finished_ || !follow_ || (engine_.closed_locked() && job_->status != JobStatus::running)) return 0;
            if (park_or_wait(lock)) return kPending;
        }
    }

private:
    std::int64_t from_;
    bool follow_;
    std::size_t index_ = 0;
    std::string pending_;
    std::size_t offset_ = 0;
    bool finished_ = false;
};

class OutputStream : public JobStream {
public:
    OutputStream(Engine& engine, std::shared_ptr<Job> job, std::string path, bool follow)
        : JobStream(engine, std::move(job)), path_(std::move(path)), follow_(follow) {}

    long read(char* buf, std::size_t max) override {
        while (true) {
            // The capture appends to the file outside the engine's lock and
            // then notifies: a notification after this generation means the
            // file may have grown since the read below.
            std::uint64_t seen = 0;
            if (follow_) {
                MutexLock lock(engine_.mutex());
                seen = job_->changed.generation();
            }
            if (!fd_) fd_.reset(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
            if (fd_) {
                const ssize_t n = ::read(fd_.get(), buf, std::min<std::size_t>(max, 32 * 1024));
                if (n > 0) return static_cast<long>(n);
                if (n < 0) return -1;
            }
            if (!follow_ || last_look_) return 0;
            MutexLock lock(engine_.mutex());
            if (interrupted_locked()) return -1;
            const bool over = job_->status == JobStatus::done || job_->status == JobStatus::deleting ||
                              job_->done_written || (engine_.closed_locked() && job_->status != JobStatus::running);
            if (over) {
                last_look_ = true;  // one more read for what arrived before the end
                continue;
            }
            if (job_->changed.generation() != seen) continue;  // it changed while we read
            if (park_or_wait(lock)) return kPending;
        }
    }

private:
    std::string path_;
    bool follow_;
    bool last_look_ = false;
    UniqueFd fd_;
};

// Shared prologue of both streams: id, existence, deletion, kind.
std::optional<http::Response> find_visible(Engine& engine, const std::string& id, Scope scope,
                                           std::shared_ptr<Job>& job) REQUIRES(engine.mutex()) {
    job = engine.find_locked(id);
    if (!job) return reply::error(404, "not_found", "mission not found");
    if (job->status == JobStatus::deleting) return reply::error(410, "mission_deleting", "mission is being deleted");
    if (!kind_visible(scope, *job))
        return reply::error(403, "forbidden_kind", "token scope does not permit access to this mission kind");
    return std::nullopt;
}

}  // namespace

http::Start Api::events(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::dispatch, Scope::exec}, scope)) return std::move(*denied);
    const std::string& id = req.params.at(0);
    if (!uuidv7::is_valid(id)) return reply::error(400, "invalid_id", "mission id must be a UUIDv7");
    std::shared_ptr<Job> job;
    bool follow = false;
    std::int64_t from = 0;
    {
        MutexLock lock(engine_.mutex());
        if (auto err = find_visible(engine_, id, scope, job)) return std::move(*err);
        follow = req.query_flag("follow") && job->status != JobStatus::done;
    }
    if (auto f = req.query_value("from"); f && !text::parse_int64(*f, from))
        return reply::error(400, "invalid_from", "from must be an integer");
    http::Response r;
    r.header("Content-Type", "application/x-ndjson");
    r.header("X-Content-Type-Options", "nosniff");
    r.stream = std::make_unique<EventStream>(engine_, job, from, follow);
    return r;
}

http::Start Api::output(http::Request& req) {
    Scope scope;
    if (auto denied = deny(req, {Scope::dispatch, Scope::exec}, scope)) return std::move(*denied);
    const std::string& id = req.params.at(0);
    if (!uuidv7::is_valid(id)) return reply::error(400, "invalid_id", "mission id must be a UUIDv7");
    const std::string stream = req.query_value("stream").value_or("");
    if (stream != "stdout" && stream != "stderr" && stream != "combined")
        return reply::error(400, "bad_request", "stream must be stdout, stderr or combined");
    std::shared_ptr<Job> job;
    {
        MutexLock lock(engine_.mutex());
        if (auto err = find_visible(engine_, id, scope, job)) return std::move(*err);
    }
    http::Response r;
    r.header("Content-Type", stream == "combined" ? "application/x-ndjson" : "application/octet-stream");
    r.header("X-Content-Type-Options", "nosniff");
    r.stream = std::make_unique<OutputStream>(engine_, job, engine_.output_path(id, stream.c_str()),
                                              req.query_flag("follow"));
    return r;
}

}  // namespace letts::devserver
