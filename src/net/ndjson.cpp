#include "net/ndjson.hpp"

namespace letts::net {

void NdjsonDecoder::complete_line(std::string_view line, const EventFn& on_event) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return;
    const json::Ptr event = json::parse(line);
    if (!event || !cJSON_IsObject(event.get())) return;
    on_event(event.get(), line);
}

void NdjsonDecoder::too_long() {
    partial_.clear();
    partial_.shrink_to_fit();
    if (overlong_ == Overlong::fail) throw LineTooLong{max_line_};
    discarding_ = true;
}

void NdjsonDecoder::feed(std::string_view chunk, const EventFn& on_event) {
    while (!chunk.empty() && !stopped_) {
        const auto newline = chunk.find('\n');
        const std::string_view piece = chunk.substr(0, newline);
        if (newline == std::string_view::npos) {
            if (!discarding_) {
                if (piece.size() > max_line_ - partial_.size()) {
                    too_long();
                } else {
                    partial_.append(piece);
                }
            }
            return;
        }
        chunk.remove_prefix(newline + 1);
        if (discarding_) {
            discarding_ = false;
            continue;
        }
        if (partial_.empty()) {
            if (piece.size() <= max_line_) {
                complete_line(piece, on_event);
            } else if (overlong_ == Overlong::fail) {
                throw LineTooLong{max_line_};
            }
        } else {
            std::string line = std::move(partial_);
            partial_.clear();
            if (piece.size() <= max_line_ - line.size()) {
                line.append(piece);
                complete_line(line, on_event);
            } else if (overlong_ == Overlong::fail) {
                throw LineTooLong{max_line_};
            }
        }
    }
}

void NdjsonDecoder::finish(const EventFn& on_event) {
    if (stopped_) return;
    std::string line = std::move(partial_);
    partial_.clear();
    const bool was_discarding = discarding_;
    discarding_ = false;
    if (!was_discarding) complete_line(line, on_event);
}

}  // namespace letts::net
