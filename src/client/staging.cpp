// The staging primitives of the Go client (http-api.md §5.16–§5.21, §9):
// upload with the resumable algorithm the dispatch uses (net/staging_upload),
// HEAD, verified GET of the whole file or a range (net/staging_download),
// list, delete and the by-content look-up.
#include "client/client.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "core/json.hpp"
#include "net/http_error.hpp"
#include "net/retry.hpp"
#include "net/staging_download.hpp"
#include "net/staging_upload.hpp"
#include "net/url.hpp"

namespace letts::client {

namespace {

std::string staging_path(std::string_view id) { return "/v1/staging/" + net::escape(id); }

void require_id(std::string_view id, std::string_view operation) {
    if (id.empty()) throw Error(Status::invalid_argument, std::string(operation) + ": staging id is empty");
}

Error not_found(std::string_view id, const std::string& dugdale_id) {
    return Error(Status::not_found, "[" + dugdale_id + "] staging " + std::string(id) + " not found")
        .http(404)
        .code("not_found")
        .dugdale(dugdale_id);
}

// The daemon's 404 not_found (no such row) as Status::not_found, the
// status every binding maps to its own "not found"; other errors unchanged.
template <class Call>
auto not_found_as_status(Call call) -> decltype(call()) {
    try {
        return call();
    } catch (const Error& error) {
        if (error.http_status() != 404 || error.error_code() != "not_found") throw;
        throw Error(Status::not_found, error.message())
            .http(404)
            .code(error.error_code())
            .dugdale(error.dugdale_id());
    }
}

// What the GET of `range` must bring, from the HEAD: the whole file is
// checked against its size and sha256, a range against its length.
struct Plan {
    net::Announced announced;
    std::optional<net::ByteRange> range;
};

Plan plan_download(const net::StagingProbe& probe, std::string id, StagingRange range,
                   const std::string& dugdale_id) {
    if (probe.state == net::StagingProbe::State::not_found) throw not_found(id, dugdale_id);
    if (probe.state != net::StagingProbe::State::complete) {
        throw Error(Status::staging, "staging " + id + " is " + probe.upload_status +
                                         ", not complete: nothing to download")
            .dugdale(dugdale_id);
    }
    const std::uint64_t size = probe.total_size;
    if (range.whole()) return Plan{net::Announced{id, probe.sha256, size}, std::nullopt};
    if (range.offset >= size) {
        throw Error(Status::invalid_argument, "staging " + id + ": range offset " + std::to_string(range.offset) +
                                                  " is not inside the file (" + std::to_string(size) + " bytes)");
    }
    const std::uint64_t rest = size - range.offset;
    const std::uint64_t length = range.length == 0 ? rest : std::min(range.length, rest);
    return Plan{net::Announced{id, "", length}, net::ByteRange{range.offset, length}};
}

net::Task<Plan> probe_for_download(net::Loop& loop, const net::Transport& transport, net::Endpoint endpoint,
                                   std::string id, StagingRange range) {
    const net::StagingProbe probe = co_await net::probe_staging(loop, transport, endpoint, id);
    co_return plan_download(probe, id, range, endpoint.dugdale_id);
}

net::Task<void> download_task(net::Loop& loop, const net::Transport& transport, net::Endpoint endpoint,
                              std::string id, StagingRange range, std::string destination) {
    Plan plan = co_await probe_for_download(loop, transport, endpoint, id, range);
    co_await net::download_to_file(loop, transport, std::move(endpoint), std::move(plan.announced),
                                   std::move(destination), plan.range);
}

net::Task<void> read_task(net::Loop& loop, const net::Transport& transport, net::Endpoint endpoint,
                          std::string id, StagingRange range, std::function<void(std::string_view)> sink) {
    Plan plan = co_await probe_for_download(loop, transport, endpoint, id, range);
    co_await net::download_verified(loop, transport, std::move(endpoint), std::move(plan.announced),
                                    std::move(sink), plan.range);
}

StagingEntry entry_from_json(const cJSON* row) {
    StagingEntry entry;
    entry.staging_id = json::get_string(row, "staging_id").value_or("");
    entry.state = json::get_string(row, "state").value_or("");
    entry.sha256 = json::get_string(row, "sha256").value_or("");
    entry.ref_kind = json::get_string(row, "ref_kind").value_or("");
    entry.role = json::get_string(row, "role").value_or("");
    entry.size = json::get_int(row, "size").value_or(0);
    entry.bytes_received = json::get_int(row, "bytes_received").value_or(0);
    entry.time_created = json::get_int(row, "time_created").value_or(0);
    entry.time_updated = json::get_int(row, "time_updated").value_or(0);
    entry.time_expires = json::get_int(row, "time_expires").value_or(0);
    return entry;
}

bool is_sha256_hex(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
           });
}

}  // namespace

StagedFile Client::stage(std::string_view host, std::string path) const {
    if (path.empty()) throw Error(Status::invalid_argument, "stage: path is empty");
    const net::Endpoint where = endpoint(require_host(host, "stage"), config::Scope::dispatch);
    return block([&](net::Loop& loop) {
        return net::stage_file(loop, transport(), where, options().retry, std::move(path));
    });
}

