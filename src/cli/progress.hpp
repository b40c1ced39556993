// How `run` shows a mission's progress on stderr: a bar redrawn in place on
// a terminal, plain lines otherwise, nothing with --no-progress or -q.
#pragma once

#include <chrono>
#include <string>

namespace letts_cli {

class ProgressView {
public:
    enum class Mode { Off, Lines, Bar };

    // Bar when stderr is a terminal, Lines when it is not; Off when disabled.
    static Mode choose(bool disabled);

    explicit ProgressView(Mode mode);
    ~ProgressView();  // ends a bar's line so what follows starts clean
    ProgressView(const ProgressView&) = delete;
    ProgressView& operator=(const ProgressView&) = delete;

    // One progress event: value in [0,1] when has_value, and its message.
    void update(bool has_value, double value, const std::string& message);
    // Whether the view wants tick() while nothing happens (a drawn bar).
    bool ticks() const { return mode_ == Mode::Bar && drawn_; }
    // Redraws the bar so its elapsed time moves between progress events.
    void tick() { if (ticks()) draw_bar(); }
    // Clears the bar's line (before the result or an error is written).
    void finish();

private:
    std::string elapsed() const;
    void draw_bar() const;

    Mode mode_;
    std::chrono::steady_clock::time_point start_;
    bool has_value_ = false;
    double value_ = 0;
    std::string message_;
    bool drawn_ = false;
};

}  // namespace letts_cli
