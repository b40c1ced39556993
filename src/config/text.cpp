#include "config/text.hpp"


#include "core/quote.hpp"

namespace letts::config {

namespace {

constexpr std::size_t max_quoted = 1024;

}  // namespace

std::string quote(std::string_view text) { return letts::quoted(text, max_quoted); }

std::string printable(std::string_view text) { return letts::printable(text); }

std::string redact_userinfo(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::string(url);
    const auto authority_begin = scheme_end + 3;
    auto authority_end = url.find_first_of("/?#", authority_begin);
    if (authority_end == std::string_view::npos) authority_end = url.size();
    const auto authority = url.substr(authority_begin, authority_end - authority_begin);
    const auto at = authority.rfind('@');
    if (at == std::string_view::npos) return std::string(url);
    const auto colon = authority.substr(0, at).find(':');
    if (colon == std::string_view::npos) return std::string(url);  // a user name alone is no secret
    std::string out(url.substr(0, authority_begin + colon + 1));
    out += "xxxxx";
    out += url.substr(authority_begin + at);
    return out;
}

}  // namespace letts::config
