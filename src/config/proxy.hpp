// Proxy URLs (section 11): the form check shared by load and use.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace letts::config {

struct ProxyProblem {
    bool bad_scheme = false;  // parsed, but the scheme is not one of the four
    std::string scheme;       // as written, when bad_scheme
    std::string reason;       // why it is not a URL, otherwise
};

// nullopt when `url` is scheme://[userinfo@]host[:port][/...] with a scheme
// of socks5, socks5h, http or https (any case).
std::optional<ProxyProblem> check_proxy_url(std::string_view url);

// The load-time rule of section 11.2: "" and values holding "${" pass, the
// rest must pass check_proxy_url. `where` starts the message
// (`dugdales[0] ("s1")`, `templates["prod"]`); credentials are not echoed.
void validate_proxy_setting(std::string_view where, std::string_view value);

}  // namespace letts::config
