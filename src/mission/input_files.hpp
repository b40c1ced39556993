// The input files of a mission, by role (spec/mission-protocol.md 1.7, 7.4).
//
// Under dugdale each file is described by LETTS_IN_<role> (its path),
// LETTS_IN_<role>__SIZE and LETTS_IN_<role>__SHA256. Standalone there is no
// dugdale to materialize files: the top-level input member named like the
// role holds the path, and size and hash come from the file itself.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mission/json_doc.hpp"

namespace letts::mission {

class InputFiles {
public:
    struct File {
        std::string path;
        std::uint64_t size = 0;
        std::string sha256;
    };

    // Dugdale mode, from an environment block (NAME=VALUE strings, as
    // `environ`). A variable LETTS_IN_<r>__SIZE / __SHA256 is metadata of
    // role <r> only when LETTS_IN_<r> exists too, so a legal role such as
    // "a__SIZE" is not mistaken for metadata (a quirk of the PHP runtime).
    explicit InputFiles(const char* const* env);

    // Standalone mode: roles resolve through `input`, which must outlive
    // this object.
    explicit InputFiles(const JsonDoc& input) : standalone_input_(&input) {}

    InputFiles(const InputFiles&) = delete;
    InputFiles& operator=(const InputFiles&) = delete;

    // Roles dugdale announced, sorted; empty standalone.
    std::vector<std::string> roles() const;

    // Each throws letts::Error(Status::not_found) for an unknown role; the
    // standalone file queries throw Status::io when the file is unusable.
    // Returned references stay valid as long as this object.
    const std::string& path(std::string_view role) const;
    std::uint64_t size(std::string_view role) const;
    const std::string& sha256(std::string_view role) const;
    int open(std::string_view role) const;  // O_RDONLY | O_CLOEXEC; caller closes

private:
    const File& dugdale_file(std::string_view role) const;

    const JsonDoc* standalone_input_ = nullptr;
    std::map<std::string, File, std::less<>> files_;
    // Standalone hashes, computed on first request.
    mutable std::mutex digest_mutex_;
    mutable std::map<std::string, std::string, std::less<>> digests_;
};

}  // namespace letts::mission
