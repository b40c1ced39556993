// Construction, scoped copies, endpoint resolution and the observer.
#include "client/client.hpp"

#include <chrono>
#include <cstdio>

#include "core/error.hpp"
#include "core/unique_id.hpp"
#include "core/uuidv7.hpp"
#include "net/url.hpp"

namespace letts::client {

struct Client::Shared {
    config::Config config;
    ClientOptions options;
    config::EnvLookup env;
    config::Chooser chooser;
    net::Transport transport;
};

Client::Client(config::Config config, ClientOptions options, config::EnvLookup env,
               config::Chooser chooser) {
    validate(options);
    auto transport_options = options.transport();
    shared_ = std::make_shared<const Shared>(Shared{std::move(config), std::move(options),
                                                    std::move(env), std::move(chooser),
                                                    net::Transport(std::move(transport_options))});
}

Client Client::with_match(std::vector<std::string> match) const {
    Client copy = *this;
    copy.scope_match_ = std::move(match);
    return copy;
}

Client Client::with_observer(Observer observer) const {
    Client copy = *this;
    copy.observer_ = std::move(observer);
    return copy;
}

Client Client::with_completion(Completion completion) const {
    Client copy = *this;
    copy.completion_ = std::move(completion);
    return copy;
}

Client Client::with_cancel(CancelPtr cancel) const {
    Client copy = *this;
    copy.cancel_ = std::move(cancel);
    return copy;
}

net::LoopPool::Lease Client::make_loop(const CancelPtr& extra) const {
    return transport().make_loop({cancel_, extra});
}

const config::Config& Client::config() const noexcept { return shared_->config; }
const ClientOptions& Client::options() const noexcept { return shared_->options; }
const net::Transport& Client::transport() const noexcept { return shared_->transport; }

net::Endpoint Client::endpoint(std::string_view dugdale_id, config::Scope scope) const {
    const auto& s = *shared_;
    net::Endpoint endpoint;
    endpoint.dugdale_id = std::string(dugdale_id);
    endpoint.base_url = config::base_url(s.config, dugdale_id);
    try {
        endpoint.token = config::token(s.config, dugdale_id, scope, s.env);
    } catch (const Error& error) {
        // The exec token is the one a letts.yaml most often lacks (the PHP
        // client never needed it): name the keys that would hold it.
        if (scope != config::Scope::exec || error.status() != Status::config ||
            error.message().rfind("no exec token", 0) != 0) {
            throw;
        }
        throw Error(Status::config, error.message() + " (set exec_token on the dugdale or auth.exec_token)")
            .dugdale(std::string(dugdale_id));
    }
    endpoint.proxy = config::proxy(s.config, dugdale_id, s.options.ignore_proxy, s.env);
    return endpoint;
}

net::Endpoint Client::anonymous_endpoint(std::string_view dugdale_id) const {
    const auto& s = *shared_;
    net::Endpoint endpoint;
    endpoint.dugdale_id = std::string(dugdale_id);
    endpoint.base_url = config::base_url(s.config, dugdale_id);
    endpoint.proxy = config::proxy(s.config, dugdale_id, s.options.ignore_proxy, s.env);
    return endpoint;
}

std::string Client::require_host(std::string_view host, std::string_view operation) const {
    if (host.empty()) {
        throw Error(Status::bad_request, "host is required for " + std::string(operation));
    }
    return config::resolve_host(shared_->config, host, shared_->env);
}

std::string Client::dispatch_id(const Job& job) const {
    if (job.unique.key.empty()) return job.mission_id.empty() ? uuidv7::generate() : job.mission_id;
    if (!job.mission_id.empty()) {
        throw Error(Status::invalid_argument, "a job has either a mission id or a unique key, not both");
    }
    // Every dispatcher must land in the same window: the caller's pinned
    // time, else this host's wall clock (clock skew at a window edge can
    // make two ids; that is the documented price of time windows).
    const std::int64_t at = job.unique.at_ms.value_or(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                           std::chrono::system_clock::now().time_since_epoch())
                                                           .count());
    return unique_id::derive(job.unique.key, job.unique.window_ms, at);
}

config::Resolved Client::resolve(const Job& job, bool apply_defaults) const {
    const auto& spec = job.target;
    if (!apply_defaults && spec.route.empty() && spec.host.empty() && spec.match.empty()) {
        throw Error(Status::bad_request, "must specify exactly one of: route, host, match");
    }
    return config::resolve_target(shared_->config, spec, apply_defaults ? scope_match_ : std::vector<std::string>{},
                                  shared_->env, shared_->chooser);
}

void Client::report(const LaunchFailure& failure) const {
    if (!observer_) return;
    try {
        observer_(failure);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "letts failure observer threw: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "letts failure observer threw: unknown exception\n");
    }
}

void Client::report_completion(const RunResult& result) const {
    if (!completion_) return;
    try {
        completion_(result);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "letts completion observer threw: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "letts completion observer threw: unknown exception\n");
    }
}

std::vector<std::string> Client::dugdales(const std::vector<std::string>& match) const {
    return config::ids_carrying(shared_->config, match);
}

net::Task<std::string> Client::json_call(net::Loop& loop, std::string host,
                                         std::optional<config::Scope> scope, std::string method,
                                         std::string target, std::optional<std::string> body,
                                         std::string operation) const {
    const std::string id = require_host(host, operation);
    net::Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.operation = std::move(operation);
    request.json_body = std::move(body);
    net::Endpoint where = scope ? endpoint(id, *scope) : anonymous_endpoint(id);
    const json::Ptr answer = co_await transport().perform_json(loop, std::move(where), std::move(request));
    co_return json::print(answer.get());
}

}  // namespace letts::client
