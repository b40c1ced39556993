#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace letts_cli {

namespace {
constexpr int kBarWidth = 30;
// Long messages would wrap and break the redraw-in-place; cut them.
constexpr size_t kMaxMessage = 60;
}  // namespace

ProgressView::Mode ProgressView::choose(bool disabled) {
    if (disabled) return Mode::Off;
    return isatty(STDERR_FILENO) ? Mode::Bar : Mode::Lines;
}

ProgressView::ProgressView(Mode mode) : mode_(mode), start_(std::chrono::steady_clock::now()) {}

ProgressView::~ProgressView() { finish(); }

std::string ProgressView::elapsed() const {
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::steady_clock::now() - start_)
                    .count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(secs / 60),
                  static_cast<long long>(secs % 60));
    return buf;
}

void ProgressView::update(bool has_value, double value, const std::string& message) {
    if (has_value) {
        has_value_ = true;
        value_ = value < 0 ? 0 : (value > 1 ? 1 : value);
    }
    message_ = message.substr(0, kMaxMessage);
    if (mode_ == Mode::Lines) {
        if (has_value_)
            std::fprintf(stderr, "progress %3d%% %s\n", static_cast<int>(value_ * 100 + 0.5),
                         message_.c_str());
        else
            std::fprintf(stderr, "progress %s\n", message_.c_str());
        std::fflush(stderr);
    } else if (mode_ == Mode::Bar) {
        draw_bar();
    }
}

void ProgressView::draw_bar() const {
    int filled = static_cast<int>(value_ * kBarWidth + 0.5);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(kBarWidth - filled), '-');
    // \r returns to the line start and \x1b[K erases what a longer previous
    // frame left behind: the bar is redrawn in place.
    std::fprintf(stderr, "\r\x1b[K[%s] %3d%% %s  %s", bar.c_str(),
                 static_cast<int>(value_ * 100 + 0.5), elapsed().c_str(), message_.c_str());
    std::fflush(stderr);
    const_cast<ProgressView*>(this)->drawn_ = true;
}

void ProgressView::finish() {
    if (mode_ == Mode::Bar && drawn_) {
        std::fputs("\r\x1b[K", stderr);
        std::fflush(stderr);
        drawn_ = false;
    }
}

}  // namespace letts_cli
