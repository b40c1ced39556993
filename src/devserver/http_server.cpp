#include "devserver/http_server.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "core/error.hpp"

namespace letts::devserver::http {

using Clock = ConnMonitor::Clock;

namespace {

// Per-request state, owned by libmicrohttpd's connection slot (*con_cls)
// from the first call of the access handler until the completion callback.
struct Context {
    Request request;
    std::unique_ptr<Exchange> exchange;
    Exchange::Deadline deadline;
    bool answered = false;
    // An answer decided while the body was still arriving (413, 409 …).
    // libmicrohttpd 0.9.x refuses MHD_queue_response() in the middle of an
    // upload, so it is queued once the rest of the body has been dropped.
    std::optional<Response> deferred;
};

// Sends `r` on the raw socket, bypassing libmicrohttpd. Only used when a
// body deadline passes: the connection is then waiting for the rest of the
// body, has queued nothing and writes nothing, so the bytes cannot mix with
// its own; the connection is shut down right after.
void send_raw(int fd, const Response& r) {
    const char* reason = MHD_get_reason_phrase_for(static_cast<unsigned int>(r.status));
    std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + (reason ? reason : "") + "\r\n";
    for (const auto& [name, value] : r.headers)
        if (strcasecmp(name.c_str(), "Connection") != 0 && strcasecmp(name.c_str(), "Content-Length") != 0)
            out += name + ": " + value + "\r\n";
    out += "Connection: close\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n\r\n";
    out += r.body;
    std::size_t off = 0;
    while (off < out.size()) {
        const ssize_t n = ::send(fd, out.data() + off, out.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            off += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return;  // a client that does not read its answer does not get it
    }
}

}  // namespace

// One connection as the monitor sees it. Its mutex serialises the
// daemon thread's calls into the request's Exchange with the monitor's
// timeout, and keeps the socket open while the monitor uses it (the daemon
// closes it only after on_closed() has taken the mutex).
struct Conn final : ConnMonitor::Watched {
    enum class Phase { headers, handling, body, responding };

    Conn(ConnMonitor& m, MHD_Connection* c, int socket, const Timeouts& t, const std::atomic<bool>& stop)
        : monitor(m), mhd(c), fd(socket), timeouts(t), stopping(stop) {}

    ConnMonitor& monitor;
    MHD_Connection* const mhd;  // valid until `gone`
    const int fd;
    const Timeouts timeouts;
    const std::atomic<bool>& stopping;  // the server's
    std::weak_ptr<Conn> self;

    // Parking of a streamed body with nothing to send (BodySource::kPending).
    // A leaf lock apart from `mu`: ready() is called with the engine's lock held,
    // and the daemon thread holds `mu` while an Exchange takes the engine's lock.
    std::mutex park_mu;
    bool suspended = false;     // MHD_suspend_connection() ran, no resume yet
    bool ready_pending = false;  // ready() came while not suspended
    bool gone = false;           // libmicrohttpd closed the connection

    // The source has something new (or its peer went): resume the parked
    // connection, or make the next kPending retry at once.
    void ready() {
        std::lock_guard lock(park_mu);
        if (gone) return;
        if (suspended) {
            suspended = false;
            MHD_resume_connection(mhd);
        } else {
            ready_pending = true;
        }
    }

    // The body callback got kPending: parks the connection unless ready()
    // came meanwhile. True when parked; false = read again now.
    bool park() {
        std::lock_guard lock(park_mu);
        if (ready_pending) {
            ready_pending = false;
            return false;
        }
        if (stopping) return false;  // read_body then ends the body
        suspended = true;
        MHD_suspend_connection(mhd);
        return true;
    }

    std::mutex mu;
    Phase phase = Phase::headers;
    Clock::time_point deadline{};
    bool closed = false;  // libmicrohttpd is done with the socket
    bool cut = false;     // a deadline passed: the connection is being closed
    Context* request = nullptr;       // while the body is read
    std::weak_ptr<BodySource> stream;  // while a streamed body is sent

    // Re-arms the header deadline: at accept and after each request.
    void await_headers(Clock::time_point now) {
        {
            std::lock_guard lock(mu);
            phase = Phase::headers;
            deadline = now + timeouts.header;
            request = nullptr;
            stream.reset();
        }
        monitor.unwatch_hangup(*this, fd);
        monitor.schedule(self.lock(), now + timeouts.header);
    }

