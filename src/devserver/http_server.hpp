// libmicrohttpd behind RAII: one daemon, thread per connection, so that a
// long-poll `follow` stream can block in its body callback without stalling
// any other client (200 concurrent followers are 200 parked threads).
// A ConnMonitor enforces the timeouts of http-api.md §2.1 on those threads
// and frees the threads of followers whose peer has gone.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "devserver/conn_monitor.hpp"
#include "devserver/http_types.hpp"

struct MHD_Daemon;

namespace letts::devserver::http {

struct Timeouts {
    // Request line and headers, from accept or from the end of the previous
    // request of a keep-alive connection (the daemon's ReadHeaderTimeout).
    // The daemon sets no IdleTimeout nor ReadTimeout, so Go waits for a
    // keep-alive connection's next request without limit and starts the
    // 10 s at its first byte; here an idle connection holds a thread, so
    // the idle wait counts against the same 10 s.
    std::chrono::milliseconds header{10'000};
    // A request body, from the handler starting (Exchange::Deadline::total).
    std::chrono::milliseconds body{30'000};
};

// Request line plus headers larger than this get a JSON 431 (see
// http_server.cpp for what happens to much larger ones).
constexpr std::size_t kMaxRequestHead = 32 * 1024;
// Simultaneous connections (each a thread); beyond it libmicrohttpd refuses.
constexpr unsigned kConnectionLimit = 16'000;

class Server {
public:
    // Binds `host`:`port` (port 0 = a free port chosen by the kernel) and
    // starts serving with `handler`. Throws letts::Error(Status::io) when the
    // address cannot be bound.
    Server(const std::string& host, int port, Handler handler, Timeouts timeouts = {});
    ~Server();  // stops the daemon; every connection thread is joined
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    int port() const noexcept { return port_; }
    // Stops accepting connections (existing ones continue).
    void quiesce() noexcept;
    // Closes every connection and joins the threads. Idempotent.
    void stop() noexcept;

private:
    friend struct Callbacks;  // libmicrohttpd's callbacks (http_server.cpp)
    struct DaemonDeleter {
        void operator()(MHD_Daemon* d) const noexcept;
    };
    Handler handler_;
    Timeouts timeouts_;
    ConnMonitor monitor_;  // outlives the daemon: connection callbacks use it
    int listen_fd_ = -1;
    int port_ = 0;
    std::unique_ptr<MHD_Daemon, DaemonDeleter> daemon_;
};

}  // namespace letts::devserver::http
