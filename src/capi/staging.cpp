// letts/staging.h: the staging primitives and their result handles.
#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/staging.h"

using letts::capi::guarded;
using letts::capi::require;

namespace {

// Row `index` of a list, or NULL when out of range (or no list).
const letts::client::StagingEntry* row(const letts_staging_list* list, size_t index) {
    if (!list || index >= list->page.entries.size()) return nullptr;
    return &list->page.entries[index];
}

letts::client::StagingRange range_of(uint64_t offset, uint64_t length) {
    return letts::client::StagingRange{offset, length};
}

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_client_stage_file(const letts_client* client, const char* host,
                                                  const char* path, letts_staged_file** out,
                                                  letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr, "letts_client_stage_file: client and out must not be NULL");
        require(path != nullptr, "letts_client_stage_file: path must not be NULL");
        auto staged = std::make_unique<letts_staged_file>();
        staged->file = client->client.stage(letts::capi::text_or_empty(host), path);
        letts::capi::hand_over(out, std::move(staged));
    });
}

LETTS_EXTERN const char* letts_staged_file_id(const letts_staged_file* file) {
    return file ? file->file.staging_id.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_staged_file_sha256(const letts_staged_file* file) {
    return file ? file->file.sha256.c_str() : nullptr;
}
LETTS_EXTERN uint64_t letts_staged_file_size(const letts_staged_file* file) { return file ? file->file.size : 0; }
LETTS_EXTERN void letts_staged_file_free(letts_staged_file* file) { delete file; }

LETTS_EXTERN letts_status letts_client_staging_head(const letts_client* client, const char* host,
                                                    const char* id, letts_staging_head** out,
                                                    letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr, "letts_client_staging_head: client and out must not be NULL");
        require(id != nullptr, "letts_client_staging_head: id must not be NULL");
        auto head = std::make_unique<letts_staging_head>();
        head->head = client->client.staging_head(letts::capi::text_or_empty(host), id);
        letts::capi::hand_over(out, std::move(head));
    });
}

LETTS_EXTERN const char* letts_staging_head_state(const letts_staging_head* head) {
    return head ? head->head.state.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_staging_head_sha256(const letts_staging_head* head) {
    return head ? head->head.sha256.c_str() : nullptr;
}
LETTS_EXTERN uint64_t letts_staging_head_size(const letts_staging_head* head) { return head ? head->head.size : 0; }
LETTS_EXTERN uint64_t letts_staging_head_bytes_received(const letts_staging_head* head) {
    return head ? head->head.bytes_received : 0;
}
LETTS_EXTERN void letts_staging_head_free(letts_staging_head* head) { delete head; }

LETTS_EXTERN letts_status letts_client_staging_download(const letts_client* client, const char* host,
                                                        const char* id, uint64_t offset, uint64_t length,
                                                        const char* path, letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr, "letts_client_staging_download: client must not be NULL");
        require(id != nullptr && path != nullptr, "letts_client_staging_download: id and path must not be NULL");
        client->client.staging_download(letts::capi::text_or_empty(host), id, range_of(offset, length), path);
    });
}

LETTS_EXTERN letts_status letts_client_staging_read(const letts_client* client, const char* host,
                                                    const char* id, uint64_t offset, uint64_t length,
                                                    letts_bytes_fn fn, void* user_data, letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr, "letts_client_staging_read: client must not be NULL");
        require(id != nullptr && fn != nullptr, "letts_client_staging_read: id and fn must not be NULL");
        client->client.staging_read(letts::capi::text_or_empty(host), id, range_of(offset, length),
                                    [fn, user_data](std::string_view chunk) {
                                        return fn(chunk.data(), chunk.size(), user_data) == 0;
                                    });
    });
}

