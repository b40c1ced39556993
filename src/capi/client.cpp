// letts/client.h: options, construction, scoped copies, and the
// launch-failure observer trampoline.
#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "config/config.hpp"
#include "letts/client.h"
#include "letts/run.h"

namespace cl = letts::client;
using letts::capi::guarded;
using letts::capi::require;

namespace {

std::unique_ptr<letts_client> make_client(const letts_client& from, letts::client::Client client) {
    return std::make_unique<letts_client>(letts_client{std::move(client), from.config_json});
}

// Every client-options setter: change a copy, validate the whole copy, keep
// it only when valid — so a refused value leaves the options as they were —
// and name the setter in a refusal ("<setter>: <rule>, got <value>").
template <class Change>
letts_status change_options(letts_client_options* opts, const char* setter, letts_error** err,
                            Change&& change) {
    return guarded(err, [&] {
        require(opts != nullptr, std::string(setter) + ": opts is NULL");
        cl::ClientOptions candidate = opts->options;
        try {
            change(candidate);
            cl::validate(candidate);
        } catch (const letts::Error& e) {
            throw letts::Error(e.status(), std::string(setter) + ": " + e.message());
        }
        opts->options = std::move(candidate);
    });
}

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_client_options_new(letts_client_options** out, letts_error** err) {
    return letts::capi::new_default_handle(out, err, "letts_client_options_new: out is NULL");
}

LETTS_EXTERN void letts_client_options_free(letts_client_options* opts) {
    std::unique_ptr<letts_client_options> owned(opts);
}

LETTS_EXTERN letts_status letts_client_options_set_request_timeout_ms(letts_client_options* opts,
                                                                      int64_t ms,
                                                                      letts_error** err) {
    return change_options(opts, "letts_client_options_set_request_timeout_ms", err,
                          [&](cl::ClientOptions& o) { o.request_timeout_ms = ms; });
}

LETTS_EXTERN letts_status letts_client_options_set_connect_timeout_ms(letts_client_options* opts,
                                                                      int64_t ms,
                                                                      letts_error** err) {
    return change_options(opts, "letts_client_options_set_connect_timeout_ms", err,
                          [&](cl::ClientOptions& o) { o.connect_timeout_ms = ms; });
}

LETTS_EXTERN letts_status letts_client_options_set_total_timeout_ms(letts_client_options* opts,
                                                                    int64_t ms,
                                                                    letts_error** err) {
    return change_options(opts, "letts_client_options_set_total_timeout_ms", err,
                          [&](cl::ClientOptions& o) { o.total_timeout_ms = ms; });
}

LETTS_EXTERN letts_status letts_client_options_set_max_connections_per_host(
    letts_client_options* opts, int n, letts_error** err) {
    return change_options(opts, "letts_client_options_set_max_connections_per_host", err,
                          [&](cl::ClientOptions& o) { o.max_connections_per_host = n; });
}

LETTS_EXTERN letts_status letts_client_options_set_retry_attempts(letts_client_options* opts,
                                                                  int attempts, letts_error** err) {
    return change_options(opts, "letts_client_options_set_retry_attempts", err,
                          [&](cl::ClientOptions& o) {
                              // letts.yaml's "below 1 means 1" is a reading
                              // rule of the file; a setter refuses instead.
                              if (attempts < 1) {
                                  throw letts::Error(letts::Status::invalid_argument,
                                                     "retry_attempts must be at least 1, got " +
                                                         std::to_string(attempts));
                              }
                              o.retry.attempts = attempts;
                          });
}

LETTS_EXTERN letts_status letts_client_options_set_retry_backoff(letts_client_options* opts,
                                                                 const int64_t* ms, size_t count,
                                                                 letts_error** err) {
    return change_options(opts, "letts_client_options_set_retry_backoff", err,
                          [&](cl::ClientOptions& o) {
                              require(count == 0 || ms != nullptr,
                                      "ms is NULL but count is " + std::to_string(count));
                              o.retry.backoff_ms.assign(ms, ms + count);
                          });
}

LETTS_EXTERN letts_status letts_client_options_set_reconnect_backoff(letts_client_options* opts,
                                                                     const int64_t* ms,
                                                                     size_t count,
                                                                     letts_error** err) {
    return change_options(opts, "letts_client_options_set_reconnect_backoff", err,
                          [&](cl::ClientOptions& o) {
                              require(count == 0 || ms != nullptr,
                                      "ms is NULL but count is " + std::to_string(count));
                              o.reconnect_backoff_ms.assign(ms, ms + count);
                          });
}

LETTS_EXTERN letts_status letts_client_options_set_ignore_proxy(letts_client_options* opts,
                                                                int ignore, letts_error** err) {
    return change_options(opts, "letts_client_options_set_ignore_proxy", err,
                          [&](cl::ClientOptions& o) { o.ignore_proxy = ignore != 0; });
}

LETTS_EXTERN letts_status letts_client_options_set_stream_fresh_connection(
    letts_client_options* opts, int fresh, letts_error** err) {
    return change_options(opts, "letts_client_options_set_stream_fresh_connection", err,
                          [&](cl::ClientOptions& o) { o.stream_fresh_connection = fresh != 0; });
}

LETTS_EXTERN letts_status letts_client_options_set_user_agent(letts_client_options* opts,
                                                              const char* user_agent,
                                                              letts_error** err) {
    return change_options(opts, "letts_client_options_set_user_agent", err,
                          [&](cl::ClientOptions& o) { o.user_agent = user_agent ? user_agent : ""; });
}

LETTS_EXTERN letts_status letts_client_options_set_insecure_config_permissions(
    letts_client_options* opts, int insecure, letts_error** err) {
    return change_options(opts, "letts_client_options_set_insecure_config_permissions", err,
                          [&](cl::ClientOptions& o) { o.insecure_config_permissions = insecure != 0; });
}

LETTS_EXTERN letts_status letts_client_options_set_max_response_bytes(letts_client_options* opts,
                                                                     size_t bytes,
                                                                     letts_error** err) {
    return change_options(opts, "letts_client_options_set_max_response_bytes", err,
                          [&](cl::ClientOptions& o) { o.max_response_bytes = bytes; });
}

LETTS_EXTERN letts_status letts_client_options_set_max_event_line_bytes(letts_client_options* opts,
                                                                       size_t bytes,
                                                                       letts_error** err) {
    return change_options(opts, "letts_client_options_set_max_event_line_bytes", err,
                          [&](cl::ClientOptions& o) { o.max_event_line_bytes = bytes; });
}

LETTS_EXTERN letts_status letts_client_new(letts_client** out, const letts_config* cfg,
                                           const letts_client_options* opts, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_client_new: out is NULL");
        require(cfg != nullptr, "letts_client_new: cfg is NULL");
        cl::ClientOptions options = opts ? opts->options : cl::ClientOptions{};
        letts::capi::hand_over(out, std::make_unique<letts_client>(letts_client{
                                        cl::Client(cfg->config, std::move(options)), cfg->json}));
    });
}

