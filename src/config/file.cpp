#include "config/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace letts::config {

namespace {

// A letts.yaml is a few kilobytes; the bound stops a path such as /dev/zero
// from exhausting memory.
constexpr std::size_t max_size = 16 * 1024 * 1024;

class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;

    int get() const { return fd_; }

private:
    int fd_;
};

[[noreturn]] void cannot_read(int error) {
    throw Error(Status::config, std::string("cannot read: ") + std::strerror(error));
}

}  // namespace

FileContents read_config_file(const std::string& path) {
    const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) cannot_read(errno);
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) cannot_read(errno);
    if (S_ISDIR(info.st_mode)) cannot_read(EISDIR);

    FileContents contents;
    contents.permissions = static_cast<unsigned>(info.st_mode) & 0777u;
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            cannot_read(errno);
        }
        contents.text.append(buffer, static_cast<std::size_t>(n));
        if (contents.text.size() > max_size)
            throw Error(Status::config, "cannot read: file larger than 16 MiB");
    }
    return contents;
}

}  // namespace letts::config
