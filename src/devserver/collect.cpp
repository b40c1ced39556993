#include "devserver/collect.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/sha256.hpp"
#include "core/text.hpp"
#include "core/uuidv7.hpp"
#include "core/unique_fd.hpp"

namespace letts::devserver {
namespace {

[[noreturn]] void io_failure(const std::string& what, int e) {
    if (e == ENOSPC) throw CollectFailure("disk_quota_exceeded", what + ": " + text::os_error(e));
    throw CollectFailure("output_collect_failed", what + ": " + text::os_error(e));
}

// Removes the temporary copies unless the collection succeeded.
struct TempFiles {
    std::vector<CollectedFile>* files;
    bool keep = false;
    ~TempFiles() {
        if (keep) return;
        for (const auto& f : *files) ::unlink(f.temp_path.c_str());
    }
};

}  // namespace

std::vector<CollectedFile> collect_outputs(const std::string& workdir, const std::set<std::string>& keys,
                                           std::int64_t max_file_size, const std::string& temp_dir) {
    std::vector<CollectedFile> files;
    TempFiles guard{&files};
    const std::string out_dir = workdir + "/out";
    UniqueFd dir(::open(out_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir) {
        const int e = errno;
        if (e == ENOENT || e == ELOOP || e == ENOTDIR)
            throw CollectFailure("output_path_escape", "output_path_escape: " + out_dir + " is missing or not a directory");
        io_failure("open " + out_dir, e);
    }
    for (const auto& key : keys) {
        UniqueFd in(::openat(dir.get(), key.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
        if (!in) {
            const int e = errno;
            if (e == ENOENT) throw CollectFailure("missing_output", "missing_output: " + key);
            if (e == ELOOP) throw CollectFailure("output_path_escape", "output_path_escape: " + key + " is a symlink");
            io_failure("open out/" + key, e);
        }
        struct stat st {};
        if (::fstat(in.get(), &st) != 0) io_failure("stat out/" + key, errno);
        if (!S_ISREG(st.st_mode)) throw CollectFailure("output_not_regular_file", "output_not_regular_file: " + key);
        if (max_file_size > 0 && st.st_size > max_file_size)
            throw CollectFailure("output_too_large", "output_too_large: " + key + " (size=" + std::to_string(st.st_size) + ")");
        ::fcntl(in.get(), F_SETFL, 0);  // back to blocking reads

        CollectedFile f;
        f.key = key;
        f.temp_path = temp_dir + "/.collect-" + uuidv7::generate();
        UniqueFd out(::open(f.temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (!out) io_failure("create " + f.temp_path, errno);
        files.push_back(f);
        Sha256 hasher;
        char buf[64 * 1024];
        std::int64_t total = 0;
        while (true) {
            const ssize_t n = ::read(in.get(), buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) io_failure("read out/" + key, errno);
            if (n == 0) break;
            total += n;
            if (max_file_size > 0 && total > max_file_size)
                throw CollectFailure("output_too_large",
                                     "output_too_large: " + key + " (size > " + std::to_string(max_file_size) + ")");
            hasher.update(buf, static_cast<std::size_t>(n));
            if (!write_all(out.get(), buf, static_cast<std::size_t>(n))) io_failure("write " + f.temp_path, errno);
        }
        // Not fsynced (the daemon does, §4.4): the staging file this copy
        // becomes is known only to the in-memory state of this process, which
        // a crash loses with it; durability would buy nothing.
        files.back().sha256 = hasher.hex_digest();
        files.back().size = total;
    }
    guard.keep = true;
    return files;
}

}  // namespace letts::devserver