LETTS_EXTERN letts_status letts_client_discover(letts_client** out,
                                                const letts_client_options* opts,
                                                letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_client_discover: out is NULL");
        cl::ClientOptions options = opts ? opts->options : cl::ClientOptions{};
        const auto env = letts::config::process_environment();
        letts::config::Config config = letts::config::load_file(
            letts::config::discover("", env),
            letts::config::LoadOptions{options.insecure_config_permissions});
        std::string json = letts::config::to_json(config);
        letts::capi::hand_over(out, std::make_unique<letts_client>(letts_client{
                                        cl::Client(std::move(config), std::move(options)),
                                        std::move(json)}));
    });
}

LETTS_EXTERN void letts_client_free(letts_client* client) {
    std::unique_ptr<letts_client> owned(client);
}

LETTS_EXTERN letts_status letts_client_with_match(const letts_client* client,
                                                  const char* const* labels, size_t n_labels,
                                                  letts_client** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr,
                "letts_client_with_match: client and out must not be NULL");
        auto match = letts::capi::copy_string_array(labels, n_labels, "labels");
        letts::capi::hand_over(out, make_client(*client, client->client.with_match(std::move(match))));
    });
}

LETTS_EXTERN letts_status letts_client_with_failure_observer(const letts_client* client,
                                                             letts_launch_failure_fn fn,
                                                             void* user_data, letts_client** out,
                                                             letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr,
                "letts_client_with_failure_observer: client and out must not be NULL");
        cl::Observer observer;
        if (fn) {
            observer = [fn, user_data](const cl::LaunchFailure& failure) {
                letts::capi::call_observer(fn, user_data, failure);
            };
        }
        letts::capi::hand_over(out,
                               make_client(*client, client->client.with_observer(std::move(observer))));
    });
}

LETTS_EXTERN letts_status letts_client_with_completion_observer(const letts_client* client,
                                                                letts_completion_fn fn, void* user_data,
                                                                letts_client** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr,
                "letts_client_with_completion_observer: client and out must not be NULL");
        cl::Completion completion;
        if (fn) {
            completion = [fn, user_data](const cl::RunResult& result) {
                // A handle around a copy: the observer sees exactly what the
                // caller's result will say, and the copy dies with the call.
                const letts_run_result handle{std::make_shared<const cl::RunResult>(result)};
                fn(&handle, user_data);
            };
        }
        letts::capi::hand_over(out, make_client(*client, client->client.with_completion(std::move(completion))));
    });
}

LETTS_EXTERN letts_status letts_client_with_cancel(const letts_client* client, letts_cancel* cancel,
                                                   letts_client** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr, "letts_client_with_cancel: client and out must not be NULL");
        letts::capi::hand_over(
            out, make_client(*client, client->client.with_cancel(cancel ? cancel->cancel : nullptr)));
    });
}

LETTS_EXTERN const char* letts_client_config_json(const letts_client* client) {
    return client ? client->config_json.c_str() : nullptr;
}

LETTS_EXTERN letts_status letts_client_dugdales(const letts_client* client,
                                                const char* const* labels, size_t n_labels,
                                                letts_string_list** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr,
                "letts_client_dugdales: client and out must not be NULL");
        const auto match = letts::capi::copy_string_array(labels, n_labels, "labels");
        letts::capi::hand_over(
            out, std::make_unique<letts_string_list>(letts_string_list{client->client.dugdales(match)}));
    });
}

}  // extern "C"
