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

std::chrono::milliseconds reconnect_pause(int unproductive, std::span<const std::int64_t> schedule) {
    static constexpr std::int64_t default_schedule[] = {100, 500, 2000};
    if (schedule.empty()) schedule = default_schedule;
    const std::size_t index =
        std::min(static_cast<std::size_t>(std::max(1, unproductive)), schedule.size()) - 1;
    return std::chrono::milliseconds(std::max<std::int64_t>(0, schedule[index]));
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

namespace {

// Hands each event over once, in seq order, and remembers the `done` event;
// the decoder stops at `done` or when the handler asks to stop.
class EventDelivery {
public:
    EventDelivery(FollowResult& result, EventHandler& handler, NdjsonDecoder& decoder)
        : result_(result), handler_(handler), decoder_(decoder) {}

    void operator()(const cJSON* event, std::string_view line) {
        if (const auto seq = json::as_int(cJSON_GetObjectItemCaseSensitive(event, "seq"));
            seq && *seq > 0) {
            if (*seq <= result_.last_seq) return;  // never hand an event over twice
            result_.last_seq = *seq;
        }
        const bool is_done = json::get_string(event, "event").value_or("") == "done";
        if (!handler_(event, line)) {
            stopped_ = true;
            decoder_.stop();
            return;
        }
        if (is_done) {
            result_.done_event.reset(cJSON_Duplicate(event, 1));
            if (!result_.done_event) throw std::bad_alloc();
            decoder_.stop();
        }
    }

    bool stopped() const { return stopped_; }

private:
    FollowResult& result_;
    EventHandler& handler_;
    NdjsonDecoder& decoder_;
    bool stopped_ = false;
};

// The reconnect budget of client-behavior.md §7.2: counts every reconnect
// and the consecutive ones that brought no new event, and keeps the recent
// reasons for the message that ends the follow.
class ReconnectBudget {
public:
    ReconnectBudget(const FollowSettings& settings, std::span<const std::int64_t> schedule,
                    std::string first_path, std::string dugdale_id)
        : settings_(settings),
          schedule_(schedule),
          first_path_(std::move(first_path)),
          dugdale_id_(std::move(dugdale_id)),
          reset_seq_(settings.from) {}

    // Records one ended connection; throws Status::network when the budget
    // is spent, else returns the pause before the next connection.
    Clock::duration spend(const std::string& reason, Clock::duration lasted, std::int64_t last_seq) {
        history_.push_back(reason + " (" + one_decimal_seconds(lasted) + "s)");
        if (history_.size() > 8) history_.pop_front();
        total_ += 1;
        if (total_ > settings_.total_limit) throw exhausted("total", settings_.total_limit);
        if (last_seq > reset_seq_) {
            unproductive_ = 0;
            reset_seq_ = last_seq;
        } else if (++unproductive_ > settings_.consecutive_limit) {
            throw exhausted("consecutive", settings_.consecutive_limit);
        }
        auto pause = std::chrono::duration_cast<Clock::duration>(reconnect_pause(unproductive_, schedule_));
        if (settings_.deadline) {
            pause = std::min(pause, std::max(Clock::duration::zero(), *settings_.deadline - Clock::now()));
        }
        return pause;
    }

private:
    Error exhausted(const char* budget, int limit) const {
        std::string recent;
        for (const auto& entry : history_) {
            if (!recent.empty()) recent += "; ";
            recent += entry;
        }
        return network_error(std::string("event stream reconnect budget exhausted (") + budget +
                                 " limit " + std::to_string(limit) + ") for " + first_path_ +
                                 " — recent reconnects: [" + recent + "]",
                             dugdale_id_, "events");
    }

    const FollowSettings& settings_;
    std::span<const std::int64_t> schedule_;  // the transport's; empty = default
    std::string first_path_;
    std::string dugdale_id_;
    std::int64_t reset_seq_;
    int unproductive_ = 0;
    int total_ = 0;
    std::deque<std::string> history_;
};

// Why a connection that delivered no `done` ended ("eof", "http_503",
// "transport: ..."), for the reconnect history; other failures propagate.
Task<std::string> read_one_connection(Loop& loop, const Transport& transport,
                                      const Endpoint& endpoint, Request request,
                                      NdjsonDecoder& decoder, EventDelivery& delivery) {
    const NdjsonDecoder::EventFn on_event = [&](const cJSON* event, std::string_view line) {
        delivery(event, line);
    };
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
            if (delivery.stopped()) return SinkAction::stop;
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
        if (response.status >= 500) co_return "http_" + std::to_string(response.status);
        decoder.finish(on_event);  // nothing after a stop
        co_return "eof";
    } catch (const Error& error) {
        if (error.status() != Status::network) throw;
        co_return "transport: " + error.message();
    }
}

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
    ReconnectBudget budget(settings, transport.options().reconnect_backoff_ms, first_path,
                           endpoint.dugdale_id);
    bool reconnecting = false;

    const auto check_deadline = [&] {
        if (settings.deadline && Clock::now() >= *settings.deadline) {
            throw Error(Status::wait_timeout, wait_timeout_message());
        }
    };

    for (;;) {
        check_deadline();
        Request request;
        request.operation = "events";
        request.streaming = true;
        request.may_idle = settings.follow;
        request.target = reconnecting ? events_target(mission_id, settings.follow, result.last_seq)
                                      : first_path;
        NdjsonDecoder decoder(transport.options().max_event_line_bytes,
                              NdjsonDecoder::Overlong::fail);
        EventDelivery delivery(result, handler, decoder);
        const auto started = Clock::now();
        const std::string reason = co_await read_one_connection(loop, transport, endpoint,
                                                                std::move(request), decoder, delivery);
        if (delivery.stopped()) {
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
        check_deadline();
        co_await loop.sleep_for(budget.spend(reason, Clock::now() - started, result.last_seq));
        reconnecting = true;
    }
}

}  // namespace letts::net
