// letts/mission.h: the worker-side runtime through the C ABI.
#include <cstdlib>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "capi/mission_handle.hpp"
#include "mission/json_number.hpp"
#include "letts/mission.h"

namespace mission = letts::mission;
using letts::Error;
using letts::Status;
using letts::capi::guarded;
using letts::capi::require;

namespace {

constexpr unsigned known_flags = LETTS_MISSION_NO_SIGNAL_HANDLERS | LETTS_MISSION_STANDALONE;

std::optional<std::string_view> optional_text(const char* text) {
    return text ? std::optional<std::string_view>(text) : std::nullopt;
}

// The value at `path`, or nullptr when absent or null (the typed getters
// then give their default).
const mission::JsonDoc::Node* present_value(const letts_mission* m, const char* path,
                                            const char* function) {
    require(m != nullptr, std::string(function) + ": m is NULL");
    require(path != nullptr, std::string(function) + ": path is NULL");
    const auto* node = m->mission->input().find(path);
    if (node == nullptr || node->kind == mission::JsonDoc::Kind::null) return nullptr;
    return node;
}

[[noreturn]] void wrong_type(const char* path, const mission::JsonDoc::Node& node,
                             const char* wanted) {
    throw Error(Status::invalid_argument,
                std::string("input \"") + path + "\" is " +
                    (node.kind == mission::JsonDoc::Kind::array ||
                             node.kind == mission::JsonDoc::Kind::object
                         ? "an "
                         : "a ") +
                    std::string(mission::kind_name(node.kind)) + ", not " + wanted);
}

// What every typed input getter does before converting: the value at `path`
// when it has the kind the getter reads, nullptr when absent or null (the
// getter then gives its default); any other kind is an error.
const mission::JsonDoc::Node* input_of_kind(const letts_mission* m, const char* path,
                                            const char* function, mission::JsonDoc::Kind kind,
                                            const char* wanted) {
    const auto* node = present_value(m, path, function);
    if (node != nullptr && node->kind != kind) wrong_type(path, *node, wanted);
    return node;
}

}  // namespace

extern "C" {

/* ---------------------------------------------------------------- start -- */

LETTS_EXTERN letts_status letts_mission_start(letts_mission** out, int argc,
                                              const char* const* argv, unsigned flags,
                                              letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_mission_start: out is NULL");
        require((flags & ~known_flags) == 0, "letts_mission_start: unknown flag bits " +
                                                 std::to_string(flags & ~known_flags));
        std::span<const char* const> args;
        if (argv != nullptr && argc > 1) args = {argv + 1, static_cast<std::size_t>(argc - 1)};
        mission::StartOptions options;
        options.install_signal_handlers = (flags & LETTS_MISSION_NO_SIGNAL_HANDLERS) == 0;
        options.force_standalone = (flags & LETTS_MISSION_STANDALONE) != 0;
        auto handle = std::make_unique<letts_mission>();
        handle->mission = std::make_unique<mission::Mission>(args, options);
        letts::capi::hand_over(out, std::move(handle));
    });
}

LETTS_EXTERN void letts_mission_free(letts_mission* m) {
    std::unique_ptr<letts_mission> owned(m);
}

LETTS_EXTERN int letts_mission_exit_code(const letts_mission* m) {
    return m ? m->mission->exit_code() : 1;
}

LETTS_EXTERN void letts_mission_exit(letts_mission* m) {
    const int code = letts_mission_exit_code(m);
    std::fflush(nullptr);
    letts_mission_free(m);
    std::exit(code);
}

LETTS_EXTERN int letts_mission_is_standalone(const letts_mission* m) {
    return m && m->mission->standalone() ? 1 : 0;
}

LETTS_EXTERN const char* letts_mission_id(const letts_mission* m) {
    if (!m || m->mission->standalone()) return nullptr;
    return m->mission->id().c_str();
}

LETTS_EXTERN const char* letts_mission_lane(const letts_mission* m) {
    if (!m || !m->mission->lane()) return nullptr;
    return m->mission->lane()->c_str();
}

LETTS_EXTERN const char* letts_mission_workdir(const letts_mission* m) {
    return m ? m->mission->workdir().c_str() : nullptr;
}

