// The client: a loaded configuration, options and one shared transport
// (connection cache) plus the per-copy state of client-behavior.md §1.4 (a
// scoped label filter and a launch-failure observer). Copies made by
// with_match()/with_observer() share the configuration and the transport.
//
// Thread safety: every operation is const and touches only the shared
// transport (whose connection cache is locked) and its own locals, so one
// client may be used from many threads at once. Callbacks (progress,
// observer, stream handlers) run on the calling thread during the call.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/job.hpp"
#include "client/options.hpp"
#include "client/results.hpp"
#include "config/config.hpp"
#include "net/event_stream.hpp"
#include "net/transport.hpp"

namespace letts::client {

using Observer = std::function<void(const LaunchFailure&)>;

// Progress callback: value and message as the event carried them; return
// false to stop waiting (the run then fails with Status::interrupted).
using ProgressFn = std::function<bool(std::optional<double> value,
                                      std::optional<std::string> message)>;

struct RunOptions {
    std::string wait_timeout;          // ^(\d+)(ms|s|m|h)$; "" = no deadline
    ProgressFn on_progress;
    bool throw_on_failure = true;
    bool fetch_logs = false;
    std::string download_outputs_to;   // "" = no download
};

// Filters of GET /v1/missions (client-behavior.md §5.11, §13).
struct ListFilter {
    std::vector<std::pair<std::string, std::string>> query;  // in order
};

class Client {
public:
    Client(config::Config config, ClientOptions options,
           config::EnvLookup env = config::process_environment(),
           config::Chooser chooser = config::default_chooser());

    Client with_match(std::vector<std::string> match) const;
    Client with_observer(Observer observer) const;

    const config::Config& config() const noexcept;
    const ClientOptions& options() const noexcept;
    const std::vector<std::string>& match_override() const noexcept { return scope_match_; }

    // The endpoint for (dugdale, scope): base URL, token, proxy.
    net::Endpoint endpoint(std::string_view dugdale_id, config::Scope scope) const;
    // For the unauthenticated health endpoints: no Authorization header.
    net::Endpoint anonymous_endpoint(std::string_view dugdale_id) const;
    // Host argument (id or alias) -> dugdale id; "" -> bad_request naming `operation`.
    std::string require_host(std::string_view host, std::string_view operation) const;

    // §5.1 / §5.2
    std::string dispatch(const Job& job) const;
    std::optional<std::string> try_dispatch(const Job& job) const;
    // §5.3; MissionFailed when the outcome is not success and
    // throw_on_failure is set.
    RunResult run(const Job& job, const RunOptions& options) const;
    // §5.4
    std::string download_output(const RunResult& result, std::string_view key) const;
    // §5.5 / §5.6
    std::vector<HostResult> run_parallel(const std::vector<Job>& jobs,
                                         std::string_view wait_timeout) const;
    std::vector<HostResult> run_on_all(const Job& job, std::string_view wait_timeout) const;

    // §5.10: host "" asks every dugdale concurrently; nullopt = not found.
    std::optional<MissionInfo> get_mission(std::string_view id, std::string_view host) const;
    // §5.11 with the cursor of §13.
    MissionPage list_missions(std::string_view host, const ListFilter& filter) const;
    // §5.12–5.14
    void kill(std::string_view id, std::string_view signal, std::string_view host) const;
    std::string restart(std::string_view id, std::string_view host) const;
    void remove(std::string_view id, std::string_view host, bool force) const;
    // §5.7
    std::vector<std::string> dugdales(const std::vector<std::string>& match) const;

    // §13 extras, addressed by host.
    net::FollowResult follow_events(std::string_view host, std::string_view id,
                                    const net::FollowSettings& settings,
                                    const net::EventHandler& handler) const;
    void stream_output(std::string_view host, std::string_view id, std::string_view stream,
                       bool follow, const std::function<bool(std::string_view)>& sink) const;
    // GET/POST returning the daemon's JSON answer as text; scope nullopt =
    // no token (health endpoints).
    std::string get_json(std::string_view host, std::optional<config::Scope> scope, const std::string& target,
                         std::string_view operation) const;
    std::string post_json(std::string_view host, std::optional<config::Scope> scope, const std::string& target,
                          std::optional<std::string> body, std::string_view operation) const;

    // Reports to the observer; observer failures are swallowed (§5.9).
    void report(const LaunchFailure& failure) const;

    // Stages `job.files` on `endpoint` in order; returns role -> staging id.
    std::vector<std::pair<std::string, std::string>> stage_files(const Job& job,
                                                                  const net::Endpoint& endpoint) const;

    const net::Transport& transport() const noexcept;

private:
    struct Shared;
    std::shared_ptr<const Shared> shared_;
    std::vector<std::string> scope_match_;
    Observer observer_;
    std::string dispatch_id(const Job& job) const;
    config::Resolved resolve(const Job& job, bool apply_defaults) const;
    std::string post_dispatch(const Job& job, const std::string& mission_id,
                              const config::Resolved& where) const;
    friend class FanOut;
};

}  // namespace letts::client
