// Label selection (section 7.3) and target resolution (client-behavior §3).
#include <string>

#include "config/config.hpp"
#include "config/text.hpp"
#include "core/error.hpp"

namespace letts::config {

namespace {

std::string joined(const std::vector<std::string>& labels, std::string_view separator) {
    std::string out;
    for (const auto& label : labels) {
        if (!out.empty()) out += separator;
        out += label;
    }
    return out;
}

[[noreturn]] void no_candidate(std::string_view lane, const std::vector<std::string>& labels) {
    if (labels.empty())
        throw Error(Status::no_matching_dugdale, "no dugdale exposes lane " + quote(lane));
    throw Error(Status::no_matching_dugdale, "no dugdale matches labels: " + joined(labels, ",") +
                                                 " (lane: " + std::string(lane) + ")");
}

// client-behavior §3.2. The defaults never turn an explicit route/host call
// into an ambiguous one, so with either given only the call's own match counts.
const std::vector<std::string>& effective_filter(const Config& config, const TargetSpec& spec,
                                                 const std::vector<std::string>& scope_match) {
    if (!spec.match.empty() || !spec.route.empty() || !spec.host.empty()) return spec.match;
    if (!scope_match.empty()) return scope_match;
    return config.selector_match;
}

}  // namespace

std::vector<const Dugdale*> candidates(const Config& config, std::string_view lane,
                                       const std::vector<std::string>& labels) {
    std::vector<const Dugdale*> out;
    for (const Dugdale& d : config.dugdales)
        if ((lane.empty() || d.declares_lane(lane)) && d.carries_all(labels)) out.push_back(&d);
    return out;
}

std::vector<std::string> ids_carrying(const Config& config, const std::vector<std::string>& labels) {
    std::vector<std::string> ids;
    for (const Dugdale* d : candidates(config, "", labels)) ids.push_back(d->id);
    return ids;
}

Resolved resolve_target(const Config& config, const TargetSpec& spec,
                        const std::vector<std::string>& scope_match, const EnvLookup& env,
                        const Chooser& choose) {
    const bool by_route = !spec.route.empty();
    const bool by_host = !spec.host.empty();
    const std::vector<std::string>& filter = effective_filter(config, spec, scope_match);
    const int selectors = int{by_route} + int{by_host} + int{!filter.empty()};
    if (selectors != 1)
        throw Error(Status::bad_request, "must specify exactly one of: route, host, match");

    if (by_route) return resolve_route(config, spec.route, env);  // a lane argument is ignored
    if (spec.lane.empty())
        throw Error(Status::bad_request, "lane is required when route is not used");
    if (by_host) return Resolved{resolve_host(config, spec.host, env), spec.lane};

    const auto found = candidates(config, spec.lane, filter);
    if (found.empty()) no_candidate(spec.lane, filter);
    std::size_t pick = 0;
    if (found.size() > 1) {
        pick = choose(found.size());
        if (pick >= found.size())
            throw Error(Status::internal, "chooser returned index " + std::to_string(pick) +
                                              " for " + std::to_string(found.size()) +
                                              " candidates");
    }
    return Resolved{found[pick]->id, spec.lane};
}

}  // namespace letts::config