LETTS_EXTERN const char* letts_mission_tmpdir(const letts_mission* m) {
    return m ? m->mission->tmpdir().c_str() : nullptr;
}

/* ---------------------------------------------------------------- input -- */

LETTS_EXTERN const char* letts_mission_input_json(const letts_mission* m) {
    return m ? m->mission->input().text().c_str() : nullptr;
}

LETTS_EXTERN int letts_mission_input_has(const letts_mission* m, const char* path) {
    if (!m || !path) return 0;
    return m->mission->input().find(path) != nullptr ? 1 : 0;
}

LETTS_EXTERN letts_status letts_mission_input_lookup(const letts_mission* m, const char* path,
                                                     char** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_input_lookup: m is NULL");
        require(path != nullptr, "letts_mission_input_lookup: path is NULL");
        require(out != nullptr, "letts_mission_input_lookup: out is NULL");
        const auto& input = m->mission->input();
        const auto* node = input.find(path);
        if (node == nullptr)
            throw Error(Status::not_found, std::string("input path \"") + path + "\" not found");
        *out = letts::capi::copy_to_caller(std::string(input.text_of(*node)));
    });
}

LETTS_EXTERN letts_status letts_mission_input_string(const letts_mission* m, const char* path,
                                                     const char* def, const char** out,
                                                     size_t* len, letts_error** err) {
    return guarded(err, [&] {
        require(out != nullptr, "letts_mission_input_string: out is NULL");
        const auto* node = input_of_kind(m, path, "letts_mission_input_string",
                                         mission::JsonDoc::Kind::string, "a string");
        if (node == nullptr) {
            *out = def;
            if (len) *len = def ? std::string_view(def).size() : 0;
            return;
        }
        *out = node->string.c_str();
        if (len) *len = node->string.size();
    });
}

LETTS_EXTERN letts_status letts_mission_input_int(const letts_mission* m, const char* path,
                                                  int64_t def, int64_t* out, letts_error** err) {
    return guarded(err, [&] {
        require(out != nullptr, "letts_mission_input_int: out is NULL");
        const auto* node = input_of_kind(m, path, "letts_mission_input_int",
                                         mission::JsonDoc::Kind::number, "an integer");
        *out = node ? mission::number_as_int(m->mission->input().text_of(*node), path) : def;
    });
}

LETTS_EXTERN letts_status letts_mission_input_double(const letts_mission* m, const char* path,
                                                     double def, double* out, letts_error** err) {
    return guarded(err, [&] {
        require(out != nullptr, "letts_mission_input_double: out is NULL");
        const auto* node = input_of_kind(m, path, "letts_mission_input_double",
                                         mission::JsonDoc::Kind::number, "a number");
        *out = node ? mission::number_as_double(m->mission->input().text_of(*node), path) : def;
    });
}

LETTS_EXTERN letts_status letts_mission_input_bool(const letts_mission* m, const char* path,
                                                   int def, int* out, letts_error** err) {
    return guarded(err, [&] {
        require(out != nullptr, "letts_mission_input_bool: out is NULL");
        const auto* node = input_of_kind(m, path, "letts_mission_input_bool",
                                         mission::JsonDoc::Kind::boolean, "a boolean");
        *out = node ? (node->boolean ? 1 : 0) : def;
    });
}

/* ---------------------------------------------------------- input files -- */

LETTS_EXTERN letts_status letts_mission_file_roles(const letts_mission* m,
                                                   letts_string_list** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_file_roles: m is NULL");
        require(out != nullptr, "letts_mission_file_roles: out is NULL");
        auto list = std::make_unique<letts_string_list>();
        list->items = m->mission->files().roles();
        letts::capi::hand_over(out, std::move(list));
    });
}

LETTS_EXTERN letts_status letts_mission_file_path(const letts_mission* m, const char* role,
                                                  const char** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_file_path: m is NULL");
        require(role != nullptr, "letts_mission_file_path: role is NULL");
        require(out != nullptr, "letts_mission_file_path: out is NULL");
        *out = m->mission->files().path(role).c_str();
    });
}

LETTS_EXTERN letts_status letts_mission_file_size(const letts_mission* m, const char* role,
                                                  uint64_t* out, letts_error** err) {
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_file_size: m is NULL");
        require(role != nullptr, "letts_mission_file_size: role is NULL");
        require(out != nullptr, "letts_mission_file_size: out is NULL");
        *out = m->mission->files().size(role);
    });
}

