// One running letts-devserver: configuration, engine, HTTP API and listener
// put together. Both the binary and the letts_devserver_* C API use this.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "devserver/dugdale_config.hpp"

namespace letts::devserver {

class Engine;
class Api;
namespace http {
class Server;
}

struct InstanceOptions {
    std::optional<std::string> config_path;  // a dugdale.yaml file
    std::optional<std::string> config_yaml;  // or its text
    std::optional<int> port;                 // overrides the port of `listen`
    std::string mission_dir;                 // default runtime's mission_dir (no config); "" = cwd
    bool check_permissions = false;          // the daemon's 0600/0400 rule for files with secrets
};

class Instance {
public:
    // Loads the configuration (or builds the ready-to-use default), starts
    // the engine and listens. Throws letts::Error (config, io).
    explicit Instance(InstanceOptions options);
    ~Instance();  // stop()
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;

    const std::string& base_url() const noexcept { return base_url_; }
    const std::string& dispatch_token() const noexcept { return dispatch_token_; }
    const std::string& admin_token() const noexcept { return admin_token_; }
    const std::string& data_dir() const noexcept { return config_.data_dir; }
    // A letts.yaml naming this server, its tokens and its lanes.
    const std::string& client_config() const noexcept { return client_config_; }
    int port() const noexcept { return port_; }

    // Stops taking work, ends running missions as killed/dugdale_shutdown,
    // closes every connection and reaps every process. Idempotent.
    void stop();

private:
    DugdaleConfig config_;
    bool owns_data_dir_ = false;
    int port_ = 0;
    std::string base_url_, dispatch_token_, admin_token_, client_config_;
    std::unique_ptr<Engine> engine_;
    std::unique_ptr<Api> api_;
    std::unique_ptr<http::Server> server_;
    bool stopped_ = false;
};

}  // namespace letts::devserver
