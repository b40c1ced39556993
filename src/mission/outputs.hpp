// Output files: key rules, paths under <root>/out/, the registry of
// declared keys and the check that each exists before success
// (spec/mission-protocol.md 6, 7.7).
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace letts::mission {

class Outputs {
public:
    // `root` is the work directory (LETTS_WORKDIR, or the current directory
    // standalone); outputs live in <root>/out/.
    explicit Outputs(std::string root) : root_(std::move(root)) {}

    // Throws letts::Error(Status::invalid_argument) unless `key` matches
    // ^[A-Za-z_][A-Za-z0-9_]{0,63}$ and does not start with "__".
    static void validate_key(std::string_view key);

    // <root>/out/<key>, creating <root>/out when missing. The reference
    // stays valid for the object's lifetime. Throws invalid_argument (bad
    // key) or io (out/ cannot be created).
    const std::string& path(std::string_view key);

    // Records `key` as declared. Throws invalid_argument for a bad key or
    // for a distinct key beyond limits::output_files.
    void declare(std::string_view key);

    // Every declared key must be a regular file (not a symlink: dugdale
    // refuses those) in a real out/ directory. Throws not_found for a
    // missing file, invalid_argument for anything else wrong.
    void verify() const;

private:
    std::string file_path(std::string_view key) const;

    const std::string root_;
    mutable std::mutex mutex_;
    std::map<std::string, std::string, std::less<>> paths_;
    std::vector<std::string> declared_;  // in declaration order
    std::set<std::string, std::less<>> declared_set_;
};

}  // namespace letts::mission
