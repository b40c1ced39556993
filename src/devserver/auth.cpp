#include "devserver/auth.hpp"

#include "core/text.hpp"
#include "devserver/replies.hpp"

#include <algorithm>
#include <chrono>

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

}  // namespace

Authenticator::Authenticator(std::vector<std::string> dispatch, std::vector<std::string> exec,
                             std::vector<std::string> admin)
    : dispatch_(std::move(dispatch)), exec_(std::move(exec)), admin_(std::move(admin)) {}

SteadyClock::duration Authenticator::blocked_for(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = failures_.find(key);
    if (it == failures_.end()) return {};
    const auto now = SteadyClock::now();
    if (now - it->second.updated > std::chrono::hours(1)) {
        failures_.erase(it);
        return {};
    }
    return it->second.next_allowed > now ? it->second.next_allowed - now : SteadyClock::duration{};
}

void Authenticator::record_failure(const std::string& key) {
    std::lock_guard lock(mu_);
    Failures& f = failures_[key];
    const auto now = SteadyClock::now();
    ++f.count;
    f.updated = now;
    if (f.count >= 5) {
        std::chrono::milliseconds delay(100);
        for (int i = 0; i < f.count - 5 && delay < std::chrono::seconds(30); ++i) delay *= 2;
        if (delay > std::chrono::seconds(30)) delay = std::chrono::seconds(30);
        f.next_allowed = now + delay;
    }
}

void Authenticator::record_success(const std::string& key) {
    std::lock_guard lock(mu_);
    failures_.erase(key);
}

std::optional<Scope> Authenticator::check(const http::Request& req, std::initializer_list<Scope> accepted,
                                          http::Response& denied) {
    bool is_protected = false;
    for (Scope s : accepted) is_protected |= s == Scope::admin || s == Scope::exec;
    const std::string& key = req.peer;
    is_protected = is_protected && !key.empty();
    if (is_protected) {
        if (const auto wait = blocked_for(key); wait > SteadyClock::duration::zero()) {
            using namespace std::chrono;
            const auto ms = duration_cast<milliseconds>(wait).count();
            const int seconds = static_cast<int>(std::max<long long>(1, (ms + 999) / 1000));
            denied = reply::error_retry(429, "rate_limited", "too many auth failures from this source", seconds);
            return std::nullopt;
        }
    }
    auto scope = identify(req, accepted, denied);
    if (is_protected) {
        if (scope) record_success(key);
        else if (denied.status == 401) record_failure(key);
    }
    return scope;
}

std::optional<Scope> Authenticator::identify(const http::Request& req, std::initializer_list<Scope> accepted,
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
    const std::string token(text::trim(std::string_view(*header).substr(7), " \t\r\n"));
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
