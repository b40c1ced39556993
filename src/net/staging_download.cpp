#include "net/staging_download.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <utility>

#include "core/error.hpp"
#include "core/names.hpp"
#include "core/sha256.hpp"
#include "net/url.hpp"

namespace letts::net {

namespace {

// A 206 is the answer to a range; a 200 only when the range asked for the
// whole file, which a 200 body no longer than the range shows. A server
// that ignores Range answers 200 with the whole file: said as such, not as
// the oversized body it brings.
void check_range_answer(const Response& response, const std::string& id, const ByteRange& range,
                        const std::string& dugdale_id, bool body_overran) {
    if (response.status == 206) return;
    if (response.status == 200 && range.offset == 0 && !body_overran) return;
    throw Error(Status::staging, "staging " + id + ": asked for bytes " + std::to_string(range.offset) + "-" +
                                     std::to_string(range.offset + range.length - 1) +
                                     " and the server answered " + std::to_string(response.status) +
                                     " instead of 206" +
                                     (response.status == 200 ? " (it ignored the Range header)" : ""))
        .http(response.status)
        .dugdale(dugdale_id);
}

}  // namespace

Task<void> download_verified(Loop& loop, const Transport& transport, Endpoint endpoint,
                             Announced announced, std::function<void(std::string_view)> sink,
                             std::optional<ByteRange> range) {
    const std::string& id = announced.staging_id;
    Sha256 hasher;
    std::uint64_t received = 0;
    Request request;
    request.target = "/v1/staging/" + escape(id);
    request.operation = "staging download";
    request.streaming = true;
    if (range) {
        request.headers.push_back("Range: bytes=" + std::to_string(range->offset) + "-" +
                                  std::to_string(range->offset + range->length - 1));
    }
    Response response;
    bool overran = false;
    try {
        // An announced size of 0 disables the size checks (§9.1); the body
        // is still bounded, by max_response_bytes.
        const std::uint64_t unknown_cap = transport.options().max_response_bytes;
        BodySink checked = [&](std::string_view chunk) {
            if (announced.size > 0 && received + chunk.size() > announced.size) {
                // Reported once the status is known: it may explain the
                // excess (a 200 to a Range request).
                overran = true;
                return SinkAction::stop;
            }
            if (announced.size == 0 && received + chunk.size() > unknown_cap) {
                throw Error(Status::staging, "staging " + id + ": body of unannounced size exceeds the " +
                                                 std::to_string(unknown_cap) +
                                                 "-byte cap (max_response_bytes)");
            }
            hasher.update(chunk);
            sink(chunk);
            received += chunk.size();
            return SinkAction::proceed;
        };
        response = co_await transport.perform(loop, endpoint, std::move(request), std::move(checked));
    } catch (const Error& error) {
        if (error.status() != Status::network) throw;
        throw Error(Status::staging, "download of staging " + id + " failed: " + error.message())
            .dugdale(endpoint.dugdale_id);
    }
    if (response.status < 200 || response.status >= 300) {
        // 3xx included: the client never follows redirects, and a 3xx body
        // never reached the sink.
        throw Error(Status::staging, "staging " + id + " not downloadable: HTTP " +
                                         std::to_string(response.status))
            .http(response.status)
            .dugdale(endpoint.dugdale_id);
    }
    if (range) check_range_answer(response, id, *range, endpoint.dugdale_id, overran);
    if (overran) {
        throw Error(Status::staging, "staging " + id + ": body exceeds announced " +
                                         std::to_string(announced.size) + " bytes");
    }
    if (announced.size > 0 && received != announced.size) {
        throw Error(Status::staging, "staging " + id + ": downloaded " + std::to_string(received) +
                                         " bytes, expected " + std::to_string(announced.size));
    }
    const std::string got = hasher.hex_digest();
    if (!announced.sha256.empty() && got != announced.sha256) {
        throw Error(Status::staging, "staging " + id + ": sha256 mismatch (got " + got +
                                         ", expected " + announced.sha256 + ")");
    }
}

void create_download_dir(const std::string& dir) {
    std::string partial;
    for (std::size_t i = 0; i <= dir.size(); ++i) {
        if (i == dir.size() || (dir[i] == '/' && i > 0)) {
            partial = dir.substr(0, i);
            if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
                throw Error(Status::staging, "cannot create download dir: " + dir);
            }
        }
    }
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        throw Error(Status::staging, "cannot create download dir: " + dir);
    }
}

namespace {

// <role>.partial while it is written: removed by the destructor unless
// committed, so no path out of the download — an error, a cancel, or the
// coroutine frame being destroyed by an abandoned run handle — leaves it.
class PartialFile {
public:
    explicit PartialFile(std::string path) : path_(std::move(path)), file_(std::fopen(path_.c_str(), "wb")) {
        if (!file_) throw Error(Status::staging, "cannot write " + path_);
    }
    ~PartialFile() {
        if (file_) std::fclose(file_);
        if (!committed_) std::remove(path_.c_str());
    }
    PartialFile(const PartialFile&) = delete;
    PartialFile& operator=(const PartialFile&) = delete;

    void write(std::string_view chunk) {
        if (std::fwrite(chunk.data(), 1, chunk.size(), file_) != chunk.size()) {
            throw Error(Status::staging, "short write to " + path_ + " (disk full?)");
        }
    }
    void commit_as(const std::string& destination) {
        std::FILE* file = std::exchange(file_, nullptr);
        if (std::fclose(file) != 0) throw Error(Status::staging, "short write to " + path_ + " (disk full?)");
        if (std::rename(path_.c_str(), destination.c_str()) != 0) {
            throw Error(Status::staging, "cannot move downloaded file into place: " + destination);
        }
        committed_ = true;
    }

private:
    std::string path_;
    std::FILE* file_;
    bool committed_ = false;
};

}  // namespace

Task<void> download_to_folder(Loop& loop, const Transport& transport, Endpoint endpoint,
                              Announced announced, std::string dir, std::string role) {
    // The role names a file in `dir`: only a valid role/key (no '/', no '.',
    // no "__" prefix, which dugdale never hands out) is used as a file name.
    if (!names::is_role_key(role)) {
        throw Error(Status::staging, "refusing to save output with unsafe role \"" + role + "\"");
    }
    co_await download_to_file(loop, transport, std::move(endpoint), std::move(announced), dir + "/" + role);
}

Task<void> download_to_file(Loop& loop, const Transport& transport, Endpoint endpoint,
                            Announced announced, std::string destination, std::optional<ByteRange> range) {
    PartialFile partial(destination + ".partial");
    std::function<void(std::string_view)> to_file = [&partial](std::string_view chunk) { partial.write(chunk); };
    co_await download_verified(loop, transport, std::move(endpoint), std::move(announced), std::move(to_file),
                               range);
    partial.commit_as(destination);
}

}  // namespace letts::net