StagingHead Client::staging_head(std::string_view host, std::string_view id) const {
    require_id(id, "staging head");
    const net::Endpoint where = endpoint(require_host(host, "staging head"), config::Scope::dispatch);
    const net::StagingProbe probe = block([&](net::Loop& loop) {
        return net::probe_staging(loop, transport(), where, std::string(id));
    });
    if (probe.state == net::StagingProbe::State::not_found) throw not_found(id, where.dugdale_id);
    StagingHead head;
    head.state = probe.upload_status;
    head.sha256 = probe.sha256;
    head.size = probe.total_size;
    head.bytes_received =
        probe.state == net::StagingProbe::State::complete ? probe.total_size : probe.bytes_received;
    return head;
}

void Client::staging_download(std::string_view host, std::string_view id, StagingRange range,
                              std::string destination) const {
    require_id(id, "staging download");
    if (destination.empty()) throw Error(Status::invalid_argument, "staging download: destination path is empty");
    const net::Endpoint where = endpoint(require_host(host, "staging download"), config::Scope::dispatch);
    block([&](net::Loop& loop) {
        return download_task(loop, transport(), where, std::string(id), range, std::move(destination));
    });
}

void Client::staging_read(std::string_view host, std::string_view id, StagingRange range,
                          const std::function<bool(std::string_view)>& sink) const {
    require_id(id, "staging read");
    const net::Endpoint where = endpoint(require_host(host, "staging read"), config::Scope::dispatch);
    // Stopping is an error thrown through the download, which ends the
    // transfer and reaches the caller unchanged.
    std::function<void(std::string_view)> checked = [&sink, id = std::string(id)](std::string_view chunk) {
        if (!sink(chunk)) throw Error(Status::interrupted, "download of staging " + id + " stopped by the callback");
    };
    block([&](net::Loop& loop) {
        return read_task(loop, transport(), where, std::string(id), range, std::move(checked));
    });
}

StagingPage Client::list_staging(std::string_view host, const StagingFilter& filter) const {
    const net::Endpoint where = endpoint(require_host(host, "list staging"), config::Scope::admin);
    std::vector<std::pair<std::string, std::string>> query;
    if (!filter.mission_id.empty()) query.emplace_back("mission_id", filter.mission_id);
    if (!filter.ref_kind.empty()) query.emplace_back("ref_kind", filter.ref_kind);
    if (filter.limit > 0) query.emplace_back("limit", std::to_string(filter.limit));
    if (!filter.cursor.empty()) query.emplace_back("cursor", filter.cursor);
    net::Request request;
    request.target = "/v1/staging" + net::query_string(query);
    request.operation = "list staging";
    const json::Ptr answer = block([&](net::Loop& loop) {
        return net::perform_json_retried(loop, transport(), options().retry, where, request);
    });
    StagingPage page;
    if (const cJSON* rows = cJSON_GetObjectItemCaseSensitive(answer.get(), "staging"); cJSON_IsArray(rows)) {
        for (const cJSON* row = rows->child; row; row = row->next) page.entries.push_back(entry_from_json(row));
    }
    page.next_cursor = json::get_string(answer.get(), "next_cursor").value_or("");
    page.json = json::print(answer.get());
    return page;
}

void Client::delete_staging(std::string_view host, std::string_view id, bool force) const {
    require_id(id, "delete staging");
    const net::Endpoint where = endpoint(require_host(host, "delete staging"), config::Scope::admin);
    net::Request request;
    request.method = "DELETE";
    request.target = staging_path(id) + (force ? "?force=true" : "");
    request.operation = "delete staging";
    // Retried: a second DELETE of a row already `deleting` is answered 202 too.
    not_found_as_status([&] {
        return block([&](net::Loop& loop) {
            return net::perform_json_retried(loop, transport(), options().retry, where, request);
        });
    });
}

StagedFile Client::staging_by_content(std::string_view host, std::string_view sha256, std::uint64_t size,
                                      config::Scope scope) const {
    if (!is_sha256_hex(sha256)) {
        throw Error(Status::invalid_argument,
                    "staging by content: sha256 must be 64 hex digits, got \"" +
                        std::string(sha256.substr(0, 80)) + "\"");
    }
    if (size == 0) throw Error(Status::invalid_argument, "staging by content: size must be > 0");
    const net::Endpoint where = endpoint(require_host(host, "staging by content"), scope);
    net::Request request;
    request.target = "/v1/staging/by-content/" + net::escape(sha256) +
                     net::query_string({{"size", std::to_string(size)}});
    request.operation = "staging by content";
    const json::Ptr answer = not_found_as_status([&] {
        return block([&](net::Loop& loop) {
            return net::perform_json_retried(loop, transport(), options().retry, where, request);
        });
    });
    StagedFile found;
    found.staging_id = json::get_string(answer.get(), "staging_id").value_or("");
    found.sha256 = json::get_string(answer.get(), "sha256").value_or("");
    found.size = static_cast<std::uint64_t>(json::get_int(answer.get(), "size").value_or(0));
    return found;
}

}  // namespace letts::client
