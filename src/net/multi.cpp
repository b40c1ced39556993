#include "net/multi.hpp"

#include <thread>
#include <utility>

#include "net/http_error.hpp"

namespace letts::net {

Multi::Multi(const Transport& transport) : multi_(make_multi()) {
    curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                      transport.options().max_connections_per_host);
}

Multi::~Multi() { cancel_all(); }

void Multi::cancel_all() {
    for (auto& [easy, transfer] : transfers_) curl_multi_remove_handle(multi_.get(), easy);
    transfers_.clear();
}

void Multi::add(std::unique_ptr<Exchange> exchange, DoneFn done) {
    CURL* easy = exchange->easy();
    if (curl_multi_add_handle(multi_.get(), easy) != CURLM_OK) throw std::bad_alloc();
    transfers_.emplace(easy, Transfer{std::move(exchange), std::move(done)});
}

void Multi::run(const std::function<bool()>& keep_running) {
    while (!transfers_.empty()) {
        int still_running = 0;
        curl_multi_perform(multi_.get(), &still_running);
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL* easy = message->easy_handle;
            const CURLcode result = message->data.result;
            auto node = transfers_.extract(easy);
            curl_multi_remove_handle(multi_.get(), easy);
            if (!node.empty()) node.mapped().done(result, *node.mapped().exchange);
        }
        if (transfers_.empty()) break;
        if (keep_running && !keep_running()) break;
        curl_multi_poll(multi_.get(), nullptr, 0, 1000, nullptr);
    }
}

std::vector<Answer> perform_all(const Transport& transport, const std::vector<Endpoint>& endpoints,
                                const Request& request, const RetryPolicy& retry) {
    std::vector<Answer> answers(endpoints.size());
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        answers[i].endpoint = endpoints[i];
        pending.push_back(i);
    }
    for (int round = 1; !pending.empty(); ++round) {
        Multi multi(transport);
        for (const std::size_t i : pending) {
            multi.add(std::make_unique<Exchange>(transport, endpoints[i], request),
                      [&answers, i](CURLcode result, Exchange& exchange) {
                          answers[i].response.reset();
                          answers[i].error.reset();
                          try {
                              answers[i].response = exchange.finish(result);
                          } catch (const Error& error) {
                              answers[i].error = error;
                          }
                      });
        }
        multi.run();
        std::vector<std::size_t> again;
        for (const std::size_t i : pending) {
            const Answer& answer = answers[i];
            const bool retry_it =
                answer.error ? is_retryable(*answer.error)
                             : (answer.response && answer.response->status >= 500 &&
                                is_retryable(http_error(answer.response->status, answer.response->body,
                                                        answer.endpoint.dugdale_id, request.operation)));
            if (retry_it) again.push_back(i);
        }
        if (again.empty() || round >= retry.effective_attempts()) break;
        std::this_thread::sleep_for(retry.pause_after(round, uniform_jitter));
        pending = std::move(again);
    }
    return answers;
}

}  // namespace letts::net
