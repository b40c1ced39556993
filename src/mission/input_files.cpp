#include "mission/input_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "core/error.hpp"
#include "core/sha256.hpp"

namespace letts::mission {

namespace {

constexpr std::string_view prefix = "LETTS_IN_";
constexpr std::string_view size_suffix = "__SIZE";
constexpr std::string_view sha_suffix = "__SHA256";

std::string quoted(std::string_view role) {
    return "\"" + std::string(role) + "\"";
}

}  // namespace

InputFiles::InputFiles(const char* const* env) {
    std::map<std::string, std::string, std::less<>> vars;  // LETTS_IN_* only, name without prefix
    for (; env != nullptr && *env != nullptr; ++env) {
        const std::string_view entry(*env);
        if (!entry.starts_with(prefix)) continue;
        const std::size_t eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        vars[std::string(entry.substr(prefix.size(), eq - prefix.size()))] =
            std::string(entry.substr(eq + 1));
    }
    const auto is_metadata = [&](std::string_view name) {
        for (std::string_view suffix : {size_suffix, sha_suffix})
            if (name.size() > suffix.size() && name.ends_with(suffix) &&
                vars.contains(name.substr(0, name.size() - suffix.size())))
                return true;
        return false;
    };
    for (const auto& [name, value] : vars) {
        if (name.empty() || is_metadata(name)) continue;
        File file;
        file.path = value;
        if (auto it = vars.find(name + std::string(size_suffix)); it != vars.end()) {
            const std::string& text = it->second;
            // Not a decimal count: treated as unknown (0), as PHP's (int) cast.
            std::from_chars(text.data(), text.data() + text.size(), file.size);
        }
        if (auto it = vars.find(name + std::string(sha_suffix)); it != vars.end())
            file.sha256 = it->second;
        files_.emplace(name, std::move(file));
    }
}

std::vector<std::string> InputFiles::roles() const {
    std::vector<std::string> names;
    names.reserve(files_.size());
    for (const auto& entry : files_) names.push_back(entry.first);
    return names;
}

const InputFiles::File& InputFiles::dugdale_file(std::string_view role) const {
    const auto it = files_.find(role);
    if (it == files_.end())
        throw Error(Status::not_found, "no input file with key " + quoted(role));
    return it->second;
}

const std::string& InputFiles::path(std::string_view role) const {
    if (standalone_input_ == nullptr) return dugdale_file(role).path;
    const JsonDoc& doc = *standalone_input_;
    const JsonDoc::Node* node =
        doc.root().kind == JsonDoc::Kind::object ? doc.member(doc.root(), role) : nullptr;
    if (node == nullptr || node->kind != JsonDoc::Kind::string)
        throw Error(Status::not_found, "no input file with key " + quoted(role) +
                                           " (standalone: input." + std::string(role) +
                                           " must be a path)");
    return node->string;
}

std::uint64_t InputFiles::size(std::string_view role) const {
    if (standalone_input_ == nullptr) return dugdale_file(role).size;
    const std::string& file = path(role);
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0)
        throw Error(Status::io, "cannot examine input file " + quoted(role) + " at " + file +
                                    ": " + std::strerror(errno));
    return static_cast<std::uint64_t>(st.st_size);
}

const std::string& InputFiles::sha256(std::string_view role) const {
    if (standalone_input_ == nullptr) return dugdale_file(role).sha256;
    const std::string& file = path(role);
    std::lock_guard lock(digest_mutex_);
    if (auto it = digests_.find(role); it != digests_.end()) return it->second;
    std::string digest = sha256_file(file).sha256;
    return digests_.emplace(std::string(role), std::move(digest)).first->second;
}

int InputFiles::open(std::string_view role) const {
    const std::string& file = path(role);
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(Status::io, "cannot open input file " + quoted(role) + " at " + file + ": " +
                                    std::strerror(errno));
    return fd;
}

}  // namespace letts::mission
