#include "net/staging_upload.hpp"

#include <sys/stat.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "core/uuidv7.hpp"
#include "net/http_error.hpp"
#include "net/url.hpp"

namespace letts::net {

namespace {

std::uint64_t header_number(const Response& response, const std::string& name) {
    const auto text = response.header(name);
    std::uint64_t value = 0;
    if (text) std::from_chars(text->data(), text->data() + text->size(), value);
    return value;
}

std::string mismatch(const std::string& id, const std::string& what) {
    return "staging " + id + ": " + what;
}

}  // namespace

StagingProbe interpret_probe(const Response& response, const Endpoint& endpoint) {
    StagingProbe probe;
    if (response.status == 404) return probe;
    if (response.status >= 400) {
        throw http_error(response.status, response.body, endpoint.dugdale_id, "staging probe");
    }
    if (response.status != 200) {
        throw unexpected_status(response.status, "200 or 404", endpoint.dugdale_id, "staging probe");
    }
    probe.sha256 = response.header("x-letts-sha256").value_or("");
    probe.upload_status = response.header("x-letts-upload-status").value_or("");
    const std::string& state = probe.upload_status;
    if (state == "complete") {
        probe.state = StagingProbe::State::complete;
        probe.total_size = header_number(response, "content-length");
    } else if (state == "incomplete") {
        probe.state = StagingProbe::State::incomplete;
        probe.bytes_received = header_number(response, "x-letts-bytes-received");
        probe.total_size = header_number(response, "x-letts-total-size");
    } else {
        probe.state = StagingProbe::State::other;
    }
    return probe;
}

std::string content_range_header(std::uint64_t offset, std::uint64_t size) {
    if (offset == 0) return "";
    return "Content-Range: bytes " + std::to_string(offset) + "-" + std::to_string(size - 1) +
           "/" + std::to_string(size);
}

Task<StagingProbe> probe_staging(Loop& loop, const Transport& transport, Endpoint endpoint,
                                 std::string staging_id) {
    Request head;
    head.method = "HEAD";
    head.target = "/v1/staging/" + escape(staging_id);
    head.operation = "staging probe";
    const Response response = co_await transport.perform(loop, endpoint, std::move(head));
    co_return interpret_probe(response, endpoint);
}

namespace {

// Bytes hashed per step of the loop: small enough that a step stays short,
// large enough that the yields cost nothing measurable.
constexpr std::size_t hash_slice = 8u * 1024 * 1024;

Task<FileDigest> hash_file(Loop& loop, std::string path) {
    struct Closer {
        void operator()(std::FILE* file) const noexcept { std::fclose(file); }
    };
    std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
    if (!file) throw Error(Status::staging, "hash/size failed: " + path);
    Sha256 hasher;
    std::vector<char> buffer(256 * 1024);
    FileDigest digest;
    std::size_t since_yield = 0;
    for (;;) {
        const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
        if (got > 0) {
            hasher.update(buffer.data(), got);
            digest.size += got;
            since_yield += got;
        }
        if (got < buffer.size()) {
            if (std::ferror(file.get())) throw Error(Status::staging, "hash/size failed: " + path);
            break;
        }
        if (since_yield >= hash_slice) {
            since_yield = 0;
            co_await loop.yield();
        }
    }
    digest.sha256 = hasher.hex_digest();
    co_return digest;
}

// One probe-and-upload attempt (retried as a whole by stage_file).
Task<void> upload_attempt(Loop& loop, const Transport& transport, Endpoint endpoint,
                          std::string staging_id, std::string path, FileDigest digest) {
    const std::string target = "/v1/staging/" + escape(staging_id);
    const StagingProbe probe = co_await probe_staging(loop, transport, endpoint, staging_id);
    std::uint64_t offset = 0;
    switch (probe.state) {
        case StagingProbe::State::complete:
            if (!probe.sha256.empty() && probe.sha256 != digest.sha256) {
                throw Error(Status::staging,
                            mismatch(staging_id, "server holds different content (sha256 " +
                                                     probe.sha256 + ")"));
            }
            co_return;
        case StagingProbe::State::incomplete:
            if ((!probe.sha256.empty() && probe.sha256 != digest.sha256) ||
                (probe.total_size != 0 && probe.total_size != digest.size)) {
                throw Error(Status::staging, mismatch(staging_id, "server holds a different upload"));
            }
            offset = probe.bytes_received < digest.size ? probe.bytes_received : 0;
            break;
        case StagingProbe::State::not_found:
        case StagingProbe::State::other:
            break;
    }
    Request put;
    put.method = "PUT";
    put.target = target;
    put.operation = "staging upload";
    put.headers.push_back("X-Letts-Sha256: " + digest.sha256);
    put.headers.push_back("Content-Type: application/octet-stream");
    if (const std::string range = content_range_header(offset, digest.size); !range.empty()) {
        put.headers.push_back(range);
    }
    put.upload = UploadSource{path, offset, digest.size - offset};
    const Response response = co_await transport.perform(loop, endpoint, std::move(put));
    if (response.status >= 400) {
        throw http_error(response.status, response.body, endpoint.dugdale_id, "staging upload");
    }
    if (response.status != 201 && response.status != 200) {
        throw unexpected_status(response.status, "201 or 200", endpoint.dugdale_id, "staging upload");
    }
}

}  // namespace

Task<StagedFile> stage_file(Loop& loop, const Transport& transport, Endpoint endpoint,
                             RetryPolicy retry, std::string path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
        throw Error(Status::staging, "file not found: " + path);
    }
    const FileDigest digest = co_await hash_file(loop, path);
    if (digest.size == 0) {
        // The daemon refuses a declared total of 0 (http-api.md §5.16).
        throw Error(Status::staging, "cannot stage an empty file: " + path);
    }
    const std::string staging_id = uuidv7::generate();
    // Every retry probes first and resumes from the byte the daemon holds;
    // a cancel between or during attempts leaves the upload resumable.
    co_await retrying(loop, retry, [&] {
        return upload_attempt(loop, transport, endpoint, staging_id, path, digest);
    });
    co_return StagedFile{staging_id, digest.sha256, digest.size};
}

}  // namespace letts::net