    void expired(Clock::time_point now) override {
        std::unique_lock lock(mu, std::try_to_lock);
        if (!lock) {
            // A daemon thread is inside the exchange right now (so
            // the body is moving); look again shortly.
            monitor.schedule(self.lock(), now + std::chrono::milliseconds(20));
            return;
        }
        if (closed || cut || (phase != Phase::headers && phase != Phase::body)) return;
        if (deadline > now) {
            monitor.schedule(self.lock(), deadline);
            return;
        }
        cut = true;
        if (phase == Phase::body && request && !request->answered) {
            std::optional<Response> answer;
            try {
                if (request->deferred) answer = std::move(*request->deferred);
                else answer = request->exchange->on_timeout();
            } catch (...) {
            }
            request->answered = true;
            if (answer) send_raw(fd, *answer);
        }
        // Headers: closed without an answer, as the daemon does. The
        // daemon sees end-of-file and cleans up.
        ::shutdown(fd, SHUT_RDWR);
    }

    void hung_up() override {
        std::shared_ptr<BodySource> source;
        {
            std::lock_guard lock(mu);
            source = stream.lock();
        }
        if (source) source->interrupt();  // read() returns -1 from now on
        ready();                          // a parked follower reads it at once
        // A resume that races with the park (the source became ready while
        // the daemon thread was still returning from read_body) can leave
        // the connection in libmicrohttpd's poll set with no events asked,
        // where nothing would make the daemon look at it again. Shutting the
        // socket down makes poll() report POLLHUP whatever was asked, so the
        // daemon reads the interrupted body and closes the connection.
        std::lock_guard lock(mu);
        if (!closed) ::shutdown(fd, SHUT_RDWR);
    }
};

// What a streamed response's callbacks get: the source, and the connection
// to park while the source has nothing to send.
struct Streamed {
    std::shared_ptr<BodySource> source;
    std::shared_ptr<Conn> conn;
};

struct Callbacks {
    static std::shared_ptr<Conn> conn_of(MHD_Connection* connection) {
        const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        if (!info || !info->socket_context) return nullptr;
        return *static_cast<std::shared_ptr<Conn>*>(info->socket_context);
    }

    static MHD_Result collect(void* cls, MHD_ValueKind, const char* key, const char* value) {
        auto* out = static_cast<std::vector<std::pair<std::string, std::string>>*>(cls);
        out->emplace_back(key ? key : "", value ? value : "");
        return MHD_YES;
    }

    static ssize_t read_body(void* cls, uint64_t, char* buf, size_t max) {
        auto& streamed = *static_cast<Streamed*>(cls);
        for (;;) {
            long n = 0;
            try {
                n = streamed.source->read(buf, max);
            } catch (...) {
                n = -1;
            }
            if (n > 0) return n;
            if (n == 0) return MHD_CONTENT_READER_END_OF_STREAM;
            if (n != BodySource::kPending || !streamed.conn || streamed.conn->stopping.load())
                return MHD_CONTENT_READER_END_WITH_ERROR;
            // Nothing to send yet: the connection leaves the daemon's poll
            // set until the source calls ready(); 0 with the connection
            // suspended is how libmicrohttpd is told to call again later.
            if (streamed.conn->park()) return 0;
        }
    }

    // libmicrohttpd hands back the body it was given to own: adopt and drop it.
    static void free_body(void* cls) { const std::unique_ptr<Streamed> owned(static_cast<Streamed*>(cls)); }

    static Response internal_error() {
        Response r;
        r.status = 500;
        r.header("Content-Type", "application/json; charset=utf-8");
        r.body = "{\"error\":\"internal\",\"message\":\"internal error\"}\n";
        return r;
    }

    // Hands `response` to libmicrohttpd for `connection`; a streamed body is
    // registered with `conn` so that a hang-up can interrupt it.
    static void queue(MHD_Connection* connection, Response& response, Conn* conn) {
        MHD_Response* r = nullptr;
        if (response.stream) {
            const uint64_t size = response.stream_size >= 0
                                      ? static_cast<uint64_t>(response.stream_size)
                                      : MHD_SIZE_UNKNOWN;
            auto holder = std::make_unique<Streamed>();
            holder->source = std::move(response.stream);
            if (conn) {
                holder->conn = conn->self.lock();
                holder->source->on_ready([weak = conn->self] {
                    if (auto c = weak.lock()) c->ready();
                });
            }
            std::weak_ptr<BodySource> weak = holder->source;
            // The response's own buffer: a file gets 32 KiB blocks, a follow
            // stream (lines, mostly idle, thousands at once) 4 KiB.
            const size_t block = response.stream_size >= 0 ? 32 * 1024 : 4 * 1024;
            r = MHD_create_response_from_callback(size, block, read_body, holder.get(), free_body);
            if (r != nullptr) {
                holder.release();  // owned by the response now
                if (conn) {
                    {
                        std::lock_guard lock(conn->mu);
                        conn->phase = Conn::Phase::responding;
                        conn->stream = weak;
                    }
                    conn->monitor.watch_hangup(conn->self.lock(), conn->fd);
                }
            }
        } else {
            r = MHD_create_response_from_buffer(response.body.size(), response.body.data(),
                                                MHD_RESPMEM_MUST_COPY);
        }
        if (r == nullptr) return;  // out of memory: libmicrohttpd closes the connection
        for (const auto& [name, value] : response.headers)
            MHD_add_response_header(r, name.c_str(), value.c_str());
        MHD_queue_response(connection, static_cast<unsigned int>(response.status), r);
        MHD_destroy_response(r);
    }

