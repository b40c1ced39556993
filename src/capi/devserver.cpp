// letts_devserver_*: the embedded devserver behind the C ABI.
#include "letts/devserver.h"

#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "devserver/instance.hpp"

struct letts_devserver_options {
    letts::devserver::InstanceOptions options;
};

struct letts_devserver {
    std::unique_ptr<letts::devserver::Instance> instance;
};

using letts::capi::guarded;
using letts::capi::require;

extern "C" {

LETTS_EXTERN letts_status letts_devserver_options_new(letts_devserver_options** out, letts_error** err) {
    return letts::capi::new_default_handle(out, err, "letts_devserver_options_new: out is NULL");
}

LETTS_EXTERN void letts_devserver_options_free(letts_devserver_options* opts) {
    std::unique_ptr<letts_devserver_options> owned(opts);
}

LETTS_EXTERN letts_status letts_devserver_options_set_config_file(letts_devserver_options* opts, const char* path,
                                                                  letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr && path != nullptr, "letts_devserver_options_set_config_file: NULL argument");
        opts->options.config_path = path;
        opts->options.config_yaml.reset();
    });
}

LETTS_EXTERN letts_status letts_devserver_options_set_config_yaml(letts_devserver_options* opts, const char* yaml,
                                                                  letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr && yaml != nullptr, "letts_devserver_options_set_config_yaml: NULL argument");
        opts->options.config_yaml = yaml;
        opts->options.config_path.reset();
    });
}

LETTS_EXTERN letts_status letts_devserver_options_set_port(letts_devserver_options* opts, int port,
                                                           letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr, "letts_devserver_options_set_port: opts is NULL");
        require(port >= 0 && port <= 65535,
                "letts_devserver_options_set_port: port must be 0..65535, got " + std::to_string(port));
        opts->options.port = port;
    });
}

LETTS_EXTERN letts_status letts_devserver_options_set_mission_dir(letts_devserver_options* opts, const char* dir,
                                                                  letts_error** err) {
    return guarded(err, [&] {
        require(opts != nullptr && dir != nullptr, "letts_devserver_options_set_mission_dir: NULL argument");
        opts->options.mission_dir = dir;
    });
}

LETTS_EXTERN letts_status letts_devserver_start(letts_devserver** out, const letts_devserver_options* opts,
                                                letts_error** err) {
    return guarded(err, [&] {
        require(out != nullptr, "letts_devserver_start: out is NULL");
        *out = nullptr;
        auto srv = std::make_unique<letts_devserver>();
        srv->instance = std::make_unique<letts::devserver::Instance>(opts ? opts->options
                                                                          : letts::devserver::InstanceOptions{});
        *out = srv.release();
    });
}

LETTS_EXTERN const char* letts_devserver_url(const letts_devserver* srv) {
    return srv ? srv->instance->base_url().c_str() : "";
}

LETTS_EXTERN int letts_devserver_port(const letts_devserver* srv) { return srv ? srv->instance->port() : 0; }

LETTS_EXTERN const char* letts_devserver_dispatch_token(const letts_devserver* srv) {
    return srv ? srv->instance->dispatch_token().c_str() : "";
}

LETTS_EXTERN const char* letts_devserver_admin_token(const letts_devserver* srv) {
    return srv ? srv->instance->admin_token().c_str() : "";
}

LETTS_EXTERN const char* letts_devserver_data_dir(const letts_devserver* srv) {
    return srv ? srv->instance->data_dir().c_str() : "";
}

LETTS_EXTERN const char* letts_devserver_client_config(const letts_devserver* srv) {
    return srv ? srv->instance->client_config().c_str() : "";
}

LETTS_EXTERN letts_status letts_devserver_stop(letts_devserver* srv, letts_error** err) {
    return guarded(err, [&] {
        require(srv != nullptr, "letts_devserver_stop: srv is NULL");
        srv->instance->stop();
    });
}

LETTS_EXTERN void letts_devserver_free(letts_devserver* srv) {
    std::unique_ptr<letts_devserver> owned(srv);
    if (!owned) return;
    try {
        owned->instance->stop();
    } catch (...) {
    }
}

}  // extern "C"
