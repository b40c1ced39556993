#include "devserver/auth.hpp"

#include "devserver/replies.hpp"

namespace letts::devserver {
namespace {

// Constant-time comparison: the time taken does not depend on where the
// strings first differ.
bool same(const std::string& a, const std::string& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

bool listed(const std::vector<std::string>& list, const std::string& token) {
    if (token.empty()) return false;
    bool found = false;
    for (const auto& t : list) found |= same(t, token);
    return found;
}

std::string trim(const std::string& s) {
    const auto ws = " \t\r\n";
    const auto b = s.find_first_not_of(ws);
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

}  // namespace

Authenticator::Authenticator(std::vector<std::string> dispatch, std::vector<std::string> exec,
                             std::vector<std::string> admin)
    : dispatch_(std::move(dispatch)), exec_(std::move(exec)), admin_(std::move(admin)) {}

std::optional<Scope> Authenticator::check(const http::Request& req, std::initializer_list<Scope> accepted,
                                          http::Response& denied) const {
    const auto header = req.header("Authorization");
    if (!header) {
        denied = reply::error(401, "unauthorized", "missing Authorization header");
        return std::nullopt;
    }
    if (header->rfind("Bearer ", 0) != 0) {
        denied = reply::error(401, "unauthorized", "expected Bearer token");
        return std::nullopt;
    }
    const std::string token = trim(header->substr(7));
    if (listed(admin_, token)) return Scope::admin;
    for (Scope s : accepted) {
        if (s == Scope::dispatch && listed(dispatch_, token)) return s;
        if (s == Scope::exec && listed(exec_, token)) return s;
    }
    if (listed(dispatch_, token) || listed(exec_, token)) {
        denied = reply::error(403, "forbidden", "token does not have required scope");
        return std::nullopt;
    }
    denied = reply::error(401, "unauthorized", "unknown token");
    return std::nullopt;
}

}  // namespace letts::devserver
