// Exec (http-api.md §5.6, the Go client's Exec): stage the spec's files and
// POST /v1/exec/dispatch with the exec token under the dispatch retry (the
// Go client's "sticky retry": same host, the exec id as Idempotency-Key
// makes a re-send safe); exec run = that dispatch, then the run's own
// follow-to-result with the exec token.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "client/client.hpp"
#include "core/error.hpp"
#include "core/uuidv7.hpp"
#include "net/http_error.hpp"
#include "net/staging_upload.hpp"

namespace letts::client {

namespace {

// Standard input given as bytes goes through a private temporary file
// (mkstemp: mode 0600): the staging uploader hashes, resumes and streams
// from a path, and one uploader is better than two. Removed when staged.
class TempFile {
public:
    explicit TempFile(std::string_view bytes) {
        const char* dir = std::getenv("TMPDIR");
        path_ = std::string(dir && *dir ? dir : "/tmp") + "/letts-exec-stdin-XXXXXX";
        const int fd = ::mkstemp(path_.data());
        if (fd < 0) fail("cannot create " + path_);
        while (!bytes.empty()) {
            const ssize_t n = ::write(fd, bytes.data(), bytes.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                const int saved = errno;
                ::close(fd);
                ::unlink(path_.c_str());
                errno = saved;
                fail("cannot write " + path_);
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        ::close(fd);
    }
    ~TempFile() { ::unlink(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const noexcept { return path_; }

private:
    [[noreturn]] static void fail(const std::string& what) {
        throw Error(Status::io, "exec stdin: " + what + ": " + std::strerror(errno));
    }
    std::string path_;
};

std::string exec_id_of(const ExecSpec& spec) {
    return spec.exec_id.empty() ? uuidv7::generate() : spec.exec_id;
}

LaunchFailure exec_failure(const Error& error, const char* method, const ExecSpec& spec,
                           const std::string& exec_id) {
    return LaunchFailure{error, net::is_launch_retryable(error), method, "dispatch", spec, exec_id};
}

}  // namespace

net::Task<std::string> Client::post_exec(net::Loop& loop, ExecSpec spec, std::string exec_id,
                                         std::string dugdale_id) const {
    const net::Endpoint endpoint = this->endpoint(dugdale_id, config::Scope::exec);
    ExecStaged staged;
    if (!spec.script_path.empty()) {
        auto script = co_await net::stage_file(loop, transport(), endpoint, options().retry, spec.script_path);
        staged.script = std::move(script.staging_id);
    }
    for (const auto& [key, path] : spec.in) {
        auto file = co_await net::stage_file(loop, transport(), endpoint, options().retry, path);
        staged.in.emplace_back(key, std::move(file.staging_id));
    }
    // Zero bytes of stdin are no stdin: the process reads EOF either way,
    // and staging refuses empty files.
    std::optional<TempFile> stdin_file;
    if (spec.stdin_bytes && !spec.stdin_bytes->empty()) {
        stdin_file.emplace(*spec.stdin_bytes);
        spec.stdin_path = stdin_file->path();
    }
    if (!spec.stdin_path.empty()) {
        auto input = co_await net::stage_file(loop, transport(), endpoint, options().retry, spec.stdin_path);
        staged.stdin_id = std::move(input.staging_id);
    }
    stdin_file.reset();
    net::Request request;
    request.method = "POST";
    request.target = "/v1/exec/dispatch";
    request.operation = "exec dispatch";
    request.headers.push_back("Idempotency-Key: " + exec_id);
    request.json_body = exec_body(spec, staged);
    request.expected = dispatch_statuses();
    const json::Ptr answer = co_await net::retrying(loop, options().retry, [&] {
        return transport().perform_json(loop, endpoint, request);
    });
    co_return json::get_string(answer.get(), "exec_id").value_or(exec_id);
}

std::string Client::exec_dispatch(const ExecSpec& spec) const {
    check_exec_spec(spec);
    const std::string exec_id = exec_id_of(spec);
    std::optional<Error> failed;
    try {
        const std::string dugdale_id = require_host(spec.host, "execDispatch");
        return block([&](net::Loop& loop) { return post_exec(loop, spec, exec_id, dugdale_id); });
    } catch (const Error& error) {
        failed = Error(error).mission(exec_id);
    }
    if (is_launch_failure(*failed)) report(exec_failure(*failed, "execDispatch", spec, exec_id));
    throw *failed;
}

net::Task<RunResult> Client::exec_run_task(net::Loop& loop, ExecSpec spec, RunOptions options,
                                           RunProgress& progress) const {
    const std::string exec_id = exec_id_of(spec);
    std::string dugdale_id;
    std::string running_id;
    std::optional<Error> failed;
    try {
        dugdale_id = require_host(spec.host, "execRun");
        running_id = co_await post_exec(loop, spec, exec_id, dugdale_id);
    } catch (const Error& error) {
        failed = error;
    }
    if (failed) {
        if (is_launch_failure(*failed)) report(exec_failure(*failed, "execRun", spec, exec_id));
        if (failed->status() != Status::cancelled) throw Error(*failed).mission(exec_id);
        co_await cancelled_before_confirmed(loop, dugdale_id, exec_id, options, "exec");
    }
    progress.mission_id = running_id;
    std::string lane = spec.lane;
    const Launch launch{std::move(spec)};
    co_return co_await follow_attempts(loop, dugdale_id, running_id, std::move(options), progress, &launch,
                                       std::move(lane));
}

std::unique_ptr<RunHandle> Client::start_exec_run(const ExecSpec& spec, const RunOptions& options) const {
    check_exec_spec(spec);
    RunOptions exec_options = options;
    exec_options.scope = config::Scope::exec;
    auto handle = std::make_unique<RunHandle>(RunHandle::Key{}, *this, std::move(exec_options));
    RunHandle& h = *handle;
    h.begin(h.client_.exec_run_task(*h.loop_, spec, h.options_, h.progress_));
    return handle;
}

RunResult Client::exec_run(const ExecSpec& spec, const RunOptions& options) const {
    const std::unique_ptr<RunHandle> handle = start_exec_run(spec, options);
    handle->finish();
    return handle->result();
}

}  // namespace letts::client
