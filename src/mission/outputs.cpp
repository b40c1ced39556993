#include "mission/outputs.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/names.hpp"
#include "mission/limits.hpp"

namespace letts::mission {

void Outputs::validate_key(std::string_view key) {
    if (!names::is_role_key(key))
        throw Error(Status::invalid_argument,
                    "invalid output key \"" + std::string(key) +
                        "\" (must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$ and not start with __)");
}

std::string Outputs::file_path(std::string_view key) const {
    return root_ + "/out/" + std::string(key);
}

const std::string& Outputs::path(std::string_view key) {
    validate_key(key);
    std::lock_guard lock(mutex_);
    const std::string dir = root_ + "/out";
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        throw Error(Status::io,
                    "cannot create the output directory " + dir + ": " + std::strerror(errno));
    if (auto it = paths_.find(key); it != paths_.end()) return it->second;
    return paths_.emplace(std::string(key), file_path(key)).first->second;
}

void Outputs::declare(std::string_view key) {
    validate_key(key);
    std::lock_guard lock(mutex_);
    if (declared_set_.contains(key)) return;
    if (declared_.size() >= limits::output_files)
        throw Error(Status::invalid_argument,
                    "output key \"" + std::string(key) + "\" would be output number " +
                        std::to_string(declared_.size() + 1) + "; dugdale accepts at most " +
                        std::to_string(limits::output_files) +
                        " distinct output keys per mission (max_output_files_per_mission)");
    declared_.emplace_back(key);
    declared_set_.emplace(key);
}

void Outputs::verify() const {
    std::lock_guard lock(mutex_);
    if (declared_.empty()) return;
    const std::string dir = root_ + "/out";
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(Status::invalid_argument,
                    "the output directory " + dir +
                        " is missing or not a real directory; dugdale would refuse every "
                        "output (output_path_escape)");
    for (const std::string& key : declared_) {
        const std::string file = file_path(key);
        if (::lstat(file.c_str(), &st) != 0) {
            if (errno == ENOENT)
                throw Error(Status::not_found, "output file registered but missing: " + key +
                                                   " (expected at " + file + ")");
            throw Error(Status::invalid_argument, "cannot examine output file " + key + " at " +
                                                      file + ": " + std::strerror(errno));
        }
        if (S_ISLNK(st.st_mode))
            throw Error(Status::invalid_argument,
                        "output file " + key + " at " + file +
                            " is a symbolic link; dugdale collects only regular files "
                            "(output_path_escape)");
        if (!S_ISREG(st.st_mode))
            throw Error(Status::invalid_argument,
                        "output file " + key + " at " + file +
                            " is not a regular file (output_not_regular_file)");
    }
}

}  // namespace letts::mission
