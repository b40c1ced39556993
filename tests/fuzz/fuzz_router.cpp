// The devserver's HTTP request router (src/devserver/router) with the
// route table Api serves (src/devserver/routes.cpp), and the Request accessors every
// handler uses (header, query_value, query_flag). Any method and path give
// exactly one of: a matching route (its literal segments equal, parameters
// non-empty and passed in order, the method right or HEAD for GET), a 404,
// or a 405 whose Allow header lists the method a route would take.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "devserver/http_types.hpp"
#include "devserver/router.hpp"
#include "devserver/routes.hpp"
#include "fuzz_support.hpp"

namespace ds = letts::devserver;
namespace http = letts::devserver::http;
using letts::fuzz::check;

namespace {

// The table Api::Api registers (routes.cpp). The router is generic; this
// is the table it must get right, including its overlaps
// (/v1/missions/{id} and /v1/missions/bulk-restart, HEAD and GET on
// /v1/staging/{id}).
const auto kRoutes = ds::route_table();

std::vector<std::string> segments(std::string_view path) {
    std::vector<std::string> out;
    path.remove_prefix(1);
    for (;;) {
        const std::size_t slash = path.find('/');
        out.emplace_back(path.substr(0, slash));
        if (slash == std::string_view::npos) return out;
        path.remove_prefix(slash + 1);
    }
}

// Does `pattern` match `path`, with `params` as its parameters?
bool matches(std::string_view pattern, const std::string& path, const std::vector<std::string>& params) {
    if (path.empty() || path[0] != '/') return false;
    const auto want = segments(pattern), got = segments(path);
    if (want.size() != got.size()) return false;
    std::size_t p = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (!want[i].empty() && want[i].front() == '{') {
            if (got[i].empty() || p >= params.size() || params[p++] != got[i]) return false;
        } else if (want[i] != got[i]) {
            return false;
        }
    }
    return p == params.size();
}

const ds::Router& router() {
    static const ds::Router table = [] {
        ds::Router r;
        for (std::size_t i = 0; i < kRoutes.size(); ++i) {
            r.add(kRoutes[i].method, kRoutes[i].pattern, [i](http::Request&) -> http::Start {
                http::Response response;
                response.header("X-Route", std::to_string(i));
                return response;
            });
        }
        return r;
    }();
    return table;
}

std::string method_from(FuzzedDataProvider& in) {
    static const char* const known[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get"};
    if (in.ConsumeBool()) return in.ConsumeRandomLengthString(16);
    return known[in.ConsumeIntegralInRange<std::size_t>(0, std::size(known) - 1)];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    http::Request req;
    req.method = method_from(in);
    req.path = in.ConsumeRandomLengthString(512);
    for (int n = in.ConsumeIntegralInRange<int>(0, 4); n > 0; --n) {
        std::string name = in.ConsumeRandomLengthString(32);
        req.headers.emplace_back(std::move(name), in.ConsumeRandomLengthString(128));
    }
    for (int n = in.ConsumeIntegralInRange<int>(0, 4); n > 0; --n) {
        std::string name = in.ConsumeRandomLengthString(32);
        req.query.emplace_back(std::move(name), in.ConsumeRandomLengthString(128));
    }
    // What handlers ask of every request.
    (void)req.header("Authorization");
    (void)req.header(in.ConsumeRandomLengthString(32));
    (void)req.query_value("cursor");
    (void)req.query_flag("follow");

    http::Start start = router().route(req);
    auto* response = std::get_if<http::Response>(&start);
    check(response != nullptr, "the router returned something a test handler never does");

    std::string route, allow;
    for (const auto& [name, value] : response->headers) {
        if (name == "X-Route") route = value;
        if (name == "Allow") allow = value;
    }
    if (!route.empty()) {
        const std::size_t index = std::stoul(route);
        check(index < kRoutes.size(), "a route index out of the table", route);
        const char* const method = kRoutes[index].method;
        const char* const pattern = kRoutes[index].pattern;
        check(matches(pattern, req.path, req.params), "a route was taken whose pattern does not match",
              req.path);
        check(method == req.method || (std::string_view(method) == "GET" && req.is_head()),
              "a route was taken for another method", req.method);
        return 0;
    }
    bool path_known = false, method_known = false;
    for (const auto& [method, pattern, id] : kRoutes) {
        std::vector<std::string> params;
        // Parameters as the path gives them, for matches().
        if (req.path.empty() || req.path[0] != '/') break;
        const auto want = segments(pattern), got = segments(req.path);
        if (want.size() == got.size())
            for (std::size_t i = 0; i < want.size(); ++i)
                if (!want[i].empty() && want[i].front() == '{') params.push_back(got[i]);
        if (!matches(pattern, req.path, params)) continue;
        path_known = true;
        if (method == req.method || (std::string_view(method) == "GET" && req.is_head())) method_known = true;
    }
    check(!method_known, "no route was taken although one matches", req.method + " " + req.path);
    if (path_known) {
        check(response->status == 405 && !allow.empty(), "a known path with another method is not a 405 with Allow",
              req.path);
        const std::string listed = ", " + allow + ", ";
        check(listed.find(", " + req.method + ", ") == std::string::npos, "405 although Allow lists the method",
              allow);
    } else {
        check(response->status == 404, "an unknown path is not a 404", req.path);
    }
    return 0;
}
