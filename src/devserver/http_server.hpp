// libmicrohttpd behind RAII: one daemon, thread per connection, so that a
// long-poll `follow` stream can block in its body callback without stalling
// any other client (200 concurrent followers are 200 parked threads).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "devserver/http_types.hpp"

struct MHD_Daemon;

namespace letts::devserver::http {

class Server {
public:
    // Binds `host`:`port` (port 0 = a free port chosen by the kernel) and
    // starts serving with `handler`. Throws letts::Error(Status::io) when the
    // address cannot be bound.
    Server(const std::string& host, int port, Handler handler);
    ~Server();  // stops the daemon; every connection thread is joined
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    int port() const noexcept { return port_; }
    // Stops accepting connections (existing ones continue).
    void quiesce() noexcept;
    // Closes every connection and joins the threads. Idempotent.
    void stop() noexcept;

private:
    struct DaemonDeleter {
        void operator()(MHD_Daemon* d) const noexcept;
    };
    Handler handler_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::unique_ptr<MHD_Daemon, DaemonDeleter> daemon_;
};

}  // namespace letts::devserver::http
