// `letts run --host=a,b,…`: the same mission on several dugdales at once
// (one curl multi underneath), reported per host; the worst outcome decides
// the exit code (success < failed < abnormal; a setup error beats them).
#include <cstdio>

#include "error.hpp"
#include "job_flags.hpp"
#include "output.hpp"
#include "run_result.hpp"
#include "target_defaults.hpp"

namespace letts_cli {

namespace {

// Exit code of one host: its outcome, or 1/4/5/124 for the error kind.
int host_exit(const letts_host_results* rs, size_t i) {
    const letts_run_result* r = letts_host_results_result(rs, i);
    if (r) {
        std::string outcome = letts_run_result_outcome(r) ? letts_run_result_outcome(r) : "";
        return outcome == "success" ? 0 : (outcome == "failed" ? 1 : 125);
    }
    std::string kind = letts_host_results_error_kind(rs, i) ? letts_host_results_error_kind(rs, i) : "";
    if (kind == "auth") return kExitAuth;
    if (kind == "network") return kExitNetwork;
    if (kind == "timeout") return kExitWaitTimeout;
    return kExitFailure;
}

// Worst wins; setup errors (not a mission outcome) rank above outcomes.
int rank(int code) {
    switch (code) {
    case 0: return 0;
    case 1: return 1;
    case 125: return 2;
    default: return 3;
    }
}

cJSON* host_json(const letts_host_results* rs, size_t i) {
    const letts_run_result* r = letts_host_results_result(rs, i);
    cJSON* o = r ? cJSON_Duplicate(run_result_json(r).get(), 1) : cJSON_CreateObject();
    cJSON_DeleteItemFromObject(o, "host");
    cJSON_AddStringToObject(o, "host", letts_host_results_host(rs, i));
    cJSON_AddBoolToObject(o, "ok", letts_host_results_is_success(rs, i));
    if (!r) {
        const char* msg = letts_host_results_error_message(rs, i);
        cJSON_AddStringToObject(o, "error", msg ? msg : "");
    }
    return o;
}

void print_text(const letts_host_results* rs, size_t i) {
    std::printf("== %s ==\n", letts_host_results_host(rs, i));
    const letts_run_result* r = letts_host_results_result(rs, i);
    if (!r) {
        const char* msg = letts_host_results_error_message(rs, i);
        std::printf("error: %s\n", msg ? msg : "unknown");
        return;
    }
    std::string outcome = letts_run_result_outcome(r) ? letts_run_result_outcome(r) : "";
    if (outcome != "success") std::printf("outcome: %s\n", outcome.c_str());
    print_run_result(r, Format::Text);
}

}  // namespace

int run_fanout(const letts_client* client, const std::vector<std::string>& hosts,
               const DispatchFlags& d, const letts_run_options* opts, Format format) {
    std::vector<JobPtr> jobs;
    std::vector<const letts_job*> raw_jobs;
    for (const auto& h : hosts) {
        jobs.push_back(build_job(d, h, lane_for(client, d, h)));
        raw_jobs.push_back(jobs.back().get());
    }
    letts_host_results* raw = nullptr;
    letts_error* err = nullptr;
    check(letts_client_run_parallel(client, raw_jobs.data(), raw_jobs.size(), opts, &raw, &err), err);
    HostResultsPtr rs(raw);
    size_t n = letts_host_results_count(rs.get());
    int worst = 0;
    Json all(cJSON_CreateObject());
    cJSON* arr = cJSON_AddArrayToObject(all.get(), "results");
    for (size_t i = 0; i < n; ++i) {
        int code = host_exit(rs.get(), i);
        if (rank(code) > rank(worst)) worst = code;
        if (format == Format::Text) print_text(rs.get(), i);
        else if (format == Format::Ndjson) print_json(Json(host_json(rs.get(), i)).get(), format);
        else cJSON_AddItemToArray(arr, host_json(rs.get(), i));
    }
    if (is_document(format)) print_json(all.get(), format);
    if (worst != 0) std::fprintf(stderr, "letts: run failed on at least one host (exit %d)\n", worst);
    return worst;
}

}  // namespace letts_cli
