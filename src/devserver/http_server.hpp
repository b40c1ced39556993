// libmicrohttpd behind RAII: one daemon whose pool of kPoolThreads threads
// polls every connection (libmicrohttpd's internal poll(2) loop, no thread
// per connection) and runs the handlers. A long-poll `follow` stream with nothing
// to send suspends its connection (BodySource::kPending) and is resumed when
// its job changes, so followers and idle keep-alive connections hold no
// thread. A ConnMonitor enforces the timeouts of http-api.md §2.1 and
// resumes (to close) followers whose peer has gone: a suspended connection
// is not polled by libmicrohttpd.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "devserver/conn_monitor.hpp"
#include "devserver/http_types.hpp"

struct MHD_Daemon;

namespace letts::devserver::http {

struct Conn;  // one connection's state (http_server.cpp)

struct Timeouts {
    // Request line and headers, from accept or from the end of the previous
    // request of a keep-alive connection (the daemon's ReadHeaderTimeout).
    // The daemon sets no IdleTimeout nor ReadTimeout, so Go waits for a
    // keep-alive connection's next request without limit and starts the
    // 10 s at its first byte; here the idle wait counts against the same
    // 10 s, which bounds what idle connections can hold (a socket, a slot
    // of kConnectionLimit and the connection's memory pool).
    std::chrono::milliseconds header{10'000};
    // A request body, from the handler starting (Exchange::Deadline::total).
    std::chrono::milliseconds body{30'000};
};

// Request line plus headers larger than this get a JSON 431 (see
// http_server.cpp for what happens to much larger ones). The daemon (Go's
// net/http) allows 1 MiB, but here the head lives in each connection's
// libmicrohttpd memory pool, which a parked follower keeps for as long as
// it follows: 8 KiB (the common limit of nginx and Apache) lets the pool
// stay at 24 KiB, so 10,000 followers fit in about 256 MiB. letts clients
// send heads of a few hundred bytes.
constexpr std::size_t kMaxRequestHead = 8 * 1024;
// The per-connection memory pool: it must hold a head of kMaxRequestHead
// plus a margin (libmicrohttpd reads the head into half of the pool, then
// adds the header table) for such a head to reach the JSON 431.
constexpr std::size_t kConnectionMemory = 24 * 1024;
// Simultaneous connections; beyond it libmicrohttpd refuses. Needs as many
// descriptors (RLIMIT_NOFILE; letts-devserver raises it to the hard limit).
constexpr unsigned kConnectionLimit = 16'000;
// Threads polling the connections and running the handlers; libmicrohttpd
// spreads the connection limit over them. Each thread poll()s all of its
// connections whenever one of them has news, so a flood of n connections
// costs about n^2 / kPoolThreads: with 10,000 half-open connections, 4
// threads took up to 1 s to answer /v1/healthz on this project's 2-core
// test machine, 16 threads 14 ms (tests/hostile/README.md). Followers do not
// count here: parked, they are out of the poll sets.
constexpr unsigned kPoolThreads = 16;

class Server {
public:
    // Binds `host`:`port` (port 0 = a free port chosen by the kernel) and
    // starts serving with `handler`. Throws letts::Error(Status::io) when the
    // address cannot be bound.
    Server(const std::string& host, int port, Handler handler, Timeouts timeouts = {});
    ~Server();  // stops the daemon; its threads are joined
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    int port() const noexcept { return port_; }
    // Stops accepting connections (existing ones continue).
    void quiesce() noexcept;
    // Closes every connection (parked followers included) and joins the
    // threads. Idempotent.
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
    std::atomic<bool> stopping_{false};
    // Every open connection, so that stop() can resume the parked ones.
    std::mutex conns_mu_;
    std::unordered_map<const Conn*, std::weak_ptr<Conn>> conns_;
    std::unique_ptr<MHD_Daemon, DaemonDeleter> daemon_;
};

}  // namespace letts::devserver::http
