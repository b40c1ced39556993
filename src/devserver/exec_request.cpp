#include "devserver/exec_request.hpp"

#include <algorithm>
#include <chrono>
#include <string_view>

#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/names.hpp"
#include "core/sha256.hpp"
#include "core/uuidv7.hpp"
#include "devserver/first_duplicate.hpp"
#include "devserver/json_value.hpp"
#include "devserver/replies.hpp"

namespace letts::devserver {
namespace {

using Refusal = std::optional<http::Response>;

http::Response bad(const std::string& message, const std::string& details = {}) {
    return reply::error(400, "bad_request", message, details);
}

http::Response type_error(const char* field, const char* expected) {
    return bad(std::string("invalid JSON body: ") + field + " must be " + expected);
}

// A string member as Go decodes it into a string field: absent or null
// keeps "", another type fails.
bool read_string(const jv::Value& obj, const char* name, std::string& out) {
    const jv::Value* v = obj.find_fold(name);
    if (!v || v->type == jv::Type::null) return true;
    if (v->type != jv::Type::string) return false;
    out = v->text;
    return true;
}

Refusal read_command(const jv::Value& root, ExecRequest& r) {
    const jv::Value* v = root.find_fold("command");
    if (!v || v->type == jv::Type::null) return std::nullopt;
    if (v->type != jv::Type::array) return type_error("command", "an array of strings");
    for (const auto& item : v->items) {
        if (item.type != jv::Type::string && item.type != jv::Type::null)
            return type_error("command", "an array of strings");
        r.command.push_back(item.text);
    }
    return std::nullopt;
}

Refusal read_script(const jv::Value& root, ExecRequest& r) {
    const jv::Value* v = root.find_fold("script");
    if (!v || v->type == jv::Type::null) return std::nullopt;
    if (v->type != jv::Type::object) return type_error("script", "an object {\"staging_id\": string}");
    std::string id;
    if (!read_string(*v, "staging_id", id)) return type_error("script.staging_id", "a string");
    r.script = id;
    return std::nullopt;
}

// `in` (key + staging_id) or `out` (key only): an array of objects; a null
// entry decodes as an empty one, as in Go.
Refusal read_files(const jv::Value& root, const char* slot, ExecRequest& r) {
    const bool in = std::string_view(slot) == "in";
    const jv::Value* v = root.find_fold(slot);
    if (!v || v->type == jv::Type::null) return std::nullopt;
    const std::string what = std::string(slot) + " entries";
    if (v->type != jv::Type::array) return type_error(slot, "an array of objects");
    for (const auto& item : v->items) {
        ExecInRef ref;
        if (item.type != jv::Type::null) {
            if (item.type != jv::Type::object) return type_error(what.c_str(), "objects");
            if (!read_string(item, "key", ref.key)) return type_error((what + " key").c_str(), "a string");
            if (in && !read_string(item, "staging_id", ref.staging_id))
                return type_error((what + " staging_id").c_str(), "a string");
        }
        if (in)
            r.in.push_back(std::move(ref));
        else
            r.out.push_back(std::move(ref.key));
    }
    return std::nullopt;
}

Refusal decode(const jv::Value& root, ExecRequest& r) {
    if (root.type != jv::Type::object && root.type != jv::Type::null)
        return bad(std::string("invalid JSON body: cannot unmarshal ") + root.go_type_name() + " into exec request");
    if (root.type == jv::Type::null) return std::nullopt;
    const std::pair<const char*, std::string*> strings[] = {
        {"lane", &r.lane},       {"stdin", &r.stdin_mode},    {"stdin_staging_id", &r.stdin_staging_id},
        {"timeout", &r.timeout}, {"group_id", &r.group_id}, {"display_name", &r.display_name}};
    for (const auto& [name, field] : strings)
        if (!read_string(root, name, *field)) return type_error(name, "a string");
    if (auto e = read_command(root, r)) return e;
    if (auto e = read_script(root, r)) return e;
    if (auto e = read_files(root, "in", r)) return e;
    return read_files(root, "out", r);
}

std::string key_message(const std::string& slot, const std::string& key) {
    if (names::role_key_fault(key) == names::RoleKeyFault::reserved_prefix)
        return slot + "[].key \"" + key + "\" uses the reserved prefix \"__\"";
    return slot + "[].key \"" + key + "\" must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$";
}

// Rows 9–11: key rule, duplicates, counts.
Refusal check_keys(const ExecRequest& r, const ExecConfig& c) {
    std::vector<std::string> in_keys;
    for (const auto& e : r.in) in_keys.push_back(e.key);
    const std::pair<const char*, const std::vector<std::string>*> slots[] = {{"in", &in_keys}, {"out", &r.out}};
    for (const auto& [slot, keys] : slots)
        for (const auto& k : *keys)
            if (!names::is_role_key(k))
                return reply::error(400, "invalid_key", key_message(slot, k),
                                    std::string("{\"key\":") + jv::quote(k) + ",\"slot\":\"" + slot + "\"}");
    // Duplicates come before the count cap, so a body at the size limit
    // (~100k keys) is searched in full.
    for (const auto& [slot, keys] : slots)
        if (const auto dup = first_duplicate(*keys))
            return reply::error(400, "duplicate_key", std::string("duplicate key in ") + slot + "[]: \"" + *dup + "\"",
                                "{\"key\":" + jv::quote(*dup) + "}");
    const std::pair<const char*, std::int64_t> caps[] = {{"in", c.max_inputs_per_exec},
                                                         {"out", c.max_outputs_per_exec}};
    for (const auto& [slot, max] : caps) {
        const auto n = static_cast<std::int64_t>(std::string_view(slot) == "in" ? in_keys.size() : r.out.size());
        if (max > 0 && n > max)
            return reply::error(400, "too_many_files",
                                std::string(slot) + "[] has " + std::to_string(n) + " entries, exceeds max_" +
                                    (std::string_view(slot) == "in" ? "inputs" : "outputs") + "_per_exec (" +
                                    std::to_string(max) + ")",
                                "{\"count\":" + std::to_string(n) + ",\"max\":" + std::to_string(max) + "}");
    }
    return std::nullopt;
}

// The shell "-c" form: a shell as argv[0] and a later --command or a short
// option cluster with a `c` in it.
bool is_shell_form(const std::vector<std::string>& argv) {
    if (argv.empty()) return false;
    const std::string& first = argv[0];
    const auto slash = first.rfind('/');
    const std::string base = slash == std::string::npos ? first : first.substr(slash + 1);
    static const char* const shells[] = {"sh", "bash", "zsh", "dash", "ksh", "ash"};
    if (std::none_of(std::begin(shells), std::end(shells), [&](const char* s) { return base == s; })) return false;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "--command") return true;
        if (a.size() > 1 && a[0] == '-' && a[1] != '-' && a.find('c') != std::string::npos) return true;
    }
    return false;
}