    // Request line + headers, as they were on the wire give or take the
    // separators and percent-encoding.
    static std::size_t head_size(const Request& req) {
        std::size_t n = req.method.size() + req.path.size() + 12;
        for (const auto& [k, v] : req.query) n += k.size() + v.size() + 2;
        for (const auto& [k, v] : req.headers) n += k.size() + v.size() + 4;
        return n;
    }

    // Whether the request announces a body (which an answer given before
    // reading it leaves unread, so the connection must close after it).
    static bool has_body(const Request& req) {
        if (req.header("Transfer-Encoding")) return true;
        const auto length = req.header("Content-Length");
        return length && *length != "0";
    }

    static Response head_too_large() {
        Response r;
        r.status = 431;
        r.header("Content-Type", "application/json; charset=utf-8");
        r.header("Connection", "close");
        r.body = "{\"error\":\"request_header_too_large\",\"message\":\"request line and headers exceed " +
                 std::to_string(kMaxRequestHead) + " bytes\"}\n";
        return r;
    }

    // The client's address, for brute-force keys; "" when unknown.
    static std::string peer_address(MHD_Connection* connection) {
        const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (!info) return {};
        char host[INET6_ADDRSTRLEN] = "";
        const sockaddr* sa = info->client_addr;
        if (sa && sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, host, sizeof host);
        else if (sa && sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, host, sizeof host);
        return host;
    }

    static void read_request(MHD_Connection* connection, const char* url, const char* method, Request& req) {
        req.method = method;
        req.path = url;
        MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect, &req.query);
        MHD_get_connection_values(connection, MHD_HEADER_KIND, collect, &req.headers);
        req.peer = peer_address(connection);
    }

    // The handler chose to read the body: its deadline starts now.
    static void await_body(const Server& server, const std::shared_ptr<Conn>& conn, Context& ctx) {
        ctx.deadline = ctx.exchange->deadline();
        if (ctx.deadline.limit.count() <= 0) ctx.deadline.limit = server.timeouts_.body;
        if (!conn) return;
        const auto at = Clock::now() + ctx.deadline.limit;
        {
            std::lock_guard lock(conn->mu);
            conn->phase = Conn::Phase::body;
            conn->request = &ctx;
            conn->deadline = at;
        }
        conn->monitor.schedule(conn, at);
    }

    // The first call for a request (its head has arrived): the handler
    // answers at once or returns the exchange that reads the body.
    static MHD_Result start_request(Server& server, MHD_Connection* connection, const std::shared_ptr<Conn>& conn,
                                    const char* url, const char* method, void** con_cls) {
        if (conn) {
            std::lock_guard lock(conn->mu);
            if (conn->cut) return MHD_NO;
            conn->phase = Conn::Phase::handling;
        }
        auto fresh = std::make_unique<Context>();
        Request& req = fresh->request;
        read_request(connection, url, method, req);
        Start start = head_size(req) > kMaxRequestHead ? Start(head_too_large()) : server.handler_(req);
        if (auto* response = std::get_if<Response>(&start); response && !has_body(req)) {
            // libmicrohttpd marks a response queued during the first
            // call "early" (sent before the body was read) and closes
            // the connection after it: without a body, the answer
            // waits for the next call, which comes at once, and the
            // connection stays open for the next request.
            fresh->deferred = std::move(*response);
        } else if (response) {
            if (conn) {
                std::lock_guard lock(conn->mu);
                conn->phase = Conn::Phase::responding;
            }
            queue(connection, *response, conn.get());
            fresh->answered = true;
        } else {
            fresh->exchange = std::move(std::get<std::unique_ptr<Exchange>>(start));
            await_body(server, conn, *fresh);
        }
        *con_cls = fresh.release();
        return MHD_YES;
    }