LETTS_EXTERN letts_status letts_client_staging_list(const letts_client* client, const char* host,
                                                    const char* mission_id, const char* ref_kind,
                                                    uint64_t limit, const char* cursor,
                                                    letts_staging_list** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr, "letts_client_staging_list: client and out must not be NULL");
        letts::client::StagingFilter filter;
        filter.mission_id = letts::capi::text_or_empty(mission_id);
        filter.ref_kind = letts::capi::text_or_empty(ref_kind);
        filter.cursor = letts::capi::text_or_empty(cursor);
        filter.limit = limit;
        auto list = std::make_unique<letts_staging_list>();
        list->page = client->client.list_staging(letts::capi::text_or_empty(host), filter);
        letts::capi::hand_over(out, std::move(list));
    });
}

LETTS_EXTERN size_t letts_staging_list_count(const letts_staging_list* list) {
    return list ? list->page.entries.size() : 0;
}
LETTS_EXTERN const char* letts_staging_list_next_cursor(const letts_staging_list* list) {
    return list ? letts::capi::null_if_empty(list->page.next_cursor) : nullptr;
}
LETTS_EXTERN const char* letts_staging_list_json(const letts_staging_list* list) {
    return list ? list->page.json.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_staging_list_id(const letts_staging_list* list, size_t index) {
    const auto* entry = row(list, index);
    return entry ? entry->staging_id.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_staging_list_state(const letts_staging_list* list, size_t index) {
    const auto* entry = row(list, index);
    return entry ? entry->state.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_staging_list_sha256(const letts_staging_list* list, size_t index) {
    const auto* entry = row(list, index);
    return entry ? entry->sha256.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_staging_list_ref_kind(const letts_staging_list* list, size_t index) {
    const auto* entry = row(list, index);
    return entry ? entry->ref_kind.c_str() : nullptr;
}
LETTS_EXTERN const char* letts_staging_list_role(const letts_staging_list* list, size_t index) {
    const auto* entry = row(list, index);
    return entry ? entry->role.c_str() : nullptr;
}
LETTS_EXTERN int64_t letts_staging_list_size(const letts_staging_list* list, size_t index) {
    const auto* entry = row(list, index);
    return entry ? entry->size : 0;
}
LETTS_EXTERN int64_t letts_staging_list_bytes_received(const letts_staging_list* list, size_t index) {
    const auto* entry = row(list, index);
    return entry ? entry->bytes_received : 0;
}
LETTS_EXTERN int64_t letts_staging_list_time_created(const letts_staging_list* list, size_t index) {
    const auto* entry = row(list, index);
    return entry ? entry->time_created : 0;
}
LETTS_EXTERN int64_t letts_staging_list_time_expires(const letts_staging_list* list, size_t index) {
    const auto* entry = row(list, index);
    return entry ? entry->time_expires : 0;
}
LETTS_EXTERN void letts_staging_list_free(letts_staging_list* list) { delete list; }

LETTS_EXTERN letts_status letts_client_staging_delete(const letts_client* client, const char* host,
                                                      const char* id, int force, letts_error** err) {
    return guarded(err, [&] {
        require(client != nullptr && id != nullptr, "letts_client_staging_delete: client and id must not be NULL");
        client->client.delete_staging(letts::capi::text_or_empty(host), id, force != 0);
    });
}

LETTS_EXTERN letts_status letts_client_staging_by_content(const letts_client* client, const char* host,
                                                          letts_scope scope, const char* sha256, uint64_t size,
                                                          letts_staged_file** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(client != nullptr && out != nullptr,
                "letts_client_staging_by_content: client and out must not be NULL");
        require(sha256 != nullptr, "letts_client_staging_by_content: sha256 must not be NULL");
        const auto where = letts::capi::to_scope(scope);
        require(where.has_value(), "letts_client_staging_by_content: scope must be a token's scope, not LETTS_SCOPE_NONE");
        auto found = std::make_unique<letts_staged_file>();
        found->file = client->client.staging_by_content(letts::capi::text_or_empty(host), sha256, size, *where);
        letts::capi::hand_over(out, std::move(found));
    });
}

}  // extern "C"
