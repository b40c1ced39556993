#include "mission/mission.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/error.hpp"
#include "mission/events.hpp"
#include "mission/input_source.hpp"
#include "mission/limits.hpp"
#include "mission/standalone_report.hpp"

extern char** environ;  // POSIX; unistd.h declares it only with _GNU_SOURCE

namespace letts::mission {

namespace {

constexpr int event_fd = 3;  // fixed by convention; no variable names it

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

std::string current_directory() {
    std::string buf(256, '\0');
    for (;;) {
        if (::getcwd(buf.data(), buf.size()) != nullptr) {
            buf.resize(std::strlen(buf.c_str()));
            return buf;
        }
        if (errno != ERANGE)
            throw Error(Status::io,
                        std::string("cannot determine the current directory: ") +
                            std::strerror(errno));
        buf.resize(buf.size() * 2);
    }
}

// Text that only whitespace (or nothing) stands for no input at all.
std::string_view or_null(std::string_view text) {
    const bool blank = std::all_of(text.begin(), text.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    });
    return blank ? std::string_view("null") : text;
}

}  // namespace

Mission::Mission(std::span<const char* const> args, const StartOptions& options)
    : interrupts_(options.install_signal_handlers) {
    auto id = options.force_standalone ? std::nullopt : env("LETTS_MISSION_ID");
    if (id)
        start_dugdale(*id);
    else
        start_standalone(args);
}

void Mission::start_dugdale(const std::string& id) {
    // The order of the PHP runtime: stdin first, so a misconfigured mission
    // still consumes its input.
    const std::string text = read_all(STDIN_FILENO, "the mission input from stdin");
    auto workdir = env("LETTS_WORKDIR");
    if (!workdir)
        throw Error(Status::missing_env,
                    "letts mission misconfigured: LETTS_WORKDIR not set in dugdale mode")
            .details(R"({"name":"LETTS_WORKDIR"})");
    input_ = JsonDoc::parse(or_null(text), "the mission input on stdin");
    channel_.emplace(Channel::adopt(event_fd));
    standalone_ = false;
    id_ = id;
    lane_ = env("LETTS_LANE");
    workdir_ = *workdir;
    tmpdir_ = env("LETTS_TMPDIR").value_or(workdir_ + "/tmp");
    files_.emplace(environ);
    outputs_.emplace(workdir_);
}

void Mission::start_standalone(std::span<const char* const> args) {
    const StandaloneInput source = standalone_input(args);
    input_ = JsonDoc::parse(or_null(source.text), "the standalone input (" + source.origin + ")");
    workdir_ = current_directory();
    tmpdir_ = env("TMPDIR").value_or("/tmp");
    files_.emplace(input_);
    outputs_.emplace(workdir_);
}

void Mission::on_interrupt(InterruptCallback callback) {
    std::lock_guard lock(callbacks_mutex_);
    callbacks_.push_back({std::move(callback), false});
}

void Mission::run_interrupt_callbacks() {
    if (std::this_thread::get_id() != owner_) return;  // only on the mission's thread
    const int signal = interrupts_.signal();
    if (signal == 0) return;
    for (;;) {
        InterruptCallback fn;
        {
            // Called without the lock, so a callback may register another.
            std::lock_guard lock(callbacks_mutex_);
            auto it = std::find_if(callbacks_.begin(), callbacks_.end(),
                                   [](const Callback& c) { return !c.fired; });
            if (it == callbacks_.end()) return;
            it->fired = true;
            fn = it->fn;
        }
        if (fn(signal))
            throw Error(Status::interrupted, "mission interrupted by signal: an interrupt "
                                             "callback stopped the call");
    }
}

void Mission::check() {
    if (interrupts_.signal() == 0) return;
    run_interrupt_callbacks();
    throw Error(Status::interrupted, "mission interrupted by signal");
}

void Mission::write_event(const std::string& line, std::string_view event) {
    channel_->write_line(line, event);
}

void Mission::progress(std::optional<double> value, std::optional<std::string_view> message) {
    run_interrupt_callbacks();
    // Built (and so validated) in both modes: standalone catches what
    // dugdale would refuse.
    const std::string line = events::progress(value, message);
    if (standalone_)
        standalone::emit(stderr, standalone::progress_line(value, message));
    else
        write_event(line, "progress");
}

void Mission::output_register(std::string_view key) {
    outputs_->declare(key);
    if (standalone_)
        standalone::emit(stderr, standalone::output_line(key));
    else
        write_event(events::output_file(key), "output_file");
}

JsonDoc Mission::object_or_null(std::string_view text, std::string_view what) {
    JsonDoc doc = JsonDoc::parse(text, what);
    const auto kind = doc.root().kind;
    if (kind == JsonDoc::Kind::array)
        throw Error(Status::invalid_argument,
                    std::string(what) +
                        " must be a JSON object or null, not an array; wrap a list as "
                        "{\"items\": [...]}");
    if (kind != JsonDoc::Kind::object && kind != JsonDoc::Kind::null)
        throw Error(Status::invalid_argument, std::string(what) +
                                                  " must be a JSON object or null, not a " +
                                                  std::string(kind_name(kind)));
    return doc;
}

void Mission::claim_terminal(int code) {
    int expected = -1;
    if (terminal_.compare_exchange_strong(expected, code)) return;
    throw Error(Status::invalid_argument,
                std::string("a terminal event was already written (") +
                    (expected == 0 ? "success" : "fail") +
                    "); a mission reports success or fail only once");
}

void Mission::success(std::optional<std::string_view> return_json) {
    std::optional<JsonDoc> doc;
    if (return_json) {
        doc.emplace(object_or_null(*return_json, "the success return"));
        const std::size_t size = doc->text().size();
        if (size > limits::return_value)
            throw Error(Status::invalid_argument,
                        "success return value is " + std::to_string(size) +
                            " bytes, exceeds max_return_value_size (" +
                            std::to_string(limits::return_value) +
                            " bytes); return less data or write it to an output file");
    }
    outputs_->verify();
    const std::string line =
        events::success(doc ? std::optional<std::string_view>(doc->text()) : std::nullopt);
    claim_terminal(0);
    if (standalone_) {
        const bool empty = !doc || doc->root().kind == JsonDoc::Kind::null;
        standalone::emit(stdout, (empty ? std::string("{}") : doc->pretty()) + "\n");
    } else {
        write_event(line, "success");
    }
}

void Mission::fail(std::string_view message, std::string_view reason,
                   std::optional<std::string_view> details_json, int exit_code) {
    // A failure must never leave with status 0 (dugdale would record
    // fail_then_zero_exit), and statuses beyond 255 wrap around in the OS.
    const int code = std::clamp(exit_code, 1, 255);
    std::optional<JsonDoc> details;
    if (details_json) details.emplace(object_or_null(*details_json, "the fail details"));
    const std::string line =
        events::fail(message, reason.empty() ? std::string_view("explicit") : reason, code,
                     details ? std::optional<std::string_view>(details->text()) : std::nullopt);
    claim_terminal(code);
    if (standalone_)
        standalone::emit(stderr, std::string(message) + "\n");
    else
        write_event(line, "fail");
}

}  // namespace letts::mission
