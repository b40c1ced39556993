// One thread that watches every HTTP connection on behalf of the server: it
// fires deadlines (header, body and upload timeouts) and notices peers that
// hung up while their follow stream is suspended (libmicrohttpd does not poll
// a suspended connection, so it would never see the hang-up itself). This
// keeps that to one timer queue and one epoll set instead of a timer per
// connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/unique_fd.hpp"

namespace letts::devserver::http {

class ConnMonitor {
public:
    using Clock = std::chrono::steady_clock;

    // What the monitor watches. Callbacks run on the monitor thread, never
    // with the monitor's lock held, so they may call schedule()/unwatch().
    class Watched {
    public:
        virtual ~Watched() = default;
        // A time given to schedule() has come (it may have been superseded:
        // the callee re-checks its own state).
        virtual void expired(Clock::time_point now) = 0;
        // The peer of a socket given to watch_hangup() closed or reset it.
        virtual void hung_up() = 0;

    private:
        friend class ConnMonitor;
        // Guarded by the monitor's lock.
        std::optional<std::multimap<Clock::time_point, std::shared_ptr<Watched>>::iterator> timer_;
        std::uint64_t hangup_id_ = 0;
    };

    ConnMonitor();
    ~ConnMonitor();  // stops the thread
    ConnMonitor(const ConnMonitor&) = delete;
    ConnMonitor& operator=(const ConnMonitor&) = delete;

    // Calls w->expired() at `at` or soon after. One pending time per object:
    // an earlier time replaces a later one, a later one is ignored (the
    // object reschedules itself from expired()).
    void schedule(const std::shared_ptr<Watched>& w, Clock::time_point at);
    // Calls w->hung_up() once when the peer of `fd` closes it. The caller
    // must unwatch() before `fd` is closed.
    void watch_hangup(const std::shared_ptr<Watched>& w, int fd);
    void unwatch_hangup(Watched& w, int fd);
    // Drops every pending time and watch of `w` (it is going away).
    void forget(Watched& w, int fd);

private:
    void run();
    void wake();

    std::mutex mu_;
    std::multimap<Clock::time_point, std::shared_ptr<Watched>> timers_;
    std::unordered_map<std::uint64_t, std::shared_ptr<Watched>> hangups_;
    std::uint64_t next_hangup_id_ = 1;
    bool stopping_ = false;
    UniqueFd epoll_;
    UniqueFd wake_;
    std::thread thread_;
};

}  // namespace letts::devserver::http
