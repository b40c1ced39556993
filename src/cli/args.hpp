// Command-line parsing: flags in the forms the upstream CLI (cobra/pflag)
// accepts ("--name value", "--name=value", "-x value", "-xvalue", boolean
// "--name"), positional arguments, and "--" ending the flags.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace letts_cli {

struct FlagSpec {
    std::string name;      // long name without dashes
    char shorthand = 0;    // 0: none
    bool takes_value = false;
    bool list = false;     // repeatable; a value may also hold comma-separated items
};

class Args {
public:
    // Parses `argv` against `specs`; throws a usage CliError naming the
    // offending flag for an unknown flag or a missing value. `command` names
    // the command in messages ("ctl missions list").
    Args(const std::vector<std::string>& argv, const std::vector<FlagSpec>& specs,
         const std::string& command);

    bool has(const std::string& name) const { return values_.count(name) != 0; }
    std::optional<std::string> get(const std::string& name) const;
    std::string get_or(const std::string& name, const std::string& fallback) const;
    std::vector<std::string> list(const std::string& name) const;
    const std::vector<std::string>& positional() const { return positional_; }

    // Exactly `n` positional arguments or a usage error naming them (`what`).
    void expect_positional(size_t n, const std::string& what) const;

private:
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> positional_;
    std::string command_;
};

}  // namespace letts_cli
