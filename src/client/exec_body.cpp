// The request body of POST /v1/exec/dispatch and the local checks of an
// exec spec (http-api.md §5.6; the key set of the Go client's ExecRequest).
#include "client/exec.hpp"

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/names.hpp"

namespace letts::client {

namespace {

json::Ptr keyed(std::string_view key, const std::string* staging_id) {
    json::Ptr entry = json::object();
    json::add(entry.get(), "key", json::string(std::string(key)));
    if (staging_id) json::add(entry.get(), "staging_id", json::string(*staging_id));
    return entry;
}

void add_if_set(cJSON* body, const char* name, const std::string& value) {
    if (!value.empty()) json::add(body, name, json::string(value));
}

}  // namespace

std::string exec_body(const ExecSpec& spec, const ExecStaged& staged) {
    json::Ptr body = json::object();
    json::add(body.get(), "lane", json::string(spec.lane));
    json::Ptr command = json::array();
    for (const auto& arg : spec.command) json::append(command.get(), json::string(arg));
    json::add(body.get(), "command", std::move(command));
    if (!staged.script.empty()) {
        json::Ptr script = json::object();
        json::add(script.get(), "staging_id", json::string(staged.script));
        json::add(body.get(), "script", std::move(script));
    }
    if (!staged.in.empty()) {
        json::Ptr in = json::array();
        for (const auto& [key, id] : staged.in) json::append(in.get(), keyed(key, &id));
        json::add(body.get(), "in", std::move(in));
    }
    if (!spec.out.empty()) {
        json::Ptr out = json::array();
        for (const auto& key : spec.out) json::append(out.get(), keyed(key, nullptr));
        json::add(body.get(), "out", std::move(out));
    }
    // The daemon treats single and broadcast alike; broadcast only means
    // something to a client fanning one exec out to several hosts.
    if (!staged.stdin_id.empty()) {
        json::add(body.get(), "stdin", json::string("single"));
        json::add(body.get(), "stdin_staging_id", json::string(staged.stdin_id));
    }
    add_if_set(body.get(), "timeout", spec.timeout);
    add_if_set(body.get(), "group_id", spec.group_id);
    add_if_set(body.get(), "display_name", spec.display_name);
    return json::print(body.get());
}

void check_exec_spec(const ExecSpec& spec) {
    auto refuse = [](const std::string& why) { throw Error(Status::invalid_argument, "exec: " + why); };
    if (spec.lane.empty()) refuse("lane is required");
    if (spec.command.empty()) refuse("command (argv) is empty");
    // The Go client refuses a bad key before sending it: it is the
    // Idempotency-Key, and the daemon would only answer 400.
    if (!spec.exec_id.empty() && !names::is_uuidv7(spec.exec_id)) {
        refuse("exec id must be a UUIDv7, got \"" + spec.exec_id + "\"");
    }
    if (!spec.stdin_path.empty() && spec.stdin_bytes) refuse("stdin is given both as a file and as bytes");
}

}  // namespace letts::client
