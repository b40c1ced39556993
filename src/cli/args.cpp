#include "args.hpp"

#include "error.hpp"

namespace letts_cli {

namespace {

const FlagSpec* find_long(const std::vector<FlagSpec>& specs, const std::string& name) {
    for (const auto& s : specs)
        if (s.name == name) return &s;
    return nullptr;
}

const FlagSpec* find_short(const std::vector<FlagSpec>& specs, char c) {
    for (const auto& s : specs)
        if (s.shorthand != 0 && s.shorthand == c) return &s;
    return nullptr;
}

// Splits "a,b" of a list flag the way pflag's StringSlice does (no quoting).
std::vector<std::string> split_commas(const std::string& v) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        size_t comma = v.find(',', start);
        out.push_back(v.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

}  // namespace

Args::Args(const std::vector<std::string>& argv, const std::vector<FlagSpec>& specs,
           const std::string& command)
    : command_(command) {
    const std::string where = command.empty() ? "" : command + ": ";
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "--") {
            positional_.insert(positional_.end(), argv.begin() + static_cast<long>(i) + 1, argv.end());
            break;
        }
        if (a.size() < 2 || a[0] != '-') {
            positional_.push_back(a);
            continue;
        }
        const FlagSpec* spec = nullptr;
        std::optional<std::string> inline_value;
        std::string shown;
        if (a[1] == '-') {
            size_t eq = a.find('=');
            std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            if (eq != std::string::npos) inline_value = a.substr(eq + 1);
            spec = find_long(specs, name);
            shown = "--" + name;
        } else {
            spec = find_short(specs, a[1]);
            if (a.size() > 2) inline_value = a.substr(a[2] == '=' ? 3 : 2);
            shown = a.substr(0, 2);
        }
        if (!spec) throw usage_error(where + "unknown flag: " + shown);
        std::string value = "true";
        if (spec->takes_value) {
            if (inline_value) {
                value = *inline_value;
            } else if (i + 1 < argv.size()) {
                value = argv[++i];
            } else {
                throw usage_error(where + "flag needs an argument: " + shown);
            }
        } else if (inline_value) {
            if (*inline_value != "true" && *inline_value != "false")
                throw usage_error(where + "invalid boolean value for " + shown + ": " + *inline_value);
            if (*inline_value == "false") {
                values_.erase(spec->name);
                continue;
            }
        }
        auto& slot = values_[spec->name];
        if (spec->list) {
            for (auto& item : split_commas(value)) slot.push_back(item);
        } else {
            slot.assign(1, value);
        }
    }
}

std::optional<std::string> Args::get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
    auto v = get(name);
    return v ? *v : fallback;
}

std::vector<std::string> Args::list(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

void Args::expect_positional(size_t n, const std::string& what) const {
    if (positional_.size() == n) return;
    throw usage_error(command_ + ": expected " + what + ", got " +
                      std::to_string(positional_.size()) + " argument(s)");
}

}  // namespace letts_cli
