// Which dugdale holds a mission, when the user did not say (--host): each
// dugdale of letts.yaml is asked in file order, the first that knows it wins.
#pragma once

#include <string>
#include <vector>

#include <letts/letts.h>

namespace letts_cli {

// Every dugdale id of letts.yaml, in file order.
std::vector<std::string> all_dugdales(const letts_client* client);

// `host` when given (checked against letts.yaml: exit 3 when unknown),
// else the dugdale where mission `id` is found; exit 1 "mission … not found
// on any dugdale" when none has it.
// `get` is how a dugdale is asked: letts_client_get_mission (admin token) for
// missions, letts_client_exec_get (exec token) for execs.
using GetMissionFn = letts_status (*)(const letts_client*, const char*, const char*, letts_mission_info**,
                                      letts_error**);
std::string locate_mission(const letts_client* client, const std::string& host, const std::string& id,
                           GetMissionFn get = letts_client_get_mission);

// `host`, or the only dugdale of letts.yaml; a usage error asking for
// --host when there are several.
std::string single_host(const letts_client* client, const std::string& host);

}  // namespace letts_cli
