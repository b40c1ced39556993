#include "devserver/instance.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"
#include "core/text.hpp"
#include "devserver/api.hpp"
#include "devserver/apply.hpp"
#include "devserver/engine.hpp"
#include "devserver/http_server.hpp"

namespace letts::devserver {
namespace {

// The spec's header and body timeouts (10 s, 30 s) unless a test shortens
// them: LETTS_DEVSERVER_TEST_HEADER_TIMEOUT_MS / _BODY_TIMEOUT_MS, for the
// hostile-client tests only (they are not part of the configuration).
http::Timeouts http_timeouts() {
    http::Timeouts t;
    auto read = [](const char* name, std::chrono::milliseconds& out) {
        const char* v = std::getenv(name);
        if (!v || !*v) return;
        const auto ms = text::parse_int64(v);
        if (ms && *ms > 0) out = std::chrono::milliseconds(*ms);
    };
    read("LETTS_DEVSERVER_TEST_HEADER_TIMEOUT_MS", t.header);
    read("LETTS_DEVSERVER_TEST_BODY_TIMEOUT_MS", t.body);
    return t;
}

std::string random_token(const char* prefix) {
    unsigned char bytes[16];
    std::size_t got = 0;
    while (got < sizeof bytes) {
        const ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0) throw Error(Status::internal, "getrandom failed");
        got += static_cast<std::size_t>(n);
    }
    std::string out = prefix;
    static const char* hex = "0123456789abcdef";
    for (unsigned char b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

// "host:port", "[v6]:port" or ":port" → host and port.
void split_listen(const std::string& listen, std::string& host, int& port) {
    std::string p;
    if (!listen.empty() && listen.front() == '[') {
        const auto close = listen.find(']');
        host = listen.substr(1, close - 1);
        if (close + 1 < listen.size() && listen[close + 1] == ':') p = listen.substr(close + 2);
    } else if (const auto colon = listen.rfind(':'); colon != std::string::npos) {
        host = listen.substr(0, colon);
        p = listen.substr(colon + 1);
    } else {
        host = listen;
    }
    char* end = nullptr;
    const long v = p.empty() ? -1 : std::strtol(p.c_str(), &end, 10);
    if (p.empty() || *end != '\0' || v < 0 || v > 65535)
        throw Error(Status::config, "listen \"" + listen + "\": expected host:port");
    port = static_cast<int>(v);
}

std::string yaml_quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

Instance::Instance(InstanceOptions options) {
    const bool defaults = !options.config_path && !options.config_yaml;
    if (options.config_path) {
        config_ = load_dugdale_config_file(*options.config_path);
        if (options.check_permissions) check_config_permissions(*options.config_path, config_);
    } else if (options.config_yaml) {
        config_ = parse_dugdale_config(*options.config_yaml, "<string>");
    } else {
        // A ready local instance: loopback, temporary data, fresh tokens.
        config_.listen = "127.0.0.1:0";
        std::string tmpl = (std::filesystem::temp_directory_path() / "letts-devserver-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw Error(Status::io, "cannot create a temporary data directory");
        config_.data_dir = tmpl;
        owns_data_dir_ = true;
        config_.auth_tokens = {random_token("dsp-")};
        config_.admin_tokens = {random_token("adm-")};
    }
    std::string host;
    int port = 0;
    split_listen(config_.listen, host, port);
    if (options.port) port = *options.port;
    if (!config_.auth_tokens.empty()) dispatch_token_ = config_.auth_tokens.front();
    if (!config_.admin_tokens.empty()) admin_token_ = config_.admin_tokens.front();

    engine_ = std::make_unique<Engine>(config_);
    if (defaults) {
        AppliedState state;
        std::string dir = options.mission_dir;
        if (dir.empty()) {
            char cwd[PATH_MAX];
            dir = ::getcwd(cwd, sizeof cwd) ? cwd : ".";
        }
        state.mission_dir = std::filesystem::absolute(dir).lexically_normal().string();
        state.lanes["default"] = AppliedLane{4, false, ""};
        state.mission_path_template = "{mission}";
        state.validate_mission_file = true;
        MutexLock lock(engine_->mutex());
        apply_locked(*engine_, std::move(state), ApplyFlags{});
    }
    api_ = std::make_unique<Api>(*engine_);
    server_ = std::make_unique<http::Server>(host, port, [api = api_.get()](http::Request& req) {
        return api->handle(req);
    }, http_timeouts());
    port_ = server_->port();
    std::string url_host = host;
    if (url_host.empty() || url_host == "0.0.0.0") url_host = "127.0.0.1";
    else if (url_host == "::") url_host = "::1";
    if (url_host.find(':') != std::string::npos) url_host = "[" + url_host + "]";
    base_url_ = "http://" + url_host + ":" + std::to_string(port_);

    client_config_ = "# letts.yaml for the letts-devserver at " + base_url_ + "\n";
    client_config_ += "dugdales:\n  - id: devserver\n    url: " + base_url_ + "\n";
    if (!dispatch_token_.empty()) client_config_ += "    token: " + yaml_quote(dispatch_token_) + "\n";
    if (!admin_token_.empty()) client_config_ += "    admin_token: " + yaml_quote(admin_token_) + "\n";
    MutexLock lock(engine_->mutex());
    if (!engine_->lanes_locked().empty()) {
        client_config_ += "    lanes:\n";
        for (const auto& [name, lane] : engine_->lanes_locked())
            client_config_ += "      " + name + ":\n        concurrency: " + std::to_string(lane.concurrency) + "\n";
    }
}

Instance::~Instance() { stop(); }

void Instance::stop() {
    if (stopped_) return;
    stopped_ = true;
    server_->quiesce();    // no new connections
    engine_->shutdown();   // refuse work, end running missions, reap
    // Followers receive what the shutdown produced (the done events of the
    // killed missions) before their connections go; a client that does not
    // read cannot hold the stop for long.
    engine_->wait_streams_closed(std::chrono::seconds(2));
    server_->stop();       // join connection threads
    if (owns_data_dir_) {
        std::error_code ec;
        std::filesystem::remove_all(config_.data_dir, ec);
    }
}

}  // namespace letts::devserver
