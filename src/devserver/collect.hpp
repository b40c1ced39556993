// Output collection after a successful mission (mission-protocol.md §6):
// each declared key is opened under <workdir>/out without following
// symlinks, must be a regular file within the size cap, and is copied into a
// temporary staging file while its sha256 is computed. All or nothing.
#pragma once

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace letts::devserver {

class CollectFailure : public std::runtime_error {
public:
    CollectFailure(std::string reason, const std::string& message)
        : std::runtime_error(message), reason_(std::move(reason)) {}
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string reason_;
};

struct CollectedFile {
    std::string key;
    std::string temp_path;  // inside the staging directory, ready to be renamed
    std::string sha256;
    std::int64_t size = 0;
};

// Copies the outputs `keys` (sorted) of `workdir` into `temp_dir`. Throws
// CollectFailure with missing_output, output_path_escape,
// output_not_regular_file, output_too_large, disk_quota_exceeded or
// output_collect_failed; temporary copies are removed on failure.
std::vector<CollectedFile> collect_outputs(const std::string& workdir, const std::set<std::string>& keys,
                                           std::int64_t max_file_size, const std::string& temp_dir);

}  // namespace letts::devserver
