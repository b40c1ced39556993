#include "devserver/dugdale_config.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <fstream>
#include <sstream>

#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/yaml_decode.hpp"

namespace letts::devserver {
namespace {

using yaml::Kind;
using yaml::Node;
using yaml::Type;

// The YAML tag name as the daemon's messages spell it ("!!str", "!!int", …).
std::string tag_name(const Node& n) {
    switch (n.kind) {
        case Kind::sequence: return "!!seq";
        case Kind::mapping: return "!!map";
        case Kind::scalar: break;
    }
    switch (n.type) {
        case Type::null: return "!!null";
        case Type::boolean: return "!!bool";
        case Type::integer: return "!!int";
        case Type::floating: return "!!float";
        case Type::string: break;
    }
    return "!!str";
}

[[noreturn]] void decode_error(std::size_t line, const std::string& what) {
    // The daemon's YAML library reports decoding problems as
    // "yaml: unmarshal errors:\n  line N: …", prefixed by the loader.
    throw Error(Status::config, "parse dugdale config: yaml: unmarshal errors:\n  line " +
                                    std::to_string(line) + ": " + what);
}

[[noreturn]] void type_error(const Node& n, const std::string& go_type) {
    std::string shown = tag_name(n);
    if (n.kind == Kind::scalar) shown += " `" + n.text + "`";
    decode_error(n.mark.line, "cannot unmarshal " + shown + " into " + go_type);
}

// The daemon's strict decoder: an unknown key or a mapping of the wrong kind
// is reported against the Go type the mapping decodes into, which is the
// label each table of this file carries.
class GoDecoder final : public yaml::Wording {
public:
    [[noreturn]] void unknown_key(std::string_view go_type,
                                  const yaml::Entry& entry) const override {
        decode_error(entry.key_mark.line,
                     "field " + entry.key + " not found in type " + std::string(go_type));
    }
    [[noreturn]] void not_a_mapping(std::string_view go_type, const Node& node) const override {
        type_error(node, std::string(go_type));
    }
};

const GoDecoder go;

// Scalars decode into a Go string whatever their resolved type (the
// daemon's YAML library keeps the literal text); null is the zero value.
std::string string_of(const Node& n) {
    if (n.is_null()) return std::string();
    if (n.kind != Kind::scalar) type_error(n, "string");
    return n.text;
}

yaml::Handler string_into(std::string& out) {
    return [&out](const Node& n, const std::string&) { out = string_of(n); };
}

bool parse_bool_text(const std::string& v, bool& out) {
    // YAML 1.1 spellings are still honoured when decoding into a bool.
    for (const char* t : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"})
        if (v == t) return out = true, true;
    for (const char* f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"})
        if (v == f) return out = false, true;
    return false;
}

yaml::Handler bool_into(bool& out) {
    return [&out](const Node& n, const std::string&) {
        if (n.is_null()) {
            out = false;
            return;
        }
        const bool ok = n.kind == Kind::scalar && (n.type == Type::boolean || n.type == Type::string) &&
                        parse_bool_text(n.text, out);
        if (!ok) type_error(n, "bool");
    };
}

// A Go `int` field: only integer scalars decode.
enum class OnNull { keep_default, zero };  // *int "absent" sentinel, or plain int

yaml::Handler int_into(std::int64_t& out, OnNull on_null) {
    return [&out, on_null](const Node& n, const std::string&) {
        if (n.is_null()) {
            if (on_null == OnNull::zero) out = 0;
            return;
        }
        // The YAML tree decides what is an !!int (core/yaml_tree.cpp: a
        // sign, 0x, 0o); core reads its value, refusing one beyond int64.
        const auto value = n.kind == Kind::scalar && n.type == Type::integer ? yaml::integer_value(n) : std::nullopt;
        if (!value) type_error(n, "int");
        out = *value;
    };
}

yaml::Handler strings_into(std::vector<std::string>& out) {
    return [&out](const Node& n, const std::string&) {
        out.clear();
        if (n.is_null()) return;
        if (n.kind != Kind::sequence) type_error(n, "[]string");
        for (const auto& item : n.items)
            out.push_back(string_of(*item));
    };
}

yaml::Handler string_map_into(std::map<std::string, std::string>& out) {
    return [&out](const Node& n, const std::string&) {
        out.clear();
        yaml::decode_entries(n, "map[string]string", go, [&out](const yaml::Entry& entry) {
            out[entry.key] = string_of(*entry.value);
        });
    };
}

// Sizes and durations are strings in the daemon's structure and parsed after
// decoding; an empty string keeps the default.
yaml::Handler size_into(std::int64_t& out) {
    return [&out](const Node& n, const std::string&) {
        const std::string raw = string_of(n);
        if (raw.empty()) return;
        if (!parse_byte_size(raw, out))
            throw Error(Status::config, "invalid byte size \"" + raw + "\"");
    };
}

yaml::Handler duration_into(Nanos& out) {
    return [&out](const Node& n, const std::string&) {
        const std::string raw = string_of(n);
        if (raw.empty()) return;
        if (!parse_config_duration(raw, out))
            throw Error(Status::config, "invalid duration \"" + raw + "\"");
    };
}

// A nested struct: `decode_struct(const Node&, T&)` is the table of its keys.
template <class T>
yaml::Handler struct_into(T& out, void (*decode_struct)(const Node&, T&)) {
    return [&out, decode_struct](const Node& n, const std::string&) { decode_struct(n, out); };
}

// ---- the daemon's config structs --------------------------------------------

void decode_network(const Node& n, NetworkConfig& c) {
    yaml::Fields("config.NetworkConfig", go)
        .field("behind_tls_proxy", bool_into(c.behind_tls_proxy))
        .field("insecure_plain_http", bool_into(c.insecure_plain_http))
        .field("trusted_proxies", strings_into(c.trusted_proxies))
        .field("use_x_forwarded_for", bool_into(c.use_x_forwarded_for))
        .decode(n);
}

void decode_log(const Node& n, LogConfig& c) {
    yaml::Fields("config.LogConfig", go)
        .field("level", string_into(c.level))
        .field("format", string_into(c.format))
        .field("output", string_into(c.output))
        .decode(n);
}

void decode_cleanup(const Node& n, CleanupConfig& c) {
    yaml::Fields("config.CleanupConfig", go)
        .field("success_ttl", duration_into(c.success_ttl))
        .field("failed_ttl", duration_into(c.failed_ttl))
        .field("staging_ttl", duration_into(c.staging_ttl))
        .field("downloaded_grace", duration_into(c.downloaded_grace))
        .field("lost_cleanup_grace", duration_into(c.lost_cleanup_grace))
        .field("sweep_interval", duration_into(c.sweep_interval))
        .decode(n);
}

void decode_limits(const Node& n, LimitsConfig& l) {
    yaml::Fields("config.LimitsConfig", go)
        .field("max_output_buffer", size_into(l.max_output_buffer))
        .field("max_events_buffer", size_into(l.max_events_buffer))
        .field("max_event_line_size", size_into(l.max_event_line_size))
        .field("max_return_value_size", size_into(l.max_return_value_size))
        .field("max_fail_message_size", size_into(l.max_fail_message_size))
        .field("max_fail_details_size", size_into(l.max_fail_details_size))
        .field("max_dispatch_body_size", size_into(l.max_dispatch_body_size))
        .field("max_mission_input_size", size_into(l.max_mission_input_size))
        .field("max_exec_body_size", size_into(l.max_exec_body_size))
        .field("max_apply_body_size", size_into(l.max_apply_body_size))
        .field("progress_buffer_size", size_into(l.progress_buffer_size))
        .field("max_output_file_size", size_into(l.max_output_file_size))
        .field("max_staging_upload_size", size_into(l.max_staging_upload_size))
        .field("upload_idle_timeout", duration_into(l.upload_idle_timeout))
        .field("max_incomplete_staging_bytes", size_into(l.max_incomplete_staging_bytes))
        .field("max_incomplete_staging_uploads",
               int_into(l.max_incomplete_staging_uploads, OnNull::keep_default))
        .field("max_progress_rate", int_into(l.max_progress_rate, OnNull::keep_default))
        .field("max_output_files_per_mission",
               int_into(l.max_output_files_per_mission, OnNull::keep_default))
        .field("max_data_dir_size", size_into(l.max_data_dir_size))
        .field("default_kill_grace", duration_into(l.default_kill_grace))
        .field("reader_post_exit_grace", duration_into(l.reader_post_exit_grace))
        .field("max_queue_per_lane", int_into(l.max_queue_per_lane, OnNull::zero))
        .field("max_queue_total", int_into(l.max_queue_total, OnNull::zero))
        .field("cache_size", int_into(l.cache_size, OnNull::zero))
        .decode(n);
    if (l.cache_size == 0) l.cache_size = -16000;
}

void decode_mission_env(const Node& n, MissionEnvConfig& c) {
    yaml::Fields("config.MissionEnvConfig", go)
        .field("inherit", strings_into(c.inherit))
        .field("set", string_map_into(c.set))
        .decode(n);
}

void decode_exec(const Node& n, ExecConfig& e) {
    yaml::Fields("config.ExecConfig", go)
        .field("enabled", bool_into(e.enabled))
        .field("tokens", strings_into(e.tokens))
        .field("allow_shell", bool_into(e.allow_shell))
        .field("max_script_size", size_into(e.max_script_size))
        .field("max_inputs_per_exec", int_into(e.max_inputs_per_exec, OnNull::keep_default))
        .field("max_outputs_per_exec", int_into(e.max_outputs_per_exec, OnNull::keep_default))
        .field("exec_success_ttl", duration_into(e.exec_success_ttl))
        .field("exec_failed_ttl", duration_into(e.exec_failed_ttl))
        .decode(n);
}

// auth and admin are structs of one key each in the daemon.
yaml::Handler tokens_into(std::vector<std::string>& out, const char* go_type) {
    return [&out, go_type](const Node& n, const std::string&) {
        yaml::Fields(go_type, go).field("tokens", strings_into(out)).decode(n);
    };
}

void decode(const Node& root, DugdaleConfig& c) {
    yaml::Fields("config.DugdaleConfig", go)
        .field("listen", string_into(c.listen))
        .field("data_dir", string_into(c.data_dir))
        .field("network", struct_into(c.network, decode_network))
        .field("auth", tokens_into(c.auth_tokens, "config.AuthConfig"))
        .field("admin", tokens_into(c.admin_tokens, "config.AdminConfig"))
        .field("log", struct_into(c.log, decode_log))
        .field("cleanup", struct_into(c.cleanup, decode_cleanup))
        .field("limits", struct_into(c.limits, decode_limits))
        .field("mission_env", struct_into(c.mission_env, decode_mission_env))
        .field("exec", struct_into(c.exec, decode_exec))
        .decode(root);
    if (c.log.level.empty()) c.log.level = "info";
    if (c.log.format.empty()) c.log.format = "json";
    if (c.log.output.empty()) c.log.output = "stderr";
}

bool is_loopback_listen(const std::string& listen) {
    std::string host = listen;
    // host:port, [v6]:port, or a bare host.
    if (!host.empty() && host.front() == '[') {
        auto close = host.find(']');
        host = close == std::string::npos ? host : host.substr(1, close - 1);
    } else if (auto colon = host.rfind(':');
               colon != std::string::npos && host.find(':') == colon) {
        host = host.substr(0, colon);
    }
    if (host.empty()) return false;
    if (host == "localhost") return true;
    unsigned char buf[16];
    if (inet_pton(AF_INET, host.c_str(), buf) == 1) return buf[0] == 127;
    if (inet_pton(AF_INET6, host.c_str(), buf) == 1) {
        static const unsigned char loop6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        if (std::equal(buf, buf + 16, loop6)) return true;
        // v4-mapped ::ffff:127.x.y.z
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        return std::equal(buf, buf + 12, mapped) && buf[12] == 127;
    }
    return false;
}

// Go's int addition (the daemon is written in Go): it wraps around on
// overflow, where C++'s signed addition is undefined. Configured sizes may
// each be near the int64 limit, so their sum can overflow.
std::int64_t go_add(std::int64_t a, std::int64_t b) {
    const auto sum = static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b);
    return static_cast<std::int64_t>(sum);
}

// The done event must always fit in one events line.
void check_done_event_fits(const LimitsConfig& l) {
    constexpr std::int64_t envelope = 64 * 1024;
    if (l.max_event_line_size <= 0) return;
    if (go_add(l.max_return_value_size, envelope) > l.max_event_line_size)
        throw Error(Status::config,
                    "refuse to start: max_return_value_size (" +
                        std::to_string(l.max_return_value_size) + ") + done-event envelope (" +
                        std::to_string(envelope) + ") exceeds max_event_line_size (" +
                        std::to_string(l.max_event_line_size) +
                        "); a success done event could not be written");
    if (go_add(go_add(l.max_fail_message_size, l.max_fail_details_size), envelope) >
        l.max_event_line_size)
        throw Error(Status::config,
                    "refuse to start: max_fail_message_size (" +
                        std::to_string(l.max_fail_message_size) + ") + max_fail_details_size (" +
                        std::to_string(l.max_fail_details_size) + ") + done-event envelope (" +
                        std::to_string(envelope) + ") exceeds max_event_line_size (" +
                        std::to_string(l.max_event_line_size) +
                        "); a failed done event could not be written");
}

void validate(const DugdaleConfig& c) {
    if (c.listen.empty()) throw Error(Status::config, "listen is required");
    if (c.data_dir.empty()) throw Error(Status::config, "data_dir is required");

    if (!is_loopback_listen(c.listen) && !c.network.behind_tls_proxy &&
        !c.network.insecure_plain_http) {
        std::vector<std::string> active;
        if (!c.auth_tokens.empty()) active.push_back("auth");
        if (!c.admin_tokens.empty()) active.push_back("admin");
        if (c.exec.enabled && !c.exec.tokens.empty()) active.push_back("exec");
        if (!active.empty()) {
            std::string joined;
            for (const auto& a : active) joined += (joined.empty() ? "" : "/") + a;
            throw Error(Status::config,
                        "refuse to start: listen \"" + c.listen + "\" is non-loopback and " + joined +
                            " tokens are configured, but network.behind_tls_proxy is not set; "
                            "bearer tokens would travel in plain HTTP (set behind_tls_proxy=true "
                            "if a TLS proxy fronts this listener, or insecure_plain_http=true for "
                            "dev/lab)");
        }
    }
    for (const auto& [k, v] : c.mission_env.set)
        if (k.rfind("LETTS_", 0) == 0)
            throw Error(Status::config,
                        "mission_env.set key \"" + k + "\" uses reserved LETTS_* namespace");
    for (const auto& name : c.mission_env.inherit)
        if (name.rfind("LETTS_", 0) == 0)
            throw Error(Status::config,
                        "mission_env.inherit name \"" + name + "\" uses reserved LETTS_* namespace");
    if (c.exec.enabled && c.exec.tokens.empty() && c.admin_tokens.empty())
        throw Error(Status::config,
                    "refuse to start: exec.enabled=true but no usable auth path (set at least one "
                    "of: exec.tokens, admin.tokens)");
    const auto& lv = c.log.level;
    if (lv != "debug" && lv != "info" && lv != "warn" && lv != "error")
        throw Error(Status::config,
                    "invalid log.level \"" + lv + "\" (want debug|info|warn|error)");
    if (c.log.format != "json" && c.log.format != "text")
        throw Error(Status::config,
                    "invalid log.format \"" + c.log.format + "\" (want json|text)");

    check_done_event_fits(c.limits);
}

// The blanks a byte size may have around its number and unit: spaces and
// tabs only, not Go's TrimSpace set (a line break inside a size stays an
// error, as it always was here).
constexpr std::string_view kSizeBlanks = " \t";

}  // namespace

bool parse_byte_size(std::string_view text, std::int64_t& out) {
    std::string_view s = text::trim(text, kSizeBlanks);
    std::int64_t mult = 1;
    auto strip = [&s](std::string_view suffix) {
        if (s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
            s.remove_suffix(suffix.size());
            return true;
        }
        return false;
    };
    if (strip("GiB")) mult = 1024LL * 1024 * 1024;
    else if (strip("MiB")) mult = 1024LL * 1024;
    else if (strip("KiB")) mult = 1024;
    s = text::trim(s, kSizeBlanks);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    std::int64_t n = 0;
    if (!text::parse_int64(s, n) || n < 0) return false;
    if (n > INT64_MAX / mult) return false;
    out = n * mult;
    return true;
}

bool parse_config_duration(std::string_view text, Nanos& out) {
    // core/duration implements the daemon's grammar ("<N>d" or Go syntax,
    // not negative); this caller reports failure as a bool so the decoder
    // can word the config error itself.
    try {
        out = duration::parse_config(text).count();
        return true;
    } catch (const Error&) {
        return false;
    }
}

DugdaleConfig parse_dugdale_config(std::string_view yaml_text, std::string_view origin) {
    DugdaleConfig c;
    yaml::NodePtr root;
    try {
        root = yaml::parse(yaml_text);
    } catch (const Error& e) {
        throw Error(Status::config, std::string(origin) + ": " + e.message());
    }
    decode(*root, c);
    validate(c);
    return c;
}

DugdaleConfig load_dugdale_config_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Status::config, "read dugdale config " + path + ": cannot open file");
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) throw Error(Status::config, "read dugdale config " + path + ": read failed");
    return parse_dugdale_config(buf.str(), path);
}

void check_config_permissions(const std::string& path, const DugdaleConfig& c) {
    const bool secrets = !c.auth_tokens.empty() || !c.admin_tokens.empty() ||
                         !c.exec.tokens.empty() || !c.mission_env.set.empty();
    if (!secrets) return;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error(Status::config, "stat config: " + path + ": cannot stat");
    const unsigned mode = st.st_mode & 0777;
    if (mode != 0600 && mode != 0400) {
        char octal[8];
        std::snprintf(octal, sizeof octal, "%o", mode);
        throw Error(Status::config, "config " + path + " has unsafe permissions " + octal +
                                        "; require 0600/0400 owned by process user");
    }
    if (st.st_uid != ::getuid())
        throw Error(Status::config, "config " + path + " owned by uid " +
                                        std::to_string(st.st_uid) + " but process uid is " +
                                        std::to_string(::getuid()));
}

}  // namespace letts::devserver
