#include "net/event_stream.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <utility>

#include "core/error.hpp"
#include "net/http_error.hpp"
#include "net/ndjson.hpp"
#include "net/url.hpp"

namespace letts::net {

namespace {

using Clock = std::chrono::steady_clock;

std::string wait_timeout_message() { return "wait-timeout exceeded before a terminal event"; }

std::string one_decimal_seconds(Clock::duration elapsed) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f",
                  std::chrono::duration<double>(elapsed).count());
    return text;
}

}  // namespace

Error event_line_too_long(std::size_t limit, std::string_view dugdale_id,
                          std::string_view operation) {
    return Error(Status::dispatch, "[" + std::string(dugdale_id) + "] " + std::string(operation) +
                                       ": event line longer than the " + std::to_string(limit) +
                                       "-byte cap (max_event_line_bytes)")
        .http(200)
        .dugdale(std::string(dugdale_id));
}

std::chrono::milliseconds reconnect_pause(int unproductive) {
    static constexpr std::int64_t schedule[] = {100, 500, 2000};
    const int index = std::min(std::max(1, unproductive), 3) - 1;
    return std::chrono::milliseconds(schedule[index]);
}

std::string events_target(std::string_view mission_id, bool follow,
                          std::optional<std::int64_t> from) {
    std::string target = "/v1/missions/" + escape(mission_id) + "/events";
    std::vector<std::pair<std::string, std::string>> query;
    if (follow) query.emplace_back("follow", "true");
    if (from) query.emplace_back("from", std::to_string(*from));
    return target + query_string(query);
}

namespace {

// The run's wait timeout as the loop's deadline, for as long as the stream
// is followed.
class DeadlineScope {
public:
    DeadlineScope(Loop& loop, const std::optional<Clock::time_point>& deadline) : loop_(loop) {
        if (deadline) loop_.set_deadline(*deadline, Error(Status::wait_timeout, wait_timeout_message()));
    }
    ~DeadlineScope() { loop_.clear_deadline(); }
    DeadlineScope(const DeadlineScope&) = delete;
    DeadlineScope& operator=(const DeadlineScope&) = delete;

private:
    Loop& loop_;
};

}  // namespace

Task<FollowResult> follow_events(Loop& loop, const Transport& transport, Endpoint endpoint,
                                 std::string mission_id, FollowSettings settings,
                                 EventHandler handler) {
    const DeadlineScope deadline_scope(loop, settings.deadline);
    FollowResult result;
    result.last_seq = settings.from;
    const std::string first_path =
        events_target(mission_id, settings.follow,
                      settings.from > 0 ? std::optional<std::int64_t>(settings.from) : std::nullopt);

    std::int64_t reset_seq = settings.from;
    int unproductive = 0;
    int total = 0;
    std::deque<std::string> history;
    bool reconnecting = false;

    const auto deadline_passed = [&] {
        return settings.deadline && Clock::now() >= *settings.deadline;
    };

    for (;;) {
        if (deadline_passed()) throw Error(Status::wait_timeout, wait_timeout_message());
        Request request;
        request.operation = "events";
        request.streaming = true;
        request.may_idle = settings.follow;
        request.target = reconnecting ? events_target(mission_id, settings.follow, result.last_seq)
                                      : first_path;

        NdjsonDecoder decoder(transport.options().max_event_line_bytes,
                              NdjsonDecoder::Overlong::fail);
        bool stopped = false;
        const NdjsonDecoder::EventFn on_event = [&](const cJSON* event, std::string_view line) {
            if (const auto seq = json::as_int(cJSON_GetObjectItemCaseSensitive(event, "seq"));
                seq && *seq > 0) {
                if (*seq <= result.last_seq) return;  // never hand an event over twice
                result.last_seq = *seq;
            }
            const bool is_done = json::get_string(event, "event").value_or("") == "done";
            if (!handler(event, line)) {
                stopped = true;
                decoder.stop();
                return;
            }
            if (is_done) {
                result.done_event.reset(cJSON_Duplicate(event, 1));
                if (!result.done_event) throw std::bad_alloc();
                decoder.stop();
            }
        };

        const auto started = Clock::now();
        std::string reason;
        try {
            BodySink sink = [&](std::string_view chunk) {
                try {
                    decoder.feed(chunk, on_event);
                } catch (const NdjsonDecoder::LineTooLong& too_long) {
                    // Not a reason to reconnect: the same line would come again.
                    throw event_line_too_long(too_long.limit, endpoint.dugdale_id, "events");
                }
                // After `done` the server ends the response: let it, so the
                // connection stays reusable. A caller who stops the stream
                // early leaves a running mission's stream: cut it.
                if (stopped) return SinkAction::stop;
                return decoder.stopped() ? SinkAction::finish : SinkAction::proceed;
            };
            const Response response =
                co_await transport.perform(loop, endpoint, std::move(request), std::move(sink));
            if (response.status >= 400 && response.status < 500) {
                throw http_error(response.status, response.body, endpoint.dugdale_id, "events");
            }
            if (response.status < 200 || (response.status >= 300 && response.status < 400)) {
                throw unexpected_status(response.status, "200", endpoint.dugdale_id, "events");
            }
            if (response.status >= 500) {
                reason = "http_" + std::to_string(response.status);
            } else {
                decoder.finish(on_event);  // nothing after a stop
                reason = "eof";
            }
        } catch (const Error& error) {
            if (error.status() != Status::network) throw;
            reason = "transport: " + error.message();
        }
        if (stopped) {
            result.end = FollowEnd::stopped;
            co_return result;
        }
        if (result.done_event) {
            result.end = FollowEnd::done;
            co_return result;
        }
        if (!settings.follow) {
            if (reason.starts_with("transport: ")) {
                throw network_error(reason.substr(11), endpoint.dugdale_id, "events");
            }
            result.end = FollowEnd::end_of_body;
            co_return result;
        }

        // Reconnect bookkeeping, client-behavior.md §7.2.
        if (deadline_passed()) throw Error(Status::wait_timeout, wait_timeout_message());
        history.push_back(reason + " (" + one_decimal_seconds(Clock::now() - started) + "s)");
        if (history.size() > 8) history.pop_front();
        const auto exhausted = [&](const char* budget, int limit) {
            std::string recent;
            for (const auto& entry : history) {
                if (!recent.empty()) recent += "; ";
                recent += entry;
            }
            return network_error(std::string("event stream reconnect budget exhausted (") + budget +
                                     " limit " + std::to_string(limit) + ") for " + first_path +
                                     " — recent reconnects: [" + recent + "]",
                                 endpoint.dugdale_id, "events");
        };
        total += 1;
        if (total > settings.total_limit) throw exhausted("total", settings.total_limit);
        if (result.last_seq > reset_seq) {
            unproductive = 0;
            reset_seq = result.last_seq;
        } else {
            unproductive += 1;
            if (unproductive > settings.consecutive_limit) {
                throw exhausted("consecutive", settings.consecutive_limit);
            }
        }
        auto pause = std::chrono::duration_cast<Clock::duration>(reconnect_pause(unproductive));
        if (settings.deadline) pause = std::min(pause, std::max(Clock::duration::zero(), *settings.deadline - Clock::now()));
        co_await loop.sleep_for(pause);
        reconnecting = true;
    }
}

}  // namespace letts::net
