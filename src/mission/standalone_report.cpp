#include "mission/standalone_report.hpp"

namespace letts::mission::standalone {

std::string progress_line(std::optional<double> value, std::optional<std::string_view> message) {
    std::string line = "[progress] ";
    if (value) {
        // Sized first: "%.2f" of a huge value has hundreds of digits.
        const int n = std::snprintf(nullptr, 0, "%.2f ", *value);
        if (n > 0) {
            std::string formatted(static_cast<std::size_t>(n) + 1, '\0');
            std::snprintf(formatted.data(), formatted.size(), "%.2f ", *value);
            formatted.resize(static_cast<std::size_t>(n));
            line += formatted;
        }
    }
    if (message) line += *message;
    line += '\n';
    return line;
}

std::string output_line(std::string_view key) {
    return "[output-file] key=" + std::string(key) + "\n";
}

void emit(std::FILE* stream, std::string_view text) noexcept {
    std::fwrite(text.data(), 1, text.size(), stream);
    std::fflush(stream);
}

}  // namespace letts::mission::standalone
