// The definition behind the opaque letts_mission handle (letts/mission.h).
#pragma once

#include <memory>

#include "mission/mission.hpp"

struct letts_mission {
    std::unique_ptr<letts::mission::Mission> mission;
};
