#include "mission/events.hpp"

#include <charconv>
#include <cmath>

#include "core/error.hpp"
#include "core/json_value.hpp"
#include "core/utf8.hpp"
#include "mission/limits.hpp"

namespace letts::mission::events {

namespace {

// Refuses a line dugdale would discard as event_line_too_large; `line`
// still lacks its '\n', which the limit does not count.
std::string finish(std::string line, std::string_view event) {
    if (line.size() > limits::event_line)
        throw Error(Status::invalid_argument,
                    "fd3 " + std::string(event) + " event would be " + std::to_string(line.size()) +
                        " bytes, over dugdale's event line limit (max_event_line_size, " +
                        std::to_string(limits::event_line) +
                        " bytes); send less data or write it to an output file");
    line += '\n';
    return line;
}

}  // namespace

void append_string(std::string& out, std::string_view text, std::string_view what) {
    const std::size_t bad = utf8::first_invalid(text);
    if (bad != std::string_view::npos)
        throw Error(Status::invalid_argument,
                    std::string(what) + " is not valid UTF-8 (first bad byte at offset " +
                        std::to_string(bad) + ")");
    jv::append_quoted(out, text);
}

std::string number(double value, std::string_view what) {
    if (!std::isfinite(value))
        throw Error(Status::invalid_argument,
                    std::string(what) + " must be a finite number (JSON has no NaN or infinity)");
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, result.ptr);
}

std::string progress(std::optional<double> value, std::optional<std::string_view> message) {
    std::string line = R"({"event":"progress")";
    if (value) {
        line += R"(,"value":)";
        line += number(*value, "progress value");
    }
    if (message) {
        line += R"(,"message":)";
        append_string(line, *message, "progress message");
    }
    line += '}';
    return finish(std::move(line), "progress");
}

std::string output_file(std::string_view key) {
    std::string line = R"({"event":"output_file","key":)";
    append_string(line, key, "output key");
    line += '}';
    return finish(std::move(line), "output_file");
}

std::string success(std::optional<std::string_view> return_json) {
    std::string line = R"({"event":"success")";
    if (return_json) {
        line += R"(,"return":)";
        line += *return_json;
    }
    line += '}';
    return finish(std::move(line), "success");
}

std::string fail(std::string_view message, std::string_view reason, int exit_code,
                 std::optional<std::string_view> details_json) {
    std::string line = R"({"event":"fail","message":)";
    append_string(line, message, "fail message");
    line += R"(,"reason":)";
    append_string(line, reason, "fail reason");
    line += R"(,"exit_code":)";
    line += std::to_string(exit_code);
    if (details_json) {
        line += R"(,"details":)";
        line += *details_json;
    }
    line += '}';
    return finish(std::move(line), "fail");
}

}  // namespace letts::mission::events
