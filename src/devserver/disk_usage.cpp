#include "devserver/disk_usage.hpp"

#include <filesystem>

namespace letts::devserver {

std::int64_t DiskUsage::bytes(std::chrono::milliseconds max_age) {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (valid_ && now - measured_ <= max_age) return bytes_;
    namespace fs = std::filesystem;
    std::int64_t total = 0;
    std::error_code ec;
    // Unreadable entries and files that vanish during the walk are skipped,
    // as the daemon's walk does.
    for (fs::recursive_directory_iterator it(dir_, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        std::error_code fec;
        if (it->is_regular_file(fec)) {
            const auto size = it->file_size(fec);
            if (!fec) total += static_cast<std::int64_t>(size);
        }
    }
    bytes_ = total;
    measured_ = now;
    valid_ = true;
    return total;
}

}  // namespace letts::devserver
