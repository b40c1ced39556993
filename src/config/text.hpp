// How user-written text appears inside error messages.
//
// Names, ids and values are echoed so the reader can find the offending spot,
// but a value may hold anything (a stray newline, a control character); it is
// escaped so one message stays one readable line.
#pragma once

#include <string>
#include <string_view>

namespace letts::config {

// Double-quoted in Go's %q style (letts::quoted), with a bound generous
// enough for a file path; only junk of kilobytes is clipped.
std::string quote(std::string_view text);

// `text` with control characters escaped but no surrounding quotes, for the
// message forms that print a key bare ("root: unknown key: mystery").
std::string printable(std::string_view text);

// Keeps a URL readable while hiding the password of its userinfo
// ("socks5h://u:xxxxx@h:1080"); anything else is returned unchanged.
std::string redact_userinfo(std::string_view url);

}  // namespace letts::config
