#include "config/proxy.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "config/config.hpp"
#include "config/env.hpp"
#include "config/model.hpp"
#include "config/text.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace letts::config {

namespace {

constexpr std::string_view scheme_rule = "scheme must be socks5, socks5h, http, or https";

ProxyProblem not_a_url(std::string reason) { return ProxyProblem{false, "", std::move(reason)}; }

bool is_scheme(std::string_view scheme) {
    if (scheme.empty() || !std::isalpha(static_cast<unsigned char>(scheme.front()))) return false;
    for (const char c : scheme)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
            return false;
    return true;
}

bool is_port(std::string_view port) {
    if (port.empty() || port.size() > 5) return false;
    unsigned value = 0;
    for (const char c : port) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value <= 65535;
}

}  // namespace

std::optional<ProxyProblem> check_proxy_url(std::string_view url) {
    for (const char c : url) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f)
            return not_a_url("contains a space or a control character");
    }
    const auto colon = url.find(':');
    if (colon == std::string_view::npos) return ProxyProblem{true, "", ""};
    const auto scheme = url.substr(0, colon);
    if (!is_scheme(scheme)) return not_a_url("missing or malformed scheme");
    static constexpr std::array<std::string_view, 4> allowed = {"socks5", "socks5h", "http",
                                                                "https"};
    const std::string folded = text::lower(scheme);
    if (std::find(allowed.begin(), allowed.end(), folded) == allowed.end())
        return ProxyProblem{true, std::string(scheme), ""};

    auto rest = url.substr(colon + 1);
    if (!rest.starts_with("//")) return not_a_url("missing \"//\" before the host");
    rest.remove_prefix(2);
    const auto authority = rest.substr(0, rest.find_first_of("/?#"));
    const auto at = authority.rfind('@');
    const auto host_port = at == std::string_view::npos ? authority : authority.substr(at + 1);

    std::string_view host;
    std::optional<std::string_view> port;
    if (host_port.starts_with('[')) {
        const auto close = host_port.find(']');
        if (close == std::string_view::npos) return not_a_url("unterminated IPv6 address");
        host = host_port.substr(1, close - 1);
        const auto after = host_port.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return not_a_url("unexpected text after the IPv6 address");
            port = after.substr(1);
        }
    } else {
        const auto port_colon = host_port.rfind(':');
        host = host_port.substr(0, port_colon);
        if (port_colon != std::string_view::npos) port = host_port.substr(port_colon + 1);
        if (host.find(':') != std::string_view::npos)
            return not_a_url("an IPv6 address must be written in brackets");
    }
    if (host.empty()) return not_a_url("missing host");
    if (port && !is_port(*port)) return not_a_url("invalid port");
    return std::nullopt;
}

void validate_proxy_setting(std::string_view where, std::string_view value) {
    if (value.empty() || value.find("${") != std::string_view::npos) return;  // checked at use
    const auto problem = check_proxy_url(value);
    if (!problem) return;
    const std::string shown = quote(redact_userinfo(value));
    if (problem->bad_scheme)
        throw Error(Status::config,
                    std::string(where) + ": proxy " + shown + ": " + std::string(scheme_rule));
    throw Error(Status::config,
                std::string(where) + ": invalid proxy url " + shown + ": " + problem->reason);
}

std::optional<std::string> proxy(const Config& config, std::string_view dugdale_id,
                                 bool ignore_proxy, const EnvLookup& env) {
    const Dugdale& d = require_dugdale(config, dugdale_id);
    if (ignore_proxy || d.proxy_disabled || d.proxy.empty()) return std::nullopt;
    const std::string where = "proxy of dugdale " + quote(dugdale_id);
    std::string url = substitute_env_in(d.proxy, env, where);
    if (url.empty()) return std::nullopt;  // a variable set to "" means "connect directly"

    // Only the scheme is echoed: the substituted URL may carry credentials.
    if (const auto problem = check_proxy_url(url)) {
        if (problem->bad_scheme)
            throw Error(Status::config, where + ": " + std::string(scheme_rule) + ", got " +
                                            quote(problem->scheme));
        throw Error(Status::config, where + ": invalid proxy url: " + problem->reason);
    }
    // socks5:// would let the client resolve the dugdale's name; socks5h://
    // has the proxy do it. Only the leading scheme is touched.
    constexpr std::string_view socks5 = "socks5://";
    if (url.size() >= socks5.size() &&
        text::lower(std::string_view(url).substr(0, socks5.size())) == socks5)
        url.replace(0, socks5.size(), "socks5h://");
    return url;
}

}  // namespace letts::config
