#include "config/permissions.hpp"

#include <cstdio>
#include <string>

#include "core/error.hpp"

namespace letts::config {

namespace {

template <class Holder>
bool holds_plain(const Holder& h) {
    return is_plain_token(h.token) || is_plain_token(h.admin_token) || is_plain_token(h.exec_token);
}

}  // namespace

bool has_plain_token(const Config& config) {
    if (holds_plain(config.auth)) return true;
    for (const Dugdale& d : config.dugdales)
        if (holds_plain(d)) return true;
    // An unused template's token is still committed to the file.
    for (const auto& entry : config.templates)
        if (holds_plain(entry.second)) return true;
    return false;
}

void check_permissions(const Config& config, const std::string& path, unsigned permissions) {
    permissions &= 0777u;  // setuid/setgid/sticky do not matter
    if (permissions == 0600u || permissions == 0400u || !has_plain_token(config)) return;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", permissions);
    throw Error(Status::config, "letts.yaml " + path + " has unsafe permissions " + mode +
                                    " (contains plain-text tokens; require 0600 or 0400)");
}

}  // namespace letts::config
