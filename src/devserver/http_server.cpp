#include "devserver/http_server.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "core/error.hpp"

namespace letts::devserver::http {
namespace {

// Per-request state, owned by libmicrohttpd's connection slot (*con_cls)
// from the first call of the access handler until the completion callback.
struct Context {
    Request request;
    std::unique_ptr<Exchange> exchange;
    bool answered = false;
    // An answer decided while the body was still arriving (413, 409 …).
    // libmicrohttpd 0.9.x refuses MHD_queue_response() in the middle of an
    // upload, so it is queued once the rest of the body has been dropped.
    std::optional<Response> deferred;
};

MHD_Result collect(void* cls, MHD_ValueKind, const char* key, const char* value) {
    auto* out = static_cast<std::vector<std::pair<std::string, std::string>>*>(cls);
    out->emplace_back(key ? key : "", value ? value : "");
    return MHD_YES;
}

ssize_t read_body(void* cls, uint64_t, char* buf, size_t max) {
    auto* source = static_cast<BodySource*>(cls);
    long n = 0;
    try {
        n = source->read(buf, max);
    } catch (...) {
        n = -1;
    }
    if (n > 0) return n;
    return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

void free_body(void* cls) { delete static_cast<BodySource*>(cls); }

Response internal_error() {
    Response r;
    r.status = 500;
    r.header("Content-Type", "application/json; charset=utf-8");
    r.body = "{\"error\":\"internal\",\"message\":\"internal error\"}\n";
    return r;
}

// Hands `response` to libmicrohttpd for `connection`.
void queue(MHD_Connection* connection, Response& response) {
    MHD_Response* r = nullptr;
    if (response.stream) {
        const uint64_t size = response.stream_size >= 0
                                  ? static_cast<uint64_t>(response.stream_size)
                                  : MHD_SIZE_UNKNOWN;
        BodySource* source = response.stream.release();
        r = MHD_create_response_from_callback(size, 32 * 1024, read_body, source, free_body);
        if (r == nullptr) delete source;
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

MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url, const char* method,
                      const char*, const char* upload_data, size_t* upload_data_size,
                      void** con_cls) {
    auto& handler = *static_cast<Handler*>(cls);
    auto* ctx = static_cast<Context*>(*con_cls);
    try {
        if (ctx == nullptr) {
            auto fresh = std::make_unique<Context>();
            Request& req = fresh->request;
            req.method = method;
            req.path = url;
            MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect, &req.query);
            MHD_get_connection_values(connection, MHD_HEADER_KIND, collect, &req.headers);
            if (const auto* info =
                    MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS)) {
                char host[INET6_ADDRSTRLEN] = "";
                const sockaddr* sa = info->client_addr;
                if (sa && sa->sa_family == AF_INET)
                    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, host,
                              sizeof host);
                else if (sa && sa->sa_family == AF_INET6)
                    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, host,
                              sizeof host);
                req.peer = host;
            }
            Start start = handler(req);
            if (auto* response = std::get_if<Response>(&start)) {
                queue(connection, *response);
                fresh->answered = true;
            } else {
                fresh->exchange = std::move(std::get<std::unique_ptr<Exchange>>(start));
            }
            *con_cls = fresh.release();
            return MHD_YES;
        }
        if (ctx->answered) {
            *upload_data_size = 0;  // an early answer: the rest of the body is dropped
            return MHD_YES;
        }
        if (ctx->deferred) {
            if (*upload_data_size > 0) {
                *upload_data_size = 0;  // dropped
                return MHD_YES;
            }
            queue(connection, *ctx->deferred);
            ctx->answered = true;
            return MHD_YES;
        }
        if (*upload_data_size > 0) {
            auto early = ctx->exchange->on_data(std::string_view(upload_data, *upload_data_size));
            *upload_data_size = 0;
            if (early) {
                early->header("Connection", "close");
                ctx->deferred = std::move(*early);
            }
            return MHD_YES;
        }
        Response done = ctx->exchange->on_end();
        queue(connection, done);
        ctx->answered = true;
        return MHD_YES;
    } catch (...) {
        Response r = internal_error();
        if (ctx && !ctx->answered && *upload_data_size > 0) {
            ctx->deferred = std::move(r);  // answered after the body, as above
        } else {
            queue(connection, r);
            if (ctx) ctx->answered = true;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
}

void on_completed(void*, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
    delete static_cast<Context*>(*con_cls);
    *con_cls = nullptr;
}

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

Server::Server(const std::string& host, int port, Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = bind_listener(host, port, port_);
    const unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                               MHD_USE_POLL | MHD_USE_ITC;
    MHD_Daemon* d = MHD_start_daemon(
        flags, 0, nullptr, nullptr, &on_request, &handler_,
        MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(listen_fd_),
        MHD_OPTION_NOTIFY_COMPLETED, &on_completed, nullptr,
        MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned int>(8192),
        MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned int>(0),
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
    daemon_.reset();  // libmicrohttpd closes a listen socket it still owns
    listen_fd_ = -1;
}

}  // namespace letts::devserver::http