    // A later call: body bytes for the exchange, or the body's end (or, for
    // an answer already decided, the moment to send it). Called with the
    // connection's mutex held through `lock` when there is a connection.
    static MHD_Result continue_request(MHD_Connection* connection, Context& ctx, const std::shared_ptr<Conn>& conn,
                                       std::unique_lock<std::mutex>& lock, const char* upload_data,
                                       size_t* upload_data_size) {
        if (ctx.answered) {
            *upload_data_size = 0;  // an early answer: the rest of the body is dropped
            return MHD_YES;
        }
        if (ctx.deferred) {
            if (*upload_data_size > 0) {
                *upload_data_size = 0;  // dropped
                return MHD_YES;
            }
            if (conn) conn->phase = Conn::Phase::responding;
            Response answer = std::move(*ctx.deferred);
            ctx.deferred.reset();
            ctx.answered = true;
            if (lock) lock.unlock();
            queue(connection, answer, conn.get());
            return MHD_YES;
        }
        if (*upload_data_size > 0) {
            auto early = ctx.exchange->on_data(std::string_view(upload_data, *upload_data_size));
            *upload_data_size = 0;
            if (conn && ctx.deadline.kind == Exchange::Deadline::Kind::idle)
                conn->deadline = Clock::now() + ctx.deadline.limit;
            if (early) {
                early->header("Connection", "close");
                ctx.deferred = std::move(*early);
            }
            return MHD_YES;
        }
        Response done = ctx.exchange->on_end();
        ctx.answered = true;
        if (conn) {
            conn->phase = Conn::Phase::responding;
            conn->request = nullptr;
        }
        if (lock) lock.unlock();
        queue(connection, done, conn.get());
        return MHD_YES;
    }

    static MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url, const char* method,
                                 const char*, const char* upload_data, size_t* upload_data_size,
                                 void** con_cls) {
        auto& server = *static_cast<Server*>(cls);
        auto* ctx = static_cast<Context*>(*con_cls);
        const std::shared_ptr<Conn> conn = conn_of(connection);
        try {
            if (ctx == nullptr) return start_request(server, connection, conn, url, method, con_cls);
            std::unique_lock<std::mutex> lock;
            if (conn) {
                lock = std::unique_lock(conn->mu);
                if (conn->cut) {
                    *upload_data_size = 0;
                    return MHD_NO;  // answered by the monitor; close
                }
            }
            return continue_request(connection, *ctx, conn, lock, upload_data, upload_data_size);
        } catch (...) {
            Response r = internal_error();
            if (ctx && !ctx->answered && *upload_data_size > 0) {
                ctx->deferred = std::move(r);  // answered after the body, as above
            } else {
                queue(connection, r, nullptr);
                if (ctx) ctx->answered = true;
            }
            *upload_data_size = 0;
            return MHD_YES;
        }
    }

    static void on_completed(void*, MHD_Connection* connection, void** con_cls, MHD_RequestTerminationCode) {
        if (auto conn = conn_of(connection)) conn->await_headers(Clock::now());  // detaches the request
        const std::unique_ptr<Context> owned(static_cast<Context*>(*con_cls));  // the request's context ends here
        *con_cls = nullptr;
    }

    static void on_connection(void* cls, MHD_Connection* connection, void** socket_context,
                              MHD_ConnectionNotificationCode code) {
        auto& server = *static_cast<Server*>(cls);
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
            const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
            if (!info) return;
            try {
                auto conn = std::make_shared<Conn>(server.monitor_, connection, info->connect_fd,
                                                   server.timeouts_, server.stopping_);
                conn->self = conn;
                {
                    std::lock_guard lock(server.conns_mu_);
                    server.conns_.emplace(conn.get(), conn);
                }
                // Owned by libmicrohttpd's socket context until the close notification adopts it.
                *socket_context = std::make_unique<std::shared_ptr<Conn>>(conn).release();
                conn->await_headers(Clock::now());
            } catch (...) {
                ::shutdown(info->connect_fd, SHUT_RDWR);  // no memory to watch it: refuse it
            }
            return;
        }
        std::unique_ptr<std::shared_ptr<Conn>> holder(static_cast<std::shared_ptr<Conn>*>(*socket_context));
        *socket_context = nullptr;
        if (!holder) return;
        std::shared_ptr<Conn> conn = std::move(*holder);
        {
            std::lock_guard lock(conn->mu);
            conn->closed = true;
            conn->request = nullptr;
        }
        {
            std::lock_guard lock(conn->park_mu);
            conn->gone = true;
        }
        {
            std::lock_guard lock(server.conns_mu_);
            server.conns_.erase(conn.get());
        }
        server.monitor_.forget(*conn, conn->fd);
    }
};

