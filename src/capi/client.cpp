// letts/client.h: options, construction, scoped copies, and the
// launch-failure observer trampoline.
#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "config/config.hpp"
#include "letts/client.h"

namespace cl = letts::client;
using letts::capi::guarded;
using letts::capi::require;

namespace {

std::unique_ptr<letts_client> make_client(const letts_client& from, letts::client::Client client) {
    return std::make_unique<letts_client>(letts_client{std::move(client), from.config_json});
}

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_client_options_new(letts_client_options** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_client_options_new: out is NULL");
        letts::capi::hand_over(out, std::make_unique<letts_client_options>());
    });
}

LETTS_EXTERN void letts_client_options_free(letts_client_options* opts) {
    std::unique_ptr<letts_client_options> owned(opts);
}

LETTS_EXTERN letts_status letts_client_options_set_request_timeout_ms(letts_client_options* opts,
                                                                      int64_t ms,
                                                                      letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_client_options_set_request_timeout_ms: opts is NULL");
        cl::ClientOptions candidate = opts->options;
        candidate.request_timeout_ms = ms;
        cl::validate(candidate);
        opts->options = std::move(candidate);
    });
}

LETTS_EXTERN letts_status letts_client_options_set_connect_timeout_ms(letts_client_options* opts,
                                                                      int64_t ms,
                                                                      letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_client_options_set_connect_timeout_ms: opts is NULL");
        cl::ClientOptions candidate = opts->options;
        candidate.connect_timeout_ms = ms;
        cl::validate(candidate);
        opts->options = std::move(candidate);
    });
}

LETTS_EXTERN letts_status letts_client_options_set_max_connections_per_host(
    letts_client_options* opts, int n, letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_client_options_set_max_connections_per_host: opts is NULL");
        cl::ClientOptions candidate = opts->options;
        candidate.max_connections_per_host = n;
        cl::validate(candidate);
        opts->options = std::move(candidate);
    });
}

LETTS_EXTERN letts_status letts_client_options_set_retry_attempts(letts_client_options* opts,
                                                                  int attempts, letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_client_options_set_retry_attempts: opts is NULL");
        opts->options.retry.attempts = attempts < 1 ? 1 : attempts;
    });
}

LETTS_EXTERN letts_status letts_client_options_set_retry_backoff(letts_client_options* opts,
                                                                 const int64_t* ms, size_t count,
                                                                 letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_client_options_set_retry_backoff: opts is NULL");
        require(count == 0 || ms != nullptr,
                "letts_client_options_set_retry_backoff: ms is NULL but count is not 0");
        cl::ClientOptions candidate = opts->options;
        candidate.retry.backoff_ms.assign(ms, ms + count);
        cl::validate(candidate);
        opts->options = std::move(candidate);
    });
}

LETTS_EXTERN letts_status letts_client_options_set_ignore_proxy(letts_client_options* opts,
                                                                int ignore, letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_client_options_set_ignore_proxy: opts is NULL");
        opts->options.ignore_proxy = ignore != 0;
    });
}

LETTS_EXTERN letts_status letts_client_options_set_stream_fresh_connection(
    letts_client_options* opts, int fresh, letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_client_options_set_stream_fresh_connection: opts is NULL");
        opts->options.stream_fresh_connection = fresh != 0;
    });
}

LETTS_EXTERN letts_status letts_client_options_set_user_agent(letts_client_options* opts,
                                                              const char* user_agent,
                                                              letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_client_options_set_user_agent: opts is NULL");
        cl::ClientOptions candidate = opts->options;
        candidate.user_agent = user_agent ? user_agent : "";
        cl::validate(candidate);
        opts->options = std::move(candidate);
    });
}

LETTS_EXTERN letts_status letts_client_options_set_insecure_config_permissions(
    letts_client_options* opts, int insecure, letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr,
                "letts_client_options_set_insecure_config_permissions: opts is NULL");
        opts->options.insecure_config_permissions = insecure != 0;
    });
}

LETTS_EXTERN letts_status letts_client_options_set_max_response_bytes(letts_client_options* opts,
                                                                     size_t bytes,
                                                                     letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_client_options_set_max_response_bytes: opts is NULL");
        cl::ClientOptions candidate = opts->options;
        candidate.max_response_bytes = bytes;
        cl::validate(candidate);
        opts->options = std::move(candidate);
    });
}

LETTS_EXTERN letts_status letts_client_options_set_max_event_line_bytes(letts_client_options* opts,
                                                                       size_t bytes,
                                                                       letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_client_options_set_max_event_line_bytes: opts is NULL");
        cl::ClientOptions candidate = opts->options;
        candidate.max_event_line_bytes = bytes;
        cl::validate(candidate);
        opts->options = std::move(candidate);
    });
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
