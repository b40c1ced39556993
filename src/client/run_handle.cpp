// RunHandle: a run's task on a loop of its own, stepped by the caller.
#include "client/client.hpp"

namespace letts::client {

RunHandle::RunHandle(Key, Client client, RunOptions options)
    : client_(std::move(client)), options_(std::move(options)), loop_(client_.make_loop(options_.cancel)) {}

// task_ goes before loop_ (member order), which takes it off the loop.
RunHandle::~RunHandle() {
    if (fd_exposed_) loop_.get_deleter().pool.reset();  // freed, not parked
}

void RunHandle::begin(net::Task<RunResult> task) {
    task_ = std::move(task);
    loop_->start(task_);
    settle();
}

void RunHandle::settle() {
    if (!task_ || !task_.done()) return;
    try {
        result_ = task_.take();
    } catch (...) {
        failure_ = std::current_exception();
    }
    task_ = {};  // releases the frame (and its connection) now, not at free
    progress_.state = RunState::done;
}

void RunHandle::step() {
    if (progress_.state == RunState::done) return;
    loop_->step();
    settle();
}

void RunHandle::finish() {
    while (progress_.state != RunState::done) {
        loop_->wait_and_step();
        settle();
    }
}

RunResult RunHandle::result() const {
    if (progress_.state != RunState::done) {
        throw Error(Status::invalid_argument, "the run has not finished (step it until its state is done)");
    }
    if (failure_) std::rethrow_exception(failure_);
    return *result_;
}

std::unique_ptr<RunHandle> Client::start_run(const Job& job, const RunOptions& options) const {
    auto handle = std::make_unique<RunHandle>(RunHandle::Key{}, *this, options);
    RunHandle& h = *handle;
    h.begin(h.client_.run_task(*h.loop_, job, h.options_, h.progress_));
    return handle;
}

std::unique_ptr<RunHandle> Client::start_wait(std::string_view host, std::string_view mission_id,
                                              const RunOptions& options) const {
    if (mission_id.empty()) throw Error(Status::invalid_argument, "wait: mission id is empty");
    auto handle = std::make_unique<RunHandle>(RunHandle::Key{}, *this, options);
    RunHandle& h = *handle;
    h.begin(h.client_.wait_task(*h.loop_, std::string(host), std::string(mission_id), h.options_, h.progress_));
    return handle;
}

}  // namespace letts::client
