// dispatch and tryDispatch (client-behavior.md §5.1, §5.2) and the staging of
// a job's input files before its POST.
#include "client/client.hpp"

#include "core/error.hpp"
#include "net/staging_upload.hpp"
#include "net/url.hpp"

namespace letts::client {

std::string dispatch_body(const Job& job, const std::string& mission_id, const std::string& lane,
                          const std::vector<std::pair<std::string, std::string>>& staged) {
    json::Ptr input = json::parse(job.input_json.empty() ? "{}" : job.input_json);
    if (!input || !cJSON_IsObject(input.get())) {
        throw Error(Status::invalid_argument, "input must be a JSON object");
    }
    json::Ptr body = json::object();
    json::add(body.get(), "mission_id", json::string(mission_id));
    json::add(body.get(), "mission", json::string(job.mission));
    json::add(body.get(), "lane", json::string(lane));
    json::add(body.get(), "input", std::move(input));
    json::Ptr files = json::array();
    for (const auto& [role, staging_id] : staged) {
        json::Ptr file = json::object();
        json::add(file.get(), "role", json::string(role));
        json::add(file.get(), "staging_id", json::string(staging_id));
        json::append(files.get(), std::move(file));
    }
    json::add(body.get(), "files", std::move(files));
    if (!job.timeout.empty()) json::add(body.get(), "timeout", json::string(job.timeout));
    return json::print(body.get());
}

net::Request Client::dispatch_request(const Job& job, const std::string& mission_id, const std::string& lane,
                                      const std::vector<std::pair<std::string, std::string>>& staged) {
    net::Request request;
    request.method = "POST";
    request.target = "/v1/dispatch";
    request.operation = "dispatch";
    request.headers.push_back("Idempotency-Key: " + mission_id);
    request.json_body = dispatch_body(job, mission_id, lane, staged);
    request.expected = dispatch_statuses();
    return request;
}

const std::vector<int>& dispatch_statuses() {
    static const std::vector<int> statuses{202, 200};
    return statuses;
}

net::Task<std::vector<std::pair<std::string, std::string>>> Client::stage_files(
    net::Loop& loop, Job job, net::Endpoint endpoint) const {
    std::vector<std::pair<std::string, std::string>> staged;
    for (const auto& [role, path] : job.files) {
        net::StagedFile file = co_await net::stage_file(loop, transport(), endpoint, options().retry, path);
        staged.emplace_back(role, std::move(file.staging_id));
    }
    co_return staged;
}

net::Task<std::string> Client::post_dispatch(net::Loop& loop, Job job, std::string mission_id,
                                              config::Resolved where) const {
    const net::Endpoint endpoint = this->endpoint(where.dugdale_id, config::Scope::dispatch);
    const auto staged = co_await stage_files(loop, job, endpoint);
    const net::Request request = dispatch_request(job, mission_id, where.lane, staged);
    json::Ptr answer;
    try {
        answer = co_await net::retrying(loop, options().retry, [&] {
            return transport().perform_json(loop, endpoint, request);
        });
    } catch (const Error& error) {
        // Unique dispatch may ask that another payload under the derived id
        // is not an error: the existing mission has exactly that id.
        const bool tolerated = error.status() == Status::conflict && !job.unique.key.empty() && !job.unique.conflict_is_error;
        if (!tolerated) throw;
    }
    if (!answer) co_return mission_id;
    co_return json::get_string(answer.get(), "mission_id").value_or(mission_id);
}

namespace {

LaunchFailure failure(const Error& error, const char* method, const char* phase, const Job& job,
                      const std::string& mission_id) {
    return LaunchFailure{error, net::is_launch_retryable(error), method, phase, job, mission_id};
}

}  // namespace

net::Task<std::string> Client::dispatch_task(net::Loop& loop, Job job, const char* method) const {
    const std::string mission_id = dispatch_id(job);
    std::optional<Error> failed;
    try {
        config::Resolved where = resolve(job, true);
        co_return co_await post_dispatch(loop, job, mission_id, std::move(where));
    } catch (const Error& error) {
        if (!is_launch_failure(error)) throw Error(error).mission(mission_id);
        failed = error;
    }
    report(failure(*failed, method, "dispatch", job, mission_id));
    throw *failed;
}

std::string Client::dispatch(const Job& job) const {
    return block([&](net::Loop& loop) { return dispatch_task(loop, job, "dispatch"); });
}

std::optional<std::string> Client::try_dispatch(const Job& job) const {
    try {
        return block([&](net::Loop& loop) { return dispatch_task(loop, job, "tryDispatch"); });
    } catch (const Error& error) {
        // The observer was told; only what the caller caused is an error.
        if (!is_launch_failure(error)) throw;
        return std::nullopt;
    }
}

}  // namespace letts::client
