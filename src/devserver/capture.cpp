#include "devserver/capture.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"
#include "devserver/json_value.hpp"

namespace letts::devserver {
namespace {

constexpr std::string_view kOomMarker = "Allowed memory size of";
constexpr std::size_t kOomLineMax = 512;
constexpr std::size_t kOomBefore = 128;

std::string base64(std::string_view in) {
    static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                           (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
        out += tbl[(v >> 18) & 63];
        out += tbl[(v >> 12) & 63];
        out += tbl[(v >> 6) & 63];
        out += tbl[v & 63];
    }
    if (i < in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += tbl[(v >> 18) & 63];
        out += tbl[(v >> 12) & 63];
        out += i + 1 < in.size() ? tbl[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}


}  // namespace

Capture::Capture(std::string stdout_path, std::string stderr_path, std::string combined_path, std::int64_t budget)
    : out_path_(std::move(stdout_path)),
      err_path_(std::move(stderr_path)),
      combined_path_(std::move(combined_path)),
      budget_(budget),
      remaining_(budget) {}

int Capture::file(UniqueFd& fd, bool& failed, const std::string& path) {
    if (fd || failed) return fd.get();
    if (!parent_made_) {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
        parent_made_ = !ec;
    }
    fd.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    failed = !fd;
    return fd.get();
}

void Capture::write(Stream s, std::string_view data, std::int64_t t_ms) {
    if (s == Stream::err) scan_stderr(data);  // the whole stream, even beyond the budget
    bool& truncated = s == Stream::out ? trunc_out_ : trunc_err_;
    if (truncated || data.empty()) return;
    const int fd = s == Stream::out ? file(out_, out_failed_, out_path_) : file(err_, err_failed_, err_path_);
    std::string_view kept = data;
    const bool overflow = static_cast<std::int64_t>(data.size()) > remaining_;
    if (overflow) kept = data.substr(0, static_cast<std::size_t>(remaining_ < 0 ? 0 : remaining_));
    if (!kept.empty()) {
        if (fd >= 0) write_all(fd, kept.data(), kept.size());
        remaining_ -= static_cast<std::int64_t>(kept.size());
        std::string rec = "{\"t\":" + std::to_string(t_ms) + ",\"stream\":\"" +
                          (s == Stream::out ? "stdout" : "stderr") + "\",\"data\":";
        if (utf8::valid(kept)) rec += jv::quote(kept) + "}\n";
        else rec += "\"" + base64(kept) + "\",\"encoding\":\"base64\"}\n";
        if (const int cfd = file(combined_, combined_failed_, combined_path_); cfd >= 0)
            write_all(cfd, rec.data(), rec.size());
    }
    if (overflow) {
        const std::string marker = "\n[--- truncated, exceeded " + std::to_string(budget_) + " bytes ---]\n";
        if (fd >= 0) write_all(fd, marker.data(), marker.size());
        truncated = true;
    }
}

void Capture::scan_stderr(std::string_view data) {
    if (oom_line_) return;
    err_tail_.append(data);
    const auto pos = err_tail_.find(kOomMarker);
    if (pos == std::string::npos) {
        // Keep enough to find a marker split across writes, plus the start
        // of the current line for the message.
        const std::size_t keep = kOomBefore + kOomMarker.size();
        if (err_tail_.size() > keep) err_tail_.erase(0, err_tail_.size() - keep);
        return;
    }
    std::size_t begin = err_tail_.rfind('\n', pos);
    begin = begin == std::string::npos ? 0 : begin + 1;
    if (pos - begin > kOomBefore) begin = pos - kOomBefore;
    std::size_t end = err_tail_.find('\n', pos);
    if (end == std::string::npos) end = err_tail_.size();
    if (end - begin > kOomLineMax) end = begin + kOomLineMax;
    // Invalid UTF-8 becomes U+FFFD, as the daemon does for the marker line.
    oom_line_ = std::string(
        text::trim(utf8::replace_invalid(std::string_view(err_tail_).substr(begin, end - begin)), " \t\r\n"));
    err_tail_.clear();
}

}  // namespace letts::devserver
