// Queries and control of missions (client-behavior.md §5.10–§5.14) and the
// stream extras of §13.
#include "client/client.hpp"


#include "core/error.hpp"
#include "net/http_error.hpp"
#include "net/perform_all.hpp"
#include "net/retry.hpp"
#include "net/url.hpp"

namespace letts::client {

namespace {

std::string mission_path(std::string_view id) { return "/v1/missions/" + net::escape(id); }

}  // namespace

std::optional<MissionInfo> Client::get_mission(std::string_view host, std::string_view id,
                                              config::Scope scope) const {
    if (!host.empty()) {
        const net::Endpoint where = endpoint(require_host(host, "getMission"), scope);
        net::Request request;
        request.target = mission_path(id);
        request.operation = "get mission";
        try {
            const json::Ptr answer = block([&](net::Loop& loop) {
                return net::perform_json_retried(loop, transport(), options().retry, where, request);
            });
            return mission_info_from_json(answer.get());
        } catch (const Error& error) {
            if (error.status() == Status::dispatch && error.http_status() == 404) return std::nullopt;
            throw;
        }
    }
    // Every dugdale at once on one multi handle; the earliest in file order
    // that knows the id wins, and a failing dugdale cannot mask a good one.
    std::vector<net::Endpoint> endpoints;
    for (const auto& dugdale : config().dugdales) {
        try {
            endpoints.push_back(endpoint(dugdale.id, scope));
        } catch (const Error&) {
            // missing token or variable: this dugdale cannot be asked
        }
    }
    net::Request request;
    request.target = mission_path(id);
    request.operation = "get mission";
    const auto answers = block([&](net::Loop& loop) {
        return net::perform_all(loop, transport(), endpoints, request, options().retry);
    });
    for (const auto& answer : answers) {
        if (!answer.response || answer.response->status != 200) continue;
        try {
            const json::Ptr parsed = net::json_answer(*answer.response, answer.endpoint, "get mission");
            return mission_info_from_json(parsed.get());
        } catch (const Error&) {
            continue;
        }
    }
    return std::nullopt;
}

MissionPage Client::list_missions(std::string_view host, const ListFilter& filter) const {
    const net::Endpoint where = endpoint(require_host(host, "listMissions"), config::Scope::admin);
    net::Request request;
    request.target = "/v1/missions" + net::query_string(filter.query);
    request.operation = "list missions";
    const json::Ptr answer = block([&](net::Loop& loop) {
        return net::perform_json_retried(loop, transport(), options().retry, where, request);
    });
    MissionPage page;
    if (const cJSON* missions = cJSON_GetObjectItemCaseSensitive(answer.get(), "missions");
        cJSON_IsArray(missions)) {
        for (const cJSON* entry = missions->child; entry; entry = entry->next) {
            page.missions.push_back(mission_info_from_json(entry));
        }
    }
    page.next_cursor = json::get_string(answer.get(), "next_cursor").value_or("");
    return page;
}

void Client::kill(std::string_view host, std::string_view id, std::string_view signal) const {
    const net::Endpoint where = endpoint(require_host(host, "kill"), config::Scope::admin);
    json::Ptr body = json::object();
    json::add(body.get(), "signal", json::string(signal.empty() ? "TERM" : signal));
    net::Request request;
    request.method = "POST";
    request.target = mission_path(id) + "/kill";
    request.operation = "kill";
    request.json_body = json::print(body.get());
    block([&](net::Loop& loop) { return transport().perform_json(loop, where, request); });  // never retried (§5.12)
}

std::string Client::restart(std::string_view host, std::string_view id) const {
    return restart_mission(host, id).mission_id;
}

RestartAnswer Client::restart_mission(std::string_view host, std::string_view id) const {
    const net::Endpoint where = endpoint(require_host(host, "restart"), config::Scope::admin);
    net::Request request;
    request.method = "POST";
    request.target = mission_path(id) + "/restart";
    request.operation = "restart";
    const json::Ptr answer = block([&](net::Loop& loop) {
        return transport().perform_json(loop, where, request);  // never retried (§5.13)
    });
    RestartAnswer restarted;
    restarted.mission_id = json::get_string(answer.get(), "mission_id").value_or("");
    restarted.restarted_from = json::get_string(answer.get(), "restarted_from").value_or("");
    restarted.status = json::get_string(answer.get(), "status").value_or("");
    restarted.json = json::print(answer.get());
    return restarted;
}

void Client::remove(std::string_view host, std::string_view id, bool force) const {
    const net::Endpoint where = endpoint(require_host(host, "delete"), config::Scope::admin);
    net::Request request;
    request.method = "DELETE";
    request.target = mission_path(id) + (force ? "?force=true" : "");
    request.operation = "delete";
    block([&](net::Loop& loop) {
        return net::perform_json_retried(loop, transport(), options().retry, where, request);
    });
}

net::FollowResult Client::follow_events(std::string_view host, std::string_view id,
                                        const net::FollowSettings& settings,
                                        const net::EventHandler& handler, config::Scope scope) const {
    const net::Endpoint where = endpoint(require_host(host, "events"), scope);
    try {
        return block([&](net::Loop& loop) {
            return net::follow_events(loop, transport(), where, std::string(id), settings, handler);
        });
    } catch (const Error& error) {
        // The stream ended before the mission did: name it (error.h).
        if (error.status() == Status::cancelled || error.status() == Status::wait_timeout) {
            throw Error(error).mission(std::string(id));
        }
        throw;
    }
}

void Client::stream_output(std::string_view host, std::string_view id, std::string_view stream,
                           bool follow, const std::function<bool(std::string_view)>& sink,
                           config::Scope scope) const {
    if (stream != "stdout" && stream != "stderr" && stream != "combined") {
        throw Error(Status::invalid_argument,
                    "stream must be stdout, stderr or combined, got \"" + std::string(stream) + "\"");
    }
    const net::Endpoint where = endpoint(require_host(host, "output"), scope);
    net::Request request;
    request.target = mission_path(id) + "/output?stream=" + std::string(stream) +
                     (follow ? "&follow=true" : "");
    request.operation = "output";
    request.streaming = true;
    request.may_idle = follow;
    bool stopped = false;
    const net::Response response = block([&](net::Loop& loop) {
        return transport().perform(loop, where, request, [&sink, &stopped](std::string_view chunk) {
            if (sink(chunk)) return net::SinkAction::proceed;
            stopped = true;
            return net::SinkAction::stop;
        });
    });
    if (stopped) throw Error(Status::interrupted, "output stream stopped by the callback");
    if (response.status >= 400) {
        throw net::http_error(response.status, response.body, where.dugdale_id, "output");
    }
    if (response.status < 200 || response.status >= 300) {
        throw net::unexpected_status(response.status, "200", where.dugdale_id, "output");
    }
}

}  // namespace letts::client
