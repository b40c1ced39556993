#include "devserver/instance.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "core/text.hpp"
#include "devserver/api.hpp"
#include "devserver/apply.hpp"
#include "devserver/engine.hpp"
#include "devserver/host_signals.hpp"
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

// The ready local instance of a start without configuration: loopback, a
// temporary data dir (the instance removes it at stop), fresh tokens.
DugdaleConfig ready_local_config() {
    DugdaleConfig config;
    config.listen = "127.0.0.1:0";
    std::string tmpl = (std::filesystem::temp_directory_path() / "letts-devserver-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw Error(Status::io, "cannot create a temporary data directory");
    config.data_dir = tmpl;
    config.auth_tokens = {random_token("dsp-")};
    config.admin_tokens = {random_token("adm-")};
    return config;
}

// What the ready local instance runs: a lane "default" of 4 missions found
// as {mission} files in `mission_dir` (the working directory when empty).
AppliedState default_runtime(std::string mission_dir) {
    if (mission_dir.empty()) {
        char cwd[PATH_MAX];
        mission_dir = ::getcwd(cwd, sizeof cwd) ? cwd : ".";
    }
    AppliedState state;
    state.mission_dir = std::filesystem::absolute(mission_dir).lexically_normal().string();
    state.lanes["default"] = AppliedLane{4, false, ""};
    state.mission_path_template = "{mission}";
    state.validate_mission_file = true;
    return state;
}

// The URL clients use: a wildcard address is reached through loopback.
std::string base_url_of(std::string host, int port) {
    if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
    else if (host == "::") host = "::1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(port);
}

// A letts.yaml naming the server at `base_url`, its first tokens and lanes.
// `exec_token` is empty unless exec is enabled: a client that holds one then
// reaches the server's exec routes without further set-up.
std::string client_config_of(const std::string& base_url, const std::string& dispatch_token,
                             const std::string& admin_token, const std::string& exec_token,
                             const std::map<std::string, LaneState>& lanes) {
    std::string out = "# letts.yaml for the letts-devserver at " + base_url + "\n";
    out += "dugdales:\n  - id: devserver\n    url: " + base_url + "\n";
    if (!dispatch_token.empty()) out += "    token: " + yaml_quote(dispatch_token) + "\n";
    if (!admin_token.empty()) out += "    admin_token: " + yaml_quote(admin_token) + "\n";
    if (!exec_token.empty()) out += "    exec_token: " + yaml_quote(exec_token) + "\n";
    if (lanes.empty()) return out;
    out += "    lanes:\n";
    for (const auto& [name, lane] : lanes)
        out += "      " + name + ":\n        concurrency: " + std::to_string(lane.concurrency) + "\n";
    return out;
}

}  // namespace

Instance::Instance(InstanceOptions options) {
    // Every thread of the instance descends from the ones started here.
    const HostSignalsBlocked host_signals_stay_with_the_host;
    const bool defaults = !options.config_path && !options.config_yaml;
    if (options.config_path) {
        config_ = load_dugdale_config_file(*options.config_path);
        if (options.check_permissions) check_config_permissions(*options.config_path, config_);
    } else if (options.config_yaml) {
        config_ = parse_dugdale_config(*options.config_yaml, "<string>");
    } else {
        config_ = ready_local_config();
        owns_data_dir_ = true;
    }
    std::string host;
    int port = 0;
    split_listen(config_.listen, host, port);
    if (options.port) port = *options.port;
    if (!config_.auth_tokens.empty()) dispatch_token_ = config_.auth_tokens.front();
    if (!config_.admin_tokens.empty()) admin_token_ = config_.admin_tokens.front();

    engine_ = std::make_unique<Engine>(config_);
    if (defaults) {
        MutexLock lock(engine_->mutex());
        apply_locked(*engine_, default_runtime(options.mission_dir), ApplyFlags{});
    }
    api_ = std::make_unique<Api>(*engine_);
    server_ = std::make_unique<http::Server>(host, port, [api = api_.get()](http::Request& req) {
        return api->handle(req);
    }, http_timeouts());
    port_ = server_->port();
    base_url_ = base_url_of(host, port_);
    MutexLock lock(engine_->mutex());
    const std::string exec_token =
        config_.exec.enabled && !config_.exec.tokens.empty() ? config_.exec.tokens.front() : std::string();
    client_config_ = client_config_of(base_url_, dispatch_token_, admin_token_, exec_token, engine_->lanes_locked());
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