namespace {

int bind_listener(const std::string& host, int port, int& bound_port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    const std::string service = std::to_string(port);
    const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &res);
    if (rc != 0)
        throw Error(Status::io, "listen " + host + ":" + service + ": " + gai_strerror(rc));
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(res, freeaddrinfo);
    int last_errno = 0;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 4096) == 0) {
            sockaddr_storage ss{};
            socklen_t len = sizeof ss;
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
            bound_port = ss.ss_family == AF_INET6
                             ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                             : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
            return fd;
        }
        last_errno = errno;
        ::close(fd);
    }
    throw Error(Status::io, "listen " + host + ":" + service + ": " + std::strerror(last_errno));
}

}  // namespace

void Server::DaemonDeleter::operator()(MHD_Daemon* d) const noexcept { MHD_stop_daemon(d); }

Server::Server(const std::string& host, int port, Handler handler, Timeouts timeouts)
    : handler_(std::move(handler)), timeouts_(timeouts) {
    listen_fd_ = bind_listener(host, port, port_);
    // A few threads poll every connection; a follower with nothing to send
    // is suspended (out of the poll set) and resumed by its job's watcher,
    // so 10,000 followers cost sockets and a little memory, not threads.
    // poll(), not MHD_USE_EPOLL: with epoll, libmicrohttpd 0.9.75 sometimes
    // misses the end of file of a peer that closes in the middle of a
    // request body (the cut upload of client_faults), and the connection,
    // with its upload "in progress", then waits for the 30 s body deadline.
    const unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_ALLOW_SUSPEND_RESUME |
                               MHD_USE_ITC;
    // Timeouts are the monitor's (libmicrohttpd's own is an idle timeout,
    // which a slowloris defeats). The per-connection memory pool holds the
    // request head: kMaxRequestHead plus room for the header table, so that
    // heads up to a few times kMaxRequestHead reach on_request() and get the
    // JSON 431; beyond the pool libmicrohttpd answers its own 431/414 (an
    // HTML body, which no option replaces: README.md, section
    // letts-devserver). The pool is zeroed after each keep-alive request and
    // about half of it is touched by a parked follower, so it is kept small
    // (see kConnectionMemory).
    // Handlers run on the pool threads, so none of them may block for long:
    // bodies that wait for a job are parked (BodySource::kPending).
    MHD_Daemon* d = MHD_start_daemon(
        flags, 0, nullptr, nullptr, &Callbacks::on_request, this,
        MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(listen_fd_),
        MHD_OPTION_NOTIFY_COMPLETED, &Callbacks::on_completed, nullptr,
        MHD_OPTION_NOTIFY_CONNECTION, &Callbacks::on_connection, this,
        MHD_OPTION_CONNECTION_LIMIT, kConnectionLimit,
        MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned int>(0),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, kConnectionMemory,
        MHD_OPTION_THREAD_POOL_SIZE, kPoolThreads,
        MHD_OPTION_THREAD_STACK_SIZE, static_cast<size_t>(256 * 1024),
        MHD_OPTION_END);
    if (d == nullptr) {
        ::close(listen_fd_);
        listen_fd_ = -1;
        throw Error(Status::io, "cannot start the HTTP server on " + host + ":" + std::to_string(port_));
    }
    daemon_.reset(d);
}

Server::~Server() { stop(); }

void Server::quiesce() noexcept {
    if (daemon_ && listen_fd_ >= 0) {
        const MHD_socket fd = MHD_quiesce_daemon(daemon_.get());
        if (fd != MHD_INVALID_SOCKET) ::close(fd);
        listen_fd_ = -1;
    }
}

void Server::stop() noexcept {
    if (daemon_) {
        // libmicrohttpd refuses to stop while a connection is suspended:
        // from now on no body parks (read_body ends it instead), and every
        // parked one is resumed so that its daemon thread closes it.
        stopping_ = true;
        std::vector<std::shared_ptr<Conn>> live;
        {
            std::lock_guard lock(conns_mu_);
            for (const auto& [raw, weak] : conns_)
                if (auto conn = weak.lock()) live.push_back(std::move(conn));
        }
        for (const auto& conn : live) conn->ready();
    }
    daemon_.reset();  // libmicrohttpd closes a listen socket it still owns
    listen_fd_ = -1;
}

}  // namespace letts::devserver::http
