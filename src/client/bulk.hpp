// Bulk restart and bulk delete (http-api.md §5.14, §5.15) and the whole
// answer of a single restart (§5.11): what the caller selects, and what the
// dugdale reported for each selected id.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace letts::client {

// At most this many ids per bulk request (http-api.md, limits table).
inline constexpr std::size_t max_bulk_ids = 1000;

// Which missions a bulk operation acts on: the `ids` given, or the first
// page GET /v1/missions answers for `filter` (kind "mission" unless the
// filter names a kind, so ad-hoc exec jobs are not caught by a loose
// selector). Exactly one of the two.
struct BulkSelection {
    std::vector<std::string> ids;
    // The query of a ListFilter (client.hpp); nullopt: `ids` are the selection.
    std::optional<std::vector<std::pair<std::string, std::string>>> filter_query;
    bool dry_run = false;  // select, report, send nothing
    bool force = false;    // bulk delete: also running missions
};

// One id of a bulk answer, as the route reports it.
struct BulkItem {
    std::string id;
    bool ok = false;
    std::optional<std::string> mission_id;    // restart success: the new mission
    std::optional<std::string> status;        // delete success: "deletion_pending"
    std::optional<std::string> error;         // failure: the single route's error code
    std::optional<std::string> details_json;  // failure details, when the route gave some
};

struct BulkResult {
    bool dry_run = false;
    std::vector<BulkItem> items;  // in selection order; dry run: ids only
    std::optional<std::string> json;  // the answer as received; nullopt when nothing was sent
};

// The 201 answer of POST /v1/missions/{id}/restart.
struct RestartAnswer {
    std::string mission_id, restarted_from, status;
    std::string json;  // as received
};

}  // namespace letts::client
