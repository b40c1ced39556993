// The mission runtime: one object per process that ties the input, the
// input files, the outputs, the interrupt source and the fd 3 channel (or
// the standalone printer) together and enforces the protocol's ordering
// rules — above all, at most one terminal event.
//
// Failures are thrown as letts::Error; src/capi/mission.cpp turns them into
// statuses. Nothing here calls exit().
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mission/channel.hpp"
#include "mission/input_files.hpp"
#include "mission/interrupt_source.hpp"
#include "mission/json_doc.hpp"
#include "mission/outputs.hpp"

namespace letts::mission {

struct StartOptions {
    bool install_signal_handlers = true;
    bool force_standalone = false;  // ignore LETTS_MISSION_ID
};

class Mission {
public:
    // Returns true to stop the call that ran it (see letts/mission.h).
    using InterruptCallback = std::function<bool(int signal)>;

    // Detects the situation from the process environment and starts in
    // dugdale or standalone mode (letts_mission_start() documents the
    // steps). `args` is argv without the program name.
    Mission(std::span<const char* const> args, const StartOptions& options);
    ~Mission() = default;
    Mission(const Mission&) = delete;
    Mission& operator=(const Mission&) = delete;

    bool standalone() const noexcept { return standalone_; }
    const std::string& id() const noexcept { return id_; }
    const std::optional<std::string>& lane() const noexcept { return lane_; }
    const std::string& workdir() const noexcept { return workdir_; }
    const std::string& tmpdir() const noexcept { return tmpdir_; }

    const JsonDoc& input() const noexcept { return input_; }
    const InputFiles& files() const noexcept { return *files_; }

    void progress(std::optional<double> value, std::optional<std::string_view> message);

    int interrupted() const noexcept { return interrupts_.signal(); }
    int interrupt_fd() const noexcept { return interrupts_.fd(); }
    void interrupt(int signal) noexcept { interrupts_.request(signal); }
    void on_interrupt(InterruptCallback callback);
    // Throws Status::interrupted once an interrupt was requested.
    void check();

    const std::string& output_path(std::string_view key) { return outputs_->path(key); }
    void output_register(std::string_view key);

    // `return_json`: JSON text of an object or null; nullopt = no return.
    void success(std::optional<std::string_view> return_json);
    // `details_json`: JSON text of an object or null; nullopt = none.
    void fail(std::string_view message, std::string_view reason,
              std::optional<std::string_view> details_json, int exit_code);

    bool ended() const noexcept { return terminal_.load() >= 0; }
    // 0 after success or without a terminal event, the fail code after fail.
    int exit_code() const noexcept {
        const int code = terminal_.load();
        return code < 0 ? 0 : code;
    }

private:
    void start_dugdale(const std::string& id);
    void start_standalone(std::span<const char* const> args);
    void run_interrupt_callbacks();
    // Validates JSON text that must be an object or null (`what` names it);
    // returns the parsed document.
    static JsonDoc object_or_null(std::string_view text, std::string_view what);
    // Claims the single terminal event with `code` as the exit status.
    void claim_terminal(int code);
    void write_event(const std::string& line, std::string_view event);

    // Declared first: it refuses a second live mission before anything
    // else (reading stdin in particular) happens.
    InterruptSource interrupts_;
    const std::thread::id owner_ = std::this_thread::get_id();
    bool standalone_ = true;
    std::string id_;
    std::optional<std::string> lane_;
    std::string workdir_;
    std::string tmpdir_;
    JsonDoc input_;
    std::optional<InputFiles> files_;
    std::optional<Outputs> outputs_;
    std::optional<Channel> channel_;  // dugdale mode only

    std::mutex callbacks_mutex_;
    struct Callback {
        InterruptCallback fn;
        bool fired = false;
    };
    std::vector<Callback> callbacks_;

    // -1 until the terminal event is claimed, then the exit status that
    // matches it (0 for success). One atomic so the claim is race-free.
    std::atomic<int> terminal_{-1};
};

}  // namespace letts::mission
