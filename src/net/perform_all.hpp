// The same request to many dugdales at once on one loop (asking every
// dugdale for a mission): answers in input order, transport failures and
// retryable 5xx repeated per the policy, all endpoints of a round in
// parallel.
#pragma once

#include <optional>
#include <vector>

#include "core/error.hpp"
#include "net/loop.hpp"
#include "net/retry.hpp"
#include "net/task.hpp"
#include "net/transport.hpp"

namespace letts::net {

struct Answer {
    Endpoint endpoint;
    std::optional<Response> response;  // set when an HTTP answer arrived
    std::optional<Error> error;        // set on a transport failure
};

// A cancel (or the loop's deadline) ends the whole call with that error.
Task<std::vector<Answer>> perform_all(Loop& loop, const Transport& transport,
                                      std::vector<Endpoint> endpoints, Request request,
                                      RetryPolicy retry);

}  // namespace letts::net
