// The daemon's validation rules for names, keys and ids (http-api.md §3, plus
// the exec display_name rule of §5.6), as the devserver enforces them and as
// the client may check them before sending.
//
// Each rule is an exact, anchored match of the whole string: upstream uses Go
// regexps, whose `$` matches only at the very end, so a trailing "\n" is
// rejected like any other stray byte. Lengths are in bytes. The letts.yaml
// rules (dugdale ids, aliases, ...) live in src/config, not here.
#pragma once

#include <string>
#include <string_view>

namespace letts::names {

// Lane name: ^[a-z][a-z0-9_-]{0,31}$ (1-32 bytes).
bool is_lane_name(std::string_view text);

// Label: ^[a-z][a-z0-9_-]{0,31}$ (same shape as a lane name).
bool is_label(std::string_view text);

// Mission name: ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ and 1-128 bytes. Never contains
// '/' and never starts with '.', so it cannot leave the mission directory.
bool is_mission_name(std::string_view text);

// Role / key — dispatch files[].role, exec in[].key and out[].key, fd 3
// output_file keys: ^[A-Za-z_][A-Za-z0-9_]{0,63}$ and not starting with "__"
// (reserved).
bool is_role_key(std::string_view text);

// Why `text` is not a role/key, in the order the daemon checks: the pattern
// first, then the reserved "__" prefix. The devserver words its fd 3
// violations from this, the mission runtime and the client refuse keys by it.
enum class RoleKeyFault { none, pattern, reserved_prefix };
RoleKeyFault role_key_fault(std::string_view text);

// SHA-256 in canonical form: ^[a-f0-9]{64}$.
bool is_sha256_hex(std::string_view text);

// SHA-256 as the server accepts it in X-Letts-Sha256 and by-content paths:
// lower-cased first, then ^[a-f0-9]{64}$ — i.e. upper-case hex is fine.
bool is_sha256_hex_any_case(std::string_view text);

// UUIDv7 in canonical lowercase form (same as uuidv7::is_valid):
// ^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$
bool is_uuidv7(std::string_view text);

// Exec display_name: at most 256 bytes, no byte below 0x20 and no 0x7f.
// (The empty string passes: the field is optional.)
bool is_display_name(std::string_view text);

enum class Rule {
    lane_name,
    label,
    mission_name,
    role_key,
    sha256,
    sha256_any_case,
    uuidv7,
    display_name,
};

// The predicate of `rule` applied to `text`.
bool check(Rule rule, std::string_view text);

// The rule in words, e.g. "lane name must match ^[a-z][a-z0-9_-]{0,31}$".
std::string describe(Rule rule);

// Why `text` fails `rule`, naming the value (quoted, control bytes escaped,
// clipped), e.g.
//   invalid lane name "Batch": must match ^[a-z][a-z0-9_-]{0,31}$
//   invalid role/key "__meta": the "__" prefix is reserved
// For a value that passes, the rule's description.
std::string explain(Rule rule, std::string_view text);

}  // namespace letts::names
