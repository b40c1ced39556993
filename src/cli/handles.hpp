// unique_ptr owners for the library's opaque handles, so every command
// releases what it asked for on every path (including a thrown CliError).
#pragma once

#include <memory>

#include <letts/letts.h>

namespace letts_cli {

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T* p) const { Free(p); }
};

using ClientPtr = std::unique_ptr<letts_client, Deleter<letts_client_free>>;
using ConfigPtr = std::unique_ptr<letts_config, Deleter<letts_config_free>>;
using ClientOptionsPtr = std::unique_ptr<letts_client_options, Deleter<letts_client_options_free>>;
using JobPtr = std::unique_ptr<letts_job, Deleter<letts_job_free>>;
using RunOptionsPtr = std::unique_ptr<letts_run_options, Deleter<letts_run_options_free>>;
using RunResultPtr = std::unique_ptr<letts_run_result, Deleter<letts_run_result_free>>;
using ExecSpecPtr = std::unique_ptr<letts_exec_spec, Deleter<letts_exec_spec_free>>;
using HostResultsPtr = std::unique_ptr<letts_host_results, Deleter<letts_host_results_free>>;
using CancelPtr = std::unique_ptr<letts_cancel, Deleter<letts_cancel_free>>;
using MissionInfoPtr = std::unique_ptr<letts_mission_info, Deleter<letts_mission_info_free>>;
using MissionListPtr = std::unique_ptr<letts_mission_list, Deleter<letts_mission_list_free>>;
using ListFilterPtr = std::unique_ptr<letts_list_filter, Deleter<letts_list_filter_free>>;
using StringListPtr = std::unique_ptr<letts_string_list, Deleter<letts_string_list_free>>;
using ErrorPtr = std::unique_ptr<letts_error, Deleter<letts_error_free>>;

// A string the library allocated for the caller (freed with letts_free).
struct FreeDeleter {
    void operator()(char* p) const { letts_free(p); }
};
using OwnedString = std::unique_ptr<char, FreeDeleter>;

}  // namespace letts_cli
