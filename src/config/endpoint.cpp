// Section 8: the base URL requests to a dugdale are sent to.
#include <optional>
#include <string>

#include "config/config.hpp"
#include "config/model.hpp"
#include "config/text.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace letts::config {

namespace {

constexpr std::int64_t default_port = 7180;

struct HostPort {
    std::string_view host;
    std::string_view port;
};

// Go's net.SplitHostPort: "name:port", "1.2.3.4:port", "[v6]:port". A bare
// IPv6 literal ("::1", too many colons) and a name without a port do not
// split. The one difference is deliberate: "[::1]" without a port is taken
// as the address ::1 (libletts decision) instead of being bracketed twice.
std::optional<HostPort> split_host_port(std::string_view text) {
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        const auto inside = text.substr(1, close - 1);
        if (inside.find_first_of("[]") != std::string_view::npos) return std::nullopt;
        const auto after = text.substr(close + 1);
        if (after.empty()) return HostPort{inside, ""};
        if (after.front() != ':') return std::nullopt;
        return HostPort{inside, after.substr(1)};
    }
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos)
        return std::nullopt;
    const auto host = text.substr(0, colon);
    if (host.find_first_of("[]") != std::string_view::npos) return std::nullopt;
    return HostPort{host, text.substr(colon + 1)};
}

// A port embedded in the host counts only when it is a positive integer.
std::optional<std::int64_t> positive_port(std::string_view text) {
    if (text.empty() || text.size() > 9) return std::nullopt;
    std::int64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value > 0 ? std::optional(value) : std::nullopt;
}

std::string url_base(const Dugdale& d) {
    const std::string_view url = d.url;
    const auto colon = url.find(':');
    const std::string_view scheme =
        colon == std::string_view::npos ? std::string_view() : url.substr(0, colon);
    if (!text::equal_fold(scheme, "http") && !text::equal_fold(scheme, "https"))
        throw Error(Status::config, "dugdale " + quote(d.id) +
                                        ": url scheme must be http or https, got " + quote(scheme));
    // Request paths are appended to the base; "scheme://" itself stays whole.
    const auto separator = url.find("://");
    const std::size_t keep = separator == std::string_view::npos ? 0 : separator + 3;
    std::string_view base = url;
    while (base.size() > keep && base.back() == '/')
        base.remove_suffix(1);
    return std::string(base);
}

}  // namespace

std::string base_url(const Config& config, std::string_view dugdale_id) {
    const Dugdale& d = require_dugdale(config, dugdale_id);
    if (!d.url.empty()) return url_base(d);

    std::int64_t port = d.port != 0                ? d.port
                        : config.default_port != 0 ? config.default_port
                                                   : default_port;
    std::string_view host = d.host;
    if (const auto split = split_host_port(d.host)) {
        host = split->host;  // the host part is used even when the port is not
        if (const auto embedded = positive_port(split->port)) port = *embedded;
    }
    const bool ipv6 = host.find(':') != std::string_view::npos;
    std::string out = "http://";
    if (ipv6) out += '[';
    out += host;
    if (ipv6) out += ']';
    out += ':' + std::to_string(port);
    return out;
}

}  // namespace letts::config