Refusal invalid_staging(const std::string& field, const std::string& id, const std::string& key = {}) {
    std::string details = "{";
    if (!key.empty()) details += "\"key\":" + jv::quote(key) + ",";
    details += "\"staging_id\":" + jv::quote(id) + "}";
    return reply::error(400, "invalid_staging_id", field + " is not a valid UUIDv7: \"" + id + "\"", details);
}

// Rows 13–17: stdin mode and its file, then every staging id's form.
Refusal check_staging_ids(const ExecRequest& r) {
    const std::string& mode = r.stdin_mode;
    if (mode != "" && mode != "none" && mode != "single" && mode != "broadcast")
        return bad("stdin must be one of none, single, broadcast (got \"" + mode + "\")",
                   "{\"stdin\":" + jv::quote(mode) + "}");
    const bool none = mode.empty() || mode == "none";
    if (none && !r.stdin_staging_id.empty()) return bad("stdin_staging_id given but stdin is none");
    if (!none && r.stdin_staging_id.empty()) return bad("stdin_staging_id is required when stdin is " + mode);
    if (!none && !uuidv7::is_valid(r.stdin_staging_id)) return invalid_staging("stdin_staging_id", r.stdin_staging_id);
    if (r.script && !uuidv7::is_valid(*r.script)) return invalid_staging("script.staging_id", *r.script);
    for (const auto& e : r.in)
        if (!uuidv7::is_valid(e.staging_id)) return invalid_staging("in[].staging_id", e.staging_id, e.key);
    return std::nullopt;
}

// Rows 18–21: timeout, group_id, display_name.
Refusal check_attributes(ExecRequest& r) {
    if (!r.timeout.empty()) {
        try {
            r.timeout_ms =
                std::chrono::duration_cast<std::chrono::milliseconds>(duration::parse_timeout(r.timeout)).count();
        } catch (const Error&) {
            return bad("invalid timeout \"" + r.timeout + "\"");
        }
    }
    if (!r.group_id.empty() && !uuidv7::is_valid(r.group_id))
        return bad("group_id must be a UUIDv7 (got \"" + r.group_id + "\")");
    const auto n = r.display_name.size();
    if (n > 256)
        return bad("display_name is " + std::to_string(n) + " bytes, exceeds 256",
                   "{\"length\":" + std::to_string(n) + ",\"max\":256}");
    for (unsigned char b : r.display_name)
        if (b < 0x20 || b == 0x7f) return bad("display_name contains a control character");
    return std::nullopt;
}

}  // namespace

