#include "devserver/router.hpp"

#include <set>

#include "devserver/replies.hpp"

namespace letts::devserver {
namespace {

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> out;
    std::size_t i = 1;  // skip the leading '/'
    while (i <= path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        out.push_back(path.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

}  // namespace

void Router::add(std::string method, const std::string& pattern, Fn fn) {
    Route r{std::move(method), split(pattern), std::move(fn)};
    for (auto& s : r.segments)
        if (!s.empty() && s.front() == '{') s = "{}";
    routes_.push_back(std::move(r));
}

http::Start Router::route(http::Request& req) const {
    if (req.path.empty() || req.path[0] != '/') return reply::not_found_route();
    const auto segs = split(req.path);
    const Route* best = nullptr;
    std::vector<std::string> best_params;
    std::set<std::string> allowed;
    for (const auto& r : routes_) {
        if (r.segments.size() != segs.size()) continue;
        std::vector<std::string> params;
        bool ok = true;
        for (std::size_t i = 0; i < segs.size() && ok; ++i) {
            if (r.segments[i] == "{}") {
                ok = !segs[i].empty();
                params.push_back(segs[i]);
            } else {
                ok = r.segments[i] == segs[i];
            }
        }
        if (!ok) continue;
        allowed.insert(r.method);
        if (r.method == "GET") allowed.insert("HEAD");
        const bool method_ok = r.method == req.method || (r.method == "GET" && req.method == "HEAD");
        if (!method_ok) continue;
        // More specific = a literal where the other has a parameter, earliest first.
        bool better = best == nullptr;
        if (best) {
            for (std::size_t i = 0; i < segs.size(); ++i) {
                const bool a = r.segments[i] == "{}", b = best->segments[i] == "{}";
                if (a != b) {
                    better = !a;
                    break;
                }
            }
            if (best->method != req.method && r.method == req.method) better = true;  // explicit HEAD
        }
        if (better) {
            best = &r;
            best_params = std::move(params);
        }
    }
    if (best) {
        req.params = std::move(best_params);
        return best->fn(req);
    }
    if (allowed.empty()) return reply::not_found_route();
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    return reply::method_not_allowed(allow);
}

}  // namespace letts::devserver
