// Section 10.4: a file that holds a plain-text token must be 0600 or 0400.
#pragma once

#include <string>

#include "config/config.hpp"

namespace letts::config {

// True when any token — auth.*, a dugdale's (inherited ones included) or a
// template's — has literal text outside ${NAME} placeholders.
bool has_plain_token(const Config& config);

// Throws Status::config when `config` has a plain token and `permissions`
// (the nine permission bits of the file at `path`) are neither 0600 nor
// 0400. The message names the file and the mode, never a token.
void check_permissions(const Config& config, const std::string& path, unsigned permissions);

}  // namespace letts::config