std::optional<http::Response> parse_exec_request(const std::string& body, const ExecConfig& config,
                                                 ExecRequest& r) {
    auto parsed = jv::parse(body);
    if (!parsed.value) return bad("invalid JSON body: " + parsed.error);
    if (auto e = decode(*parsed.value, r)) return e;
    if (r.lane.empty()) return bad("lane is required");
    if (r.command.empty()) return bad("command is required (a non-empty argv)");
    if (auto e = check_keys(r, config)) return e;
    if (!config.allow_shell && is_shell_form(r.command))
        return reply::error(400, "shell_form_disabled",
                            "command is a shell -c form and exec.allow_shell is false");
    if (auto e = check_staging_ids(r)) return e;
    return check_attributes(r);
}

std::string exec_stored_input(const ExecRequest& r) {
    std::string s = "{\"lane\":" + jv::quote(r.lane) + ",\"command\":[";
    for (std::size_t i = 0; i < r.command.size(); ++i) s += (i ? "," : "") + jv::quote(r.command[i]);
    s += "]";
    if (r.script) s += ",\"script\":{\"staging_id\":" + jv::quote(*r.script) + "}";
    if (!r.in.empty()) {
        s += ",\"in\":[";
        for (std::size_t i = 0; i < r.in.size(); ++i)
            s += std::string(i ? "," : "") + "{\"key\":" + jv::quote(r.in[i].key) +
                 ",\"staging_id\":" + jv::quote(r.in[i].staging_id) + "}";
        s += "]";
    }
    if (!r.out.empty()) {
        s += ",\"out\":[";
        for (std::size_t i = 0; i < r.out.size(); ++i) s += std::string(i ? "," : "") + "{\"key\":" + jv::quote(r.out[i]) + "}";
        s += "]";
    }
    const std::pair<const char*, const std::string*> optional[] = {
        {"stdin", &r.stdin_mode},    {"stdin_staging_id", &r.stdin_staging_id}, {"timeout", &r.timeout},
        {"group_id", &r.group_id}, {"display_name", &r.display_name}};
    for (const auto& [name, value] : optional)
        if (!value->empty()) s += std::string(",\"") + name + "\":" + jv::quote(*value);
    return s + "}";
}

std::string exec_fingerprint(const ExecRequest& r, std::vector<InputRef> inputs, const std::string& script_sha256) {
    std::sort(inputs.begin(), inputs.end(), [](const auto& a, const auto& b) { return a.role < b.role; });
    std::vector<std::string> out = r.out;
    std::sort(out.begin(), out.end());
    // Members in canonical (sorted) order: the text is already JCS.
    std::string doc = "{\"command\":[";
    for (std::size_t i = 0; i < r.command.size(); ++i) doc += (i ? "," : "") + jv::quote(r.command[i]);
    doc += "],\"in\":[";
    for (std::size_t i = 0; i < inputs.size(); ++i)
        doc += std::string(i ? "," : "") + "{\"key\":" + jv::quote(inputs[i].role) +
               ",\"sha256\":" + jv::quote(inputs[i].sha256) + ",\"size\":" + std::to_string(inputs[i].size) +
               ",\"staging_id\":" + jv::quote(inputs[i].staging_id) + "}";
    doc += "],\"kind\":\"exec\",\"lane\":" + jv::quote(r.lane) + ",\"out\":[";
    for (std::size_t i = 0; i < out.size(); ++i) doc += std::string(i ? "," : "") + "{\"key\":" + jv::quote(out[i]) + "}";
    doc += "],\"script\":";
    doc += r.script ? "{\"sha256\":" + jv::quote(script_sha256) + ",\"staging_id\":" + jv::quote(*r.script) + "}"
                    : std::string("null");
    const std::string mode = r.stdin_mode.empty() ? "none" : r.stdin_mode;
    doc += ",\"stdin\":" + jv::quote(mode) + ",\"stdin_staging_id\":" +
           (r.stdin_staging_id.empty() ? std::string("null") : jv::quote(r.stdin_staging_id));
    doc += ",\"timeout_ms\":" + (r.timeout_ms ? std::to_string(*r.timeout_ms) : std::string("null")) + "}";
    return sha256_hex(doc);
}

}  // namespace letts::devserver
