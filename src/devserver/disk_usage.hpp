// The size of the data directory, for limits.max_data_dir_size: like the
// daemon, the bytes of every regular file under data_dir, measured by a walk
// and cached briefly so that a burst of requests does not walk the tree for
// each one.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace letts::devserver {

class DiskUsage {
public:
    explicit DiskUsage(std::string dir) : dir_(std::move(dir)) {}

    // Bytes under the directory, at most `max_age` old.
    std::int64_t bytes(std::chrono::milliseconds max_age = std::chrono::seconds(1));

private:
    std::string dir_;
    std::mutex mu_;
    std::int64_t bytes_ = 0;
    std::chrono::steady_clock::time_point measured_{};
    bool valid_ = false;
};

}  // namespace letts::devserver
