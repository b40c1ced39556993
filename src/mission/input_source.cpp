#include "mission/input_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace letts::mission {

std::string read_all(int fd, const std::string& what) {
    std::string data;
    char buf[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            data.append(buf, static_cast<std::size_t>(n));
        } else if (n == 0) {
            return data;
        } else if (errno != EINTR) {
            throw Error(Status::io, "cannot read " + what + ": " + std::strerror(errno));
        }
    }
}

StandaloneInput standalone_input(std::span<const char* const> args) {
    constexpr std::string_view input = "--input=";
    constexpr std::string_view input_file = "--input-file=";
    for (const char* arg : args) {
        if (arg == nullptr) continue;
        const std::string_view a(arg);
        if (a.starts_with(input_file)) {
            const std::string path(a.substr(input_file.size()));
            if (path == "-") return {read_all(STDIN_FILENO, "the input from stdin"), "stdin"};
            UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
            if (!fd)
                throw Error(Status::io,
                            "cannot read input file: " + path + ": " + std::strerror(errno));
            return {read_all(fd.get(), "input file " + path), "--input-file=" + path};
        }
        if (a.starts_with(input)) {
            const std::string_view value = a.substr(input.size());
            if (value == "-") return {read_all(STDIN_FILENO, "the input from stdin"), "stdin"};
            return {std::string(value), "--input"};
        }
    }
    return {"", "no --input argument"};
}

}  // namespace letts::mission
