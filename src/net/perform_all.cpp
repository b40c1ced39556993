#include "net/perform_all.hpp"

#include <utility>

#include "net/http_error.hpp"

namespace letts::net {

namespace {

bool is_stop(const Error& error) {
    return error.status() == Status::cancelled || error.status() == Status::wait_timeout;
}

Task<void> ask(Loop& loop, const Transport& transport, Answer& answer, Request request) {
    answer.response.reset();
    answer.error.reset();
    try {
        answer.response = co_await transport.perform(loop, answer.endpoint, std::move(request));
    } catch (const Error& error) {
        if (is_stop(error)) throw;
        answer.error = error;
    }
}

bool worth_repeating(const Answer& answer, const std::string& operation) {
    if (answer.error) return is_retryable(*answer.error);
    return answer.response && answer.response->status >= 500 &&
           is_retryable(http_error(answer.response->status, answer.response->body,
                                   answer.endpoint.dugdale_id, operation));
}

}  // namespace

Task<std::vector<Answer>> perform_all(Loop& loop, const Transport& transport,
                                      std::vector<Endpoint> endpoints, Request request,
                                      RetryPolicy retry) {
    std::vector<Answer> answers(endpoints.size());
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        answers[i].endpoint = std::move(endpoints[i]);
        pending.push_back(i);
    }
    for (int round = 1; !pending.empty(); ++round) {
        {
            TaskGroup group(loop);
            for (const std::size_t i : pending) group.spawn(ask(loop, transport, answers[i], request));
            co_await group.wait();
        }
        std::vector<std::size_t> again;
        for (const std::size_t i : pending) {
            if (worth_repeating(answers[i], request.operation)) again.push_back(i);
        }
        if (again.empty() || round >= retry.effective_attempts()) break;
        co_await loop.sleep_for(retry.pause_after(round, uniform_jitter));
        pending = std::move(again);
    }
    co_return answers;
}

}  // namespace letts::net
