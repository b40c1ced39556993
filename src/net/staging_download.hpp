// Verified streaming download of a staging file (client-behavior.md §9.1):
// size and sha256 checked while streaming against what the `done` event
// announced; the body is never held whole. Not retried.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "net/transport.hpp"

namespace letts::net {

struct Announced {
    std::string staging_id;
    std::string sha256;      // "" disables the hash check
    std::uint64_t size = 0;  // 0 disables the size checks
};

// Bytes [offset, offset + length) of a staging file, asked for with a
// Range header (http-api.md §5.18); length > 0.
struct ByteRange {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

// Streams the staging file (or `range` of it) into `sink`. Throws Status::staging for every
// failure (transport, HTTP status, oversize, short body, hash mismatch);
// bytes beyond the announced size never reach the sink. With a `range`
// the announced size and sha256 are those of the range (the caller knows
// the size; a slice has no announced hash), and the answer must be the 206
// of that range (or a 200 when the range is the whole file). The sink may
// throw to stop the transfer; its error comes out unchanged.
Task<void> download_verified(Loop& loop, const Transport& transport, Endpoint endpoint,
                             Announced announced, std::function<void(std::string_view)> sink,
                             std::optional<ByteRange> range = std::nullopt);

// Streams into <destination>.partial and renames it to `destination` once
// verified; on any failure — a cancel, or the task being abandoned, included
// — the partial file is removed and `destination` is left as it was.
Task<void> download_to_file(Loop& loop, const Transport& transport, Endpoint endpoint,
                            Announced announced, std::string destination,
                            std::optional<ByteRange> range = std::nullopt);

// Streams into <dir>/<role>.partial and renames it to <dir>/<role> once
// verified; on any failure — a cancel, or the task being abandoned, included
// — the partial file is removed. The directory is
// created (0755, recursively) when missing; the role must be a safe file
// name (^[A-Za-z_][A-Za-z0-9_]{0,63}$).
Task<void> download_to_folder(Loop& loop, const Transport& transport, Endpoint endpoint,
                              Announced announced, std::string dir, std::string role);

// True when `role` can be used as a file name inside the download folder.
bool is_safe_role(std::string_view role);

// mkdir -p with mode 0755; throws Status::staging naming the directory.
void create_download_dir(const std::string& dir);

}  // namespace letts::net
