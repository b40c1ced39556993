// dugdale.yaml: the daemon's own configuration file, decoded exactly as the
// daemon decodes it (strict keys, the same defaults, the same start-up
// validation), so letts-devserver can be pointed at a real deployment's file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace letts::devserver {

// Durations are kept in nanoseconds, like the daemon's time.Duration.
using Nanos = std::int64_t;
constexpr Nanos kSecond = 1'000'000'000;

struct NetworkConfig {
    bool behind_tls_proxy = false;
    bool insecure_plain_http = false;
    std::vector<std::string> trusted_proxies;
    bool use_x_forwarded_for = false;
};

struct LogConfig {
    std::string level = "info";
    std::string format = "json";
    std::string output = "stderr";
};

// Retention, applied by the sweeper (sweeper.hpp) as the daemon applies it.
// downloaded_grace is accepted but not applied: the devserver does not
// record downloads (docs/devserver-retention.md).
struct CleanupConfig {
    Nanos success_ttl = 24 * 3600 * kSecond;
    Nanos failed_ttl = 7 * 24 * 3600 * kSecond;
    Nanos staging_ttl = 3600 * kSecond;
    Nanos downloaded_grace = 3600 * kSecond;
    Nanos lost_cleanup_grace = 600 * kSecond;
    Nanos sweep_interval = 300 * kSecond;
};

struct LimitsConfig {
    std::int64_t max_output_buffer = 16 * 1024 * 1024;
    std::int64_t max_events_buffer = 1024 * 1024;
    std::int64_t max_event_line_size = 1024 * 1024;
    std::int64_t max_return_value_size = 768 * 1024;
    std::int64_t max_fail_message_size = 64 * 1024;
    std::int64_t max_fail_details_size = 256 * 1024;
    std::int64_t max_dispatch_body_size = 2 * 1024 * 1024;
    std::int64_t max_mission_input_size = 1024 * 1024;
    std::int64_t max_exec_body_size = 1024 * 1024;
    std::int64_t max_apply_body_size = 1024 * 1024;
    std::int64_t max_progress_rate = 50;  // 0 = no limit
    std::int64_t progress_buffer_size = 256 * 1024;
    std::int64_t max_output_files_per_mission = 32;  // 0 = no limit
    std::int64_t max_output_file_size = 0;
    std::int64_t max_staging_upload_size = 0;
    Nanos upload_idle_timeout = 30 * kSecond;
    std::int64_t max_incomplete_staging_uploads = 128;  // 0 = no limit
    std::int64_t max_incomplete_staging_bytes = 0;
    std::int64_t max_queue_per_lane = 0;
    std::int64_t max_queue_total = 0;
    std::int64_t max_data_dir_size = 0;
    Nanos default_kill_grace = 5 * kSecond;
    Nanos reader_post_exit_grace = 5 * kSecond;
    std::int64_t cache_size = -16000;  // a database knob of the daemon; accepted, unused
};

struct MissionEnvConfig {
    std::vector<std::string> inherit;
    std::map<std::string, std::string> set;
};

struct ExecConfig {
    bool enabled = false;
    std::vector<std::string> tokens;
    bool allow_shell = false;
    std::int64_t max_script_size = 256 * 1024;
    std::int64_t max_inputs_per_exec = 32;
    std::int64_t max_outputs_per_exec = 32;
    Nanos exec_success_ttl = 3600 * kSecond;
    Nanos exec_failed_ttl = 24 * 3600 * kSecond;
};

struct DugdaleConfig {
    std::string listen;
    std::string data_dir;
    NetworkConfig network;
    std::vector<std::string> auth_tokens;   // auth.tokens: dispatch scope
    std::vector<std::string> admin_tokens;  // admin.tokens
    LogConfig log;
    CleanupConfig cleanup;
    LimitsConfig limits;
    MissionEnvConfig mission_env;
    ExecConfig exec;
};

// Decodes and validates dugdale.yaml text. `origin` names the source in
// messages (a path, or "<string>"). Throws letts::Error(Status::config) with
// the daemon's wording: "parse dugdale config: …" for decoding failures
// (unknown key, wrong type, bad size/duration) and the validation text for
// the start-up checks (listen/data_dir required, TLS guard, LETTS_* in
// mission_env, exec auth, log enums, event-line headroom).
DugdaleConfig parse_dugdale_config(std::string_view yaml_text, std::string_view origin);

// Reads `path` and parses it. Throws Error(Status::config) when unreadable.
DugdaleConfig load_dugdale_config_file(const std::string& path);

// The daemon's refusal to start with secrets in a file readable by others:
// when the config holds tokens or mission_env.set values, the file mode must
// be 0600 or 0400 and owned by the process user. Throws Error(Status::config).
void check_config_permissions(const std::string& path, const DugdaleConfig& config);

// Byte sizes: a plain integer or one with a KiB/MiB/GiB suffix, non-negative.
// Returns false on a malformed or negative value.
bool parse_byte_size(std::string_view text, std::int64_t& out);

// Config durations: Go duration syntax, or "<N>d" for whole days,
// non-negative. Returns false on a malformed or negative value.
bool parse_config_duration(std::string_view text, Nanos& out);

}  // namespace letts::devserver
