// The mission resource (http-api.md §6.1), as GET /v1/missions/{id} and the
// list endpoint return it.
#pragma once

#include "core/json.hpp"
#include "devserver/engine.hpp"

namespace letts::devserver {

// Builds the resource of `job`; the caller holds the engine's lock.
json::Ptr mission_resource(const Engine& engine, const Job& job);

}  // namespace letts::devserver
