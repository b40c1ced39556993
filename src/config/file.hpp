// Reading letts.yaml from disk.
#pragma once

#include <string>

namespace letts::config {

struct FileContents {
    std::string text;
    // Permission bits of the file that was read (symbolic links followed),
    // taken from the open descriptor so the rule of section 10.4 judges the
    // very file whose bytes were parsed.
    unsigned permissions = 0;
};

// Throws Status::config "cannot read: <reason>" (the loader adds the path).
FileContents read_config_file(const std::string& path);

}  // namespace letts::config
