#include "config/model.hpp"

#include <algorithm>
#include <string>

#include "config/text.hpp"
#include "core/error.hpp"

namespace letts::config {

bool Dugdale::declares_lane(std::string_view lane) const {
    return lanes.find(std::string(lane)) != lanes.end();
}

bool Dugdale::carries_all(const std::vector<std::string>& wanted) const {
    return std::all_of(wanted.begin(), wanted.end(), [this](const std::string& label) {
        return std::find(labels.begin(), labels.end(), label) != labels.end();
    });
}

const Dugdale* Config::find(std::string_view id) const {
    const auto found = std::find_if(dugdales.begin(), dugdales.end(),
                                    [id](const Dugdale& d) { return d.id == id; });
    return found == dugdales.end() ? nullptr : &*found;
}

const Dugdale& require_dugdale(const Config& config, std::string_view id) {
    if (const Dugdale* d = config.find(id)) return *d;
    throw Error(Status::config, "dugdale " + quote(id) + " not found in letts.yaml");
}

}  // namespace letts::config
