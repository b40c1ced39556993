// Many exchanges at once on one curl multi handle, driven by the calling
// thread (DESIGN.md: fan-out runs on one multi handle, not a thread per
// job; callbacks stay on the caller's thread). The per-host connection limit
// of the client applies here.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "net/curl_handles.hpp"
#include "net/retry.hpp"
#include "net/transport.hpp"

namespace letts::net {

class Multi {
public:
    // Gets curl's result for the exchange; may add() further exchanges.
    using DoneFn = std::function<void(CURLcode result, Exchange& exchange)>;

    explicit Multi(const Transport& transport);
    ~Multi();
    Multi(const Multi&) = delete;
    Multi& operator=(const Multi&) = delete;

    void add(std::unique_ptr<Exchange> exchange, DoneFn done);

    // Drives the transfers until none is left or `keep_running` (checked
    // after every wake-up, at least once a second) returns false.
    void run(const std::function<bool()>& keep_running = {});

    // Drops every transfer still in flight.
    void cancel_all();

    std::size_t in_flight() const noexcept { return transfers_.size(); }

private:
    struct Transfer {
        std::unique_ptr<Exchange> exchange;
        DoneFn done;
    };
    MultiPtr multi_;
    std::map<CURL*, Transfer> transfers_;
};

struct Answer {
    Endpoint endpoint;
    std::optional<Response> response;  // set when an HTTP answer arrived
    std::optional<Error> error;        // set on a transport failure
};

// The same request to every endpoint concurrently, answers in input order;
// transport failures and retryable 5xx are repeated per the policy (all
// endpoints of one round in parallel).
std::vector<Answer> perform_all(const Transport& transport, const std::vector<Endpoint>& endpoints,
                                const Request& request, const RetryPolicy& retry);

}  // namespace letts::net