LETTS_EXTERN letts_status letts_mission_file_sha256(const letts_mission* m, const char* role,
                                                    const char** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_file_sha256: m is NULL");
        require(role != nullptr, "letts_mission_file_sha256: role is NULL");
        require(out != nullptr, "letts_mission_file_sha256: out is NULL");
        *out = m->mission->files().sha256(role).c_str();
    });
}

LETTS_EXTERN letts_status letts_mission_file_open(const letts_mission* m, const char* role,
                                                  int* fd, letts_error** err) {
    if (fd) *fd = -1;
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_file_open: m is NULL");
        require(role != nullptr, "letts_mission_file_open: role is NULL");
        require(fd != nullptr, "letts_mission_file_open: fd is NULL");
        *fd = m->mission->files().open(role);
    });
}

/* ------------------------------------------------------------- progress -- */

LETTS_EXTERN letts_status letts_mission_progress(letts_mission* m, double value,
                                                 const char* message, letts_error** err) {
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_progress: m is NULL");
        m->mission->progress(value, optional_text(message));
    });
}

LETTS_EXTERN letts_status letts_mission_progress_message(letts_mission* m, const char* message,
                                                         letts_error** err) {
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_progress_message: m is NULL");
        m->mission->progress(std::nullopt, optional_text(message));
    });
}

/* --------------------------------------------------------- cancellation -- */

LETTS_EXTERN int letts_mission_interrupted(const letts_mission* m) {
    return m ? m->mission->interrupted() : 0;
}

LETTS_EXTERN letts_status letts_mission_check(letts_mission* m, letts_error** err) {
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_check: m is NULL");
        m->mission->check();
    });
}

LETTS_EXTERN letts_status letts_mission_on_interrupt(letts_mission* m,
                                                     letts_mission_interrupt_fn fn,
                                                     void* user_data, letts_error** err) {
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_on_interrupt: m is NULL");
        require(fn != nullptr, "letts_mission_on_interrupt: fn is NULL");
        m->mission->on_interrupt([fn, user_data](int signal) { return fn(signal, user_data) != 0; });
    });
}

LETTS_EXTERN int letts_mission_interrupt_fd(const letts_mission* m) {
    return m ? m->mission->interrupt_fd() : -1;
}

LETTS_EXTERN letts_status letts_mission_interrupt(letts_mission* m, int signal,
                                                  letts_error** err) {
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_interrupt: m is NULL");
        require(signal > 0, "letts_mission_interrupt: signal must be positive, got " +
                                std::to_string(signal));
        m->mission->interrupt(signal);
    });
}

/* -------------------------------------------------------------- outputs -- */

LETTS_EXTERN letts_status letts_mission_output_path(letts_mission* m, const char* key,
                                                    const char** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_output_path: m is NULL");
        require(key != nullptr, "letts_mission_output_path: key is NULL");
        require(out != nullptr, "letts_mission_output_path: out is NULL");
        *out = m->mission->output_path(key).c_str();
    });
}

LETTS_EXTERN letts_status letts_mission_output_register(letts_mission* m, const char* key,
                                                        letts_error** err) {
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_output_register: m is NULL");
        require(key != nullptr, "letts_mission_output_register: key is NULL");
        m->mission->output_register(key);
    });
}

/* ------------------------------------------------------ terminal events -- */

LETTS_EXTERN letts_status letts_mission_success(letts_mission* m, const char* return_json,
                                                letts_error** err) {
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_success: m is NULL");
        m->mission->success(optional_text(return_json));
    });
}

LETTS_EXTERN letts_status letts_mission_fail(letts_mission* m, const char* message,
                                             const char* reason, const char* details_json,
                                             int exit_code, letts_error** err) {
    return guarded(err, [&] {
        require(m != nullptr, "letts_mission_fail: m is NULL");
        m->mission->fail(message ? message : "", reason ? reason : "",
                         optional_text(details_json), exit_code);
    });
}

LETTS_EXTERN int letts_mission_ended(const letts_mission* m) {
    return m && m->mission->ended() ? 1 : 0;
}

}  // extern "C"
